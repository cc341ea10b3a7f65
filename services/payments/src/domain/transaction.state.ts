import { CardOnFile, ChargePurpose, ChargeType, CodUndeliveredStatus, DeclineResponse, DomainError, PaymentApproved, PaymentDeclined, PaymentsEvent, RefundFailureOutcome, assertNever } from '@continuum/contracts';

/** Where a refund stands. PENDING: requested, the first gateway attempt not yet recorded. */
export type RefundStatus = 'PENDING' | 'QUEUED' | 'SUCCEEDED' | 'ABANDONED';

export interface RefundAttempt {
  readonly attempt: number;
  readonly at: string;
  readonly result: 'SUCCESS' | 'FAILED';
  readonly message: string;
  /** why a FAILED attempt failed (null on SUCCESS): UNKNOWN makes the next attempt reuse its reference */
  readonly outcome: RefundFailureOutcome | null;
}

export interface RefundRecord {
  readonly refundId: string;
  readonly amount: number;
  readonly status: RefundStatus;
  readonly requestedAt: string;
  readonly attempts: readonly RefundAttempt[];
  readonly gatewayTransactionId: string | null;
}

export interface Chargeback {
  readonly amount: number;
  readonly date: string;
  readonly reasonCode: string;
  readonly note: string | null;
  readonly markedAt: string;
}

export interface Capture {
  readonly captureId: string;
  readonly amount: number;
  readonly gatewayTransactionId: string | null;
  readonly message: string;
  readonly at: string;
}

export interface VoidRecord {
  readonly voidId: string;
  readonly amount: number;
  readonly gatewayTransactionId: string | null;
  readonly message: string;
  readonly autoCancel: boolean;
  readonly at: string;
}

/** What every existing transaction knows. */
interface TransactionBase {
  readonly transactionId: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly amount: number;
  readonly currency: string;
  readonly createdAt: string;
}

interface CardChargeBase extends TransactionBase {
  readonly chargeType: ChargeType;
  readonly card: CardOnFile;
  readonly merchantId: string;
  readonly gatewayTransactionId: string | null;
  readonly message: string;
  readonly rerunOf: string | null;
  /** what the charge pays: the order's own payment (ORDER, RERUN, REBILL) or one UPSELL item */
  readonly purpose: ChargePurpose;
}

/** A void reserved before the gateway call: settlement waits until it is recorded or fails. */
export interface PendingVoid {
  readonly voidId: string;
  readonly requestedAt: string;
}

/** An approved card charge: money is at the gateway (unsettled until `settledAt`). */
export interface ApprovedCharge extends CardChargeBase {
  readonly status: 'APPROVED';
  readonly prepaid: boolean;
  /** only for an AUTHORIZE: set once captured */
  readonly capture: Capture | null;
  readonly settledAt: string | null;
  readonly refunds: readonly RefundRecord[];
  readonly chargeback: Chargeback | null;
  readonly pendingVoid: PendingVoid | null;
  /** how many voids were reserved (VoidRequested): numbers the gateway reference of each */
  readonly voidRequests: number;
}

/** An approved charge voided in full before it settled. */
export interface VoidedCharge extends Omit<ApprovedCharge, 'status' | 'pendingVoid'> {
  readonly status: 'VOIDED';
  readonly void: VoidRecord;
}

export interface DeclinedCharge extends CardChargeBase {
  readonly status: 'DECLINED';
  readonly response: DeclineResponse;
}

export interface ExternalPayment extends TransactionBase {
  readonly status: 'EXTERNAL';
}

export interface CodFailure {
  readonly status: CodUndeliveredStatus;
  readonly at: string;
}

/** A COD transaction: PENDING until the carrier collects, SOFT_DECLINE after a reattempt/pickup. */
export interface CodPending extends TransactionBase {
  readonly status: 'COD_PENDING';
  readonly failures: readonly CodFailure[];
}

export interface CodPaid extends TransactionBase {
  readonly status: 'COD_PAID';
  readonly failures: readonly CodFailure[];
  readonly deliveryConfirmation: string;
  readonly date: string;
  readonly paidAt: string;
}

export interface CodDeclined extends TransactionBase {
  readonly status: 'COD_DECLINED';
  readonly failures: readonly CodFailure[];
}

/** The transaction stream folded: one variant per status. */
export type TransactionState =
  | { readonly status: 'NONE' }
  | ApprovedCharge
  | VoidedCharge
  | DeclinedCharge
  | ExternalPayment
  | CodPending
  | CodPaid
  | CodDeclined;

