import { DomainEvent } from '../core/envelope';
import { defineEvent, JsonSchema, registry } from '../core/registry';
import { arrayOf, bool, id, int, isoDate, minor, obj, oneOf, str } from '../core/schema-helpers';
import { Topics } from '../core/topics';
import { Address, addressSchema } from '../customers/address.schema';
import { BILLING_TYPES, BillingType, Trial, trialSchema } from './campaign.events';
import { CustomFields, customFieldsSchema } from './custom-fields';
import { OrderEmailEvent } from './order-email.events';

/** `PENDING` means held for QA and nothing else; `PARTIAL` is a lead without an order (no command makes one yet). */
export const ORDER_STATUSES = ['PARTIAL', 'PROCESSING', 'PENDING', 'COMPLETE', 'DECLINED', 'REFUNDED', 'CANCELLED', 'COD_PENDING'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const PAYMENT_TYPES = ['CARD', 'EXTERNAL', 'COD'] as const;
export type PaymentType = (typeof PAYMENT_TYPES)[number];

/** Why an order is held for QA. PREPAID is known only once the card was charged. */
export const QA_REASONS = ['FORCED', 'QA_RATE', 'EXTERNAL', 'PREPAID'] as const;
export type QaReason = (typeof QA_REASONS)[number];

export const DECLINE_SOURCES = ['PAYMENT', 'QA', 'COD'] as const;
export type DeclineSource = (typeof DECLINE_SOURCES)[number];

export const DECLINE_TYPES = ['SOFT', 'HARD'] as const;
export type DeclineType = (typeof DECLINE_TYPES)[number];

export const REFUND_KINDS = ['REFUND', 'VOID'] as const;
export type RefundKind = (typeof REFUND_KINDS)[number];

export const CANCEL_PURCHASES = ['NOW', 'AFTER_NEXT_BILL'] as const;
export type CancelPurchases = (typeof CANCEL_PURCHASES)[number];

/** A priced order line; the recurring fields are copied from the campaign product for subscriptions. */
export type OrderItem = {
  readonly orderItemId: string;
  readonly productId: string;
  readonly sku: string;
  readonly name: string;
  readonly quantity: number;
  readonly unitPrice: number;
  /** quantity x unitPrice */
  readonly price: number;
  readonly shippingPrice: number;
  readonly billingType: BillingType;
  readonly trial?: Trial;
  readonly rebillPrice?: number;
  readonly intervalDays?: number;
  readonly finalBillCycle?: number;
  /** on a RECURRING line: whether it starts a purchase (orders decides it when the order is placed; absent on orders placed before) */
  readonly subscribe?: boolean;
}

/** total = subtotal + shipping + salesTax - discount; `refunded` never exceeds `total`. */
export type OrderTotals = {
  readonly subtotal: number;
  readonly shipping: number;
  readonly salesTax: number;
  readonly discount: number;
  readonly total: number;
  readonly refunded: number;
}

/** What an order keeps of a card: never the number or cvv, only the card vault's token and display fields. */
export type CardSummary = {
  readonly token: string;
  readonly brand: string;
  readonly last4: string;
  readonly bin: string;
}

export type QaDecision = {
  readonly required: boolean;
  readonly reasons: readonly QaReason[];
}

/** Set on orders that bill a subscription cycle (placed in answer to RebillRequested). */
export type RebillInfo = {
  readonly purchaseId: string;
  readonly billingCycle: number;
  readonly originalOrderId: string;
  /** the merchant account the purchase bills on (set by an agent); payments charges the rebill there */
  readonly merchantId?: string;
}

/** What fulfillment and subscriptions need to act on an order without reading its stream. */
export type OrderSnapshot = {
  readonly orderId: string;
  readonly customerId: string;
  readonly campaignId: string;
  readonly currency: string;
  readonly paymentType: PaymentType;
  readonly items: readonly OrderItem[];
  readonly totals: OrderTotals;
  readonly shippingAddress?: Address;
  /** how the order ships (e.g. STANDARD, EXPRESS); fulfillment uses STANDARD when absent */
  readonly shippingMethod?: string;
  readonly rebill?: RebillInfo;
}

export type OrderPlaced = DomainEvent<
  'OrderPlaced',
  OrderSnapshot & {
    readonly card?: CardSummary;
    readonly qa: QaDecision;
    readonly clientOrderId?: string;
    readonly externalReference?: string;
    readonly ipAddress?: string;
    /** why an agent took `totals.discount` off the order */
    readonly discountReason?: string;
    /** the custom fields the order was placed with (absent when none) */
    readonly customFields?: CustomFields;
    readonly placedAt: string;
  }
>;
export type OrderSentToQa = DomainEvent<
  'OrderSentToQa',
  { readonly orderId: string; readonly customerId: string; readonly reasons: readonly QaReason[]; readonly transactionId: string }
>;
export type OrderApproved = DomainEvent<'OrderApproved', OrderSnapshot & { readonly transactionId?: string }>;
export type OrderCompleted = DomainEvent<'OrderCompleted', OrderSnapshot & { readonly transactionId: string }>;
export type OrderAwaitingCod = DomainEvent<'OrderAwaitingCod', OrderSnapshot & { readonly transactionId: string }>;
export type OrderDeclined = DomainEvent<
  'OrderDeclined',
  {
    readonly orderId: string;
    readonly customerId: string;
    readonly paymentType: PaymentType;
    readonly source: DeclineSource;
    /** set when source is PAYMENT or COD */
    readonly declineType?: DeclineType;
    /** the declined transaction, or (source QA) the charge that must now be voided or refunded */
    readonly transactionId?: string;
    readonly message?: string;
  }
>;
export type OrderRefunded = DomainEvent<
  'OrderRefunded',
  {
    readonly orderId: string;
    readonly customerId: string;
    readonly transactionId: string;
    readonly refundId?: string;
    readonly kind: RefundKind;
    readonly amount: number;
    readonly refundedTotal: number;
    readonly fullyRefunded: boolean;
  }
>;
export type OrderCancelled = DomainEvent<
  'OrderCancelled',
  {
    readonly orderId: string;
    readonly customerId: string;
    readonly paymentType: PaymentType;
    readonly reason: string;
    readonly fullRefund: boolean;
    readonly cancelPurchases?: CancelPurchases;
    readonly previousStatus: OrderStatus;
    /** the charge to refund when `fullRefund` */
    readonly transactionId?: string;
    /** total - refunded at the time of cancelling */
    readonly refundableAmount: number;
  }
>;
export type OrderRerunRequested = DomainEvent<
  'OrderRerunRequested',
  {
    readonly orderId: string;
    readonly customerId: string;
    readonly currency: string;
    readonly card?: CardSummary;
    readonly merchantId?: string;
    /** the declined charge to rerun; payments charges its own amount again (the rule is payments') */
    readonly previousTransactionId?: string;
  }
>;
export type UpsellAdded = DomainEvent<
  'UpsellAdded',
  {
    readonly orderId: string;
    readonly customerId: string;
    readonly currency: string;
    readonly paymentType: PaymentType;
    readonly card?: CardSummary;
    readonly orderItemId: string;
    readonly item: OrderItem;
    /** what the upsell's own charge is for: its price plus its shipping */
    readonly amount: number;
    readonly newTotals: OrderTotals;
  }
>;
/** An upsell's own charge was declined: the item leaves the order and its amount leaves the totals. */
export type UpsellDeclined = DomainEvent<
  'UpsellDeclined',
  {
    readonly orderId: string;
    readonly customerId: string;
    readonly orderItemId: string;
    /** the declined upsell charge */
    readonly transactionId: string;
    /** what left the order: the item's price plus its shipping */
    readonly amount: number;
    readonly newTotals: OrderTotals;
  }
>;
/**
 * A charge of the order was approved after the order was cancelled: payments must give that
 * transaction's money back (void, else refund).
 */
export type OrderPaymentReversalRequested = DomainEvent<
  'OrderPaymentReversalRequested',
  {
    readonly orderId: string;
    readonly customerId: string;
    readonly transactionId: string;
    readonly amount: number;
    readonly currency: string;
  }
>;
export type OrderCustomerReassigned = DomainEvent<
  'OrderCustomerReassigned',
  { readonly orderId: string; readonly fromCustomerId: string; readonly customerId: string }
>;

export type OrderEvent =
  | OrderPlaced
  | OrderSentToQa
  | OrderApproved
  | OrderCompleted
  | OrderAwaitingCod
  | OrderDeclined
  | OrderRefunded
  | OrderCancelled
  | OrderRerunRequested
  | UpsellAdded
  | UpsellDeclined
  | OrderPaymentReversalRequested
  | OrderCustomerReassigned
  | OrderEmailEvent;

/** The order event type strings, for consumers that dispatch on `type`. */
export const ORDER_EVENT_TYPES = {
  OrderPlaced: 'OrderPlaced',
  OrderSentToQa: 'OrderSentToQa',
  OrderApproved: 'OrderApproved',
  OrderCompleted: 'OrderCompleted',
  OrderAwaitingCod: 'OrderAwaitingCod',
  OrderDeclined: 'OrderDeclined',
  OrderRefunded: 'OrderRefunded',
  OrderCancelled: 'OrderCancelled',
  OrderRerunRequested: 'OrderRerunRequested',
  UpsellAdded: 'UpsellAdded',
  UpsellDeclined: 'UpsellDeclined',
  OrderPaymentReversalRequested: 'OrderPaymentReversalRequested',
  OrderCustomerReassigned: 'OrderCustomerReassigned',
  OrderEmailResendRequested: 'OrderEmailResendRequested',
  OrderConfirmationEmailSent: 'OrderConfirmationEmailSent',
} as const satisfies { [K in OrderEvent['type']]: K };

export const orderItemSchema = (): JsonSchema =>
  obj(
    {
      orderItemId: id(),
      productId: id(),
      sku: id(),
      name: id(),
      quantity: int({ minimum: 1 }),
      unitPrice: minor(),
      price: minor(),
      shippingPrice: minor(),
      billingType: oneOf(...BILLING_TYPES),
      trial: trialSchema(),
      rebillPrice: minor(),
      intervalDays: int({ minimum: 1 }),
      finalBillCycle: int({ minimum: 1 }),
      subscribe: bool(),
    },
    ['orderItemId', 'productId', 'sku', 'name', 'quantity', 'unitPrice', 'price', 'shippingPrice', 'billingType'],
  );

export const orderTotalsSchema = (): JsonSchema =>
  obj({ subtotal: minor(), shipping: minor(), salesTax: minor(), discount: minor(), total: minor(), refunded: minor() });

export const cardSummarySchema = (): JsonSchema =>
  obj({ token: id(), brand: id(), last4: str({ pattern: '^[0-9]{4}$' }), bin: str({ pattern: '^[0-9]{6,8}$' }) });

const currencySchema = () => str({ pattern: '^[A-Z]{3}$' });
const rebillSchema = () => obj({ purchaseId: id(), billingCycle: int({ minimum: 1 }), originalOrderId: id(), merchantId: id() }, ['purchaseId', 'billingCycle', 'originalOrderId']);

const snapshotProperties = () => ({
  orderId: id(),
  customerId: id(),
  campaignId: id(),
  currency: currencySchema(),
  paymentType: oneOf(...PAYMENT_TYPES),
  items: arrayOf(orderItemSchema(), { minItems: 1 }),
  totals: orderTotalsSchema(),
  shippingAddress: addressSchema(),
  shippingMethod: id(),
  rebill: rebillSchema(),
});
const snapshotRequired = ['orderId', 'customerId', 'campaignId', 'currency', 'paymentType', 'items', 'totals'];

defineEvent(
  ORDER_EVENT_TYPES.OrderPlaced,
  Topics.ordersEvents,
  'An order was accepted and priced (status PROCESSING); payments now charges the card, records the external payment or opens the COD transaction.',
  obj(
    {
      ...snapshotProperties(),
      card: cardSummarySchema(),
      qa: obj({ required: bool(), reasons: arrayOf(oneOf(...QA_REASONS)) }),
      clientOrderId: id(),
      externalReference: id(),
      ipAddress: id(),
      discountReason: str({ minLength: 1, maxLength: 500 }),
      customFields: customFieldsSchema(),
      placedAt: isoDate(),
    },
    [...snapshotRequired, 'qa', 'placedAt'],
  ),
);

defineEvent(
  ORDER_EVENT_TYPES.OrderSentToQa,
  Topics.ordersEvents,
  'The order is held for QA (status PENDING) after its payment was recorded; it does not ship until approved.',
  obj({ orderId: id(), customerId: id(), reasons: arrayOf(oneOf(...QA_REASONS), { minItems: 1 }), transactionId: id() }),
);

defineEvent(
  ORDER_EVENT_TYPES.OrderApproved,
  Topics.ordersEvents,
  'QA approved the order (status COMPLETE, or REFUNDED when part of it was refunded while held for QA; a fully refunded order cannot be approved; a COD order then also gets OrderAwaitingCod). Carries what fulfillment and subscriptions need.',
  obj({ ...snapshotProperties(), transactionId: id() }, snapshotRequired),
);

defineEvent(
  ORDER_EVENT_TYPES.OrderCompleted,
  Topics.ordersEvents,
  'The order is paid (card approved, external payment recorded or COD paid) and needs no QA: status COMPLETE.',
  obj({ ...snapshotProperties(), transactionId: id() }, [...snapshotRequired, 'transactionId']),
);

defineEvent(
  ORDER_EVENT_TYPES.OrderAwaitingCod,
  Topics.ordersEvents,
  'The COD transaction is open: the order waits for payment on delivery (status COD_PENDING) and may ship.',
  obj({ ...snapshotProperties(), transactionId: id() }, [...snapshotRequired, 'transactionId']),
);

defineEvent(
  ORDER_EVENT_TYPES.OrderDeclined,
  Topics.ordersEvents,
  'The order is DECLINED by its payment (SOFT may be rerun, HARD needs new payment details), by QA (a charge taken must be voided or refunded) or by a COD refusal.',
  obj(
    {
      orderId: id(),
      customerId: id(),
      paymentType: oneOf(...PAYMENT_TYPES),
      source: oneOf(...DECLINE_SOURCES),
      declineType: oneOf(...DECLINE_TYPES),
      transactionId: id(),
      message: str(),
    },
    ['orderId', 'customerId', 'paymentType', 'source'],
  ),
);

defineEvent(
  ORDER_EVENT_TYPES.OrderRefunded,
  Topics.ordersEvents,
  'Money went back to the customer (a refund or a void); refundedTotal is the order total refunded so far.',
  obj(
    {
      orderId: id(),
      customerId: id(),
      transactionId: id(),
      refundId: id(),
      kind: oneOf(...REFUND_KINDS),
      amount: int({ minimum: 1 }),
      refundedTotal: minor(),
      fullyRefunded: bool(),
    },
    ['orderId', 'customerId', 'transactionId', 'kind', 'amount', 'refundedTotal', 'fullyRefunded'],
  ),
);

defineEvent(
  ORDER_EVENT_TYPES.OrderCancelled,
  Topics.ordersEvents,
  'An agent cancelled the order with a reason; payments refunds when fullRefund, fulfillment cancels what has not shipped, subscriptions cancels the purchases when asked.',
  obj(
    {
      orderId: id(),
      customerId: id(),
      paymentType: oneOf(...PAYMENT_TYPES),
      reason: str({ minLength: 1 }),
      fullRefund: bool(),
      cancelPurchases: oneOf(...CANCEL_PURCHASES),
      previousStatus: oneOf(...ORDER_STATUSES),
      transactionId: id(),
      refundableAmount: minor(),
    },
    ['orderId', 'customerId', 'paymentType', 'reason', 'fullRefund', 'previousStatus', 'refundableAmount'],
  ),
);

const rerunProperties = () => ({
  orderId: id(),
  customerId: id(),
  currency: currencySchema(),
  card: cardSummarySchema(),
  merchantId: id(),
  previousTransactionId: id(),
});
defineEvent(
  ORDER_EVENT_TYPES.OrderRerunRequested,
  Topics.ordersEvents,
  'A soft-declined order is charged again (version 1: carried the order total as `amount`, which payments never charged).',
  obj({ ...rerunProperties(), amount: minor() }, ['orderId', 'customerId', 'currency', 'amount']),
);
defineEvent(
  ORDER_EVENT_TYPES.OrderRerunRequested,
  Topics.ordersEvents,
  "A soft-declined order is charged again (status PROCESSING), optionally on another merchant account. What is charged is payments' rule: the declined charge's own amount (previousTransactionId names it), so the event carries no amount.",
  obj(rerunProperties(), ['orderId', 'customerId', 'currency']),
  2,
);
registry.registerUpcaster({
  type: ORDER_EVENT_TYPES.OrderRerunRequested,
  fromVersion: 1,
  upcast: ({ amount: _amount, ...rest }: { amount: number } & Record<string, unknown>) => rest,
});

defineEvent(
  ORDER_EVENT_TYPES.UpsellAdded,
  Topics.ordersEvents,
  'An item was appended to an existing order; `amount` is its own charge (price + shipping).',
  obj(
    {
      orderId: id(),
      customerId: id(),
      currency: currencySchema(),
      paymentType: oneOf(...PAYMENT_TYPES),
      card: cardSummarySchema(),
      orderItemId: id(),
      item: orderItemSchema(),
      amount: minor(),
      newTotals: orderTotalsSchema(),
    },
    ['orderId', 'customerId', 'currency', 'paymentType', 'orderItemId', 'item', 'amount', 'newTotals'],
  ),
);

defineEvent(
  ORDER_EVENT_TYPES.UpsellDeclined,
  Topics.ordersEvents,
  "The upsell's own charge was declined: the item is removed from the order and `amount` (its price + shipping) from the totals (`newTotals`). Fulfillment and subscriptions should drop that item.",
  obj({ orderId: id(), customerId: id(), orderItemId: id(), transactionId: id(), amount: minor(), newTotals: orderTotalsSchema() }),
);

defineEvent(
  ORDER_EVENT_TYPES.OrderPaymentReversalRequested,
  Topics.ordersEvents,
  'A charge of the order (ORDER, RERUN or REBILL) was approved after the order was cancelled: payments voids that transaction, else refunds what remains of it. The order stays CANCELLED.',
  obj({ orderId: id(), customerId: id(), transactionId: id(), amount: minor(), currency: currencySchema() }),
);

defineEvent(
  ORDER_EVENT_TYPES.OrderCustomerReassigned,
  Topics.ordersEvents,
  'The order now belongs to another customer (after a customer merge).',
  obj({ orderId: id(), fromCustomerId: id(), customerId: id() }),
);
