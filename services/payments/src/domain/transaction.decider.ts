import { ChargeFor, Decider, DomainError, PaymentsEvent, allowedFrom, assertMinorUnits, assertNever } from '@continuum/contracts';
import { nextStepAfterFailure } from './refund-policy';
import {
  CaptureAuthorization,
  MarkChargeback,
  MarkCodPaid,
  MarkCodUndelivered,
  RecordCharge,
  RecordRefundAttempt,
  RequestRefund,
  RequestVoid,
  ResendRefundEmail,
  Settle,
  TransactionCommand,
  Void,
} from './transaction.commands';
import {
  ApprovedCharge,
  DeclinedCharge,
  TransactionState,
  chargedAmount,
  evolveTransaction,
  findRefund,
  initialTransactionState,
  isSettleable,
  chargebackLimit,
  refundedAmount,
  remainingRefundable,
  voidFailed,
} from './transaction.state';
import { GuardedTransactionCommand, REFUND_TRANSITIONS, TRANSACTION_TRANSITIONS, refundAllows } from './transaction.transitions';

type Existing = Exclude<TransactionState, { status: 'NONE' }>;

/**
 * The life of one payments transaction (stream `transaction-<transactionId>`): a card charge with its
 * settlement, void, refunds and chargeback, or an EXTERNAL payment, or a COD transaction.
 * Gateway calls happen before `decide`; their outcome arrives in the command.
 */
export const transactionDecider: Decider<TransactionCommand, PaymentsEvent, TransactionState> = {
  initialState: initialTransactionState,
  evolve: evolveTransaction,
  decide: (command, state) => {
    switch (command.type) {
      case 'RecordCharge':
        return recordCharge(command, state);
      case 'RecordExternalPayment': {
        // the same order's payment again (its OrderPlaced republished): recorded already, nothing to do
        if (state.status === 'EXTERNAL' && state.orderId === command.data.orderId) return [];
        assertNew(state);
        const d = command.data;
        assertMinorUnits(d.amount, { field: 'amount' });
        return [event('ExternalPaymentRecorded', { ...idsOf(d), amount: d.amount, currency: d.currency, at: command.metadata.now })];
      }
      case 'OpenCodTransaction': {
        // the same order's COD transaction again: opened already (and maybe paid or declined since)
        if (isCod(state) && state.orderId === command.data.orderId) return [];
        assertNew(state);
        const d = command.data;
        assertMinorUnits(d.amount, { field: 'amount' });
        return [
          event('CodTransactionOpened', {
            ...idsOf(d),
            amount: d.amount,
            currency: d.currency,
            response: 'PENDING',
            message: COD_OPENED_MESSAGE,
            at: command.metadata.now,
          }),
        ];
      }
      case 'CaptureAuthorization':
        return capture(command, state);
      case 'MarkCodPaid':
        return markCodPaid(command, state);
      case 'MarkCodUndelivered':
        return markCodUndelivered(command, state);
      case 'Settle':
        return settle(command, state);
      case 'RequestVoid':
        return requestVoid(command, state);
      case 'Void':
        return voidCharge(command, state);
      case 'RequestRefund':
        return requestRefund(command, state);
      case 'RecordRefundAttempt':
        return recordRefundAttempt(command, state);
      case 'ResendRefundEmail':
        return resendRefundEmail(command, state);
      case 'MarkChargeback':
        return markChargeback(command, state);
      case 'RevertChargeback': {
        const charge = assertApprovedCharge(state, 'RevertChargeback');
        if (!charge.chargeback) throw new DomainError('NO_CHARGEBACK', 'there is no chargeback to revert on this transaction');
        return [event('ChargebackReverted', { ...idsOf(charge), amount: charge.chargeback.amount, at: command.metadata.now })];
      }
      default:
        return assertNever(command, 'transaction command');
    }
  },
};

/** The response text of a new COD transaction, as the transaction list shows it. */
export const COD_OPENED_MESSAGE = 'Payment marked as COD';

