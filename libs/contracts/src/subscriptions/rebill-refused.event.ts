import { DomainEvent } from '../core/envelope';
import { defineEvent } from '../core/registry';
import { id, int, isoDate, obj, str } from '../core/schema-helpers';
import { Topics } from '../core/topics';

/**
 * orders' answer to a RebillRequested it could not turn into a rebill order: a rule refused the order
 * (the blacklist, QUANTITY_LIMIT, ORDER_TOTAL_LIMIT, ...) or what it is placed from is gone (the
 * original order, the campaign). Published by orders on `orders.events.v1`, stream
 * `rebill-refusal-<orderId>` (one per request: `orderId` is the id the rebill order would have had),
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

/** The event orders answers a refused rebill request with. */
export type RebillOutcomeEvent = RebillRefused;

export const REBILL_OUTCOME_EVENT_TYPES = { RebillRefused: 'RebillRefused' } as const satisfies { [K in RebillOutcomeEvent['type']]: K };

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
