import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { SubscriptionEvent } from '@continuum/contracts';
import { CommandContext, CommandInput, RunResult } from '@continuum/platform';
import { PurchaseCommand, PurchaseState } from '../domain';
import { PurchaseAggregate } from './aggregates';

/**
 * One decision on one purchase: an agent's action (update, restart/skip trial, cancel, pause, resume,
 * force bill, reactivate) or the work of a reaction (start, rebill order and outcome, fulfillment).
 */
export class PurchaseActionCommand extends Command<RunResult<PurchaseState, SubscriptionEvent>> {
  constructor(
    readonly purchaseId: string,
    readonly input: CommandInput<PurchaseCommand>,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(PurchaseActionCommand)
export class PurchaseActionHandler implements ICommandHandler<PurchaseActionCommand, RunResult<PurchaseState, SubscriptionEvent>> {
  constructor(@Inject(PurchaseAggregate) private readonly purchases: PurchaseAggregate) {}

  execute({ purchaseId, input, context }: PurchaseActionCommand): Promise<RunResult<PurchaseState, SubscriptionEvent>> {
    return this.purchases.run(purchaseId, input, context);
  }
}
