import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Job } from 'bullmq';
import { systemActor } from '@continuum/contracts';
import { serviceQueue, SweeperReport, systemContext } from '@continuum/platform';
import { ResolveVoidReservationCommand, ReverseChargeCommand, TransactionAggregate, stallClockOf } from '../commands';
import { stalledRefundsToResume } from '../domain';
import { PAYMENTS_SETTINGS, PaymentsSettings } from '../payments-settings';
import { PaymentsViews } from '../views';

/** The payments sweepers' scheduled jobs, queue `payments-sweeps`. */
export const PAYMENTS_SWEEPS_QUEUE = 'payments-sweeps';
/** Releases or completes voids reserved and never recorded (GET /ops lists it by this name). */
export const VOID_RESERVATION_SWEEPER = 'void-reservation-sweeper';
/** Resumes refunds stalled before their first gateway attempt. */
export const STALLED_REFUND_SWEEPER = 'stalled-refund-sweeper';

export type PaymentsSweeper = typeof VOID_RESERVATION_SWEEPER | typeof STALLED_REFUND_SWEEPER;

/** One sweep: which sweeper runs. */
export interface PaymentsSweepJob {
  readonly sweeper: PaymentsSweeper;
}

/** What one sweep did: the candidates looked at, what came of them, and those that failed (logged, tried again next sweep). */
export type SweepSummary = Readonly<Record<string, number>>;

/**
 * The payments sweepers, each a BullMQ job scheduler on this queue (one schedule whatever the number
 * of instances; the job runs on one of them):
 * - `void-reservation-sweeper` every VOID_SWEEP_INTERVAL_MS: each unsettled charge with a void
 *   reserved longer than VOID_RESERVATION_MAX_AGE_MS gets ResolveVoidReservationCommand (the gateway
 *   is asked what it did under the reservation's reference; the void is completed or released);
 * - `stalled-refund-sweeper` every REFUND_SWEEP_INTERVAL_MS: each refund PENDING without an attempt
 *   longer than REFUND_STALL_AFTER_MS is resumed (ReverseChargeCommand.resumeRefund: attempt 1 under
 *   `<refundId>:1`, the reference its first call had).
 * Each run is reported to the ops registry (GET /ops `sweepers`, /metrics `sweeper_runs`) of the
 * instance that ran it; a run that fails is reported failed and the next one tries again.
 */
@Injectable()
export class PaymentsSweepsQueue extends serviceQueue<PaymentsSweepJob>(PAYMENTS_SWEEPS_QUEUE) {
  @Inject(CommandBus) private readonly commandBus!: CommandBus;
  @Inject(TransactionAggregate) private readonly transactions!: TransactionAggregate;
  @Inject(PaymentsViews) private readonly views!: PaymentsViews;
  @Inject(PAYMENTS_SETTINGS) private readonly settings!: PaymentsSettings;
  private readonly reports: Record<PaymentsSweeper, SweeperReport> = {
    [VOID_RESERVATION_SWEEPER]: this.platform.ops.sweepers.register(VOID_RESERVATION_SWEEPER),
    [STALLED_REFUND_SWEEPER]: this.platform.ops.sweepers.register(STALLED_REFUND_SWEEPER),
  };

  override onApplicationBootstrap(): void {
    super.onApplicationBootstrap();
    const opts = { attempts: 1, removeOnComplete: 100, removeOnFail: 500 };
    this.repeat(VOID_RESERVATION_SWEEPER, { every: this.settings.voidSweepIntervalMs }, { name: VOID_RESERVATION_SWEEPER, data: { sweeper: VOID_RESERVATION_SWEEPER }, opts });
    this.repeat(STALLED_REFUND_SWEEPER, { every: this.settings.refundSweepIntervalMs }, { name: STALLED_REFUND_SWEEPER, data: { sweeper: STALLED_REFUND_SWEEPER }, opts });
  }

  protected async process(job: Job<PaymentsSweepJob>): Promise<SweepSummary> {
    const { sweeper } = job.data;
    const report = this.reports[sweeper];
    try {
      const summary = sweeper === VOID_RESERVATION_SWEEPER ? await this.sweepVoidReservations(job) : await this.sweepStalledRefunds(job);
      if (Object.entries(summary).some(([key, n]) => key !== 'candidates' && n > 0)) this.platform.logger.info({ sweeper, ...summary }, `${sweeper} ran`);
      report.ran(summary);
      return summary;
    } catch (error) {
      report.failed(error);
      throw error;
    }
  }

  /** Voids reserved and never recorded, older than VOID_RESERVATION_MAX_AGE_MS: completed or released from the gateway's status answer. */
  async sweepVoidReservations(job?: Job): Promise<SweepSummary> {
    const clock = { now: new Date().toISOString(), maxAgeMs: this.settings.voidReservationMaxAgeMs };
    const ids = await this.views.transactions.withVoidReserved();
    const counts = { candidates: ids.length, completed: 0, released: 0, failed: 0 };
    for (const transactionId of ids) {
      const context = systemContext(systemActor(VOID_RESERVATION_SWEEPER), `${VOID_RESERVATION_SWEEPER}:${job?.id ?? clock.now}`, null);
      try {
        const outcome = await this.commandBus.execute(new ResolveVoidReservationCommand(transactionId, clock, context));
        if (outcome === 'COMPLETED') counts.completed++;
        if (outcome === 'RELEASED') counts.released++;
        if (outcome !== 'NONE') this.platform.logger.warn({ transactionId, outcome }, 'void reservation left behind: resolved from the gateway status');
      } catch (error) {
        counts.failed++;
        this.platform.logger.error({ err: error, transactionId }, 'void-reservation sweep of a charge failed');
      }
    }
    return counts;
  }

  /** Refunds stalled before their first gateway attempt: resumed under their first reference. */
  async sweepStalledRefunds(job?: Job): Promise<SweepSummary> {
    const clock = stallClockOf(this.settings);
    const pending = await this.views.transactions.refundsByStatus('PENDING');
    const transactionIds = [...new Set(pending.map((refund) => refund.transactionId))];
    const counts = { candidates: pending.length, resumed: 0, failed: 0 };
    for (const transactionId of transactionIds) {
      const { state } = await this.transactions.load(transactionId);
      for (const refundId of stalledRefundsToResume(state, clock)) {
        // one key per refund: two instances resuming it at once append its attempt once
        const context = systemContext(systemActor(STALLED_REFUND_SWEEPER), `${STALLED_REFUND_SWEEPER}:${job?.id ?? clock.now}`, null, `${STALLED_REFUND_SWEEPER}:${refundId}`);
        try {
          const outcome = await this.commandBus.execute(ReverseChargeCommand.resumeRefund(transactionId, refundId, context));
          counts.resumed++;
          this.platform.logger.warn({ transactionId, refundId, status: outcome.status }, 'stalled refund resumed');
        } catch (error) {
          counts.failed++;
          this.platform.logger.error({ err: error, transactionId, refundId }, 'stalled-refund sweep of a refund failed');
        }
      }
    }
    return counts;
  }
}
