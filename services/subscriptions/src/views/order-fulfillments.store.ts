import { Inject, Injectable } from '@nestjs/common';
import { mongo } from 'mongoose';
import { Platform } from '@continuum/platform';

/** The latest state of one fulfillment, as its events said. */
export interface FulfillmentSeen {
  readonly fulfillmentId: string;
  readonly status: string;
  readonly at: string;
  readonly trackingNumber?: string;
}

interface OrderFulfillmentsDocument {
  _id: string;
  fulfillments: Record<string, FulfillmentSeen>;
}

/**
 * The fulfillments of every order, by order id (collection `subscriptions_order_fulfillments`, one
 * small document per fulfilled order). A fulfillment event may be read before this service knows
 * that its order belongs to a purchase (the orders topic is read by another consumer): a purchase
 * that learns an order later takes that order's fulfillments from here.
 */
@Injectable()
export class OrderFulfillmentsStore {
  private readonly collection: mongo.Collection<OrderFulfillmentsDocument>;

  constructor(@Inject(Platform) platform: Platform) {
    this.collection = platform.connection.db!.collection<OrderFulfillmentsDocument>('subscriptions_order_fulfillments');
  }

  async remember(orderId: string, fulfillment: FulfillmentSeen): Promise<void> {
    await this.collection.updateOne({ _id: orderId }, { $set: { [`fulfillments.${fulfillment.fulfillmentId}`]: fulfillment } }, { upsert: true });
  }

  async ofOrder(orderId: string): Promise<FulfillmentSeen[]> {
    const doc = await this.collection.findOne({ _id: orderId });
    return doc ? Object.values(doc.fulfillments) : [];
  }
}
