import { Inject, Injectable } from '@nestjs/common';
import { mongo } from 'mongoose';
import { CardSummary, PaymentType } from '@continuum/contracts';
import { Platform, insertOnce } from '@continuum/platform';

/** How an order pays, remembered from OrderPlaced so a rerun or an upsell can charge the card on file. */
export interface OrderPaymentMethod {
  readonly orderId: string;
  readonly customerId: string;
  readonly paymentType: PaymentType;
  readonly currency: string;
  readonly card: CardSummary | null;
}

interface PaymentMethodDocument {
  _id: string;
  customerId: string;
  paymentType: PaymentType;
  currency: string;
  card: CardSummary | null;
}

/** Payment methods by order (collection `payments_order_payment_methods`). */
@Injectable()
export class OrderPaymentMethodsView {
  private readonly collection: mongo.Collection<PaymentMethodDocument>;

  constructor(@Inject(Platform) platform: Platform) {
    this.collection = platform.connection.db!.collection<PaymentMethodDocument>('payments_order_payment_methods');
  }

  /** Stores how the order pays; OrderPlaced comes once per order, so this is an insert but for a redelivery. */
  async remember(method: OrderPaymentMethod): Promise<void> {
    const { orderId, ...rest } = method;
    // an insert is cheaper for the store than an upsert, which looks for the document first
    if ((await insertOnce(this.collection, { _id: orderId, ...rest })) === 'exists') await this.collection.updateOne({ _id: orderId }, { $set: rest });
  }

  async find(orderId: string): Promise<OrderPaymentMethod | undefined> {
    const doc = await this.collection.findOne({ _id: orderId });
    if (!doc) return undefined;
    return { orderId: doc._id, customerId: doc.customerId, paymentType: doc.paymentType, currency: doc.currency, card: doc.card };
  }
}
