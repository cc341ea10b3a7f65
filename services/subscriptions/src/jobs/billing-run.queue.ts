import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Job } from 'bullmq';
import { systemActor } from '@continuum/contracts';
import { Platform, ServiceQueue, systemContext } from '@continuum/platform';
import { BillingRunResult, RunBillingCommand } from '../commands';
import { SUBSCRIPTIONS_SETTINGS, SubscriptionsSettings } from '../subscriptions-settings';

/** The daily rebill run, queue `billing-runs`. */
export const BILLING_RUN_QUEUE = 'billing-runs';
export const DAILY_BILLING_RUN = 'daily-billing-run';

/** `asOf`: bill what is due by then (default: when the job runs); the daily scheduler sets none. */
export type BillingRunJob = { readonly asOf?: string };

/**
 * A repeatable job (BILLING_RUN_CRON in the account time zone) that bills every purchase due by the
 * time it runs. A run retried after a crash, or overlapping another, bills nothing twice (the
 * decider and the stream version see to it); it does not wait for the outcomes.
 */
@Injectable()
export class BillingRunQueue extends ServiceQueue<BillingRunJob> implements OnApplicationBootstrap {
  constructor(
    @Inject(Platform) platform: Platform,
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(SUBSCRIPTIONS_SETTINGS) private readonly settings: SubscriptionsSettings,
  ) {
    super(platform, BILLING_RUN_QUEUE);
  }

  override onApplicationBootstrap(): void {
    super.onApplicationBootstrap();
    this.repeat(DAILY_BILLING_RUN, { pattern: this.settings.billingRunCron, tz: this.settings.timeZone }, { name: 'run', data: {}, opts: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 } } });
  }

  protected async process(job: Job<BillingRunJob>): Promise<BillingRunResult> {
    const asOf = job.data.asOf ?? new Date(job.processedOn ?? Date.now()).toISOString();
    const context = systemContext(systemActor('billing-run'), `billing-run:${job.id}`, null);
    const result = await this.commandBus.execute(new RunBillingCommand(asOf, context, 0));
    this.platform.logger.info({ ...result }, 'daily billing run');
    return result;
  }
}
