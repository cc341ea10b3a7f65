import {
  Address,
  BlacklistEntryType,
  CampaignSnapshot,
  CancelPurchases,
  Command,
  ConfirmationEmailReason,
  CustomFields,
  OrderEmailKind,
  PaymentType,
  RebillInfo,
  RefundKind,
} from '@continuum/contracts';

/** An order line as asked for; `unitPrice` overrides the catalog (0 = free replacement). */
export interface ItemRequest {
  readonly orderItemId: string;
  readonly productId: string;
  readonly quantity: number;
  readonly unitPrice?: number;
  /** overrides the catalog shipping (rebills carry the purchase's own shipping price) */
  readonly shippingPrice?: number;
  /** a RECURRING line: start a purchase (absent: only on a CARD order) */
  readonly subscribe?: boolean;
}

/** An amount (minor units) an agent or admin takes off an order, and why. */
export interface OrderDiscount {
  readonly amount: number;
  readonly reason: string;
}

/**
 * A tokenised card: payments' card vault turned the number into `token` (POST /cards); the number
 * and cvv never reach orders' events.
 * The expiry is absent when the card comes from an earlier order (rebills): orders never stored it.
 */
export interface CardDetails {
  readonly token: string;
  readonly brand: string;
  readonly last4: string;
  readonly bin: string;
  readonly expMonth?: number;
  readonly expYear?: number;
}

/** The blacklist entry that blocks this order, as `matchBlacklist` found it. */
export interface BlacklistMatch {
  readonly entryId: string;
  readonly type: BlacklistEntryType;
  readonly value: string;
  readonly reason?: string;
}

/**
 * Everything placing an order needs, looked up beforehand by the caller: the campaign snapshot,
 * the blacklist match (or null) and the QA roll, a number in [0, 1) compared with the campaign's QA rate.
 */
export type PlaceOrder = Command<
  'PlaceOrder',
  {
    orderId: string;
    customerId: string;
    campaign: CampaignSnapshot;
    items: readonly ItemRequest[];
    paymentType: PaymentType;
    card?: CardDetails;
    shippingAddress?: Address;
    /** one of the campaign's shipping methods; absent: the campaign's first (none when it lists none) */
    shippingMethod?: string;
    forceQa: boolean;
    qaRoll: number;
    blacklistMatch: BlacklistMatch | null;
    clientOrderId?: string;
    externalReference?: string;
    ipAddress?: string;
    rebill?: RebillInfo;
    /** a rebill's sales tax as its purchase says (minor units); other orders compute none */
    salesTax?: number;
    discount?: OrderDiscount;
    /** the customer has a card on file (an earlier order paid by card): an EXTERNAL or COD order may then subscribe */
    cardOnFile?: boolean;
    /** at most 20, names 1..40 characters, values up to 500 (domain/custom-fields.ts); "" is not stored */
    customFields?: CustomFields;
  }
>;

/** The card charge succeeded; `prepaid` when the gateway says the card is a prepaid card. */
export type RecordPaymentApproved = Command<'RecordPaymentApproved', { orderId: string; transactionId: string; amount: number; prepaid: boolean }>;
export type RecordExternalPayment = Command<'RecordExternalPayment', { orderId: string; transactionId: string }>;
export type RecordPaymentDeclined = Command<
  'RecordPaymentDeclined',
  { orderId: string; transactionId: string; response: 'SOFT_DECLINE' | 'HARD_DECLINE'; message: string }
>;
/**
 * The charge of one upsell item was approved (payments' PaymentApproved with purpose UPSELL). The order
 * took the item when it was added, so this matters only when the money can no longer buy anything.
 */
export type RecordUpsellApproved = Command<'RecordUpsellApproved', { orderId: string; orderItemId: string; transactionId: string; amount: number }>;
/** The charge of one upsell item was declined (payments' PaymentDeclined with purpose UPSELL). */
export type RecordUpsellDeclined = Command<'RecordUpsellDeclined', { orderId: string; orderItemId: string; transactionId: string }>;
export type RecordCodOpened = Command<'RecordCodOpened', { orderId: string; transactionId: string }>;
export type RecordCodPaid = Command<'RecordCodPaid', { orderId: string; transactionId: string }>;
export type RecordCodDeclined = Command<'RecordCodDeclined', { orderId: string; transactionId: string }>;
/** Money went back: a refund (pass its `refundId`, partial refunds of one charge differ by it) or a void. */
export type RecordRefund = Command<
  'RecordRefund',
  { orderId: string; refundId?: string; transactionId: string; amount: number; kind: RefundKind }
>;
export type ApproveQa = Command<'ApproveQa', { orderId: string }>;
export type DeclineQa = Command<'DeclineQa', { orderId: string }>;
export type CancelOrder = Command<
  'CancelOrder',
  { orderId: string; reason: string; fullRefund: boolean; cancelPurchases?: CancelPurchases }
>;
export type RerunOrder = Command<'RerunOrder', { orderId: string; merchantId?: string }>;
/** The product must be in `campaign`, the snapshot of the campaign the order was placed on. */
export type AddUpsell = Command<
  'AddUpsell',
  { orderId: string; orderItemId: string; productId: string; quantity: number; unitPrice?: number; campaign: CampaignSnapshot }
>;
export type ReassignOrderCustomer = Command<'ReassignOrderCustomer', { orderId: string; customerId: string }>;
/** An agent asks for an order's email again (POST /orders/:id/resend-email). */
export type ResendOrderEmail = Command<'ResendOrderEmail', { orderId: string; kind: OrderEmailKind }>;
/** The confirmation email went to `to`, caused by the event `causeEventId`. */
export type RecordConfirmationEmailSent = Command<'RecordConfirmationEmailSent', { orderId: string; to: string; reason: ConfirmationEmailReason; causeEventId: string }>;

export type OrderCommand =
  | PlaceOrder
  | RecordPaymentApproved
  | RecordExternalPayment
  | RecordPaymentDeclined
  | RecordUpsellApproved
  | RecordUpsellDeclined
  | RecordCodOpened
  | RecordCodPaid
  | RecordCodDeclined
  | RecordRefund
  | ApproveQa
  | DeclineQa
  | CancelOrder
  | RerunOrder
  | AddUpsell
  | ReassignOrderCustomer
  | ResendOrderEmail
  | RecordConfirmationEmailSent;

/** Any order command but PlaceOrder and AddUpsell, without its metadata (the runner adds it). */
export type OrderChange = Exclude<OrderCommand, { type: 'PlaceOrder' | 'AddUpsell' }> extends infer C
  ? C extends OrderCommand
    ? Pick<C, 'type' | 'data'>
    : never
  : never;
