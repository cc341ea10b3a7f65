import { DomainEvent } from '../core/envelope';
import { defineEvent, JsonSchema } from '../core/registry';
import { bool, id, int, isoDate, minor, nullable, obj, oneOf, str } from '../core/schema-helpers';
import { Topics } from '../core/topics';
import { BILLING_TYPES, BillingType, TRIAL_TYPES, TrialType } from '../orders/campaign.events';

/**
 * The purchase (continuity subscription) as docs/subscriptions.md describes it. Every event is on
 * `subscriptions.events.v1`, stream `purchase-<purchaseId>`, and names the purchase and its customer.
 * Dates of the billing calendar (`nextBillDate`, a cancellation date) are calendar dates `YYYY-MM-DD`
 * in the account time zone; instants (`orderDate`, `at`, `retryAt`) are ISO-8601 UTC.
 */
export const PURCHASE_STATUSES = [
  'TRIAL',
  'ACTIVE',
  'PAUSED',
  'PAUSE_SCHEDULED',
  'CANCELLATION_SCHEDULED',
  'CANCELLED',
  'COMPLETE',
  'RECYCLE_BILLING',
  'RECYCLE_FAILED',
] as const;
export type PurchaseStatus = (typeof PURCHASE_STATUSES)[number];

export const SALES_TAX_MODES = ['AUTO', 'CUSTOM'] as const;
export type SalesTaxMode = (typeof SALES_TAX_MODES)[number];
/** AUTO: the account's tax rules (today none: 0); CUSTOM: this amount in minor units on every rebill. */
export type SalesTax = { readonly mode: SalesTaxMode; readonly amount?: number };

export const INTERVAL_UNITS = ['DAY', 'MONTH'] as const;
export type IntervalUnit = (typeof INTERVAL_UNITS)[number];
/** Every `count` days, or every `count` months on the same day of the month (31st -> last day of a shorter month). */
export type BillingInterval = { readonly unit: IntervalUnit; readonly count: number };

export const CANCEL_WHEN = ['NOW', 'AFTER_NEXT_BILL', 'ON_DATE'] as const;
export type CancelWhen = (typeof CANCEL_WHEN)[number];

/** What made a purchase cancelled: an agent, the order that started it, a refund or void (auto-cancel), a scheduled cancellation. */
export const CANCEL_SOURCES = ['AGENT', 'ORDER_CANCELLED', 'REFUND', 'VOID', 'SCHEDULED'] as const;
export type CancelSource = (typeof CANCEL_SOURCES)[number];

/** Why a bill was requested: the rebill run, an agent's force bill, skip trial, a recycle retry. */
export const BILL_TRIGGERS = ['SCHEDULED', 'FORCE', 'SKIP_TRIAL', 'RECYCLE'] as const;
export type BillTrigger = (typeof BILL_TRIGGERS)[number];

export const REBILL_DECLINE_RESPONSES = ['SOFT_DECLINE', 'HARD_DECLINE'] as const;
export type RebillDeclineResponse = (typeof REBILL_DECLINE_RESPONSES)[number];

/**
 * HARD_DECLINE and RETRIES_EXHAUSTED from payments' answers; REFUSED: orders refused the rebill order;
 * QA_DECLINED: QA declined it; ORDER_CANCELLED: the order of a recycle retry was cancelled;
 * NOT_CHARGED: the charge of a recycle retry never reached the gateway (found by a charge status query).
 */
export const RECYCLE_FAILURE_REASONS = ['HARD_DECLINE', 'RETRIES_EXHAUSTED', 'REFUSED', 'QA_DECLINED', 'ORDER_CANCELLED', 'NOT_CHARGED'] as const;
export type RecycleFailureReason = (typeof RECYCLE_FAILURE_REASONS)[number];

/** What the purchase profile shows of a product (its purchase details). */
export type PurchaseTerms = {
  readonly productId: string;
  readonly sku: string;
  readonly name: string;
  readonly quantity: number;
  readonly unitPrice: number;
  /** quantity x unitPrice, what each rebill charges for the product */
  readonly price: number;
  readonly shippingPrice: number;
  readonly salesTax: SalesTax;
  readonly billingInterval: BillingInterval;
  readonly finalBillCycle?: number;
  readonly merchantId?: string;
  readonly insureShipment: boolean;
};

type Ref = { readonly purchaseId: string; readonly customerId: string };

