import { Inject } from '@nestjs/common';
import { CampaignCreated, CustomerEvent, OrderEvent, PaymentsEvent, Topics } from '@continuum/contracts';
import { DeclaredConsumer, EventConsumer, eventHandlers, MessageHandler } from '@continuum/platform';
import { FulfillmentViews } from '../views';

/**
 * The consumer group that fills the order facts and ship-to read models. Named for the read models
 * it fills, not the collections it used to write: a group new to Kafka reads its topics from the
 * beginning, so these read models fill with what the topics still hold.
 */
export const ORDER_FACTS_GROUP = 'order-facts-views';

/**
 * Keeps what an export needs from other services (`evolveOrderFacts`, `evolveShipTo` in domain):
 * QA holds (OrderSentToQa until OrderApproved), a test card on a live gateway (PaymentApproved), and
 * the customer's name and addresses (CustomerRegistered, CustomerUpdated); and, for a reship with
 * corrected items, each campaign's order limits (CampaignCreated). Each event is applied to
 * its read model under the per-stream version guard, which makes redeliveries harmless (no
 * handled-events record).
 */
@EventConsumer({ groupId: ORDER_FACTS_GROUP, topics: [Topics.ordersEvents, Topics.paymentsEvents, Topics.customersEvents], dedup: false })
export class OrderFactsConsumer implements DeclaredConsumer {
  constructor(@Inject(FulfillmentViews) private readonly views: FulfillmentViews) {}

  handlers(): Record<string, MessageHandler> {
    return {
      ...eventHandlers<OrderEvent | CampaignCreated>({
        OrderSentToQa: (event) => this.views.orderFacts.apply(event),
        OrderApproved: (event) => this.views.orderFacts.apply(event),
        CampaignCreated: (event) => this.views.campaignLimits.apply(event),
      }),
      ...eventHandlers<PaymentsEvent>({
        PaymentApproved: (event) => this.views.orderFacts.apply(event),
      }),
      ...eventHandlers<CustomerEvent>({
        CustomerRegistered: (event) => this.views.shipTo.apply(event),
        CustomerUpdated: (event) => this.views.shipTo.apply(event),
      }),
    };
  }
}