export const initialTransactionState = (): TransactionState => ({ status: 'NONE' });

/** What an approved and a declined charge both record of the gateway's answer. */
function chargeOutcome(d: PaymentApproved['data'] | PaymentDeclined['data']) {
  return {
    ...base(d.transactionId, d.orderId, d.customerId, d.amount, d.currency, d.at),
    chargeType: d.type,
    card: d.card,
    merchantId: d.merchantId,
    gatewayTransactionId: d.gatewayTransactionId,
    message: d.message,
    rerunOf: d.rerunOf,
    purpose: d.purpose,
  };
}

/** Folds one payments event into the transaction state. */
export function evolveTransaction(state: TransactionState, event: PaymentsEvent): TransactionState {
  switch (event.type) {
    case 'PaymentApproved': {
      return {
        status: 'APPROVED',
        ...chargeOutcome(event.data),
        prepaid: event.data.prepaid,
        capture: null,
        settledAt: null,
        refunds: [],
        chargeback: null,
        pendingVoid: null,
        voidRequests: 0,
      };
    }
    case 'PaymentDeclined': {
      return {
        status: 'DECLINED',
        ...chargeOutcome(event.data),
        response: event.data.response,
      };
    }
    case 'ExternalPaymentRecorded': {
      const d = event.data;
      return { status: 'EXTERNAL', ...base(d.transactionId, d.orderId, d.customerId, d.amount, d.currency, d.at) };
    }
    case 'CodTransactionOpened': {
      const d = event.data;
      return { status: 'COD_PENDING', ...base(d.transactionId, d.orderId, d.customerId, d.amount, d.currency, d.at), failures: [] };
    }
    case 'CodPaymentReceived': {
      if (state.status !== 'COD_PENDING') return state;
      const { status: _status, ...rest } = state;
      return { ...rest, status: 'COD_PAID', deliveryConfirmation: event.data.deliveryConfirmation, date: event.data.date, paidAt: event.data.at };
    }
    case 'CodDeliveryFailed': {
      if (state.status !== 'COD_PENDING') return state;
      const failures = [...state.failures, { status: event.data.status, at: event.data.at }];
      if (event.data.final) {
        const { status: _status, ...rest } = state;
        return { ...rest, status: 'COD_DECLINED', failures };
      }
      return { ...state, failures };
    }
    case 'AuthorizationCaptured': {
      if (state.status !== 'APPROVED') return state;
      const d = event.data;
      return { ...state, capture: { captureId: d.captureId, amount: d.amount, gatewayTransactionId: d.gatewayTransactionId, message: d.message, at: d.at } };
    }
    case 'ChargeSettled':
      return state.status === 'APPROVED' ? { ...state, settledAt: event.data.settledAt } : state;
    case 'ChargeVoided': {
      if (state.status !== 'APPROVED') return state;
      const d = event.data;
      const { status: _status, pendingVoid: _pending, ...rest } = state;
      return {
        ...rest,
        status: 'VOIDED',
        void: { voidId: d.voidId, amount: d.amount, gatewayTransactionId: d.gatewayTransactionId, message: d.message, autoCancel: d.autoCancel, at: d.at },
      };
    }
    case 'VoidRequested':
      return state.status === 'APPROVED'
        ? { ...state, pendingVoid: { voidId: event.data.voidId, requestedAt: event.data.at }, voidRequests: state.voidRequests + 1 }
        : state;
    case 'VoidFailed':
      return state.status === 'APPROVED' ? { ...state, pendingVoid: null } : state;
    case 'RefundRequested': {
      if (state.status !== 'APPROVED') return state;
      const d = event.data;
      const refund: RefundRecord = { refundId: d.refundId, amount: d.amount, status: 'PENDING', requestedAt: d.at, attempts: [], gatewayTransactionId: null };
      return { ...state, refunds: [...state.refunds, refund] };
    }
    case 'RefundSucceeded': {
      const d = event.data;
      return updateRefund(state, d.refundId, (r) => ({
        ...r,
        status: 'SUCCEEDED',
        gatewayTransactionId: d.gatewayTransactionId,
        attempts: [...r.attempts, { attempt: d.attempt, at: d.at, result: 'SUCCESS', message: d.message, outcome: null }],
      }));
    }
    case 'RefundFailed': {
      const d = event.data;
      return updateRefund(state, d.refundId, (r) => ({
        ...r,
        attempts: [...r.attempts, { attempt: d.attempt, at: d.at, result: 'FAILED', message: d.message, outcome: d.outcome ?? 'REJECTED' }],
      }));
    }
    case 'RefundQueued':
      return updateRefund(state, event.data.refundId, (r) => ({ ...r, status: 'QUEUED' }));
    case 'RefundAbandoned':
      return updateRefund(state, event.data.refundId, (r) => ({ ...r, status: 'ABANDONED' }));
    case 'RefundEmailResent':
      return state;
    case 'ChargebackMarked': {
      if (state.status !== 'APPROVED') return state;
      const d = event.data;
      return { ...state, chargeback: { amount: d.amount, date: d.date, reasonCode: d.reasonCode, note: d.note, markedAt: d.at } };
    }
    case 'ChargebackReverted':
      return state.status === 'APPROVED' ? { ...state, chargeback: null } : state;
    default:
      return assertNever(event, 'payments event');
  }
}

