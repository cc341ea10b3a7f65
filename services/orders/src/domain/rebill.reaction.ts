import { Address, DomainError, IncomingEvent, PaymentType, Reaction, RebillInfo, RebillRequested } from '@continuum/contracts';
import { CardDetails } from './order.commands';
import { OrderState } from './order.state';
import { RebillAnswerState, RefuseRebill, ReportRebillOrder } from './rebill-answer.decider';

/** The rebill order to place for a RebillRequested, and the seed its ids derive from. */
export interface RebillPlacement {
  /**
   * `rebill:<purchaseId>:<cycle>` (`:<attempt>` for a recycle retry): a redelivered request finds the order it
   * placed and changes nothing; each recycle retry of a cycle is an order of its own
   */
  readonly seed: string;
  readonly campaignId: string;
  readonly customerId: string;
  readonly items: readonly { readonly productId: string; readonly quantity: number; readonly unitPrice: number; readonly shippingPrice: number }[];
  readonly paymentType: PaymentType;
  readonly card?: CardDetails;
  readonly shippingAddress?: Address;
  readonly rebill: RebillInfo;
  /** the purchase's sales tax for this bill, when it has one */
  readonly salesTax?: number;
}

/**
 * The seed a rebill request's order id derives from: `rebill:<purchaseId>:<cycle>` (`:<attempt>` after
 * the first request of the cycle). The same request asked again finds the same order (or the same refusal).
 */
export const rebillSeed = (d: Pick<RebillRequested['data'], 'purchaseId' | 'billingCycle' | 'attempt'>): string =>
  `rebill:${d.purchaseId}:${d.billingCycle}${d.attempt ? `:${d.attempt}` : ''}`;

/**
 * Subscriptions' RebillRequested -> one rebill order: the same customer and campaign, the purchase's
 * product, quantity, price and shipping, and the payment type, stored card token and shipping address
 * of the original order. Nothing when the original order is unknown (the consumer dead-letters that).
 */
export function onRebillRequested(event: IncomingEvent<RebillRequested>, original: OrderState): RebillPlacement[] {
  if (original.status === 'ABSENT') return [];
  const d = event.data;
  const { order } = original;
  return [
    {
      seed: rebillSeed(event.data),
      campaignId: d.campaignId,
      customerId: d.customerId,
      items: [{ productId: d.productId, quantity: d.quantity, unitPrice: d.unitPrice, shippingPrice: d.shippingPrice }],
      paymentType: order.paymentType,
      ...(order.card ? { card: order.card } : {}),
      ...(order.shippingAddress ? { shippingAddress: order.shippingAddress } : {}),
      rebill: { purchaseId: d.purchaseId, billingCycle: d.billingCycle, originalOrderId: d.originalOrderId, ...(d.merchantId !== undefined ? { merchantId: d.merchantId } : {}) },
      ...(d.salesTax ? { salesTax: d.salesTax } : {}),
    },
  ];
}

/** Why orders would not place a rebill order: the refusal's code, message and the field it names. */
export interface RebillRefusalCause {
  /** the id the rebill order would have had (derived from `rebillSeed`) */
  readonly orderId: string;
  readonly code: string;
  readonly message: string;
  readonly field?: string;
}

/**
 * A failure placing the rebill order that is its answer: a DomainError of kind `rule` (the blacklist,
 * QUANTITY_LIMIT, ORDER_TOTAL_LIMIT, ...) or `not-found` (the original order, the campaign), which the
 * same request would meet again. Anything else (a conflict, the store) is not an answer: null, and the
 * consumer retries it.
 */
export function refusalOf(error: unknown): Omit<RebillRefusalCause, 'orderId'> | null {
  if (!(error instanceof DomainError) || error.kind === 'conflict') return null;
  const field = typeof error.details?.['field'] === 'string' ? (error.details['field'] as string) : undefined;
  return { code: error.code, message: error.message, ...(field !== undefined ? { field } : {}) };
}

/** What the refusal reaction plans from: why the order was refused, and the request's answers so far. */
export interface RebillRefusalInput {
  readonly cause: RebillRefusalCause;
  readonly answers: RebillAnswerState;
}

/**
 * A RebillRequested orders refused -> RefuseRebill on the request's own stream, so subscriptions hears
 * the outcome (RebillRefused) instead of waiting for an order that will not come. Nothing when the
 * request was refused already (a redelivery, or subscriptions asking again).
 */
export const onRebillRefused: Reaction<RebillRequested, RebillRefusalInput, Pick<RefuseRebill, 'type' | 'data'>> = (event, { cause, answers }) => {
  if (answers.refusal) return [];
  const d = event.data;
  return [
    {
      type: 'RefuseRebill',
      data: {
        purchaseId: d.purchaseId,
        customerId: d.customerId,
        originalOrderId: d.originalOrderId,
        billingCycle: d.billingCycle,
        attempt: d.attempt ?? 0,
        orderId: cause.orderId,
        code: cause.code,
        reason: cause.message,
        ...(cause.field !== undefined ? { field: cause.field } : {}),
      },
    },
  ];
};

/** What the report reaction plans from: the request's rebill order as it stands, and the request's answers so far. */
export interface RebillOrderKnown {
  readonly order: OrderState;
  readonly answers: RebillAnswerState;
}

/**
 * A RebillRequested whose rebill order exists already (a redelivery, or subscriptions asking again for
 * a bill it saw no outcome of): when the order ended in a way payments does not announce (COMPLETE or
 * REFUNDED without a card charge, DECLINED by QA, CANCELLED), report it (RebillOrderReported), once per
 * ending, so a purchase that missed that outcome catches up. Nothing while the order is in progress (its
 * outcome is still to come), nor for a card charge or a payment decline (payments announced those).
 */
export const onRebillOrderKnown: Reaction<RebillRequested, RebillOrderKnown, Pick<ReportRebillOrder, 'type' | 'data'>> = (event, { order, answers }) => {
  if (order.status === 'ABSENT') return [];
  const { orderId, customerId, paymentType, totals, currency, chargeTransactionId, codTransactionId } = order.order;
  const ending = (() => {
    switch (order.status) {
      case 'COMPLETE':
      case 'REFUNDED': {
        const transactionId = chargeTransactionId ?? codTransactionId;
        return paymentType === 'CARD' ? null : { status: order.status, ...(transactionId !== undefined ? { transactionId } : {}) };
      }
      case 'DECLINED':
        return order.decline.source === 'QA' ? { status: 'DECLINED' as const, reason: 'Declined by QA' } : null;
      case 'CANCELLED':
        return { status: 'CANCELLED' as const, reason: order.cancelReason };
      default:
        return null;
    }
  })();
  if (!ending || answers.reported.includes(ending.status)) return [];
  const d = event.data;
  return [
    {
      type: 'ReportRebillOrder',
      data: { purchaseId: d.purchaseId, customerId, billingCycle: d.billingCycle, attempt: d.attempt ?? 0, orderId, paymentType, amount: totals.total, currency, ...ending },
    },
  ];
};
