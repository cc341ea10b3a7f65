import { Inject, Injectable } from '@nestjs/common';
import { EnvelopeOf, FulfillmentEvent } from '@continuum/contracts';
import { Platform, ViewDefinition, ViewStore } from '@continuum/platform';
import { fulfillmentStatus } from '../domain';

/** The latest state of one fulfillment, as its events said. */
export interface FulfillmentSeen {
  readonly fulfillmentId: string;
  readonly status: string;
  readonly at: string;
  readonly trackingNumber?: string;
}

/** The fulfillments of one order, by fulfillment id. */
export type OrderFulfillments = Readonly<Record<string, FulfillmentSeen>>;

/**
 * The fulfillments of every order, one document per order (`view_order_fulfillments`), each
 * fulfillment stream's events guarded by that stream's version. Events that say nothing of a
 * fulfillment's status change nothing.
 */
export const orderFulfillmentsViewDefinition: ViewDefinition<OrderFulfillments, FulfillmentEvent> = {
  name: 'order_fulfillments',
  streamPrefix: 'fulfillment-',
  documentId: (event) => (event.data as { orderId: string }).orderId,
  initial: () => ({}),
  evolve: (fulfillments, event) => {
    const outcome = fulfillmentStatus({ type: event.type, data: event.data } as FulfillmentEvent);
    if (!outcome) return fulfillments;
    const { fulfillmentId } = event.data as { fulfillmentId: string };
    return { ...fulfillments, [fulfillmentId]: { fulfillmentId, ...outcome } };
  },
};

/**
 * A fulfillment event may be read before this service knows that its order belongs to a purchase
 * (the orders topic is read by another consumer): a purchase that learns an order later takes that
 * order's fulfillments from here.
 */
@Injectable()
export class OrderFulfillmentsView {
  private readonly view: ViewStore<OrderFulfillments, FulfillmentEvent>;

  constructor(@Inject(Platform) platform: Platform) {
    this.view = platform.readModel(orderFulfillmentsViewDefinition);
  }

  async apply(event: EnvelopeOf<FulfillmentEvent>): Promise<void> {
    await this.view.applyEvent(event);
  }

  async ofOrder(orderId: string): Promise<FulfillmentSeen[]> {
    return Object.values((await this.view.get(orderId)) ?? {});
  }
}
