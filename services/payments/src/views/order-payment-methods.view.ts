import { Inject, Injectable } from '@nestjs/common';
import { CardSummary, EnvelopeOf, OrderEvent, PaymentType } from '@continuum/contracts';
import { Platform, ViewDefinition, ViewStore } from '@continuum/platform';

/** How an order pays, remembered from OrderPlaced so a rerun or an upsell can charge the card on file. */
export interface OrderPaymentMethod {
  readonly orderId: string;
  readonly customerId: string;
  readonly paymentType: PaymentType;
  readonly currency: string;
  readonly card: CardSummary | null;
}

/**
 * Payment methods by order, from orders.events.v1 (collection `view_order_payment_methods`, one
 * document per order): OrderPlaced says how the order pays; the order's other events change nothing.
 */
export const orderPaymentMethodsViewDefinition: ViewDefinition<OrderPaymentMethod | null, OrderEvent> = {
  name: 'order_payment_methods',
  // orders' streams (`order-<orderId>`); the document is the order, named by the event
  streamPrefix: 'order-',
  documentId: (event) => (event.data as { orderId: string }).orderId,
  initial: () => null,
  evolve: (method, event: EnvelopeOf<OrderEvent>) => {
    if (event.type !== 'OrderPlaced') return method;
    const order = event.data;
    return { orderId: order.orderId, customerId: order.customerId, paymentType: order.paymentType, currency: order.currency, card: order.card ?? null };
  },
};

/**
 * The order payment methods read model (a ViewStore fed by the order-reactions consumer with
 * `applyEvent`): the per-stream version guard makes a redelivered OrderPlaced change nothing.
 */
@Injectable()
export class OrderPaymentMethodsView {
  readonly store: ViewStore<OrderPaymentMethod | null, OrderEvent>;

  constructor(@Inject(Platform) platform: Platform) {
    this.store = platform.readModel(orderPaymentMethodsViewDefinition);
  }

  async find(orderId: string): Promise<OrderPaymentMethod | undefined> {
    return (await this.store.get(orderId)) ?? undefined;
  }
}