function base(transactionId: string, orderId: string, customerId: string, amount: number, currency: string, createdAt: string): TransactionBase {
  return { transactionId, orderId, customerId, amount, currency, createdAt };
}

function updateRefund(state: TransactionState, refundId: string, change: (refund: RefundRecord) => RefundRecord): TransactionState {
  if (state.status !== 'APPROVED') return state;
  return { ...state, refunds: state.refunds.map((r) => (r.refundId === refundId ? change(r) : r)) };
}

// ---- money queries (the same arithmetic for the decider, the views and the order-refund policy) ----

/** A charge whose money sits at a gateway: approved, or approved and then voided. */
export const isCardCharge = (state: TransactionState): state is ApprovedCharge | VoidedCharge =>
  state.status === 'APPROVED' || state.status === 'VOIDED';

/** What the customer actually pays: the captured amount of an authorization, else the charge amount. */
export function chargedAmount(state: ApprovedCharge | VoidedCharge): number {
  return state.chargeType === 'AUTHORIZE' ? (state.capture?.amount ?? 0) : state.amount;
}

/** Can settle: a SALE, or an AUTHORIZE once captured. */
export const isSettleable = (state: ApprovedCharge): boolean => state.chargeType === 'SALE' || state.capture !== null;

/** Sum of succeeded refunds. */
export const refundedAmount = (state: TransactionState): number =>
  state.status === 'APPROVED' ? sum(state.refunds.filter((r) => r.status === 'SUCCEEDED')) : 0;

/** Sum of refunds still in flight (requested or queued): reserved, not yet returned. */
export const inFlightRefundAmount = (state: TransactionState): number =>
  state.status === 'APPROVED' ? sum(state.refunds.filter((r) => r.status === 'PENDING' || r.status === 'QUEUED')) : 0;

/**
 * The marked chargeback: money the card network already took back for the cardholder (0 with none;
 * a reverted chargeback is none, so it gives its amount back).
 */
export const chargebackAmount = (state: TransactionState): number => (state.status === 'APPROVED' && state.chargeback ? state.chargeback.amount : 0);

/**
 * What a chargeback may still take: the charge minus succeeded and in-flight refunds, so that
 * refunded + in flight + chargeback never exceeds what was charged. 0 for anything but a settled charge.
 */
export function chargebackLimit(state: TransactionState): number {
  if (state.status !== 'APPROVED' || state.settledAt === null) return 0;
  return Math.max(0, chargedAmount(state) - refundedAmount(state) - inFlightRefundAmount(state));
}

/**
 * A void of this unsettled charge was reserved and the gateway refused it (VoidFailed), and no void
 * is reserved now: the charge can only be given back by a refund, which waits for its settlement.
 */
export const voidFailed = (state: TransactionState): state is ApprovedCharge =>
  state.status === 'APPROVED' && state.settledAt === null && state.voidRequests > 0 && state.pendingVoid === null;

/**
 * What can still be refunded: the charge minus succeeded refunds, refunds in flight (requested or
 * queued; abandoned ones release their amount) and the marked chargeback. 0 for anything but a
 * settled charge or an unsettled one whose void failed (voidFailed), and never below 0 (a stream
 * stored before chargebacks counted may hold more).
 * Example: 5000 charged, 1000 refunded, 500 queued, chargeback 2000 → 1500.
 */
export function remainingRefundable(state: TransactionState): number {
  if (voidFailed(state)) return Math.max(0, chargedAmount(state) - refundedAmount(state) - inFlightRefundAmount(state));
  return Math.max(0, chargebackLimit(state) - chargebackAmount(state));
}

