import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '@continuum/platform';
import { CodOutcome } from '../domain';
import { TransactionAggregate } from './aggregates';

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
  constructor(@Inject(TransactionAggregate) private readonly runner: TransactionAggregate) {}

  async execute({ transactionId, outcome, context }: RecordCodOutcomeCommand): Promise<void> {
    if (outcome.kind === 'PAID') {
      await this.runner.run(transactionId, { type: 'MarkCodPaid', data: { deliveryConfirmation: outcome.deliveryConfirmation, date: outcome.date } }, context);
    } else {
      await this.runner.run(transactionId, { type: 'MarkCodUndelivered', data: { status: outcome.status } }, context);
    }
  }
}
