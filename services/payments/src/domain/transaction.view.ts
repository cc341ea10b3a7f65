import { TransactionResponse, TransactionType, assertNever } from '@continuum/contracts';
import { cardDisplay } from './card';
import { COD_OPENED_MESSAGE } from './transaction.decider';
import { ApprovedCharge, RefundRecord, RefundStatus, TransactionState, VoidedCharge, refundedAmount, remainingRefundable } from './transaction.state';

/** One row of `GET /transactions`, plus currency, customer, message and chargeback for the agent. */
export type TransactionRow = {
  readonly transactionId: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly type: TransactionType;
  readonly response: TransactionResponse;
  readonly amount: number;
  readonly currency: string;
  /** succeeded refunds of this charge */
  readonly refundedAmount: number;
  /**
   * on the row that took a card charge's money (the sale, or the capture of an authorization): what
   * a refund may still take (remainingRefundable: the charge minus succeeded and in-flight refunds
   * and the marked chargeback; 0 while unsettled)
   */
  readonly refundableAmount?: number;
  readonly settled: boolean;
  /** "VISA 1111", "External Payment" or "COD" */
  readonly card: string;
  readonly message: string;
  /** on VOID, CAPTURE and REFUND rows: the charge they belong to */
  readonly parentTransactionId?: string;
  readonly voided?: boolean;
  readonly chargeback?: { readonly amount: number; readonly date: string; readonly reasonCode: string; readonly note: string | null } | null;
  readonly createdAt: string;
};

/** `GET /refunds/:id`: every gateway attempt, the first one included. */
export type RefundView = {
  readonly refundId: string;
  readonly transactionId: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly amount: number;
  readonly currency: string;
  /** PENDING only between the request and the first gateway attempt */
  readonly status: RefundStatus;
  readonly attempts: readonly { readonly at: string; readonly result: 'SUCCESS' | 'FAILED'; readonly message: string }[];
  readonly requestedAt: string;
};

export const EXTERNAL_CARD = 'External Payment';
export const COD_CARD = 'COD';

/**
 * The rows one transaction stream shows: the charge itself, then a CAPTURE row, a VOID row and a
 * REFUND row per refund, each with `parentTransactionId` = the charge.
 */
export function transactionRows(state: TransactionState): TransactionRow[] {
  switch (state.status) {
    case 'NONE':
      return [];
    case 'APPROVED':
    case 'VOIDED':
      return cardRows(state);
    case 'DECLINED':
      return [
        {
          ...idsOf(state),
          type: state.chargeType,
          response: state.response,
          amount: state.amount,
          currency: state.currency,
          refundedAmount: 0,
          settled: false,
          card: cardDisplay(state.card.brand, state.card.last4),
          message: state.message,
          createdAt: state.createdAt,
        },
      ];
    case 'EXTERNAL':
      return [{ ...idsOf(state), ...noMoney(state), type: 'EXTERNAL', response: 'SUCCESS', card: EXTERNAL_CARD, message: EXTERNAL_CARD }];
    case 'COD_PENDING': {
      const soft = state.failures.length > 0;
      const message = soft ? `COD ${describeCodFailure(state.failures[state.failures.length - 1].status)}` : COD_OPENED_MESSAGE;
      return [{ ...idsOf(state), ...noMoney(state), type: 'COD', response: soft ? 'SOFT_DECLINE' : 'PENDING', card: COD_CARD, message }];
    }
    case 'COD_PAID':
      return [{ ...idsOf(state), ...noMoney(state), type: 'COD', response: 'SUCCESS', card: COD_CARD, message: `COD paid, delivery confirmation ${state.deliveryConfirmation}` }];
    case 'COD_DECLINED':
      return [{ ...idsOf(state), ...noMoney(state), type: 'COD', response: 'HARD_DECLINE', card: COD_CARD, message: 'COD declined by the customer' }];
    default:
      return assertNever(state, 'transaction state');
  }
}

/** One refund of the transaction, or undefined. */
export function refundView(state: TransactionState, refundId: string): RefundView | undefined {
  return refundViews(state).find((r) => r.refundId === refundId);
}

