import { DomainError, RefundFailureOutcome } from '@continuum/contracts';
import { assertCanVoid } from './transaction.decider';
import { RecordRefundAttempt, RequestRefund, RequestVoid, Void, GatewayActionResult } from './transaction.commands';
import {
  ApprovedCharge,
  RefundStatus,
  StallClock,
  TransactionState,
  assertNotInFlight,
  findRefund,
  refundReference,
  remainingRefundable,
  resumableRefund,
  voidFailed,
  voidReference,
} from './transaction.state';

/**
 * The charge reversal: money given back on one charge, a void (unsettled, in full) or a refund
 * (settled, up to what remains). Its steps are I/O (read the stream, reserve, call the gateway,
 * record the answer); the decisions between them are these pure functions, which the
 * `ChargeReversalHandler` (commands/charge-reversal.handler.ts) calls in order:
 * - void: `startVoid` (done already, or reserve), `voidCallAfterReserving` (which gateway call, if
 *   any), `voidRecord` and `voidAnswer` (what to record from the answer, what to answer);
 * - refund: `refundRequest` (reserve), `refundToResume` (a refusal that a stalled refund stands
 *   behind), `nextRefundStep` / `dueRetry` (call the gateway or answer what is recorded),
 *   `refundCall`, `refundAttemptRecord` and `refundOutcome`;
 * - void, else refund (the refund from the order): `refundAfterFailedVoid` (a void the gateway
 *   refused is followed by a refund of all that remains); a refund the gateway refuses because the
 *   charge has not settled waits in the refund queue, and `retriesDueAtSettlement` names the retries
 *   the charge's settlement makes due.
 */

/** What a void did. */
export interface VoidOutcome {
  readonly transactionId: string;
  readonly voidId: string;
  readonly amount: number;
}

/** What a refund did: SUCCEEDED, QUEUED for the daily retries, or what a stalled one is at. */
export interface RefundOutcome {
  readonly transactionId: string;
  readonly refundId: string;
  readonly amount: number;
  readonly status: RefundStatus;
}

/** The message a refund attempt is recorded with when the gateway did not answer in time. */
export const REFUND_TIMEOUT_MESSAGE = 'gateway timed out';

// ---- void ----------------------------------------------------------------------------------------

/** Before reserving: a voided charge answers its void; otherwise the void must be allowed (CHARGE_SETTLED, ...) and is reserved. */
export type VoidStart = { readonly kind: 'DONE'; readonly outcome: VoidOutcome } | { readonly kind: 'RESERVE'; readonly command: Pick<RequestVoid, 'type' | 'data'> };

export function startVoid(state: TransactionState, voidId: string): VoidStart {
  if (state.status === 'VOIDED') return { kind: 'DONE', outcome: voidedOutcome(state) };
  assertCanVoid(state);
  return { kind: 'RESERVE', command: { type: 'RequestVoid', data: { voidId } } };
}

/** The gateway's void request: the charge as the gateway knows it, its card token, and the reference of this reservation. */
export interface VoidCall {
  readonly gatewayTransactionId: string;
  readonly token: string;
  readonly reference: string;
}

/**
 * After the reservation (stored now, or replayed: decide on the current stream): voided meanwhile
 * answers that void; a reservation released by a VoidFailed since (the failed request again) is
 * VOID_FAILED again; otherwise the gateway is called under the reservation's reference
 * (`<transactionId>:void:<n>`: a void asked again while reserved repeats it).
 */
export function voidCallAfterReserving(state: TransactionState, voidId: string): { readonly kind: 'DONE'; readonly outcome: VoidOutcome } | { readonly kind: 'CALL'; readonly call: VoidCall } {
  if (state.status === 'VOIDED') return { kind: 'DONE', outcome: voidedOutcome(state) };
  const charge = assertCanVoid(state);
  if (charge.pendingVoid?.voidId !== voidId) throw new DomainError('VOID_FAILED', 'the gateway did not void the charge');
  return { kind: 'CALL', call: { gatewayTransactionId: gatewayIdOf(charge), token: charge.card.token, reference: voidReference(charge) } };
}

/** What is recorded of the gateway's answer to a void (`autoCancel`: the account option). */
export function voidRecord(voidId: string, gatewayResult: GatewayActionResult, autoCancel: boolean): Pick<Void, 'type' | 'data'> {
  return { type: 'Void', data: { voidId, gatewayResult, autoCancel } };
}

