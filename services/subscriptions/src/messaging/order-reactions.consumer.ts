import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CampaignCreated, EnvelopeOf, OrderEvent, RebillOrderReported, RebillRefused, Topics } from '@continuum/contracts';
import { eventHandlers, Platform, reactionContext, runReactionWork } from '@continuum/platform';
import { PurchaseAggregate } from '../commands';
import { onOrderEvent } from '../domain';
import { SUBSCRIPTIONS_SETTINGS, SubscriptionsSettings } from '../subscriptions-settings';
import { CampaignCatalog, PurchasesView } from '../views';

/** Consumer group on orders.events.v1 that turns orders' events into purchase work. */
export const ORDER_REACTIONS_GROUP = 'order-reactions';

/**
 * orders.events.v1 -> purchases; the rules are `onOrderEvent` (domain). Also feeds the campaign catalog
 * read model (CampaignCreated: offers and order limits). Events of one order share a partition, so a rebill
 * order's OrderPlaced is recorded before its completion is read.
 */
@Injectable()
export class OrderReactionsConsumer implements OnModuleInit {
  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(PurchaseAggregate) private readonly aggregate: PurchaseAggregate,
    @Inject(PurchasesView) private readonly purchases: PurchasesView,
    @Inject(CampaignCatalog) private readonly catalog: CampaignCatalog,
    @Inject(SUBSCRIPTIONS_SETTINGS) private readonly settings: SubscriptionsSettings,
  ) {}

  onModuleInit(): void {
    const react = (event: EnvelopeOf<OrderEvent | RebillRefused | RebillOrderReported>) => this.react(event);
    this.platform.consumer({
      groupId: ORDER_REACTIONS_GROUP,
      topics: [Topics.ordersEvents],
      handlers: eventHandlers<OrderEvent | CampaignCreated | RebillRefused | RebillOrderReported>({
        CampaignCreated: (event) => this.catalog.apply(event),
        OrderCompleted: react,
        OrderApproved: react,
        OrderPlaced: react,
        OrderCancelled: react,
        OrderDeclined: react,
        RebillRefused: react,
        RebillOrderReported: react,
      }),
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
    const purchases = concernsPurchases ? await this.purchases.ofOrder(event.data.orderId) : [];
    const state = { timeZone: this.settings.timeZone, monthlyIntervalDays: this.settings.monthlyIntervalDays, purchases, occurredAt: event.occurredAt };
    const work = onOrderEvent({ type: event.type, data: event.data, eventId: event.eventId } as Parameters<typeof onOrderEvent>[0], state);
    await runReactionWork(this.aggregate.streamWork(work), reactionContext(ORDER_REACTIONS_GROUP, event));
  }
}
