import { Inject } from '@nestjs/common';
import { CampaignCreated, EnvelopeOf, OrderEvent, OrderPlaced, RebillOrderReported, RebillRefused, Topics } from '@continuum/contracts';
import { DeclaredConsumer, EventConsumer, eventHandlers, MessageHandler, reactionContext, RetryLaterError, runReactionWork, stepContext } from '@continuum/platform';
import { PurchaseAggregate } from '../commands';
import { exists, keptOutcomesWait, knowsRebillOrder, onOrderEvent, onRebillOrderRecorded } from '../domain';
import { SUBSCRIPTIONS_SETTINGS, SubscriptionsSettings } from '../subscriptions-settings';
import { SubscriptionsViews } from '../views';

/** Consumer group on orders.events.v1 that turns orders' events into purchase work. */
export const ORDER_REACTIONS_GROUP = 'order-reactions';

/** How long (from the first try) a recorded rebill order waits for the purchases view to show the record before the wait counts as a failure. */
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
   * The rebill order is recorded on its purchase: once the purchases view shows the record, the
   * outcomes of its charge that payment-reactions read first and kept are decided now, under a step
   * key of their own. The view first, then the kept outcomes: payment-reactions keeps an outcome and
   * then looks in that view, so one of the two always sees the other's write. A command waits at
   * most 5 s for its views and a slow relay can take longer, so the record waits for the view here
   * (`keptOutcomesWait`, up to VIEW_WAIT_MS from the first try, no attempt spent).
   */
  private async keptOutcomes(event: EnvelopeOf<OrderPlaced>): Promise<void> {
    const orderId = event.data.orderId;
    const purchases = await this.views.purchases.ofOrder(orderId);
    const shown = knowsRebillOrder(purchases, orderId);
    // the stream is read only when the view does not show the record: recorded there, or refused
    const recorded = shown || (await this.recordedOnStream(event.data.rebill!.purchaseId, orderId));
    if (keptOutcomesWait(shown, recorded)) {
      // retried (the record again changes nothing) until the view shows it
      throw new RetryLaterError(`the purchases view does not show rebill order ${orderId} yet: its kept outcomes wait for it`, VIEW_WAIT_MS);
    }
    const outcomes = await this.views.rebillOutcomes.ofOrder(orderId);
    if (outcomes.length === 0) return;
    const work = onRebillOrderRecorded(outcomes, { purchases, recycleDelaysMs: this.settings.recycleDelaysMs });
    await runReactionWork(this.purchases.streamWork(work), stepContext(reactionContext(ORDER_REACTIONS_GROUP, event), 'kept-rebill-outcomes'));
    await this.views.rebillOutcomes.forget(event.data.orderId);
  }

  /** Whether the purchase's stream (not its view) has recorded `orderId` as the order of a bill. */
  private async recordedOnStream(purchaseId: string, orderId: string): Promise<boolean> {
    const { state } = await this.purchases.load(purchaseId);
    return exists(state) && knowsRebillOrder([state], orderId);
  }
}