/** The answer once the gateway's answer is recorded: the void, or VOID_FAILED with the gateway's message. */
export function voidAnswer(state: TransactionState, gatewayResult: GatewayActionResult): VoidOutcome {
  if (state.status !== 'VOIDED') throw new DomainError('VOID_FAILED', `the gateway did not void the charge: ${gatewayResult.message}`);
  return voidedOutcome(state);
}

// ---- refund --------------------------------------------------------------------------------------

/** Reserve a refund of `amount` (default: all that remains) under `refundId`; the decider checks the rules. */
export function refundRequest(refundId: string, amount: number | undefined): Pick<RequestRefund, 'type' | 'data'> {
  return { type: 'RequestRefund', data: { refundId, ...(amount !== undefined ? { amount } : {}) } };
}

/** The refusals a stalled refund can stand behind: its reservation is what left nothing to refund. */
const RESUMABLE_REFUSALS: readonly string[] = ['NOTHING_TO_REFUND', 'REFUND_EXCEEDS_REMAINING'];

/**
 * A refund request was refused: when a stalled refund (of `amount`, or any) holds what is left, the
 * same request again finishes that one, so its id is the answer; a younger one may have its first
 * gateway call in flight (REFUND_IN_PROGRESS, a conflict). Otherwise the refusal stands (rethrown).
 */
export function refundToResume(refusal: unknown, state: TransactionState, clock: StallClock, amount: number | undefined): string {
  if (!(refusal instanceof DomainError) || !RESUMABLE_REFUSALS.includes(refusal.code)) throw refusal;
  const stalled = resumableRefund(state, clock, amount);
  if (!stalled) throw refusal;
  return stalled.refundId;
}

/** The next step of a refund: call the gateway for attempt `attempt`, or answer what the stream records. */
export type RefundStep = { readonly kind: 'ANSWER'; readonly outcome: RefundOutcome } | { readonly kind: 'ATTEMPT'; readonly attempt: number };

/**
 * A refund another request reserved (or this one, replayed): when its first attempt is recorded, that
 * is the answer; a stalled one gets attempt 1; a younger one may be at the gateway right now:
 * REFUND_IN_PROGRESS (409), never a second call beside it. An unknown refund is REFUND_NOT_FOUND.
 */
export function nextRefundStep(state: TransactionState, refundId: string, clock: StallClock): RefundStep {
  const refund = findRefund(state, refundId);
  if (!refund) throw new DomainError('REFUND_NOT_FOUND', 'refund not found', 'not-found');
  if (refund.attempts.length > 0) return { kind: 'ANSWER', outcome: refundOutcome(state, refundId) };
  assertNotInFlight(refund, clock);
  return { kind: 'ATTEMPT', attempt: 1 };
}

/** A daily retry (attempt 2..4) is due only while the refund is QUEUED and that attempt is the next one. */
export function dueRetry(state: TransactionState, refundId: string, attempt: number): boolean {
  const refund = findRefund(state, refundId);
  return refund !== undefined && refund.status === 'QUEUED' && refund.attempts.length + 1 === attempt;
}

/** The gateway's refund request for attempt `attempt`: the charge, its card token, the refund's amount and reference, whether the charge settled. */
export interface RefundCall {
  readonly gatewayTransactionId: string;
  readonly token: string;
  readonly amount: number;
  readonly attempt: number;
  readonly reference: string;
  readonly settled: boolean;
}

/**
 * Attempt `attempt` of a reserved refund as the gateway gets it. The reference is
 * `<refundId>:<attempt>`, except after an attempt the gateway did not answer, which is repeated (a
 * gateway that did refund deduplicates it instead of refunding twice).
 */
export function refundCall(state: TransactionState, refundId: string, attempt: number): RefundCall {
  const refund = findRefund(state, refundId);
  if (!refund || state.status !== 'APPROVED') throw new DomainError('REFUND_NOT_FOUND', 'refund not found', 'not-found');
  return {
    gatewayTransactionId: gatewayIdOf(state),
    token: state.card.token,
    amount: refund.amount,
    attempt,
    reference: refundReference(refund, attempt),
    settled: state.settledAt !== null,
  };
}

/**
 * What came of a refund call: the gateway's answer, no answer in time (a failed attempt with outcome
 * UNKNOWN: it may have refunded, so the next attempt repeats the reference), or a retry job that
 * gave up on it (recorded the same way, so the refund moves on instead of staying QUEUED).
 */
export type RefundAnswer =
  | { readonly kind: 'ANSWERED'; readonly succeeded: boolean; readonly message: string; readonly gatewayTransactionId?: string; readonly refusal?: 'NOT_SETTLED' }
  | { readonly kind: 'TIMED_OUT' }
  | { readonly kind: 'GAVE_UP'; readonly reason: string };

