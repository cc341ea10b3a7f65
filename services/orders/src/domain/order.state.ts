import {
  assertNever,
  DeclineSource,
  DeclineType,
  OrderEvent,
  OrderPlaced,
  OrderSnapshot,
  QaReason,
} from '@continuum/contracts';

/** Stream of one order. */
export const orderStreamId = (orderId: string) => `order-${orderId}`;

/** What every placed order knows, whatever its status: what it was placed with, and what happened since. */
export interface OrderDetails extends Omit<OrderPlaced['data'], 'shippingMethod' | 'discountReason'> {
  /** the approved card charge or the recorded external payment */
  readonly chargeTransactionId?: string;
  readonly codTransactionId?: string;
  /** the COD transaction was paid or refused */
  readonly codSettled: boolean;
  /** every declined charge, so a redelivered decline is recognised */
  readonly declinedTransactionIds: readonly string[];
  /** refund ids (or kind:transaction for voids) already counted */
  readonly refundKeys: readonly string[];
  /** items added by UpsellAdded (and not declined since): only these can leave the order */
  readonly upsellItemIds: readonly string[];
  /** upsell items taken off by UpsellDeclined: an approval of their charge buys nothing */
  readonly removedUpsellItemIds: readonly string[];
  /** charges approved after cancelling whose reversal was asked for, so a redelivery asks once */
  readonly reversedTransactionIds: readonly string[];
  /** the confirmation email was sent and recorded (OrderConfirmationEmailSent) */
  readonly confirmationSent?: boolean;
}

export interface Decline {
  readonly source: DeclineSource;
  readonly declineType?: DeclineType;
  readonly transactionId?: string;
}

/** A placed order: one variant per status, each with what only that status has. */
export type PlacedOrder =
  | { readonly status: 'PROCESSING'; readonly order: OrderDetails }
  | { readonly status: 'PENDING'; readonly order: OrderDetails; readonly qaReasons: readonly QaReason[] }
  | { readonly status: 'COMPLETE'; readonly order: OrderDetails }
  | { readonly status: 'DECLINED'; readonly order: OrderDetails; readonly decline: Decline }
  | { readonly status: 'REFUNDED'; readonly order: OrderDetails }
  | { readonly status: 'CANCELLED'; readonly order: OrderDetails; readonly cancelReason: string }
  | { readonly status: 'COD_PENDING'; readonly order: OrderDetails };

export type OrderState = { readonly status: 'ABSENT' } | PlacedOrder;

/** The part of an order that fulfillment and subscriptions need, as events carry it. */
export function snapshotOf(order: OrderSnapshot): OrderSnapshot {
  const { orderId, customerId, campaignId, currency, paymentType, items, totals, shippingAddress, shippingMethod, rebill } = order;
  return {
    orderId,
    customerId,
    campaignId,
    currency,
    paymentType,
    items,
    totals,
    ...(shippingAddress ? { shippingAddress } : {}),
    ...(shippingMethod !== undefined ? { shippingMethod } : {}),
    ...(rebill ? { rebill } : {}),
  };
}

/** Remembers which transaction an outcome came from, so a redelivered outcome changes nothing. */
function withTransaction(order: OrderDetails, transactionId: string): OrderDetails {
  return order.paymentType === 'COD' ? { ...order, codTransactionId: transactionId } : { ...order, chargeTransactionId: transactionId };
}

