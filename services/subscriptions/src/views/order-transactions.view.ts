import { Inject, Injectable } from '@nestjs/common';
import { EnvelopeOf, PaymentsEvent } from '@continuum/contracts';
import { Platform, ViewDefinition, ViewStore } from '@continuum/platform';
import { ChargeFollowUp, chargeFollowUp } from '../domain';

/** The refunds, voids and chargebacks of one order's charges, in the order payments published them. */
export interface OrderTransactions {
  readonly rows: readonly ChargeFollowUp[];
}

/**
 * One document per order (`view_order_transactions`), from payments' transaction streams, each
 * guarded by that stream's version (a redelivery adds no second row). Events that moved no money
 * back (charges, settlement, refund attempts) change nothing.
 */
export const orderTransactionsViewDefinition: ViewDefinition<OrderTransactions, PaymentsEvent> = {
  name: 'order_transactions',
  streamPrefix: 'transaction-',
  documentId: (event) => (event.data as { orderId: string }).orderId,
  initial: () => ({ rows: [] }),
  evolve: (order, event) => {
    const row = chargeFollowUp({ type: event.type, data: event.data } as PaymentsEvent);
    return row ? { rows: [...order.rows, row] } : order;
  },
};

/**
 * Fed by the payment-reactions consumer; the purchase profile adds the rows of the purchase's
 * orders to its charges (`purchaseTransactions`). Kept whether or not the order is known to belong
 * to a purchase yet, so a purchase that learns an order later still shows them.
 */
@Injectable()
export class OrderTransactionsView {
  private readonly view: ViewStore<OrderTransactions, PaymentsEvent>;

  constructor(@Inject(Platform) platform: Platform) {
    this.view = platform.readModel(orderTransactionsViewDefinition);
  }

  async apply(event: EnvelopeOf<PaymentsEvent>): Promise<void> {
    await this.view.applyEvent(event);
  }

  /** The rows of these orders, order by order. */
  async ofOrders(orderIds: readonly string[]): Promise<ChargeFollowUp[]> {
    const documents = await Promise.all(orderIds.map((orderId) => this.view.get(orderId)));
    return documents.flatMap((document) => document?.rows ?? []);
  }
}
