import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '@continuum/platform';
import { isDueForSettlement } from '../domain';
import { TransactionReadModel } from '../read-models';
import { TransactionRunner } from './transaction-runner';

/** Settle one charge now (its settle job came due); a voided or already settled charge is left alone. */
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
 */
export class RunSettlementCommand extends Command<{ settled: number }> {
  constructor(
    readonly asOf: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(SettleChargeCommand)
export class SettleChargeHandler implements ICommandHandler<SettleChargeCommand, { settled: boolean }> {
  constructor(@Inject(TransactionRunner) private readonly runner: TransactionRunner) {}

  async execute({ transactionId, context }: SettleChargeCommand): Promise<{ settled: boolean }> {
    const { state } = await this.runner.load(transactionId);
    if (state.status !== 'APPROVED' || state.settledAt !== null) return { settled: false };
    const result = await this.runner.run(transactionId, 'Settle', { settledAt: new Date().toISOString() }, context);
    return { settled: result.events.length > 0 };
  }
}

@CommandHandler(RunSettlementCommand)
export class RunSettlementHandler implements ICommandHandler<RunSettlementCommand, { settled: number }> {
  constructor(
    @Inject(TransactionReadModel) private readonly readModel: TransactionReadModel,
    @Inject(TransactionRunner) private readonly runner: TransactionRunner,
  ) {}

  async execute({ asOf, context }: RunSettlementCommand): Promise<{ settled: number }> {
    let settled = 0;
    for (const transactionId of await this.readModel.unsettledChargedBy(asOf)) {
      const { state } = await this.runner.load(transactionId);
      if (!isDueForSettlement(state, asOf, 0)) continue;
      const result = await this.runner.run(transactionId, 'Settle', { settledAt: new Date().toISOString() }, { ...context, idempotencyKey: undefined });
      if (result.events.length > 0) settled++;
    }
    return { settled };
  }
}
