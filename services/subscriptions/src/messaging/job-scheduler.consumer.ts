import { Inject } from '@nestjs/common';
import { EnvelopeOf, PurchaseRebillOrderPlaced, PurchaseStarted, SubscriptionEvent, Topics } from '@continuum/contracts';
import { DeclaredConsumer, EventConsumer, eventHandlers, MessageHandler, reactionContext, runReactionWork } from '@continuum/platform';
import { PurchaseAggregate } from '../commands';
import { onOrderLearned } from '../domain';
import { RecycleQueue } from '../jobs';
import { SubscriptionsViews } from '../views';

export const JOB_SCHEDULER_GROUP = 'job-scheduler';

/**
 * Follows the service's own published events: PurchaseRecycleScheduled -> a delayed recycle job at
 * retryAt (driven by the outbox, so no retry is forgotten when the process died right after storing
 * the decline; job ids are deterministic, so a re-add is harmless); PurchaseStarted and
 * PurchaseRebillOrderPlaced -> the fulfillments of that order seen before (`onOrderLearned`).
 */
@EventConsumer({ groupId: JOB_SCHEDULER_GROUP, topics: [Topics.subscriptionsEvents] })
export class JobSchedulerConsumer implements DeclaredConsumer {
  constructor(
    @Inject(RecycleQueue) private readonly recycle: RecycleQueue,
    @Inject(SubscriptionsViews) private readonly views: SubscriptionsViews,
    @Inject(PurchaseAggregate) private readonly purchases: PurchaseAggregate,
  ) {}

  handlers(): Record<string, MessageHandler> {
    return eventHandlers<SubscriptionEvent>({
      PurchaseStarted: (envelope) => this.orderLearned(envelope),
      PurchaseRebillOrderPlaced: (envelope) => this.orderLearned(envelope),
      PurchaseRecycleScheduled: async (envelope) => {
        const { purchaseId, billingCycle, attempt, retryAt } = envelope.data;
        await this.recycle.schedule({ purchaseId, billingCycle, retry: attempt, correlationId: envelope.correlationId, causationId: envelope.eventId }, new Date(retryAt).getTime() - Date.now());
      },
    });
  }

  private async orderLearned(event: EnvelopeOf<PurchaseStarted | PurchaseRebillOrderPlaced>): Promise<void> {
    const fulfillments = await this.views.orderFulfillments.ofOrder(event.data.orderId);
    if (fulfillments.length === 0) return;
    const work = onOrderLearned({ type: event.type, data: event.data, eventId: event.eventId } as Parameters<typeof onOrderLearned>[0], fulfillments);
    await runReactionWork(this.purchases.streamWork(work), reactionContext(JOB_SCHEDULER_GROUP, event));
  }
}
