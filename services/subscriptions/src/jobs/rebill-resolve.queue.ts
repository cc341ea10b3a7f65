import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Job } from 'bullmq';
import { systemActor } from '@continuum/contracts';
import { serviceQueue, SweeperReport, systemContext } from '@continuum/platform';
import { RebillResolution, ResolveRebillCommand } from '../commands';
import { SUBSCRIPTIONS_SETTINGS, SubscriptionsSettings } from '../subscriptions-settings';
import { SubscriptionsViews } from '../views';

/** The rebill-resolve sweeper's scheduled job, queue `rebill-resolve`. */
export const REBILL_RESOLVE_QUEUE = 'rebill-resolve';
/** The sweeper's name on GET /ops and /metrics. */
export const REBILL_RESOLVE_SWEEPER = 'rebill-resolve-sweeper';

/** What one sweep did: bills in flight looked at, what was recorded for them, those that failed. */
export interface RebillResolveSweep {
  readonly inFlight: number;
  readonly billed: number;
  readonly declined: number;
  readonly dueAgain: number;
  readonly askedAgain: number;
  readonly failed: number;
}

/**
 * The rebill-resolve sweeper: a BullMQ job scheduler (one schedule whatever the number of instances)
 * every REBILL_RESOLVE_INTERVAL_MS. Each purchase with a bill in flight for longer than
 * REBILL_RESOLVE_AFTER_MS gets ResolveRebillCommand: with its rebill order recorded, payments is asked
 * for the order's charge status and the answer recorded (billed, declined, due again); without one,
 * orders is asked again as the same request. Each run is reported to the ops registry (GET /ops
 * `sweepers`, /metrics `sweeper_runs`); one purchase that fails (payments away) is counted and logged,
 * and tried again at the next run.
 */
@Injectable()
export class RebillResolveQueue extends serviceQueue<Record<string, never>>(REBILL_RESOLVE_QUEUE) {
  @Inject(CommandBus) private readonly commandBus!: CommandBus;
  @Inject(SubscriptionsViews) private readonly views!: SubscriptionsViews;
  @Inject(SUBSCRIPTIONS_SETTINGS) private readonly settings!: SubscriptionsSettings;
  private readonly report: SweeperReport = this.platform.ops.sweepers.register(REBILL_RESOLVE_SWEEPER);

  override onApplicationBootstrap(): void {
    super.onApplicationBootstrap();
    this.repeat(REBILL_RESOLVE_SWEEPER, { every: this.settings.rebillResolveIntervalMs }, { name: REBILL_RESOLVE_SWEEPER, data: {}, opts: { attempts: 1, removeOnComplete: 100, removeOnFail: 500 } });
  }

  protected async process(job: Job<Record<string, never>>): Promise<RebillResolveSweep> {
    try {
      const result = await this.sweep(job.id ?? 'now');
      if (result.failed > 0 || result.billed + result.declined + result.dueAgain + result.askedAgain > 0) this.platform.logger.info({ ...result }, 'rebill-resolve sweep');
      this.report.ran({ ...result });
      return result;
    } catch (error) {
      this.report.failed(error);
      throw error;
    }
  }

  private async sweep(runId: string): Promise<RebillResolveSweep> {
    const clock = { now: new Date().toISOString(), afterMs: this.settings.rebillResolveAfterMs };
    const ids = await this.views.purchases.withBillInFlight();
    const counts = { inFlight: ids.length, billed: 0, declined: 0, dueAgain: 0, askedAgain: 0, failed: 0 };
    const tally: Partial<Record<RebillResolution['outcome'], keyof typeof counts>> = { BILLED: 'billed', DECLINED: 'declined', DUE_AGAIN: 'dueAgain', ASKED_AGAIN: 'askedAgain' };
    for (const purchaseId of ids) {
      const context = systemContext(systemActor(REBILL_RESOLVE_SWEEPER), `${REBILL_RESOLVE_SWEEPER}:${runId}`, null);
      try {
        const resolution: RebillResolution = await this.commandBus.execute(new ResolveRebillCommand(purchaseId, context, clock));
        const counted = tally[resolution.outcome];
        if (counted) {
          counts[counted]++;
          this.platform.logger.warn({ purchaseId, orderId: resolution.orderId, outcome: resolution.outcome, chargeStatus: resolution.chargeStatus?.status }, 'rebill outcome never came: resolved');
        }
      } catch (error) {
        counts.failed++;
        this.platform.logger.error({ err: error, purchaseId }, 'rebill-resolve sweep of a purchase failed');
      }
    }
    return counts;
  }
}
