import { ChargeResponse } from './charge-card.workflow';
import { Void } from './transaction.commands';
import { StallClock, TransactionState, isStalled, voidReference } from './transaction.state';

/**
 * The payments sweepers' decisions (jobs/payments-sweeps.queue.ts runs them on a schedule):
 * - a void reservation (`VoidRequested`) left without its record by a crash between the reservation
 *   and the gateway's answer: `voidReservationToAsk` (old enough to ask the gateway about it), then
 *   `voidReservationRecord` (complete it or release it from the gateway's status answer);
 * - refunds stalled before their first gateway attempt: `stalledRefundsToResume` (the charge
 *   reversal's resume step finishes each, under its own reference).
 */

/** What the gateway did under one of our references, as its status query answers. */
export type GatewayStatus =
  /** the gateway never received a request under the reference */
  | { readonly found: false }
  | {
      readonly found: true;
      readonly succeeded: boolean;
      readonly message: string;
      readonly gatewayTransactionId?: string;
      /** for a charge: the gateway's response (SUCCESS or the decline), and what it was asked to take */
      readonly response?: ChargeResponse;
      readonly amount?: number;
      readonly currency?: string;
    };

/** What the gateway's status query is asked: the operation and our reference for it. */
export interface GatewayStatusQuery {
  readonly operation: 'charge' | 'void' | 'refund';
  readonly reference: string;
}

/** When a void reservation counts as left behind: `now` of the sweep, and the age (VOID_RESERVATION_MAX_AGE_MS) past which no gateway call can still be running. */
export interface ReservationClock {
  readonly now: string;
  readonly maxAgeMs: number;
}

/** The message a released void reservation is recorded with when the gateway never received the void. */
export const VOID_NEVER_SENT_MESSAGE = 'the void never reached the gateway: reservation released';

/**
 * A charge whose void is reserved longer than `maxAgeMs` (no gateway call takes that long, so the
 * process that reserved it died or failed before recording the answer): the gateway is asked what
 * it did under the reservation's reference. A younger reservation, or none, is left alone.
 */
export function voidReservationToAsk(state: TransactionState, clock: ReservationClock): { readonly voidId: string; readonly query: GatewayStatusQuery } | undefined {
  if (state.status !== 'APPROVED' || state.pendingVoid === null) return undefined;
  if (Date.parse(clock.now) - Date.parse(state.pendingVoid.requestedAt) <= clock.maxAgeMs) return undefined;
  return { voidId: state.pendingVoid.voidId, query: { operation: 'void', reference: voidReference(state) } };
}

/**
 * What is recorded of a left-behind void reservation from the gateway's status answer: a void the
 * gateway made is completed (ChargeVoided, with its gateway id); one it refused or never received
 * releases the reservation (VoidFailed with the reason), so the charge settles again and a new void
 * may be asked for. The decider checks that the reservation is still the one asked about.
 */
export function voidReservationRecord(voidId: string, status: GatewayStatus, autoCancel: boolean): Pick<Void, 'type' | 'data'> {
  if (!status.found) return { type: 'Void', data: { voidId, gatewayResult: { succeeded: false, message: VOID_NEVER_SENT_MESSAGE }, autoCancel } };
  const gatewayResult = {
    succeeded: status.succeeded,
    message: status.message,
    ...(status.gatewayTransactionId !== undefined ? { gatewayTransactionId: status.gatewayTransactionId } : {}),
  };
  return { type: 'Void', data: { voidId, gatewayResult, autoCancel } };
}

/** The refunds of a charge stalled before their first gateway attempt (REFUND_STALL_AFTER_MS), oldest first: each is resumed. */
export function stalledRefundsToResume(state: TransactionState, clock: StallClock): string[] {
  if (state.status !== 'APPROVED') return [];
  return state.refunds
    .filter((refund) => isStalled(refund, clock))
    .sort((a, b) => a.requestedAt.localeCompare(b.requestedAt))
    .map((refund) => refund.refundId);
}