// ---- guards, exported so an adapter can check a rule before it calls the gateway ----------------

/** The transaction exists; otherwise a not-found DomainError. */
export function assertExists(state: TransactionState): Existing {
  if (state.status === 'NONE') throw new DomainError('TRANSACTION_NOT_FOUND', 'transaction not found', 'not-found');
  return state;
}

/** An approved, unvoided card charge, as `command` needs (TRANSACTION_TRANSITIONS: CHARGE_VOIDED, NOT_A_CHARGE otherwise). */
export function assertApprovedCharge(state: TransactionState, command: GuardedTransactionCommand): ApprovedCharge {
  const existing = assertExists(state);
  allowedFrom(TRANSACTION_TRANSITIONS, command, existing.status);
  return existing as ApprovedCharge;
}

/** Void is possible: an approved charge, unsettled, with no refund (a void is only of an unsettled charge, only in full). */
export function assertCanVoid(state: TransactionState, command: 'RequestVoid' | 'Void' = 'RequestVoid'): ApprovedCharge {
  const charge = assertApprovedCharge(state, command);
  if (charge.settledAt !== null) throw new DomainError('CHARGE_SETTLED', 'a settled charge cannot be voided');
  if (charge.refunds.length > 0) throw new DomainError('CHARGE_REFUNDED', 'a charge with a refund cannot be voided');
  return charge;
}

/**
 * Refund is possible: a settled charge (or an unsettled one whose void the gateway refused: the
 * refund follows the failed void) and an amount (default: all that remains) that is positive
 * and not more than remains (remainingRefundable: the marked chargeback counts). Returns the amount to refund.
 */
export function assertCanRefund(state: TransactionState, amount?: number): number {
  const charge = assertApprovedCharge(state, 'RequestRefund');
  if (charge.settledAt === null && !voidFailed(charge)) {
    throw new DomainError('CHARGE_NOT_SETTLED', 'an unsettled charge cannot be refunded; void it instead');
  }
  const remaining = remainingRefundable(charge);
  if (amount === undefined) {
    if (remaining === 0) throw new DomainError('NOTHING_TO_REFUND', 'nothing of this charge is left to refund');
    return remaining;
  }
  assertMinorUnits(amount, { field: 'amount', min: 1 });
  if (amount > remaining) {
    throw new DomainError('REFUND_EXCEEDS_REMAINING', `the refund exceeds what remains to refund (${remaining})`, 'rule', { field: 'amount', remaining });
  }
  return amount;
}

/** A rerun is possible: the transaction is a soft decline (a hard decline needs new payment details). */
export function assertCanRerun(state: TransactionState): DeclinedCharge {
  const existing = assertExists(state);
  if (existing.status !== 'DECLINED') throw new DomainError('NOT_DECLINED', 'only a declined charge can be rerun');
  if (existing.response === 'HARD_DECLINE') throw new DomainError('HARD_DECLINE', 'a hard decline cannot be rerun; new payment details are needed');
  return existing;
}

// ---- one function per command ----------------------------------------------------------------

function recordCharge(command: RecordCharge, state: TransactionState): PaymentsEvent[] {
  assertNew(state);
  const d = command.data;
  assertMinorUnits(d.amount, { field: 'amount' });
  const common = {
    ...idsOf(d),
    type: d.type,
    amount: d.amount,
    currency: d.currency,
    card: d.card,
    merchantId: d.merchantId,
    gatewayTransactionId: d.gatewayResult.gatewayTransactionId ?? null,
    message: d.gatewayResult.message,
    rerunOf: d.rerunOf ?? null,
    at: command.metadata.now,
    ...chargeFor(d),
  };
  const response = d.gatewayResult.response;
  if (response === 'SUCCESS') return [event('PaymentApproved', { ...common, response, prepaid: d.gatewayResult.prepaid })];
  return [event('PaymentDeclined', { ...common, response })];
}