/** Every refund of the transaction (filter on `status` for `GET /refunds?status=QUEUED`). */
export function refundViews(state: TransactionState): RefundView[] {
  if (state.status !== 'APPROVED') return [];
  return state.refunds.map((r) => ({
    ...idsOf(state),
    refundId: r.refundId,
    amount: r.amount,
    currency: state.currency,
    status: r.status,
    attempts: r.attempts.map((a) => ({ at: a.at, result: a.result, message: a.message })),
    requestedAt: r.requestedAt,
  }));
}

function cardRows(state: ApprovedCharge | VoidedCharge): TransactionRow[] {
  const card = cardDisplay(state.card.brand, state.card.last4);
  const settled = state.settledAt !== null;
  const refunded = refundedAmount(state);
  const refundable = remainingRefundable(state);
  const chargeback = state.chargeback ? { amount: state.chargeback.amount, date: state.chargeback.date, reasonCode: state.chargeback.reasonCode, note: state.chargeback.note } : null;
  const common = { ...idsOf(state), currency: state.currency, card };
  const child = { ...common, parentTransactionId: state.transactionId, refundedAmount: 0, settled: false };
  // Settlement and refunds belong to the row that took the money: the sale, or the capture of an authorization.
  const captured = state.capture;
  const rows: TransactionRow[] = [
    {
      ...common,
      type: state.chargeType,
      response: 'SUCCESS',
      amount: state.amount,
      refundedAmount: captured ? 0 : refunded,
      ...(captured ? {} : { refundableAmount: refundable }),
      settled: captured ? false : settled,
      message: state.message,
      voided: state.status === 'VOIDED',
      chargeback,
      createdAt: state.createdAt,
    },
  ];
  if (captured) {
    rows.push({ ...child, transactionId: captured.captureId, type: 'CAPTURE', response: 'SUCCESS', amount: captured.amount, refundedAmount: refunded, refundableAmount: refundable, settled, message: captured.message, createdAt: captured.at });
  }
  if (state.status === 'VOIDED') {
    rows.push({ ...child, transactionId: state.void.voidId, type: 'VOID', response: 'SUCCESS', amount: state.void.amount, message: state.void.message, createdAt: state.void.at });
  }
  for (const refund of state.refunds) rows.push({ ...child, ...refundRow(refund) });
  return rows;
}

function refundRow(refund: RefundRecord): Pick<TransactionRow, 'transactionId' | 'type' | 'response' | 'amount' | 'message' | 'createdAt'> {
  const last = refund.attempts[refund.attempts.length - 1];
  return {
    transactionId: refund.refundId,
    type: 'REFUND',
    response: refundResponse(refund.status),
    amount: refund.amount,
    message: last?.message ?? 'Refund requested',
    createdAt: refund.requestedAt,
  };
}

function refundResponse(status: RefundStatus): TransactionResponse {
  switch (status) {
    case 'SUCCEEDED':
      return 'SUCCESS';
    case 'PENDING':
    case 'QUEUED':
      return 'PENDING';
    case 'ABANDONED':
      return 'HARD_DECLINE';
    default:
      return assertNever(status, 'refund status');
  }
}

function describeCodFailure(status: 'SCHEDULED_FOR_REATTEMPT' | 'SCHEDULED_FOR_PICKUP' | 'DECLINED'): string {
  switch (status) {
    case 'SCHEDULED_FOR_REATTEMPT':
      return 'undelivered, scheduled for reattempt';
    case 'SCHEDULED_FOR_PICKUP':
      return 'undelivered, scheduled for pickup';
    case 'DECLINED':
      return 'declined by the customer';
    default:
      return assertNever(status, 'COD status');
  }
}

const noMoney = (state: { amount: number; currency: string; createdAt: string }) => ({
  amount: state.amount,
  currency: state.currency,
  refundedAmount: 0,
  settled: false,
  createdAt: state.createdAt,
});

const idsOf = (x: { transactionId: string; orderId: string; customerId: string }) => ({
  transactionId: x.transactionId,
  orderId: x.orderId,
  customerId: x.customerId,
});