export type PurchaseStarted = DomainEvent<
  'PurchaseStarted',
  Ref &
    PurchaseTerms & {
      readonly orderId: string;
      readonly orderItemId: string;
      readonly campaignId: string;
      readonly currency: string;
      /** when the order that starts the purchase completed */
      readonly orderDate: string;
      readonly billingType: BillingType;
      readonly trialType: TrialType;
      readonly trialDays: number;
      readonly status: 'TRIAL';
      readonly billingCycle: 1;
      /** order date + trial days, in the account time zone */
      readonly nextBillDate: string;
      readonly timeZone: string;
      /** the charge that paid the starting order (its first transaction), when there was one */
      readonly transactionId?: string;
      /** what the starting order charged for this item (price + shipping) */
      readonly amount: number;
    }
>;

/** The fields an agent may change (Update Purchase); each present one is the new value. */
export type PurchaseChanges = {
  readonly quantity?: number;
  readonly unitPrice?: number;
  readonly price?: number;
  readonly shippingPrice?: number;
  readonly nextBillDate?: string;
  readonly salesTax?: SalesTax;
  readonly merchantId?: string;
  readonly finalBillCycle?: number;
  readonly insureShipment?: boolean;
};
export type PurchaseUpdated = DomainEvent<'PurchaseUpdated', Ref & { readonly changes: PurchaseChanges }>;

export type PurchaseTrialRestarted = DomainEvent<
  'PurchaseTrialRestarted',
  Ref & {
    readonly previousStatus: PurchaseStatus;
    /** the cycle stays: cycle numbers are never reused (each names one rebill order) */
    readonly billingCycle: number;
    readonly nextBillDate: string;
    readonly previousNextBillDate: string | null;
  }
>;
/** Skip trial: the purchase goes straight to cycle 2; a RebillRequested for cycle 2 follows in the same commit. */
export type PurchaseTrialSkipped = DomainEvent<'PurchaseTrialSkipped', Ref & { readonly billingCycle: number }>;

export type PurchaseCancellationScheduled = DomainEvent<
  'PurchaseCancellationScheduled',
  Ref & { readonly when: Exclude<CancelWhen, 'NOW'>; readonly date?: string; readonly reason: string; readonly source: CancelSource; readonly previousStatus: PurchaseStatus }
>;
export type PurchaseCancelled = DomainEvent<
  'PurchaseCancelled',
  Ref & { readonly reason: string; readonly source: CancelSource; readonly previousStatus: PurchaseStatus; readonly billingCycle: number }
>;

export type PurchasePaused = DomainEvent<'PurchasePaused', Ref & { readonly previousStatus: PurchaseStatus; readonly reason?: string }>;
export type PurchaseResumed = DomainEvent<'PurchaseResumed', Ref & { readonly status: PurchaseStatus; readonly nextBillDate: string }>;

export type PurchaseProductChanged = DomainEvent<
  'PurchaseProductChanged',
  Ref & {
    readonly fromProductId: string;
    readonly productId: string;
    readonly applyProductDetails: boolean;
    /** the new product's name and sku (always), and with applyProductDetails its price terms */
    readonly sku: string;
    readonly name: string;
    readonly unitPrice?: number;
    readonly price?: number;
    readonly shippingPrice?: number;
    readonly billingInterval?: BillingInterval;
    readonly finalBillCycle?: number;
  }
>;

export type PurchaseReactivated = DomainEvent<
  'PurchaseReactivated',
  Ref & { readonly previousStatus: PurchaseStatus; readonly status: PurchaseStatus; readonly billingCycle: number; readonly nextBillDate: string }
>;

/** orders placed the rebill order for this cycle (its OrderPlaced carried `rebill`); `attempt` is the request's number within the cycle. */
export type PurchaseRebillOrderPlaced = DomainEvent<
  'PurchaseRebillOrderPlaced',
  Ref & { readonly orderId: string; readonly billingCycle: number; readonly attempt: number }
>;

/** A rebill was approved: the purchase moved into `billingCycle`, its next bill date by the interval. */
export type PurchaseBilled = DomainEvent<
  'PurchaseBilled',
  Ref & {
    readonly orderId: string;
    readonly transactionId: string;
    readonly amount: number;
    readonly currency: string;
    readonly cardLast4?: string;
    readonly cardBrand?: string;
    readonly message: string;
    readonly billingCycle: number;
    readonly previousStatus: PurchaseStatus;
    readonly status: PurchaseStatus;
    /** null when the final bill cycle was billed (PurchaseCompleted follows) or a cancellation takes effect */
    readonly nextBillDate: string | null;
    readonly at: string;
  }
>;