function evolvePlaced(state: PlacedOrder, event: Exclude<OrderEvent, { type: 'OrderPlaced' }>): PlacedOrder {
  const { order } = state;
  switch (event.type) {
    case 'OrderSentToQa':
      return { status: 'PENDING', order: withTransaction(order, event.data.transactionId), qaReasons: event.data.reasons };
    case 'OrderApproved':
      // REFUNDED means fully or partly refunded: money returned while held for QA stays visible
      return { status: order.totals.refunded > 0 ? 'REFUNDED' : 'COMPLETE', order };
    case 'OrderCompleted':
      return {
        status: 'COMPLETE',
        order: order.paymentType === 'COD' ? { ...order, codSettled: true } : withTransaction(order, event.data.transactionId),
      };
    case 'OrderAwaitingCod':
      return { status: 'COD_PENDING', order: { ...order, codTransactionId: event.data.transactionId } };
    case 'OrderDeclined': {
      const { source, declineType, transactionId } = event.data;
      const declined =
        source === 'PAYMENT' && transactionId ? { ...order, declinedTransactionIds: [...order.declinedTransactionIds, transactionId] } : order;
      return {
        status: 'DECLINED',
        order: source === 'COD' ? { ...declined, codSettled: true } : declined,
        decline: { source, ...(declineType ? { declineType } : {}), ...(transactionId ? { transactionId } : {}) },
      };
    }
    case 'OrderRefunded': {
      const refunded: OrderDetails = {
        ...order,
        totals: { ...order.totals, refunded: event.data.refundedTotal },
        refundKeys: [...order.refundKeys, refundKey(event.data)],
      };
      // PENDING means held for QA and nothing else: like a cancelled or declined order,
      // it keeps its status and only tracks the money returned
      if (state.status === 'PENDING' || state.status === 'CANCELLED' || state.status === 'DECLINED') return { ...state, order: refunded };
      return { status: 'REFUNDED', order: refunded };
    }
    case 'OrderCancelled':
      return { status: 'CANCELLED', order, cancelReason: event.data.reason };
    case 'OrderRerunRequested':
      return { status: 'PROCESSING', order };
    case 'UpsellAdded':
      return {
        ...state,
        order: { ...order, items: [...order.items, event.data.item], totals: event.data.newTotals, upsellItemIds: [...order.upsellItemIds, event.data.orderItemId] },
      };
    case 'UpsellDeclined': {
      const { orderItemId } = event.data;
      return {
        ...state,
        order: {
          ...order,
          items: order.items.filter((item) => item.orderItemId !== orderItemId),
          totals: event.data.newTotals,
          upsellItemIds: order.upsellItemIds.filter((id) => id !== orderItemId),
          removedUpsellItemIds: [...order.removedUpsellItemIds, orderItemId],
        },
      };
    }
    case 'OrderPaymentReversalRequested':
      return { ...state, order: { ...order, reversedTransactionIds: [...order.reversedTransactionIds, event.data.transactionId] } };
    case 'OrderCustomerReassigned':
      return { ...state, order: { ...order, customerId: event.data.customerId } };
    case 'OrderEmailResendRequested':
      return state;
    case 'OrderConfirmationEmailSent':
      return { ...state, order: { ...order, confirmationSent: true } };
    default:
      return assertNever(event, 'order event');
  }
}

/** How a refund is recognised when it is delivered again. */
export function refundKey(refund: { readonly refundId?: string; readonly kind: string; readonly transactionId: string }): string {
  return refund.refundId !== undefined ? `refund:${refund.refundId}` : `${refund.kind}:${refund.transactionId}`;
}

export function evolveOrder(state: OrderState, event: OrderEvent): OrderState {
  if (event.type === 'OrderPlaced') {
    const { card, qa, clientOrderId, externalReference, ipAddress, customFields, placedAt } = event.data;
    const order: OrderDetails = {
      ...snapshotOf(event.data),
      ...(card ? { card } : {}),
      qa,
      ...(clientOrderId ? { clientOrderId } : {}),
      ...(externalReference ? { externalReference } : {}),
      ...(ipAddress ? { ipAddress } : {}),
      ...(customFields ? { customFields } : {}),
      placedAt,
      codSettled: false,
      declinedTransactionIds: [],
      refundKeys: [],
      upsellItemIds: [],
      removedUpsellItemIds: [],
      reversedTransactionIds: [],
    };
    return { status: 'PROCESSING', order };
  }
  return state.status === 'ABSENT' ? state : evolvePlaced(state, event);
}

export const initialOrderState = (): OrderState => ({ status: 'ABSENT' });
