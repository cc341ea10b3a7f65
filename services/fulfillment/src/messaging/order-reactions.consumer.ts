import { Inject } from '@nestjs/common';
import { EnvelopeOf, OrderEvent, PaymentsEvent, Topics, assertNever } from '@continuum/contracts';
import { DeclaredConsumer, EventConsumer, eventHandlers, MessageHandler, onStream, ReactionWork, reactionContext, runReactionWork } from '@continuum/platform';
import { FulfillmentAggregate } from '../commands';
import { FulfillmentWork, OrderReactionEvent, onOrderEvent } from '../domain';
import { FulfillmentViews } from '../views';

export const ORDER_REACTIONS_GROUP = 'order-reactions';

/**
 * orders.events.v1 and payments.events.v1 -> fulfillments: an order that may ship gets its
 * fulfillment, a cancelled order (or a refund/void with auto-cancel) cancels the unshipped ones, an
 * upsell joins the fulfillment still in HOLD or ships on its own (a declined one leaves again).
 * The rule is `onOrderEvent` (domain); this looks up the order's fulfillments and hands the work to
 * `runReactionWork`: one `react()` commit per fulfillment under this event's key. A fulfillment that
 * shipped after the look-up is left as it is by the decider (`CancelIfUnshipped`).
 */
@EventConsumer({ groupId: ORDER_REACTIONS_GROUP, topics: [Topics.ordersEvents, Topics.paymentsEvents] })
export class OrderReactionsConsumer implements DeclaredConsumer {
  constructor(
    @Inject(FulfillmentAggregate) private readonly fulfillments: FulfillmentAggregate,
    @Inject(FulfillmentViews) private readonly views: FulfillmentViews,
  ) {}

  handlers(): Record<string, MessageHandler> {
    const react = (event: EnvelopeOf<OrderReactionEvent>) => this.react(event);
    return {
      ...eventHandlers<OrderEvent>({ OrderCompleted: react, OrderAwaitingCod: react, OrderApproved: react, OrderCancelled: react, UpsellAdded: react, UpsellDeclined: react }),
      ...eventHandlers<PaymentsEvent>({ ChargeVoided: react, RefundSucceeded: react }),
    };
  }

  private async react(event: EnvelopeOf<OrderReactionEvent>): Promise<void> {
    const work = onOrderEvent({ ...event, eventId: event.eventId } as never, await this.views.fulfillments.ofOrder(event.data.orderId));
    await runReactionWork(work.map((item) => this.toWork(item)), reactionContext(ORDER_REACTIONS_GROUP, event));
  }

  private toWork(item: FulfillmentWork): ReactionWork {
    switch (item.type) {
      case 'CreateFulfillment':
        return onStream(this.fulfillments, item.data.fulfillmentId, { type: 'CreateFulfillment', data: item.data });
      case 'CancelIfUnshipped':
        return onStream(this.fulfillments, item.data.fulfillmentId, { type: 'CancelIfUnshipped', data: { reason: item.data.reason } });
      case 'AddFulfillmentItems':
        return onStream(this.fulfillments, item.data.fulfillmentId, { type: 'AddFulfillmentItems', data: { orderItemId: item.data.orderItemId, items: item.data.items } });
      case 'RemoveFulfillmentItems':
        return onStream(this.fulfillments, item.data.fulfillmentId, { type: 'RemoveFulfillmentItems', data: { orderItemId: item.data.orderItemId } });
      default:
        return assertNever(item, 'fulfillment work');
    }
  }
}