export type PurchaseRebillDeclined = DomainEvent<
  'PurchaseRebillDeclined',
  Ref & {
    readonly orderId: string;
    readonly transactionId: string;
    readonly amount: number;
    readonly currency: string;
    readonly cardLast4?: string;
    readonly cardBrand?: string;
    readonly response: RebillDeclineResponse;
    readonly message: string;
    /** the cycle the declined rebill was for (the purchase stays in the cycle before it) */
    readonly billingCycle: number;
    /** the request's number within its cycle (0 the first; each recycle retry or new request adds one) */
    readonly attempt: number;
    readonly at: string;
  }
>;

/**
 * How a requested bill ended without a charge: orders REFUSED its rebill order (RebillRefused), QA
 * declined the order (QA_DECLINED), an agent cancelled it (ORDER_CANCELLED), or its outcome never came
 * and payments' charge status says the card was never charged (NOT_CHARGED: the rebill sweeper or an
 * agent's resolve-rebill; the cycle is due again).
 */
export const REBILL_NOT_BILLED_OUTCOMES = ['REFUSED', 'QA_DECLINED', 'ORDER_CANCELLED', 'NOT_CHARGED'] as const;
export type RebillNotBilledOutcome = (typeof REBILL_NOT_BILLED_OUTCOMES)[number];

/** The bill in flight ended without a charge: the purchase is no longer waiting for it (what follows depends on `outcome`). */
export type PurchaseRebillNotBilled = DomainEvent<
  'PurchaseRebillNotBilled',
  Ref & {
    /** the rebill order (for REFUSED, the id it would have had: none was stored) */
    readonly orderId: string;
    readonly billingCycle: number;
    readonly attempt: number;
    readonly outcome: RebillNotBilledOutcome;
    /** orders' refusal code (REFUSED) */
    readonly code?: string;
    readonly reason: string;
    /** when orders refused, declined or cancelled it */
    readonly at: string;
  }
>;

export type PurchaseRecycleScheduled = DomainEvent<
  'PurchaseRecycleScheduled',
  /** `attempt`: the recycle retry this schedules (1 the first) */
  Ref & { readonly billingCycle: number; readonly attempt: number; readonly delayMs: number; readonly retryAt: string; readonly previousStatus: PurchaseStatus }
>;
export type PurchaseRecycleFailed = DomainEvent<
  'PurchaseRecycleFailed',
  Ref & { readonly billingCycle: number; readonly attempts: number; readonly reason: RecycleFailureReason; readonly previousStatus: PurchaseStatus }
>;

/** The final bill cycle was billed: no more rebills. */
export type PurchaseCompleted = DomainEvent<'PurchaseCompleted', Ref & { readonly billingCycle: number }>;

/** A fulfillment of one of the purchase's orders (the starting one or a rebill) was created or moved on. */
export type PurchaseFulfillmentRecorded = DomainEvent<
  'PurchaseFulfillmentRecorded',
  Ref & {
    readonly fulfillmentId: string;
    readonly orderId: string;
    readonly status: string;
    readonly trackingNumber?: string;
    readonly at: string;
  }
>;

export type PurchaseEvent =
  | PurchaseStarted
  | PurchaseUpdated
  | PurchaseTrialRestarted
  | PurchaseTrialSkipped
  | PurchaseCancellationScheduled
  | PurchaseCancelled
  | PurchasePaused
  | PurchaseResumed
  | PurchaseProductChanged
  | PurchaseReactivated
  | PurchaseRebillOrderPlaced
  | PurchaseBilled
  | PurchaseRebillDeclined
  | PurchaseRebillNotBilled
  | PurchaseRecycleScheduled
  | PurchaseRecycleFailed
  | PurchaseCompleted
  | PurchaseFulfillmentRecorded;

/** The purchase event type strings, for consumers that dispatch on `type`. */
export const PURCHASE_EVENT_TYPES = {
  PurchaseStarted: 'PurchaseStarted',
  PurchaseUpdated: 'PurchaseUpdated',
  PurchaseTrialRestarted: 'PurchaseTrialRestarted',
  PurchaseTrialSkipped: 'PurchaseTrialSkipped',
  PurchaseCancellationScheduled: 'PurchaseCancellationScheduled',
  PurchaseCancelled: 'PurchaseCancelled',
  PurchasePaused: 'PurchasePaused',
  PurchaseResumed: 'PurchaseResumed',
  PurchaseProductChanged: 'PurchaseProductChanged',
  PurchaseReactivated: 'PurchaseReactivated',
  PurchaseRebillOrderPlaced: 'PurchaseRebillOrderPlaced',
  PurchaseBilled: 'PurchaseBilled',
  PurchaseRebillDeclined: 'PurchaseRebillDeclined',
  PurchaseRebillNotBilled: 'PurchaseRebillNotBilled',
  PurchaseRecycleScheduled: 'PurchaseRecycleScheduled',
  PurchaseRecycleFailed: 'PurchaseRecycleFailed',
  PurchaseCompleted: 'PurchaseCompleted',
  PurchaseFulfillmentRecorded: 'PurchaseFulfillmentRecorded',
} as const satisfies { [K in PurchaseEvent['type']]: K };

