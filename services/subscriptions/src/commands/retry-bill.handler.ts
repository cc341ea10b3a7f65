import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '@continuum/contracts';
import { CommandContext, Platform } from '@continuum/platform';
import { PurchaseAggregate } from './aggregates';

/** A recycle retry came due: bill the soft-declined cycle again. */
export class RetryBillCommand extends Command<{ requested: boolean }> {
  constructor(
    readonly purchaseId: string,
    readonly billingCycle: number,
    readonly retry: number,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RetryBillCommand)
export class RetryBillHandler implements ICommandHandler<RetryBillCommand, { requested: boolean }> {
  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(PurchaseAggregate) private readonly purchases: PurchaseAggregate,
  ) {}

  async execute({ purchaseId, billingCycle, retry, context }: RetryBillCommand): Promise<{ requested: boolean }> {
    try {
      const { events } = await this.purchases.run(purchaseId, { type: 'RetryBill', data: { billingCycle, retry } }, context);
      return { requested: events.length > 0 };
    } catch (error) {
      // the purchase moved on (reactivated, cancelled, billed by a rerun): the retry has nothing to do
      if (error instanceof DomainError) {
        this.platform.logger.info({ purchaseId, billingCycle, retry, code: error.code }, 'recycle retry not needed');
        return { requested: false };
      }
      throw error;
    }
  }
}
