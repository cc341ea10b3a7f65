import { CARD_BRANDS, CardBrand, ChargePurpose } from '@continuum/contracts';
import { ChargeRequest } from './order.reactions';
import { ChargeGatewayResult, RecordCharge } from './transaction.commands';
import { TransactionState } from './transaction.state';

/**
 * Charging a card (a new order, a rerun, an upsell or a rebill): read the transaction, call the
 * gateway, record its answer. The decisions between those steps, for `ChargeCardHandler`
 * (commands/charge-card.handler.ts): `chargeStart` (recorded already, or the gateway call) and
 * `chargeRecord` (what is recorded of the answer).
 */

/** The merchant account a charge goes to when the order names none. */
export const DEFAULT_MERCHANT_ID = 'default';

/** The response a charge answers: the gateway's, or the recorded one for a charge seen before. */
export type ChargeResponse = 'SUCCESS' | 'SOFT_DECLINE' | 'HARD_DECLINE';

/** The gateway's charge request: the vault token, the amount, and the transaction id as the reference. */
export interface ChargeCall {
  readonly token: string;
  readonly amount: number;
  readonly currency: string;
  readonly reference: string;
  readonly merchantId: string;
  readonly purpose: ChargePurpose;
}

/**
 * A charge whose transaction records an outcome (a redelivered cause) answers that outcome and is
 * never sent to the gateway again; otherwise the gateway is called, referenced by the transaction id
 * (derived from the cause, so a real gateway can deduplicate a repeated call).
 */
export function chargeStart(state: TransactionState, request: ChargeRequest): { readonly kind: 'RECORDED'; readonly response: ChargeResponse } | { readonly kind: 'CALL'; readonly call: ChargeCall } {
  if (state.status === 'APPROVED' || state.status === 'VOIDED') return { kind: 'RECORDED', response: 'SUCCESS' };
  if (state.status === 'DECLINED') return { kind: 'RECORDED', response: state.response };
  return {
    kind: 'CALL',
    call: { token: request.card.token, amount: request.amount, currency: request.currency, reference: request.transactionId, merchantId: request.merchantId ?? DEFAULT_MERCHANT_ID, purpose: request.for.purpose },
  };
}

/**
 * What is recorded of the gateway's answer: the charge as asked, the card's token, last four and
 * six-digit BIN (never more of it), and its brand: the gateway's, else the one the vault gave the card.
 */
export function chargeRecord(request: ChargeRequest, answer: ChargeGatewayResult & { readonly brand: CardBrand }): Pick<RecordCharge, 'type' | 'data'> {
  const { brand, ...gatewayResult } = answer;
  return {
    type: 'RecordCharge',
    data: {
      transactionId: request.transactionId,
      orderId: request.orderId,
      customerId: request.customerId,
      type: request.type ?? 'SALE',
      amount: request.amount,
      currency: request.currency,
      card: { token: request.card.token, brand: brand === 'UNKNOWN' ? knownBrand(request.card.brand) : brand, last4: request.card.last4, bin: request.card.bin.slice(0, 6) },
      merchantId: request.merchantId ?? DEFAULT_MERCHANT_ID,
      gatewayResult,
      ...(request.rerunOf !== undefined ? { rerunOf: request.rerunOf } : {}),
      ...request.for,
    },
  };
}

/** The brand the card vault gave the card (orders carries it as a plain string). */
const knownBrand = (brand: string): CardBrand => ((CARD_BRANDS as readonly string[]).includes(brand) ? (brand as CardBrand) : 'UNKNOWN');