// ---- schemas --------------------------------------------------------------------------------

export const calendarDate = (): JsonSchema => ({ type: 'string', format: 'date' });
const status = () => oneOf(...PURCHASE_STATUSES);
const currency = () => str({ pattern: '^[A-Z]{3}$' });
export const salesTaxSchema = (): JsonSchema => obj({ mode: oneOf(...SALES_TAX_MODES), amount: minor() }, ['mode']);
export const billingIntervalSchema = (): JsonSchema => obj({ unit: oneOf(...INTERVAL_UNITS), count: int({ minimum: 1 }) });
const ref = { purchaseId: id(), customerId: id() };
const define = (type: string, description: string, properties: Record<string, JsonSchema>, optional: readonly string[] = []) => {
  const all = { ...ref, ...properties };
  return defineEvent(type, Topics.subscriptionsEvents, description, obj(all, Object.keys(all).filter((key) => !optional.includes(key))));
};

const termsProperties = () => ({
  productId: id(),
  sku: id(),
  name: id(),
  quantity: int({ minimum: 1 }),
  unitPrice: minor(),
  price: minor(),
  shippingPrice: minor(),
  salesTax: salesTaxSchema(),
  billingInterval: billingIntervalSchema(),
  finalBillCycle: int({ minimum: 1 }),
  merchantId: id(),
  insureShipment: bool(),
});

define(
  PURCHASE_EVENT_TYPES.PurchaseStarted,
  'An order with a recurring product completed: the purchase starts in TRIAL, billing cycle 1, next bill date = order date + trial days.',
  {
    ...termsProperties(),
    orderId: id(),
    orderItemId: id(),
    campaignId: id(),
    currency: currency(),
    orderDate: isoDate(),
    billingType: oneOf(...BILLING_TYPES),
    trialType: oneOf(...TRIAL_TYPES),
    trialDays: int({ minimum: 0 }),
    status: oneOf('TRIAL'),
    billingCycle: int({ minimum: 1, maximum: 1 }),
    nextBillDate: calendarDate(),
    timeZone: id(),
    transactionId: id(),
    amount: minor(),
  },
  ['finalBillCycle', 'merchantId', 'transactionId'],
);

define('PurchaseUpdated', 'An agent updated the purchase details (Update Purchase); `changes` holds each new value.', {
  changes: obj(
    {
      quantity: int({ minimum: 1 }),
      unitPrice: minor(),
      price: minor(),
      shippingPrice: minor(),
      nextBillDate: calendarDate(),
      salesTax: salesTaxSchema(),
      merchantId: id(),
      finalBillCycle: int({ minimum: 1 }),
      insureShipment: bool(),
    },
    [],
  ),
});

define('PurchaseTrialRestarted', 'Restart trial: back to day 1 of the trial (TRIAL, next bill date = today + trial days; the cycle number stays).', {
  previousStatus: status(),
  billingCycle: int({ minimum: 1 }),
  nextBillDate: calendarDate(),
  previousNextBillDate: nullable(calendarDate()),
});

define('PurchaseTrialSkipped', 'Skip trial: the purchase is billed now for cycle 2 (a RebillRequested follows).', { billingCycle: int({ minimum: 2 }) });

define(
  'PurchaseCancellationScheduled',
  'A cancellation takes effect later: after the next successful billing, or on a date (status CANCELLATION_SCHEDULED until then).',
  { when: oneOf('AFTER_NEXT_BILL', 'ON_DATE'), date: calendarDate(), reason: str({ minLength: 1 }), source: oneOf(...CANCEL_SOURCES), previousStatus: status() },
  ['date'],
);

define('PurchaseCancelled', 'The purchase is CANCELLED: no more rebills (it can be reactivated).', {
  reason: str({ minLength: 1 }),
  source: oneOf(...CANCEL_SOURCES),
  previousStatus: status(),
  billingCycle: int({ minimum: 1 }),
});