function capture(command: CaptureAuthorization, state: TransactionState): PaymentsEvent[] {
  const charge = assertApprovedCharge(state, 'CaptureAuthorization');
  if (charge.chargeType !== 'AUTHORIZE') throw new DomainError('NOT_AN_AUTHORIZATION', 'only an authorization can be captured');
  const d = command.data;
  if (charge.capture) {
    if (charge.capture.captureId === d.captureId) return [];
    throw new DomainError('ALREADY_CAPTURED', 'the authorization was already captured');
  }
  const amount = d.amount ?? charge.amount;
  assertMinorUnits(amount, { field: 'amount', min: 1 });
  if (amount > charge.amount) throw new DomainError('CAPTURE_EXCEEDS_AUTHORIZATION', `at most the authorized ${charge.amount} can be captured`);
  if (!d.gatewayResult.succeeded) throw new DomainError('CAPTURE_FAILED', `the gateway did not capture: ${d.gatewayResult.message}`);
  return [
    event('AuthorizationCaptured', {
      ...idsOf(charge),
      captureId: d.captureId,
      amount,
      currency: charge.currency,
      gatewayTransactionId: d.gatewayResult.gatewayTransactionId ?? null,
      message: d.gatewayResult.message,
      at: command.metadata.now,
    }),
  ];
}

function markCodPaid(command: MarkCodPaid, state: TransactionState): PaymentsEvent[] {
  const existing = assertExists(state);
  // paid already (the carrier's report again): nothing to do
  if (existing.status === 'COD_PAID') return [];
  allowedFrom(TRANSACTION_TRANSITIONS, 'MarkCodPaid', existing.status);
  return [
    event('CodPaymentReceived', {
      ...idsOf(existing),
      amount: existing.amount,
      response: 'SUCCESS',
      deliveryConfirmation: command.data.deliveryConfirmation,
      date: command.data.date,
      at: command.metadata.now,
    }),
  ];
}

function markCodUndelivered(command: MarkCodUndelivered, state: TransactionState): PaymentsEvent[] {
  const existing = assertExists(state);
  allowedFrom(TRANSACTION_TRANSITIONS, 'MarkCodUndelivered', existing.status);
  const final = command.data.status === 'DECLINED';
  return [
    event('CodDeliveryFailed', {
      ...idsOf(existing),
      status: command.data.status,
      final,
      response: final ? 'HARD_DECLINE' : 'SOFT_DECLINE',
      at: command.metadata.now,
    }),
  ];
}

function settle(command: Settle, state: TransactionState): PaymentsEvent[] {
  const existing = assertExists(state);
  // A void or a second settlement run racing this one leaves nothing to do.
  if (existing.status === 'VOIDED') return [];
  allowedFrom(TRANSACTION_TRANSITIONS, 'Settle', existing.status);
  if (existing.status !== 'APPROVED' || existing.settledAt !== null) return [];
  // A reserved void may be at the gateway right now: settling would make its record impossible.
  if (existing.pendingVoid !== null) return [];
  if (!isSettleable(existing)) throw new DomainError('NOT_CAPTURED', 'an authorization settles only once it is captured');
  return [event('ChargeSettled', { ...idsOf(existing), amount: chargedAmount(existing), settledAt: command.metadata.now })];
}

function requestVoid(command: RequestVoid, state: TransactionState): PaymentsEvent[] {
  const voidId = command.data.voidId;
  if (state.status === 'VOIDED') {
    if (state.void.voidId === voidId) return [];
    throw new DomainError('ALREADY_VOIDED', 'the charge was already voided');
  }
  const charge = assertCanVoid(state);
  if (charge.pendingVoid !== null) {
    if (charge.pendingVoid.voidId === voidId) return [];
    throw new DomainError('VOID_PENDING', 'another void of this charge is in progress', 'conflict');
  }
  return [event('VoidRequested', { ...idsOf(charge), voidId, amount: voidAmount(charge), currency: charge.currency, at: command.metadata.now })];
}

