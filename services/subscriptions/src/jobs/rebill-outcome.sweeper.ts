import { Inject, Injectable } from '@nestjs/common';
import { Job } from 'bullmq';
import { systemActor } from '@continuum/contracts';
import { serviceQueue, SweeperReport, systemContext } from '@continuum/platform';
import { PurchaseAggregate } from '../commands';
import { SUBSCRIPTIONS_SETTINGS, SubscriptionsSettings } from '../subscriptions-settings';
import { PurchasesView } from '../views';

/** The rebill-outcome sweeper's scheduled job, queue `rebill-outcome`. */
export const REBILL_OUTCOME_QUEUE = 'rebill-outcome';
/** The sweeper's name on GET /ops and /metrics. */
export const REBILL_OUTCOME_SWEEPER = 'rebill-outcome-sweeper';

/** What one sweep did: bills in flight looked at, and those asked for again. */
export interface RebillSweepResult {
  readonly inFlight: number;
  readonly askedAgain: number;
  readonly failed: number;
}

/**
 * No bill stays in flight for good: a BullMQ job scheduler (one schedule whatever the number of
 * instances; its first run when the schedule is declared) every REBILL_OUTCOME_TIMEOUT_MS, and every
 * purchase with a bill in flight is given `RequestRebillAgain` (the rule is the decider's): a bill
 * requested at least that long ago with no order recorded (orders never answered, e.g. a request it
 * dead-lettered before it answered refusals) is requested again as the same request, which orders
 * answers with the order it placed for it (nothing new) or places it now, or refuses it
 * (RebillRefused). A bill whose order is recorded waits for that order's outcome. A sweep called
 * directly while a job sweeps decides on the stream too, so a bill is asked for again once. Each run
 * is reported to the ops registry (GET /ops `sweepers`, /metrics `sweeper_runs`); a purchase that
 * fails is counted, logged and tried again at the next run.
 */
@Injectable()
export class RebillOutcomeSweeper extends serviceQueue<Record<string, never>>(REBILL_OUTCOME_QUEUE) {
  @Inject(PurchaseAggregate) private readonly purchases!: PurchaseAggregate;
  @Inject(PurchasesView) private readonly readModel!: PurchasesView;
  @Inject(SUBSCRIPTIONS_SETTINGS) private readonly settings!: SubscriptionsSettings;
  private readonly report: SweeperReport = this.platform.ops.sweepers.register(REBILL_OUTCOME_SWEEPER);

  override onApplicationBootstrap(): void {
    super.onApplicationBootstrap();
    this.repeat(REBILL_OUTCOME_SWEEPER, { every: this.settings.rebillOutcomeTimeoutMs }, { name: REBILL_OUTCOME_SWEEPER, data: {}, opts: { attempts: 1, removeOnComplete: 100, removeOnFail: 500 } });
  }

  protected async process(job: Job<Record<string, never>>): Promise<RebillSweepResult> {
    try {
      const result = await this.sweep(job.id);
      if (result.askedAgain > 0 || result.failed > 0) this.platform.logger.info({ ...result }, 'rebill-outcome sweep');
      this.report.ran({ ...result });
      return result;
    } catch (error) {
      this.report.failed(error);
      throw error;
    }
  }

  /** One sweep over the bills in flight (the scheduled job's work; callable directly, as a spec does). */
  async sweep(runId: string = `now-${Date.now()}`): Promise<RebillSweepResult> {
    const ids = await this.readModel.withBillInFlight();
    let askedAgain = 0;
    let failed = 0;
    for (const purchaseId of ids) {
      const context = systemContext(systemActor(REBILL_OUTCOME_SWEEPER), `${REBILL_OUTCOME_SWEEPER}:${runId}`, null);
      try {
        const result = await this.purchases.run(purchaseId, { type: 'RequestRebillAgain', data: { timeoutMs: this.settings.rebillOutcomeTimeoutMs } }, context);
        if (result.events.length > 0) {
          askedAgain++;
          this.platform.logger.warn({ purchaseId, correlationId: context.correlationId }, 'bill in flight with no outcome: requested again');
        }
      } catch (error) {
        failed++;
        this.platform.logger.error({ err: error, purchaseId }, 'rebill-outcome sweep of a purchase failed');
      }
    }
    return { inFlight: ids.length, askedAgain, failed };
  }
}
