import { Inject, Injectable } from '@nestjs/common';
import { Job } from 'bullmq';
import { DomainError, systemActor } from '@continuum/contracts';
import { ScheduledBy, jobId, serviceQueue, systemContext } from '@continuum/platform';
import { PurchaseAggregate } from '../commands';

/** Recycle-billing retries, queue `recycle-retries`. */
export const RECYCLE_QUEUE = 'recycle-retries';

/** One recycle retry of a purchase's cycle; scheduled by its PurchaseRecycleScheduled. */
export interface RecycleJob extends ScheduledBy {
  readonly purchaseId: string;
  readonly billingCycle: number;
  readonly retry: number;
}

/** One delayed job per scheduled retry (PurchaseRecycleScheduled.retryAt); the job id makes a re-add harmless. */
@Injectable()
export class RecycleQueue extends serviceQueue<RecycleJob>(RECYCLE_QUEUE) {
  @Inject(PurchaseAggregate) private readonly purchases!: PurchaseAggregate;

  async schedule(job: RecycleJob, delayMs: number): Promise<void> {
    await this.bullQueue.add('retry', job, {
      jobId: jobId('recycle', job.purchaseId, job.billingCycle, job.retry),
      delay: Math.max(0, delayMs),
      attempts: 8,
      backoff: { type: 'exponential', delay: 2_000 },
    });
  }

  /** A retry came due: bill the soft-declined cycle again. True when a bill was requested. */
  protected async process(job: Job<RecycleJob>): Promise<boolean> {
    const { purchaseId, billingCycle, retry, correlationId, causationId } = job.data;
    const context = systemContext(systemActor('recycle-billing'), correlationId, causationId, `recycle:${purchaseId}:${billingCycle}:${retry}`);
    try {
      const { events } = await this.purchases.run(purchaseId, { type: 'RetryBill', data: { billingCycle, retry } }, context);
      return events.length > 0;
    } catch (error) {
      // the purchase moved on (reactivated, cancelled, billed by a rerun): the retry has nothing to do
      if (!(error instanceof DomainError)) throw error;
      this.platform.logger.info({ purchaseId, billingCycle, retry, code: error.code }, 'recycle retry not needed');
      return false;
    }
  }
}
