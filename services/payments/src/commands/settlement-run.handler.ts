import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, RunReporter, unrecordedRun } from '@continuum/platform';
import { isDueForSettlement } from '../domain';
import { PaymentsViews } from '../views';
import { TransactionAggregate } from './aggregates';

/**
 * A settlement run (POST /settlement-runs): settles at once every unsettled charge that took its
 * money at or before `asOf`. The SETTLEMENT_DELAY_MS wait applies to the automatic settle jobs only.
 * `run`: the run's record (progress) and id; each charge's settlement is keyed by run id + transaction
 * id, so the same run tried again (its job picked up after a crash) settles nothing twice.
 */
export class RunSettlementCommand extends Command<{ settled: number }> {
  constructor(
    readonly asOf: string,
    readonly context: CommandContext,
    readonly run: RunReporter = unrecordedRun(),
  ) {
    super();
  }
}

/** The run's steps: read the unsettled charges, decide on each stream whether it is due (`isDueForSettlement`), settle it. */
@CommandHandler(RunSettlementCommand)
export class RunSettlementHandler implements ICommandHandler<RunSettlementCommand, { settled: number }> {
  constructor(
    @Inject(PaymentsViews) private readonly views: PaymentsViews,
    @Inject(TransactionAggregate) private readonly transactions: TransactionAggregate,
  ) {}

  async execute({ asOf, context, run }: RunSettlementCommand): Promise<{ settled: number }> {
    let settled = 0;
    const unsettled = await this.views.transactions.unsettledChargedBy(asOf);
    await run.planned(unsettled.length);
    for (const transactionId of unsettled) {
      const { state } = await this.transactions.load(transactionId);
      if (isDueForSettlement(state, asOf, 0)) {
        // a replay is this run's own earlier settlement (the key is the run's): it counts
        const result = await this.transactions.run(transactionId, { type: 'Settle', data: {} }, run.forItem(context, transactionId));
        if (result.events.length > 0) settled++;
      }
      await run.advanced();
    }
    return { settled };
  }
}