/**
 * What is recorded of attempt `attempt` (`autoCancel`: the account option); an answer that says no
 * is REJECTED, or NOT_SETTLED when the gateway says the charge has not settled yet (the retry then
 * follows the settlement).
 */
export function refundAttemptRecord(refundId: string, attempt: number, answer: RefundAnswer, autoCancel: boolean): Pick<RecordRefundAttempt, 'type' | 'data'> {
  const failed = (message: string, outcome: RefundFailureOutcome) => ({ refundId, attempt, succeeded: false, message, outcome, autoCancel });
  switch (answer.kind) {
    case 'ANSWERED':
      return {
        type: 'RecordRefundAttempt',
        data: answer.succeeded
          ? { refundId, attempt, succeeded: true, message: answer.message, ...gatewayIdIn(answer), autoCancel }
          : { ...failed(answer.message, answer.refusal === 'NOT_SETTLED' ? 'NOT_SETTLED' : 'REJECTED'), ...gatewayIdIn(answer) },
      };
    case 'TIMED_OUT':
      return { type: 'RecordRefundAttempt', data: failed(REFUND_TIMEOUT_MESSAGE, 'UNKNOWN') };
    case 'GAVE_UP':
      return { type: 'RecordRefundAttempt', data: failed(`retry failed: ${answer.reason}`, 'UNKNOWN') };
  }
}

/** Where the refund stands on `state` (after its attempt was recorded). */
export function refundOutcome(state: TransactionState, refundId: string): RefundOutcome {
  const refund = findRefund(state, refundId);
  if (!refund || state.status === 'NONE') throw new DomainError('REFUND_NOT_FOUND', 'refund not found', 'not-found');
  return { transactionId: state.transactionId, refundId, amount: refund.amount, status: refund.status };
}

// ---- void, else refund ---------------------------------------------------------------------------

/** What a void that fell back to a refund did: the refund, marked `voidFailed`. */
export type VoidElseRefundOutcome = ({ readonly kind: 'VOIDED' } & VoidOutcome) | ({ readonly kind: 'REFUNDED'; readonly voidFailed: true } & RefundOutcome);

/** After a void was refused: the void done meanwhile answers, or a refund follows (of all that remains). */
export type AfterFailedVoid = { readonly kind: 'DONE'; readonly outcome: VoidOutcome } | { readonly kind: 'REFUND' };

/**
 * A void failed (`failure`, with the stream as it is now): when the gateway refused it (VOID_FAILED)
 * and the refused void is recorded, a refund of all that remains follows: never more than remains
 * (the refund's reservation is checked by the decider), never beside a void (a voided charge answers
 * its void instead). Any other failure, or a charge with nothing taken (an uncaptured authorization),
 * stands (rethrown).
 */
export function refundAfterFailedVoid(failure: unknown, state: TransactionState): AfterFailedVoid {
  if (!(failure instanceof DomainError) || failure.code !== 'VOID_FAILED') throw failure;
  if (state.status === 'VOIDED') return { kind: 'DONE', outcome: voidedOutcome(state) };
  if (!voidFailed(state) || remainingRefundable(state) === 0) throw failure;
  return { kind: 'REFUND' };
}

/** A queued refund's next retry: gateway attempt `retryNumber + 1`. */
export interface DueRetry {
  readonly refundId: string;
  readonly retryNumber: number;
}

/**
 * The retries a settled charge makes due: each QUEUED refund whose last attempt the gateway refused
 * because the charge had not settled (NOT_SETTLED) is retried now. Nothing before settlement.
 */
export function retriesDueAtSettlement(state: TransactionState): DueRetry[] {
  if (state.status !== 'APPROVED' || state.settledAt === null) return [];
  return state.refunds
    .filter((r) => r.status === 'QUEUED' && r.attempts[r.attempts.length - 1]?.outcome === 'NOT_SETTLED')
    .map((r) => ({ refundId: r.refundId, retryNumber: r.attempts.length }));
}

// ---- helpers -------------------------------------------------------------------------------------

/** The gateway knows a charge by its own id; our transaction id is the fallback reference. */
const gatewayIdOf = (charge: ApprovedCharge): string => charge.gatewayTransactionId ?? charge.transactionId;

const gatewayIdIn = (answer: { readonly gatewayTransactionId?: string }) => (answer.gatewayTransactionId !== undefined ? { gatewayTransactionId: answer.gatewayTransactionId } : {});

const voidedOutcome = (state: Extract<TransactionState, { status: 'VOIDED' }>): VoidOutcome => ({ transactionId: state.transactionId, voidId: state.void.voidId, amount: state.void.amount });
