import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { SubscriptionEvent, Topics } from '@continuum/contracts';
import { eventHandlers, Platform } from '@continuum/platform';
import { RecycleQueue } from '../jobs';

export const JOB_SCHEDULER_GROUP = 'job-scheduler';

/**
 * Schedules recycle retries from the service's own published events (PurchaseRecycleScheduled ->
 * a delayed job at retryAt). Driven by the outbox, so no retry is forgotten when the process died
 * right after storing the decline; job ids are deterministic, so a re-add is harmless.
 */
@Injectable()
export class JobSchedulerConsumer implements OnModuleInit {
  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(RecycleQueue) private readonly recycle: RecycleQueue,
  ) {}

  onModuleInit(): void {
    this.platform.consumer({
      groupId: JOB_SCHEDULER_GROUP,
      topics: [Topics.subscriptionsEvents],
      handlers: eventHandlers<SubscriptionEvent>({
        PurchaseRecycleScheduled: async (envelope) => {
          const { purchaseId, billingCycle, attempt, retryAt } = envelope.data;
          await this.recycle.schedule({ purchaseId, billingCycle, retry: attempt, correlationId: envelope.correlationId, causationId: envelope.eventId }, new Date(retryAt).getTime() - Date.now());
        },
      }),
    });
  }
}