function voidCharge(command: Void, state: TransactionState): PaymentsEvent[] {
  const d = command.data;
  if (state.status === 'VOIDED') {
    if (state.void.voidId === d.voidId) return [];
    throw new DomainError('ALREADY_VOIDED', 'the charge was already voided');
  }
  const charge = assertCanVoid(state, 'Void');
  const reserved = charge.pendingVoid?.voidId === d.voidId;
  if (!d.gatewayResult.succeeded) {
    if (reserved) return [event('VoidFailed', { ...idsOf(charge), voidId: d.voidId, message: d.gatewayResult.message, at: command.metadata.now })];
    throw new DomainError('VOID_FAILED', `the gateway did not void the charge: ${d.gatewayResult.message}`);
  }
  return [
    event('ChargeVoided', {
      ...idsOf(charge),
      voidId: d.voidId,
      amount: voidAmount(charge),
      currency: charge.currency,
      gatewayTransactionId: d.gatewayResult.gatewayTransactionId ?? null,
      message: d.gatewayResult.message,
      autoCancel: d.autoCancel,
      at: command.metadata.now,
    }),
  ];
}

function requestRefund(command: RequestRefund, state: TransactionState): PaymentsEvent[] {
  const amount = assertCanRefund(state, command.data.amount);
  const charge = state as ApprovedCharge;
  if (findRefund(charge, command.data.refundId)) throw new DomainError('REFUND_EXISTS', 'a refund with this id exists', 'conflict');
  return [event('RefundRequested', { ...idsOf(charge), refundId: command.data.refundId, amount, currency: charge.currency, at: command.metadata.now })];
}

function recordRefundAttempt(command: RecordRefundAttempt, state: TransactionState): PaymentsEvent[] {
  assertExists(state);
  const d = command.data;
  const refund = findRefund(state, d.refundId);
  // Unknown, finished or already recorded: a redelivered job changes nothing.
  if (!refund || !refundAllows('RecordRefundAttempt', refund.status)) return [];
  if (d.attempt <= refund.attempts.length) return [];
  if (d.attempt !== refund.attempts.length + 1) {
    throw new DomainError('REFUND_ATTEMPT_OUT_OF_ORDER', `expected attempt ${refund.attempts.length + 1}, got ${d.attempt}`, 'conflict');
  }
  const charge = state as ApprovedCharge;
  const ids = { ...idsOf(charge), refundId: refund.refundId, amount: refund.amount };
  const at = command.metadata.now;
  if (d.succeeded) {
    const refundedTotal = refundedAmount(charge) + refund.amount;
    return [
      event('RefundSucceeded', {
        ...ids,
        currency: charge.currency,
        attempt: d.attempt,
        gatewayTransactionId: d.gatewayTransactionId ?? null,
        message: d.message,
        refundedTotal,
        fullyRefunded: refundedTotal === chargedAmount(charge),
        autoCancel: d.autoCancel,
        at,
      }),
    ];
  }
  const failed = event('RefundFailed', { ...ids, attempt: d.attempt, message: d.message, outcome: d.outcome ?? 'REJECTED', at });
  const next = nextStepAfterFailure(d.attempt);
  // Refused because the charge has not settled, and it still has not: the retry waits for the
  // settlement (a charge that settled meanwhile is retried after the usual delay).
  const afterSettlement = d.outcome === 'NOT_SETTLED' && charge.settledAt === null;
  switch (next.action) {
    case 'RETRY':
      return [failed, event('RefundQueued', { ...ids, retryNumber: next.retryNumber, ...(afterSettlement ? { afterSettlement } : {}), at })];
    case 'ABANDON':
      return [failed, event('RefundAbandoned', { ...ids, attempts: d.attempt, lastMessage: d.message, at })];
    default:
      return assertNever(next, 'refund step');
  }
}

