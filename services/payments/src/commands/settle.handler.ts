import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, RunReporter, unrecordedRun } from '@continuum/platform';
import { isDueForSettlement } from '../domain';
import { TransactionsView } from '../views';
import { TransactionAggregate } from './aggregates';

/**
 * Settle one charge now (its settle job came due); a voided or already settled charge is left alone.
 * A charge whose void is reserved (at the gateway right now) throws SettlementWaitsForVoidError: the
 * job is retried later, when the void is recorded (nothing to settle) or has failed (settle then).
 */
export class SettleChargeCommand extends Command<{ settled: boolean }> {
  constructor(
    readonly transactionId: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

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

@CommandHandler(SettleChargeCommand)
export class SettleChargeHandler implements ICommandHandler<SettleChargeCommand, { settled: boolean }> {
  constructor(@Inject(TransactionAggregate) private readonly runner: TransactionAggregate) {}

  async execute({ transactionId, context }: SettleChargeCommand): Promise<{ settled: boolean }> {
    const { state } = await this.runner.load(transactionId);
    if (state.status !== 'APPROVED' || state.settledAt !== null) return { settled: false };
    if (state.pendingVoid !== null) throw new SettlementWaitsForVoidError(transactionId, state.pendingVoid.voidId);
    const result = await this.runner.run(transactionId, { type: 'Settle', data: { settledAt: new Date().toISOString() } }, context);
    return { settled: result.events.length > 0 };
  }
}

@CommandHandler(RunSettlementCommand)
export class RunSettlementHandler implements ICommandHandler<RunSettlementCommand, { settled: number }> {
  constructor(
    @Inject(TransactionsView) private readonly readModel: TransactionsView,
    @Inject(TransactionAggregate) private readonly runner: TransactionAggregate,
  ) {}

  async execute({ asOf, context, run }: RunSettlementCommand): Promise<{ settled: number }> {
    let settled = 0;
    const unsettled = await this.readModel.unsettledChargedBy(asOf);
    await run.planned(unsettled.length);
    for (const transactionId of unsettled) {
      const { state } = await this.runner.load(transactionId);
      if (isDueForSettlement(state, asOf, 0)) {
        // a replay is this run's own earlier settlement (the key is the run's): it counts
        const result = await this.runner.run(transactionId, { type: 'Settle', data: { settledAt: new Date().toISOString() } }, run.forItem(context, transactionId));
        if (result.events.length > 0) settled++;
      }
      await run.advanced();
    }
    return { settled };
  }
}

/**
 * A settle job came due while a void of the charge is reserved. Not a DomainError on purpose: the
 * job is retried (with backoff) instead of completing unsettled, so a void that fails cannot leave
 * the charge unsettled for good.
 */
export class SettlementWaitsForVoidError extends Error {
  constructor(
    readonly transactionId: string,
    readonly voidId: string,
  ) {
    super(`charge ${transactionId} waits for its reserved void ${voidId}: settlement retried later`);
    this.name = 'SettlementWaitsForVoidError';
  }
}
