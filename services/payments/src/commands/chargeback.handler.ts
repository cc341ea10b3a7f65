import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '@continuum/platform';
import { TransactionRow, transactionRows } from '../domain';
import { TransactionAggregate } from './aggregates';

export type ChargebackChange =
  | { readonly kind: 'MARK'; readonly amount: number; readonly date: string; readonly reasonCode: string; readonly note?: string }
  | { readonly kind: 'REVERT' };

/** Mark a chargeback on a charge (amount, date, reason code) or revert it. */
export class ChangeChargebackCommand extends Command<TransactionRow> {
  constructor(
    readonly transactionId: string,
    readonly change: ChargebackChange,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ChangeChargebackCommand)
export class ChangeChargebackHandler implements ICommandHandler<ChangeChargebackCommand, TransactionRow> {
  constructor(@Inject(TransactionAggregate) private readonly runner: TransactionAggregate) {}

  async execute({ transactionId, change, context }: ChangeChargebackCommand): Promise<TransactionRow> {
    const result =
      change.kind === 'MARK'
        ? await this.runner.run(transactionId, { type: 'MarkChargeback', data: { amount: change.amount, date: change.date, reasonCode: change.reasonCode, ...(change.note !== undefined ? { note: change.note } : {}) } }, context)
        : await this.runner.run(transactionId, { type: 'RevertChargeback', data: {} }, context);
    return transactionRows(result.state)[0];
  }
}