define('PurchasePaused', 'The purchase is PAUSED: no billing until it is resumed.', { previousStatus: status(), reason: str() }, ['reason']);

define('PurchaseResumed', 'The purchase billing resumes; its next bill date was recomputed and is never in the past.', {
  status: status(),
  nextBillDate: calendarDate(),
});

define(
  'PurchaseProductChanged',
  "The purchase now bills another product of its campaign; with applyProductDetails it also takes that product's price, shipping and billing terms.",
  {
    fromProductId: id(),
    productId: id(),
    applyProductDetails: bool(),
    sku: id(),
    name: id(),
    unitPrice: minor(),
    price: minor(),
    shippingPrice: minor(),
    billingInterval: billingIntervalSchema(),
    finalBillCycle: int({ minimum: 1 }),
  },
  ['unitPrice', 'price', 'shippingPrice', 'billingInterval', 'finalBillCycle'],
);

define('PurchaseReactivated', 'A RECYCLE_FAILED or CANCELLED purchase billing again from its current cycle.', {
  previousStatus: status(),
  status: status(),
  billingCycle: int({ minimum: 1 }),
  nextBillDate: calendarDate(),
});

define('PurchaseRebillOrderPlaced', 'orders placed the rebill order of this billing cycle (attempt: the request number within the cycle, 0 the first).', {
  orderId: id(),
  billingCycle: int({ minimum: 2 }),
  attempt: int({ minimum: 0 }),
});

const chargeProperties = () => ({
  orderId: id(),
  transactionId: id(),
  amount: minor(),
  currency: currency(),
  cardLast4: str({ pattern: '^[0-9]{4}$' }),
  cardBrand: id(),
  message: str(),
  at: isoDate(),
});

define(
  'PurchaseBilled',
  'A rebill was approved: the purchase moved into billingCycle (ACTIVE from cycle 2), its next bill date moved by the interval.',
  { ...chargeProperties(), billingCycle: int({ minimum: 2 }), previousStatus: status(), status: status(), nextBillDate: nullable(calendarDate()) },
  ['cardLast4', 'cardBrand'],
);

define(
  'PurchaseRebillDeclined',
  'A rebill was declined (SOFT_DECLINE may be recycled, HARD_DECLINE fails the recycle); the purchase stays in its cycle.',
  { ...chargeProperties(), response: oneOf(...REBILL_DECLINE_RESPONSES), billingCycle: int({ minimum: 2 }), attempt: int({ minimum: 0 }) },
  ['cardLast4', 'cardBrand'],
);

define(
  'PurchaseRebillNotBilled',
  'The bill in flight ended without a charge: orders refused its rebill order (REFUSED; RECYCLE_FAILED follows), QA declined the order (QA_DECLINED; RECYCLE_FAILED follows), it was cancelled (ORDER_CANCELLED; the cycle is due again) or its card was never charged (NOT_CHARGED, from a charge status query; the cycle is due again). A scheduled cancellation takes effect instead.',
  { orderId: id(), billingCycle: int({ minimum: 2 }), attempt: int({ minimum: 0 }), outcome: oneOf(...REBILL_NOT_BILLED_OUTCOMES), code: id(), reason: str(), at: isoDate() },
  ['code'],
);

define('PurchaseRecycleScheduled', 'RECYCLE_BILLING: the declined rebill is retried after delayMs (RECYCLE_DELAYS_MS).', {
  billingCycle: int({ minimum: 2 }),
  attempt: int({ minimum: 1 }),
  delayMs: int({ minimum: 0 }),
  retryAt: isoDate(),
  previousStatus: status(),
});

define('PurchaseRecycleFailed', 'RECYCLE_FAILED: a hard decline, every recycle retry declined, a rebill order refused by orders or declined by QA; the purchase can be reactivated.', {
  billingCycle: int({ minimum: 2 }),
  attempts: int({ minimum: 0 }),
  reason: oneOf(...RECYCLE_FAILURE_REASONS),
  previousStatus: status(),
});

define('PurchaseCompleted', 'COMPLETE: the final bill cycle was billed.', { billingCycle: int({ minimum: 1 }) });

define(
  'PurchaseFulfillmentRecorded',
  'A fulfillment of one of the purchase orders was created or changed status (kept for the purchase profile).',
  { fulfillmentId: id(), orderId: id(), status: id(), trackingNumber: id(), at: isoDate() },
  ['trackingNumber'],
);
