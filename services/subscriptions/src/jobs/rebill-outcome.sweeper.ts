import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { systemActor } from '@continuum/contracts';
import { Platform, SweeperReport, systemContext } from '@continuum/platform';
import { PurchaseAggregate } from '../commands';
import { SUBSCRIPTIONS_SETTINGS, SubscriptionsSettings } from '../subscriptions-settings';
import { PurchasesView } from '../views';

export const REBILL_OUTCOME_SWEEPER = 'rebill-outcome-sweeper';

/** What one sweep did: bills in flight looked at, and those asked for again. */
export interface RebillSweepResult {
  readonly inFlight: number;
  readonly askedAgain: number;
  readonly failed: number;
}

/**
 * No bill stays in flight for good: at start and every REBILL_OUTCOME_TIMEOUT_MS, every purchase with
 * a bill in flight is given `RequestRebillAgain` (the rule is the decider's): a bill requested at
 * least that long ago with no order recorded (orders never answered, e.g. a request it dead-lettered
 * before it answered refusals) is requested again as the same request, which orders answers with the
 * order it placed for it (nothing new) or places it now, or refuses it (RebillRefused). A bill whose
 * order is recorded waits for that order's outcome. Several instances sweeping at once decide on the
 * stream, so a bill is asked for again once.
 */
@Injectable()
export class RebillOutcomeSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private running?: Promise<RebillSweepResult>;
  private report?: SweeperReport;

  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(PurchaseAggregate) private readonly aggregate: PurchaseAggregate,
    @Inject(PurchasesView) private readonly purchases: PurchasesView,
    @Inject(SUBSCRIPTIONS_SETTINGS) private readonly settings: SubscriptionsSettings,
  ) {}

  onApplicationBootstrap(): void {
    // GET /ops and /metrics show its last run
    this.report = this.platform.ops.sweepers.register(REBILL_OUTCOME_SWEEPER);
    void this.sweepLogged();
    this.timer = setInterval(() => void this.sweepLogged(), this.settings.rebillOutcomeTimeoutMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One sweep (one at a time in this process). */
  sweep(): Promise<RebillSweepResult> {
    this.running ??= this.sweepOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async sweepOnce(): Promise<RebillSweepResult> {
    const ids = await this.purchases.withBillInFlight();
    const sweepId = new Date().toISOString();
    let askedAgain = 0;
    let failed = 0;
    for (const purchaseId of ids) {
      const context = systemContext(systemActor(REBILL_OUTCOME_SWEEPER), `${REBILL_OUTCOME_SWEEPER}:${sweepId}`, null);
      try {
        const result = await this.aggregate.run(purchaseId, { type: 'RequestRebillAgain', data: { timeoutMs: this.settings.rebillOutcomeTimeoutMs } }, context);
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

  private async sweepLogged(): Promise<void> {
    try {
      const result = await this.sweep();
      if (result.askedAgain > 0 || result.failed > 0) this.platform.logger.info({ ...result }, 'rebill-outcome sweep');
      this.report?.ran({ ...result });
    } catch (error) {
      this.platform.logger.error({ err: error }, 'rebill-outcome sweep failed');
      this.report?.failed(error);
    }
  }
}
