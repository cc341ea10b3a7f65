import { Inject } from '@nestjs/common';
import { CampaignCreated, EnvelopeOf, OrderEvent, OrderPlaced, RebillOrderReported, RebillRefused, Topics } from '@continuum/contracts';
import { DeclaredConsumer, EventConsumer, eventHandlers, MessageHandler, reactionContext, RetryLaterError, runReactionWork, stepContext } from '@continuum/platform';
import { PurchaseAggregate } from '../commands';
import { exists, keptOutcomesWait, knowsRebillOrder, onOrderEvent, onRebillOrderRecorded } from '../domain';
import { SUBSCRIPTIONS_SETTINGS, SubscriptionsSettings } from '../subscriptions-settings';
import { SubscriptionsViews } from '../views';

/** Consumer group on orders.events.v1 that turns orders' events into purchase work. */
export const ORDER_REACTIONS_GROUP = 'order-reactions';

/** How long the kept outcomes of a recorded rebill order wait for the purchases view to show the record before a wait counts as a failure. */
const VIEW_WAIT_MS = 60_000;

/**
 * orders.events.v1 -> purchases; the rules are `onOrderEvent` (domain). Also feeds the campaign catalog
 * read model (CampaignCreated: offers and order limits) and the placing times of new orders (OrderPlaced).
 * Events of one order share a partition, so an order's OrderPlaced is recorded (a rebill order's on its
 * purchase, a new order's placing time) before its completion is read.
 */
@EventConsumer({ groupId: ORDER_REACTIONS_GROUP, topics: [Topics.ordersEvents] })
export class OrderReactionsConsumer implements DeclaredConsumer {
  constructor(
    @Inject(PurchaseAggregate) private readonly purchases: PurchaseAggregate,
    @Inject(SubscriptionsViews) private readonly views: SubscriptionsViews,
    @Inject(SUBSCRIPTIONS_SETTINGS) private readonly settings: SubscriptionsSettings,
  ) {}

  handlers(): Record<string, MessageHandler> {
    const react = (event: EnvelopeOf<OrderEvent | RebillRefused | RebillOrderReported>) => this.react(event);
    return eventHandlers<OrderEvent | CampaignCreated | RebillRefused | RebillOrderReported>({
      CampaignCreated: (event) => this.views.catalog.apply(event),
      OrderCompleted: react,
      OrderApproved: react,
      OrderPlaced: async (event) => {
        await this.views.placedOrders.apply(event as EnvelopeOf<OrderPlaced>);
        await react(event);
      },
      OrderCancelled: react,
      OrderDeclined: react,
      RebillRefused: react,
      RebillOrderReported: react,
    });
  }

  private async react(event: EnvelopeOf<OrderEvent | RebillRefused | RebillOrderReported>): Promise<void> {
    // only a cancellation, a QA decline and a rebill order's completion or approval concern existing purchases
    // (RebillRefused names its purchase): no read for the others
    const concernsPurchases =
      event.type === 'OrderCancelled' ||
      event.type === 'RebillOrderReported' ||
      (event.type === 'OrderDeclined' && event.data.source === 'QA') ||
      ((event.type === 'OrderCompleted' || event.type === 'OrderApproved') && event.data.rebill !== undefined);
    const purchases = concernsPurchases ? await this.views.purchases.ofOrder(event.data.orderId) : [];
    // a new order's completion or QA approval starts its purchases, which the reaction dates from when the order was placed
    const startsPurchases = (event.type === 'OrderCompleted' || event.type === 'OrderApproved') && event.data.rebill === undefined;
    const placedAt = startsPurchases ? await this.views.placedOrders.placedAt(event.data.orderId) : undefined;
    const state = { timeZone: this.settings.timeZone, monthlyIntervalDays: this.settings.monthlyIntervalDays, purchases, occurredAt: event.occurredAt, ...(placedAt ? { placedAt } : {}) };
    const work = onOrderEvent({ type: event.type, data: event.data, eventId: event.eventId } as Parameters<typeof onOrderEvent>[0], state);
    await runReactionWork(this.purchases.streamWork(work), reactionContext(ORDER_REACTIONS_GROUP, event));
    if (event.type === 'OrderPlaced' && event.data.rebill !== undefined) await this.keptOutcomes(event);
  }

  /**
   * The rebill order is recorded on its purchase: the outcomes of its charge that payment-reactions
   * read first and kept are decided now, under a step key of their own, once the purchases view
   * shows the record (`keptOutcomesWait`; a command waits for its views at most 5 s, a slow relay
   * can take longer).
   */
  private async keptOutcomes(event: EnvelopeOf<OrderPlaced>): Promise<void> {
    const orderId = event.data.orderId;
    const outcomes = await this.views.rebillOutcomes.ofOrder(orderId);
    if (outcomes.length === 0) return;
    const purchases = await this.views.purchases.ofOrder(orderId);
    if (!knowsRebillOrder(purchases, orderId)) {
      const { state } = await this.purchases.load(event.data.rebill!.purchaseId);
      if (keptOutcomesWait(false, exists(state) && knowsRebillOrder([state], orderId))) {
        // retried (the record again changes nothing) without spending attempts until the view shows it
        throw new RetryLaterError(`the purchases view does not show rebill order ${orderId} yet: its kept outcomes wait for it`, new Date(Date.now() + VIEW_WAIT_MS));
      }
    }
    const work = onRebillOrderRecorded(outcomes, { purchases, recycleDelaysMs: this.settings.recycleDelaysMs });
    await runReactionWork(this.purchases.streamWork(work), stepContext(reactionContext(ORDER_REACTIONS_GROUP, event), 'kept-rebill-outcomes'));
    await this.views.rebillOutcomes.forget(event.data.orderId);
  }
}