/**
 * When a refund without a recorded gateway attempt counts as stalled: `now` is the time of the
 * decision, `stallAfterMs` (REFUND_STALL_AFTER_MS) is longer than any gateway call may take.
 */
export interface StallClock {
  readonly now: string;
  readonly stallAfterMs: number;
}

/** Requested, and its first gateway attempt not recorded: stalled, or in flight right now. */
const awaitingFirstAttempt = (r: RefundRecord): boolean => r.status === 'PENDING' && r.attempts.length === 0;

/**
 * A refund awaiting its first attempt that was requested more than `stallAfterMs` ago: the process
 * died, or the request failed, between RequestRefund and the gateway's answer. A younger one may
 * have its first gateway call in flight, so it is not stalled (resuming it would call the gateway twice).
 */
export const isStalled = (refund: RefundRecord, clock: StallClock): boolean =>
  awaitingFirstAttempt(refund) && Date.parse(clock.now) - Date.parse(refund.requestedAt) > clock.stallAfterMs;

/**
 * A stalled refund (see isStalled). Its amount is reserved, so a repeated request must finish it
 * rather than find nothing to refund. With `amount`, only a stalled refund of exactly that amount
 * (the same request again) counts.
 */
export function stalledRefund(state: TransactionState, clock: StallClock, amount?: number): RefundRecord | undefined {
  if (state.status !== 'APPROVED') return undefined;
  return state.refunds.find((r) => isStalled(r, clock) && (amount === undefined || r.amount === amount));
}

/**
 * The stalled refund a repeated request finishes (of `amount` when given); REFUND_IN_PROGRESS
 * (conflict) when there is only one too young to count as stalled: its first gateway call may be
 * in flight, so the request is answered 409 instead of calling the gateway beside it.
 */
export function resumableRefund(state: TransactionState, clock: StallClock, amount?: number): RefundRecord | undefined {
  const stalled = stalledRefund(state, clock, amount);
  if (stalled || state.status !== 'APPROVED') return stalled;
  const young = state.refunds.find((r) => awaitingFirstAttempt(r) && (amount === undefined || r.amount === amount));
  if (young) assertNotInFlight(young, clock);
  return undefined;
}

/**
 * Throws REFUND_IN_PROGRESS (conflict) when `refund` awaits its first attempt and is not yet stalled.
 * `retryUntil` is when it counts as stalled: a consumer that meets it waits until then (a request
 * then resumes it) instead of dead-lettering its event while another instance's call is in flight,
 * or after that instance died mid-call.
 */
export function assertNotInFlight(refund: RefundRecord, clock: StallClock): void {
  if (awaitingFirstAttempt(refund) && !isStalled(refund, clock)) {
    const retryUntil = new Date(Date.parse(refund.requestedAt) + clock.stallAfterMs + 1).toISOString();
    throw new DomainError('REFUND_IN_PROGRESS', `refund ${refund.refundId} is being sent to the gateway; ask again later`, 'conflict', { refundId: refund.refundId, retryUntil });
  }
}

/**
 * The gateway reference of attempt `attempt` of a refund: `<refundId>:<n>`, where n is the attempt,
 * except that after an attempt whose outcome was UNKNOWN (a timeout, no answer) the next one repeats
 * its reference, so a gateway that did refund then deduplicates instead of refunding twice.
 * Example: attempts [FAILED/UNKNOWN] → attempt 2 uses `<refundId>:1`; [FAILED/REJECTED] → `<refundId>:2`.
 */
export function refundReference(refund: RefundRecord, attempt: number): string {
  let n = 1;
  for (let a = 2; a <= attempt; a++) {
    const previous = refund.attempts.find((x) => x.attempt === a - 1);
    if (previous?.outcome !== 'UNKNOWN') n = a;
  }
  return `${refund.refundId}:${n}`;
}

/** The gateway reference of the charge's current void: `<transactionId>:void:<n>`, n counting its VoidRequested. */
export const voidReference = (charge: ApprovedCharge): string => `${charge.transactionId}:void:${charge.voidRequests}`;

export function findRefund(state: TransactionState, refundId: string): RefundRecord | undefined {
  return state.status === 'APPROVED' ? state.refunds.find((r) => r.refundId === refundId) : undefined;
}

const sum = (refunds: readonly RefundRecord[]): number => refunds.reduce((total, r) => total + r.amount, 0);
