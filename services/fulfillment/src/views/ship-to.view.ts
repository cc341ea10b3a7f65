import { Inject, Injectable } from '@nestjs/common';
import { EnvelopeOf } from '@continuum/contracts';
import { Platform, ViewDefinition, ViewStore } from '@continuum/platform';
import { CustomerFactsEvent, ShipToFacts, evolveShipTo } from '../domain';

/**
 * Who to ship to when an order names no address, from customers' events, one document per customer
 * (`view_ship_to`): the name and the shipping and billing addresses (CustomerRegistered,
 * CustomerUpdated). Null until the customer's registration arrived. The customer's stream version
 * guards the document, so a redelivery changes nothing.
 */
export const shipToViewDefinition: ViewDefinition<ShipToFacts | null, CustomerFactsEvent> = {
  name: 'ship_to',
  // fed by the order-facts consumer (applyEvent), which picks the events: the prefix is not consulted
  streamPrefix: '',
  documentId: (event) => (event.data as { customerId: string }).customerId,
  initial: () => null,
  evolve: (facts, event) => evolveShipTo(facts, event),
};

/** The ship-to read model: fed by the order-facts consumer, read by export runs. */
@Injectable()
export class ShipToView {
  private readonly store: ViewStore<ShipToFacts | null, CustomerFactsEvent>;

  constructor(@Inject(Platform) platform: Platform) {
    this.store = platform.readModel(shipToViewDefinition);
  }

  /** The customer's name and addresses, or null while fulfillment has not seen the customer's registration. */
  async shipTo(customerId: string): Promise<ShipToFacts | null> {
    return (await this.store.get(customerId)) ?? null;
  }

  /** Applies one customer event (the same event twice changes nothing). */
  async apply(event: EnvelopeOf<CustomerFactsEvent>): Promise<void> {
    await this.store.applyEvent(event);
  }
}
