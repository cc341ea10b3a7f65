import { DomainEvent } from '../core/envelope';
import { defineEvent } from '../core/registry';
import { id, int, isoDate, minor, obj, oneOf, str } from '../core/schema-helpers';
import { Topics } from '../core/topics';
import { PAYMENT_TYPES, PaymentType } from '../orders/order.events';

/**
 * orders' answer to a RebillRequested it could not turn into a rebill order: a rule refused the order
 * (the blacklist, QUANTITY_LIMIT, ORDER_TOTAL_LIMIT, ...) or what it is placed from is gone (the
 * original order, the campaign). Published by orders on `orders.events.v1`, stream
 * `rebill-answer-<orderId>` (one per request: `orderId` is the id the rebill order would have had),
 * so the purchase never waits for an order that will not come. Beside RebillRequested, the request it
 * answers; subscriptions records it on the purchase (`PurchaseRebillNotBilled`).
 */
export type RebillRefused = DomainEvent<
  'RebillRefused',
  {
    readonly purchaseId: string;
    readonly customerId: string;
    readonly originalOrderId: string;
    readonly billingCycle: number;
    /** the request's number within its cycle (RebillRequested.attempt, 0 when it had none) */
    readonly attempt: number;
    /** the id the rebill order of this request would have had (no order was stored) */
    readonly orderId: string;
    /** the refusal's DomainError code, e.g. BLACKLISTED, QUANTITY_LIMIT, ORDER_TOTAL_LIMIT, ORDER_NOT_FOUND */
    readonly code: string;
    readonly reason: string;
    /** the request field the refusal names, when it names one */
    readonly field?: string;
    /** when orders refused it */
    readonly at: string;
  }
>;

/** The statuses of a rebill order that end it without payments' answer: what a RebillOrderReported may say. */
export const REPORTED_REBILL_ORDER_STATUSES = ['COMPLETE', 'REFUNDED', 'DECLINED', 'CANCELLED'] as const;
export type ReportedRebillOrderStatus = (typeof REPORTED_REBILL_ORDER_STATUSES)[number];

/**
 * orders' answer to a RebillRequested asked again whose rebill order exists and has ended in a way
 * payments does not announce: approved by QA or completed without a card charge (EXTERNAL, COD:
 * COMPLETE, or REFUNDED after), declined by QA, or cancelled. Lets a purchase whose bill was left in
 * flight by outcomes it did not follow (purchases stored before those were followed) catch up. Same stream as RebillRefused.
 */
export type RebillOrderReported = DomainEvent<
  'RebillOrderReported',
  {
    readonly purchaseId: string;
    readonly customerId: string;
    readonly billingCycle: number;
    readonly attempt: number;
    readonly orderId: string;
    readonly status: ReportedRebillOrderStatus;
    readonly paymentType: PaymentType;
    /** the order's payment (COMPLETE, REFUNDED) */
    readonly transactionId?: string;
    /** the order total, minor units */
    readonly amount: number;
    readonly currency: string;
    /** why it was declined or cancelled */
    readonly reason?: string;
    /** when orders reported it */
    readonly at: string;
  }
>;

/** The events orders answers rebill requests with, besides the rebill order's own events. */
export type RebillOutcomeEvent = RebillRefused | RebillOrderReported;

export const REBILL_OUTCOME_EVENT_TYPES = { RebillRefused: 'RebillRefused', RebillOrderReported: 'RebillOrderReported' } as const satisfies {
  [K in RebillOutcomeEvent['type']]: K;
};

defineEvent(
  REBILL_OUTCOME_EVENT_TYPES.RebillRefused,
  Topics.ordersEvents,
  'orders refused the rebill order of a RebillRequested (a rule: blacklist, order limits; or the original order or campaign is unknown): no order was placed. The purchase records it as a bill that was not billed.',
  obj(
    {
      purchaseId: id(),
      customerId: id(),
      originalOrderId: id(),
      billingCycle: int({ minimum: 2 }),
      attempt: int({ minimum: 0 }),
      orderId: id(),
      code: id(),
      reason: str(),
      field: id(),
      at: isoDate(),
    },
    ['purchaseId', 'customerId', 'originalOrderId', 'billingCycle', 'attempt', 'orderId', 'code', 'reason', 'at'],
  ),
);

defineEvent(
  REBILL_OUTCOME_EVENT_TYPES.RebillOrderReported,
  Topics.ordersEvents,
  "orders' answer to a RebillRequested asked again whose rebill order already ended without payments' answer (COMPLETE or REFUNDED without a card charge, DECLINED by QA, CANCELLED): the purchase records that outcome.",
  obj(
    {
      purchaseId: id(),
      customerId: id(),
      billingCycle: int({ minimum: 2 }),
      attempt: int({ minimum: 0 }),
      orderId: id(),
      status: oneOf(...REPORTED_REBILL_ORDER_STATUSES),
      paymentType: oneOf(...PAYMENT_TYPES),
      transactionId: id(),
      amount: minor(),
      currency: str({ pattern: '^[A-Z]{3}$' }),
      reason: str(),
      at: isoDate(),
    },
    ['purchaseId', 'customerId', 'billingCycle', 'attempt', 'orderId', 'status', 'paymentType', 'amount', 'currency', 'at'],
  ),
);
