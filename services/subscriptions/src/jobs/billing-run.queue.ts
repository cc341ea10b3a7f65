import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Job } from 'bullmq';
import { systemActor } from '@continuum/contracts';
import { CommandContext, dueTime, RunJob, runQueue, RunReporter, systemContext } from '@continuum/platform';
import { BillingRunResult, RunBillingCommand } from '../commands';
import { SUBSCRIPTIONS_SETTINGS, SubscriptionsSettings } from '../subscriptions-settings';

/** The rebill runs, queue `billing-runs`: the daily one and those POST /billing-runs queues with Prefer: respond-async. */
export const BILLING_RUN_QUEUE = 'billing-runs';
export const DAILY_BILLING_RUN = 'daily-billing-run';

/** `asOf`: bill what is due by then; `waitMs`: how long the run waits for the outcomes of its bills. */
export interface BillingRunInput {
  readonly asOf: string;
  readonly waitMs: number;
}
/** A scheduled (or hand-added) job may name `asOf`: bill what is due by then (default: when the job was due, the same on every try: `dueTime`). */
export type BillingRunJob = RunJob<BillingRunInput> & { readonly asOf?: string };

/**
 * A repeatable job (BILLING_RUN_CRON in the account time zone) that bills every purchase due by the
 * time it was scheduled for (it does not wait for the outcomes), and the runs asked for over HTTP with Prefer:
 * respond-async (as the synchronous call: asOf from the body, waiting BILLING_RUN_WAIT_MS). A run
 * retried after a crash, or overlapping another, bills nothing twice (the decider, the stream version
 * and the items' keys, run id + purchase id, see to it). Every run is recorded in `runs` (RunQueue).
 */
@Injectable()
export class BillingRunQueue extends runQueue<BillingRunInput, BillingRunResult, BillingRunJob>(BILLING_RUN_QUEUE, 'billing', { backoffMs: 60_000 }) implements OnApplicationBootstrap {
  @Inject(CommandBus) private readonly commandBus!: CommandBus;
  @Inject(SUBSCRIPTIONS_SETTINGS) private readonly settings!: SubscriptionsSettings;

  override onApplicationBootstrap(): void {
    super.onApplicationBootstrap();
    this.repeat(DAILY_BILLING_RUN, { pattern: this.settings.billingRunCron, tz: this.settings.timeZone }, { name: 'run', data: {}, opts: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 } } });
  }

  protected perform(input: BillingRunInput, context: CommandContext, run: RunReporter): Promise<BillingRunResult> {
    const pacing = { window: this.settings.billingRunWindow, holdMs: this.settings.billingRunHoldMs };
    return this.commandBus.execute(new RunBillingCommand(input.asOf, context, input.waitMs, run, pacing));
  }

  protected scheduled(job: Job<BillingRunJob>): { input: BillingRunInput; context: CommandContext } {
    const asOf = job.data.asOf ?? dueTime(job);
    return { input: { asOf, waitMs: 0 }, context: systemContext(systemActor('billing-run'), `billing-run:${job.id}`, null) };
  }
}
