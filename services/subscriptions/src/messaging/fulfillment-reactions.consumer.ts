import { Inject } from '@nestjs/common';
import { EnvelopeOf, FulfillmentEvent, Topics } from '@continuum/contracts';
import { DeclaredConsumer, EventConsumer, eventHandlers, MessageHandler, reactionContext, runReactionWork } from '@continuum/platform';
import { PurchaseAggregate } from '../commands';
import { onFulfillmentEvent } from '../domain';
import { SubscriptionsViews } from '../views';

export const FULFILLMENT_REACTIONS_GROUP = 'fulfillment-reactions';

/** fulfillment.events.v1 -> the fulfillments on the purchase profile; the rule is `onFulfillmentEvent` (domain). */
@EventConsumer({ groupId: FULFILLMENT_REACTIONS_GROUP, topics: [Topics.fulfillmentEvents] })
export class FulfillmentReactionsConsumer implements DeclaredConsumer {
  constructor(
    @Inject(PurchaseAggregate) private readonly purchases: PurchaseAggregate,
    @Inject(SubscriptionsViews) private readonly views: SubscriptionsViews,
  ) {}

  handlers(): Record<string, MessageHandler> {
    const react = (event: EnvelopeOf<FulfillmentEvent>) => this.react(event);
    return eventHandlers<FulfillmentEvent>({
      FulfillmentCreated: react,
      FulfillmentExported: react,
      FulfillmentShipped: react,
      FulfillmentDelivered: react,
      FulfillmentCancelled: react,
    });
  }

  private async react(event: EnvelopeOf<FulfillmentEvent>): Promise<void> {
    // kept first, so a purchase that learns this order later still finds its fulfillment
    await this.views.orderFulfillments.apply(event);
    const purchases = await this.views.purchases.ofOrder(event.data.orderId);
    if (purchases.length === 0) return;
    const work = onFulfillmentEvent({ type: event.type, data: event.data, eventId: event.eventId } as Parameters<typeof onFulfillmentEvent>[0], purchases);
    await runReactionWork(this.purchases.streamWork(work), reactionContext(FULFILLMENT_REACTIONS_GROUP, event));
  }
}
