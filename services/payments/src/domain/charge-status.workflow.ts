import { CardBrand } from '@continuum/contracts';
import { ChargeResponse } from './charge-card.workflow';
import { GatewayStatus, GatewayStatusQuery } from './reversal-sweeps.workflow';
import { firstChargeId } from './transaction-ids';
import { ApprovedCharge, TransactionState, VoidedCharge, isCardCharge } from './transaction.state';

/**
 * An order's charge status (`GET /orders/:orderId/charge-status`, asked by subscriptions when a
 * rebill's outcome never arrived): what payments recorded of the order's card charge, else what the
 * gateway says it did under the charge's reference. Steps for `ChargeStatusHandler`
 * (commands/charge-status.handler.ts): `chargeStatusStart` (answer from the records, or ask the
 * gateway) and `chargeStatusFromGateway`.
 */

/**
 * APPROVED: the card was charged (recorded, or at the gateway); DECLINED: the gateway declined it;
 * NOT_CHARGED: nothing recorded and the gateway never received the charge; NOT_A_CARD_CHARGE: the
 * order is paid another way (external payment, COD), so its outcome is orders' to tell.
 */
export const CHARGE_STATUSES = ['APPROVED', 'DECLINED', 'NOT_CHARGED', 'NOT_A_CARD_CHARGE'] as const;
export type ChargeStatus = (typeof CHARGE_STATUSES)[number];

export interface ChargeStatusAnswer {
  readonly orderId: string;
  /** the charge's transaction id (null when the order is paid another way) */
  readonly transactionId: string | null;
  readonly status: ChargeStatus;
  /** RECORD: payments' own record; GATEWAY: the gateway's status query (payments recorded nothing) */
  readonly source: 'RECORD' | 'GATEWAY';
  readonly response?: ChargeResponse;
  readonly amount?: number;
  readonly currency?: string;
  readonly cardLast4?: string;
  readonly cardBrand?: CardBrand;
  readonly gatewayTransactionId?: string;
  readonly message: string;
  /** when the charge was recorded (RECORD only) */
  readonly at?: string;
}

/**
 * From the records: the order's charge approved (voided later counts: it was charged) or an approved
 * rerun of it, or declined, answers at once; an order paid another way is NOT_A_CARD_CHARGE;
 * otherwise the gateway is asked about the charge's reference (its transaction id).
 * `charge`: the order's own charge stream; `others`: the order's other transactions.
 */
export function chargeStatusStart(orderId: string, charge: TransactionState, others: readonly TransactionState[]): { readonly kind: 'ANSWER'; readonly answer: ChargeStatusAnswer } | { readonly kind: 'ASK'; readonly query: GatewayStatusQuery } {
  const approved = [charge, ...others].find((t): t is ApprovedCharge | VoidedCharge => isCardCharge(t) && t.purpose !== 'UPSELL');
  if (approved) return { kind: 'ANSWER', answer: recorded(orderId, approved, 'APPROVED', 'SUCCESS') };
  if (charge.status === 'DECLINED') return { kind: 'ANSWER', answer: recorded(orderId, charge, 'DECLINED', charge.response) };
  const otherWay = others.find((t) => t.status === 'EXTERNAL' || t.status === 'COD_PENDING' || t.status === 'COD_PAID' || t.status === 'COD_DECLINED');
  if (otherWay) return { kind: 'ANSWER', answer: { orderId, transactionId: null, status: 'NOT_A_CARD_CHARGE', source: 'RECORD', message: `the order is paid as ${otherWay.status}` } };
  return { kind: 'ASK', query: { operation: 'charge', reference: firstChargeId(orderId) } };
}

/** The gateway's status answer for the order's charge: charged, declined, or never received (NOT_CHARGED). */
export function chargeStatusFromGateway(orderId: string, status: GatewayStatus): ChargeStatusAnswer {
  const transactionId = firstChargeId(orderId);
  if (!status.found) return { orderId, transactionId, status: 'NOT_CHARGED', source: 'GATEWAY', message: 'the gateway never received the charge' };
  return {
    orderId,
    transactionId,
    status: status.succeeded ? 'APPROVED' : 'DECLINED',
    source: 'GATEWAY',
    response: status.response ?? (status.succeeded ? 'SUCCESS' : 'HARD_DECLINE'),
    ...(status.amount !== undefined ? { amount: status.amount } : {}),
    ...(status.currency !== undefined ? { currency: status.currency } : {}),
    ...(status.gatewayTransactionId !== undefined ? { gatewayTransactionId: status.gatewayTransactionId } : {}),
    message: status.message,
  };
}

function recorded(orderId: string, t: Extract<TransactionState, { status: 'APPROVED' | 'VOIDED' | 'DECLINED' }>, status: ChargeStatus, response: ChargeResponse): ChargeStatusAnswer {
  return {
    orderId,
    transactionId: t.transactionId,
    status,
    source: 'RECORD',
    response,
    amount: t.amount,
    currency: t.currency,
    cardLast4: t.card.last4,
    cardBrand: t.card.brand,
    ...(t.gatewayTransactionId !== null ? { gatewayTransactionId: t.gatewayTransactionId } : {}),
    message: t.message,
    at: t.createdAt,
  };
}
