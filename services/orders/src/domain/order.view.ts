import { assertNever, CustomFields, DeclineSource, DeclineType, OrderItem, OrderSnapshot, OrderStatus, QaReason } from '@continuum/contracts';
import { OrderState } from './order.state';

/** An order line as the API shows it: the priced item without the recurring terms. */
export type OrderViewItem = Pick<OrderItem, 'orderItemId' | 'productId' | 'sku' | 'name' | 'quantity' | 'unitPrice' | 'price' | 'shippingPrice' | 'billingType'>;

/** GET /orders/:id as the HTTP API documents it (`orders.responses.ts`, OpenAPI at /docs), plus what agents need to act on the order. */
export interface OrderView extends Pick<OrderSnapshot, 'orderId' | 'customerId' | 'campaignId' | 'paymentType' | 'currency' | 'totals'> {
  readonly status: OrderStatus;
  readonly items: readonly OrderViewItem[];
  readonly qa: { readonly required: boolean; readonly reasons: readonly QaReason[] };
  readonly card?: { readonly brand: string; readonly last4: string };
  readonly decline?: { readonly source: DeclineSource; readonly declineType?: DeclineType };
  readonly cancelReason?: string;
  readonly clientOrderId?: string;
  readonly externalReference?: string;
  /** name -> value, {} when the order has none */
  readonly customFields: CustomFields;
  readonly createdAt: string;
}

/** The order as the API shows it, or null when it was never placed. */
export function orderView(state: OrderState): OrderView | null {
  if (state.status === 'ABSENT') return null;
  const { order } = state;
  const base = {
    orderId: order.orderId,
    customerId: order.customerId,
    campaignId: order.campaignId,
    status: state.status,
    paymentType: order.paymentType,
    currency: order.currency,
    items: order.items.map(({ orderItemId, productId, sku, name, quantity, unitPrice, price, shippingPrice, billingType }) => ({
      orderItemId,
      productId,
      sku,
      name,
      quantity,
      unitPrice,
      price,
      shippingPrice,
      billingType,
    })),
    totals: { ...order.totals },
    qa: state.status === 'PENDING' ? { required: true, reasons: state.qaReasons } : order.qa,
    ...(order.card ? { card: { brand: order.card.brand, last4: order.card.last4 } } : {}),
    ...(order.clientOrderId ? { clientOrderId: order.clientOrderId } : {}),
    ...(order.externalReference ? { externalReference: order.externalReference } : {}),
    customFields: order.customFields ?? {},
    createdAt: order.placedAt,
  };
  switch (state.status) {
    case 'DECLINED':
      return { ...base, decline: { source: state.decline.source, ...(state.decline.declineType ? { declineType: state.decline.declineType } : {}) } };
    case 'CANCELLED':
      return { ...base, cancelReason: state.cancelReason };
    case 'PROCESSING':
    case 'PENDING':
    case 'COMPLETE':
    case 'REFUNDED':
    case 'COD_PENDING':
      return base;
    default:
      return assertNever(state, 'order state');
  }
}
