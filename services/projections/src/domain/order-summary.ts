import { CustomerHistory, FulfillmentView, OrderView, PurchaseView, TransactionView } from './customer-history';
import { TimelineEntry } from './timeline';

/** `GET /orders/:id/summary` (docs/projections.md): the order with what every service did about it. */
export interface OrderSummary {
  readonly order: OrderView;
  readonly transactions: readonly TransactionView[];
  readonly fulfillments: readonly FulfillmentView[];
  readonly purchases: readonly PurchaseView[];
  readonly timeline: readonly TimelineEntry[];
}

/** The summary of one order, cut from its customer's history; undefined when the history has no such order. */
export function orderSummary(history: CustomerHistory, orderId: string): OrderSummary | undefined {
  const order = history.orders.find((known) => known.orderId === orderId);
  if (!order) return undefined;
  const rebillOf = order.rebill?.purchaseId;
  return {
    order,
    transactions: history.transactions.filter((row) => row.orderId === orderId),
    fulfillments: history.fulfillments.filter((row) => row.orderId === orderId),
    purchases: history.purchases.filter((row) => row.orderId === orderId || row.purchaseId === rebillOf),
    timeline: history.timeline.filter((entry) => entry.orderId === orderId),
  };
}
