import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CodUndeliveredStatus } from '@continuum/contracts';
import { CommandContext } from '@continuum/platform';
import { TransactionRunner } from './transaction-runner';

/** What the carrier did with a COD delivery (seed 003), reported by fulfillment. */
export type CodOutcome =
  | { readonly kind: 'PAID'; readonly deliveryConfirmation: string; readonly date: string }
  | { readonly kind: 'UNDELIVERED'; readonly status: CodUndeliveredStatus };

/** Record a COD outcome on the order's COD transaction: paid -> SUCCESS, reattempt/pickup -> SOFT_DECLINE, declined -> HARD_DECLINE. */
export class RecordCodOutcomeCommand extends Command<void> {
  constructor(
    readonly transactionId: string,
    readonly outcome: CodOutcome,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RecordCodOutcomeCommand)
export class RecordCodOutcomeHandler implements ICommandHandler<RecordCodOutcomeCommand, void> {
  constructor(@Inject(TransactionRunner) private readonly runner: TransactionRunner) {}

  async execute({ transactionId, outcome, context }: RecordCodOutcomeCommand): Promise<void> {
    if (outcome.kind === 'PAID') {
      await this.runner.run(transactionId, 'MarkCodPaid', { deliveryConfirmation: outcome.deliveryConfirmation, date: outcome.date }, context);
    } else {
      await this.runner.run(transactionId, 'MarkCodUndelivered', { status: outcome.status }, context);
    }
  }
}
