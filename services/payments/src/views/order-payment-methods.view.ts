import { Inject, Injectable } from '@nestjs/common';
import { mongo } from 'mongoose';
import { CardSummary, PaymentType } from '@continuum/contracts';
import { Platform } from '@continuum/platform';

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

  async remember(method: OrderPaymentMethod): Promise<void> {
    const { orderId, ...rest } = method;
    await this.collection.updateOne({ _id: orderId }, { $set: rest }, { upsert: true });
  }

  async find(orderId: string): Promise<OrderPaymentMethod | undefined> {
    const doc = await this.collection.findOne({ _id: orderId });
    if (!doc) return undefined;
    return { orderId: doc._id, customerId: doc.customerId, paymentType: doc.paymentType, currency: doc.currency, card: doc.card };
  }
}
