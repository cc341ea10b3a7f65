import { COD_UNDELIVERED_REASONS, CodUndeliveredReason } from '../fulfillment/fulfillment-events';

/** Kinds of transaction row a customer-service agent sees (Konnektive's "Type" column). */
export const TRANSACTION_TYPES = ['SALE', 'AUTHORIZE', 'CAPTURE', 'VOID', 'REFUND', 'COD', 'EXTERNAL'] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];

/** What the gateway (or the COD carrier) said. PENDING: a COD transaction waiting for its money. */
export const TRANSACTION_RESPONSES = ['SUCCESS', 'SOFT_DECLINE', 'HARD_DECLINE', 'PENDING'] as const;
export type TransactionResponse = (typeof TRANSACTION_RESPONSES)[number];

/** The two kinds of charge a client can ask a gateway for. */
export const CHARGE_TYPES = ['SALE', 'AUTHORIZE'] as const;
export type ChargeType = (typeof CHARGE_TYPES)[number];

/**
 * What a card charge is for. ORDER: the first charge of a new order; RERUN: a new charge after a soft
 * decline; REBILL: the first charge of a rebill order; UPSELL: the charge of one upsell item, which is
 * not the order's own payment.
 */
export const CHARGE_PURPOSES = ['ORDER', 'RERUN', 'UPSELL', 'REBILL'] as const;
export type ChargePurpose = (typeof CHARGE_PURPOSES)[number];

/** The purpose of a charge; an UPSELL names its order item. */
export type ChargeFor =
  | { readonly purpose: Exclude<ChargePurpose, 'UPSELL'> }
  | { readonly purpose: 'UPSELL'; readonly orderItemId: string };

export const DECLINE_RESPONSES = ['SOFT_DECLINE', 'HARD_DECLINE'] as const;
export type DeclineResponse = (typeof DECLINE_RESPONSES)[number];

export const CARD_BRANDS = ['VISA', 'MASTERCARD', 'AMEX', 'DISCOVER', 'UNKNOWN'] as const;
export type CardBrand = (typeof CARD_BRANDS)[number];

/**
 * The card as payments remembers it. `token` is the card vault's token (payments POST /cards), all
 * the gateway adapter needs to charge and refund; never the number.
 */
export type CardOnFile = {
  readonly token: string;
  readonly brand: CardBrand;
  readonly last4: string;
  readonly bin: string;
};

/**
 * The card vault's answer to payments POST /cards: an opaque token (`tok_…`) and what may be shown or
 * matched (brand, last four, BIN, expiry). The number and cvv stay behind; publishers of
 * `orders.intake.v1` send this instead of a card.
 */
export type TokenisedCard = CardOnFile & {
  readonly expMonth: number;
  readonly expYear: number;
};

/** How an agent marks a COD delivery that did not bring the money; the same values as fulfillment's. */
export const COD_UNDELIVERED_STATUSES = COD_UNDELIVERED_REASONS;
export type CodUndeliveredStatus = CodUndeliveredReason;

/** Whether a refund email is about a refund or a void. */
export const REFUND_EMAIL_KINDS = ['REFUND', 'VOID'] as const;
export type RefundEmailKind = (typeof REFUND_EMAIL_KINDS)[number];