function resendRefundEmail(command: ResendRefundEmail, state: TransactionState): PaymentsEvent[] {
  const existing = assertExists(state);
  const refundId = command.data.refundId;
  const at = command.metadata.now;
  if (existing.status === 'VOIDED' && (refundId === existing.void.voidId || refundId === existing.transactionId)) {
    return [event('RefundEmailResent', { ...idsOf(existing), refundId: existing.void.voidId, kind: 'VOID', amount: existing.void.amount, currency: existing.currency, at })];
  }
  const refund = findRefund(existing, refundId);
  if (!refund) throw new DomainError('REFUND_NOT_FOUND', 'refund not found', 'not-found');
  allowedFrom(REFUND_TRANSITIONS, 'ResendRefundEmail', refund.status);
  return [event('RefundEmailResent', { ...idsOf(existing), refundId, kind: 'REFUND', amount: refund.amount, currency: existing.currency, at })];
}

/**
 * A chargeback is marked on a settled charge (the card network disputes money that settled; an
 * unsettled charge is voided instead, and a void beside a chargeback would give the money back twice),
 * at most what the charge took (CHARGEBACK_EXCEEDS_CHARGE) and at most what succeeded and in-flight
 * refunds leave of it (CHARGEBACK_EXCEEDS_REMAINING): refunded + in flight + chargeback <= charged.
 */
function markChargeback(command: MarkChargeback, state: TransactionState): PaymentsEvent[] {
  const charge = assertApprovedCharge(state, 'MarkChargeback');
  const d = command.data;
  if (charge.chargeback) throw new DomainError('CHARGEBACK_ALREADY_MARKED', 'a chargeback is already marked on this transaction');
  assertMinorUnits(d.amount, { field: 'amount', min: 1 });
  if (charge.settledAt === null) throw new DomainError('CHARGE_NOT_SETTLED', 'a chargeback can be marked only on a settled charge; void an unsettled one instead');
  const max = chargedAmount(charge);
  if (d.amount > max) throw new DomainError('CHARGEBACK_EXCEEDS_CHARGE', `a chargeback cannot exceed the charge (${max})`, 'rule', { field: 'amount', charged: max });
  const limit = chargebackLimit(charge);
  if (d.amount > limit) {
    throw new DomainError('CHARGEBACK_EXCEEDS_REMAINING', `a chargeback cannot exceed what refunds and refunds in flight leave of the charge (${limit})`, 'rule', { field: 'amount', remaining: limit });
  }
  return [
    event('ChargebackMarked', {
      ...idsOf(charge),
      amount: d.amount,
      date: d.date,
      reasonCode: d.reasonCode,
      note: d.note ?? null,
      at: command.metadata.now,
    }),
  ];
}

// ---- small helpers ---------------------------------------------------------------------------

/** Only in full: an authorization releases all it held, a sale returns all it took. */
const voidAmount = (charge: ApprovedCharge): number => (charge.chargeType === 'AUTHORIZE' ? charge.amount : chargedAmount(charge));

/** Only the purpose fields of a charge command: an UPSELL keeps its item, the others carry none. */
function chargeFor(d: ChargeFor): ChargeFor {
  return d.purpose === 'UPSELL' ? { purpose: d.purpose, orderItemId: d.orderItemId } : { purpose: d.purpose };
}

const isCod = (state: TransactionState): state is Extract<TransactionState, { status: 'COD_PENDING' | 'COD_PAID' | 'COD_DECLINED' }> =>
  state.status === 'COD_PENDING' || state.status === 'COD_PAID' || state.status === 'COD_DECLINED';

function assertNew(state: TransactionState): void {
  if (state.status !== 'NONE') throw new DomainError('TRANSACTION_EXISTS', 'a transaction with this id exists', 'conflict');
}

const idsOf = (x: { transactionId: string; orderId: string; customerId: string }) => ({
  transactionId: x.transactionId,
  orderId: x.orderId,
  customerId: x.customerId,
});

function event<T extends PaymentsEvent['type']>(type: T, data: Extract<PaymentsEvent, { type: T }>['data']): PaymentsEvent {
  return { type, data } as PaymentsEvent;
}

