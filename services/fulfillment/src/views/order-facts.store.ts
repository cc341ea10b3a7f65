import { Inject, Injectable } from '@nestjs/common';
import { mongo } from 'mongoose';
import { Platform } from '@continuum/platform';
import { CustomerFactsEvent, NO_ORDER_FACTS, OrderFacts, OrderFactsEvent, ShipToFacts, evolveOrderFacts, evolveShipTo } from '../domain';

interface OrderFactsDocument extends OrderFacts {
  _id: string;
}
interface ShipToDocument extends ShipToFacts {
  _id: string;
}

/**
 * What fulfillment remembers of other services' records, by `_id`: per order whether it waits in QA
 * or was paid with a test card on a live gateway (`fulfillment_order_facts`), per customer the name
 * and addresses to ship to (`fulfillment_ship_to`). Fed by the order-facts consumer; read by exports.
 */
@Injectable()
export class OrderFactsStore {
  private readonly orders: mongo.Collection<OrderFactsDocument>;
  private readonly customers: mongo.Collection<ShipToDocument>;

  constructor(@Inject(Platform) platform: Platform) {
    this.orders = platform.connection.db!.collection<OrderFactsDocument>('fulfillment_order_facts');
    this.customers = platform.connection.db!.collection<ShipToDocument>('fulfillment_ship_to');
  }

  async order(orderId: string): Promise<OrderFacts> {
    const doc = await this.orders.findOne({ _id: orderId });
    return doc ? { inQa: doc.inQa, testCardOnLiveGateway: doc.testCardOnLiveGateway } : NO_ORDER_FACTS;
  }

  /** Applies an event; only the fields it changed are written, so events of another topic about the same order do not overwrite each other. */
  async applyOrder(orderId: string, event: OrderFactsEvent): Promise<void> {
    const before = await this.order(orderId);
    const after = evolveOrderFacts(before, event);
    const changed: { -readonly [K in keyof OrderFacts]?: OrderFacts[K] } = {};
    if (after.inQa !== before.inQa) changed.inQa = after.inQa;
    if (after.testCardOnLiveGateway !== before.testCardOnLiveGateway) changed.testCardOnLiveGateway = after.testCardOnLiveGateway;
    if (Object.keys(changed).length === 0) return;
    const onInsert = Object.fromEntries(Object.entries(NO_ORDER_FACTS).filter(([field]) => !(field in changed)));
    await this.orders.updateOne({ _id: orderId }, { $set: changed, $setOnInsert: onInsert }, { upsert: true });
  }

  async shipTo(customerId: string): Promise<ShipToFacts | null> {
    const doc = await this.customers.findOne({ _id: customerId });
    return doc ? { name: doc.name, shippingAddress: doc.shippingAddress, billingAddress: doc.billingAddress } : null;
  }

  async applyCustomer(customerId: string, event: CustomerFactsEvent): Promise<void> {
    const after = evolveShipTo(await this.shipTo(customerId), event);
    if (after) await this.customers.updateOne({ _id: customerId }, { $set: after }, { upsert: true });
  }
}
