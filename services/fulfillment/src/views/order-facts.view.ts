import { Inject, Injectable } from '@nestjs/common';
import { EnvelopeOf } from '@continuum/contracts';
import { Platform, ViewDefinition, ViewStore } from '@continuum/platform';
import { NO_ORDER_FACTS, OrderFacts, OrderFactsEvent, evolveOrderFacts } from '../domain';

/**
 * What an export needs to know of an order from orders' and payments' events, one document per
 * order (`view_order_facts`): whether it waits in QA (OrderSentToQa until OrderApproved) and whether
 * it was paid with a test card on a live gateway (PaymentApproved). The events come from the order's
 * stream and its transactions' streams; each stream's version guards its own events, so a
 * redelivery changes nothing and one topic's event never overwrites another's.
 */
export const orderFactsViewDefinition: ViewDefinition<OrderFacts, OrderFactsEvent> = {
  name: 'order_facts',
  // fed by the order-facts consumer (applyEvent), which picks the events: the prefix is not consulted
  streamPrefix: '',
  documentId: (event) => (event.data as { orderId: string }).orderId,
  initial: () => NO_ORDER_FACTS,
  evolve: (facts, event) => evolveOrderFacts(facts, event),
};

/** The order facts read model: fed by the order-facts consumer, read by export runs. */
@Injectable()
export class OrderFactsView {
  private readonly store: ViewStore<OrderFacts, OrderFactsEvent>;

  constructor(@Inject(Platform) platform: Platform) {
    this.store = platform.readModel(orderFactsViewDefinition);
  }

  /** What is known of the order; nothing known yet: not in QA, no test card. */
  async order(orderId: string): Promise<OrderFacts> {
    return (await this.store.get(orderId)) ?? NO_ORDER_FACTS;
  }

  /** Applies one event of orders or payments (the same event twice changes nothing). */
  async apply(event: EnvelopeOf<OrderFactsEvent>): Promise<void> {
    await this.store.applyEvent(event);
  }
}
