import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CommandContext, derivedId, stepContext } from '@continuum/platform';
import { DomainError, EnvelopeOf, PaymentsEvent, RefundFailureOutcome } from '@continuum/contracts';
import { voidIdOf, ApprovedCharge, RefundStatus, StallClock, assertCanVoid, assertNotInFlight, findRefund, refundReference, resumableRefund, voidReference } from '../domain';
import { GatewayResult, GatewayTimeoutError, PAYMENT_GATEWAY, PaymentGateway } from '../gateway';
import { PAYMENTS_SETTINGS, PaymentsSettings } from '../payments-settings';
import { TransactionAggregate } from './aggregates';

/** What a void did. */
export interface VoidOutcome {
  readonly transactionId: string;
  readonly voidId: string;
  readonly amount: number;
}

/** What a refund did: SUCCEEDED, or QUEUED for the daily retries. */
export interface RefundOutcome {
  readonly transactionId: string;
  readonly refundId: string;
  readonly amount: number;
  readonly status: RefundStatus;
}

/** The message a refund attempt is recorded with when the gateway did not answer in time. */
export const REFUND_TIMEOUT_MESSAGE = 'gateway timed out';

/**
 * Gives money back on one charge: a void (unsettled, in full) or a refund (settled, up to what
 * remains). The rules are checked and the money reserved (VoidRequested, RefundRequested) before
 * the gateway is called; the gateway's answer is recorded as events. Every gateway call carries a
 * deterministic reference (`<transactionId>:void:<n>`, see refundReference for refunds) and is made
 * only while the current stream has not recorded that step. A refund's first call is made by the
 * request that reserved it; any other request (a twin with the same key, a repeat, a cancel) makes
 * it only once the refund is stalled (REFUND_STALL_AFTER_MS), and is answered REFUND_IN_PROGRESS
 * before that. A void's GatewayTimeoutError propagates (the void stays reserved; asking again
 * finishes it under the same reference); a refund attempt that timed out is recorded as failed
 * with outcome UNKNOWN, so the refund queue takes over under the same reference.
 */
@Injectable()
export class ChargeReversal {
  constructor(
    @Inject(TransactionAggregate) private readonly runner: TransactionAggregate,
    @Inject(PAYMENT_GATEWAY) private readonly gateway: PaymentGateway,
    @Inject(PAYMENTS_SETTINGS) private readonly settings: PaymentsSettings,
  ) {}

  async voidCharge(transactionId: string, context: CommandContext): Promise<VoidOutcome> {
    // One void per charge, so its id derives from the charge: a repeated void is recognised.
    const voidId = voidIdOf(transactionId);
    const { state } = await this.runner.load(transactionId);
    if (state.status === 'VOIDED') return { transactionId, voidId: state.void.voidId, amount: state.void.amount };
    assertCanVoid(state);
    // Reserve first: a settlement run now skips the charge until the void is recorded.
    await this.runner.run(transactionId, { type: 'RequestVoid', data: { voidId } }, stepContext(context, 'void-requested'));
    // A replayed reservation answers with the state of its time: decide on the current one.
    const current = (await this.runner.load(transactionId)).state;
    if (current.status === 'VOIDED') return { transactionId, voidId: current.void.voidId, amount: current.void.amount };
    const charge = assertCanVoid(current);
    // Released by a VoidFailed since (this is the failed request again): the answer stays the same.
    if (charge.pendingVoid?.voidId !== voidId) throw new DomainError('VOID_FAILED', 'the gateway did not void the charge');
    // A new reservation after a VoidFailed is a new request to the gateway: a new reference.
    const gatewayResult = await this.gateway.void({ gatewayTransactionId: gatewayIdOf(charge), reference: voidReference(charge) });
    const result = await this.runner.run(transactionId, { type: 'Void', data: { voidId, gatewayResult, autoCancel: this.settings.autoCancelOnRefund } }, context);
    if (result.state.status !== 'VOIDED') throw new DomainError('VOID_FAILED', `the gateway did not void the charge: ${gatewayResult.message}`);
    return { transactionId, voidId, amount: result.state.void.amount };
  }

  async refundCharge(transactionId: string, amount: number | undefined, context: CommandContext): Promise<RefundOutcome> {
    let refundId: string;
    try {
      // The decider checks the refund rules before any gateway call (settled, not more than remains).
      // Under a key the refund id derives from it: a retry is the same command, answered as a replay
      // (a fresh id would make it another command under the same key: IDEMPOTENCY_KEY_REUSED).
      const newRefundId = `rf-${context.idempotencyKey !== undefined ? derivedId(`refund:${transactionId}:${context.idempotencyKey}`) : randomUUID()}`;
      const requested = await this.runner.run(transactionId, { type: 'RequestRefund', data: { refundId: newRefundId, ...(amount !== undefined ? { amount } : {}) } }, context);
      // On a replayed request the first run's refund id comes back in its events.
      refundId = refundIdOf(requested.events);
      // This request reserved the refund: it owns the first gateway call.
      if (!requested.replayed) return this.attempt(requested.state as ApprovedCharge, refundId, 1, stepContext(context, 'attempt-1'));
    } catch (error) {
      // Nothing left because a stalled refund holds it: the same request again finishes that one
      // (a younger one is in flight: REFUND_IN_PROGRESS).
      if (!(error instanceof DomainError) || !['NOTHING_TO_REFUND', 'REFUND_EXCEEDS_REMAINING'].includes(error.code)) throw error;
      const stalled = resumableRefund((await this.runner.load(transactionId)).state, this.stallClock(), amount);
      if (!stalled) throw error;
      refundId = stalled.refundId;
    }
    return this.resumeRefund(transactionId, refundId, context);
  }

  /**
   * Gateway attempt 1 of a refund another request reserved, unless the current stream already
   * records it (a replayed request, a redelivery, or a twin that finished): then its recorded
   * outcome is the answer. Only a stalled refund is resumed; a younger one may have its first call
   * in flight right now, so REFUND_IN_PROGRESS (409) instead of a second call beside it.
   */
  async resumeRefund(transactionId: string, refundId: string, context: CommandContext): Promise<RefundOutcome> {
    const { state } = await this.runner.load(transactionId);
    const refund = findRefund(state, refundId);
    if (!refund) throw new DomainError('REFUND_NOT_FOUND', 'refund not found', 'not-found');
    if (refund.attempts.length > 0) return { transactionId, refundId, amount: refund.amount, status: refund.status };
    assertNotInFlight(refund, this.stallClock());
    return this.attempt(state as ApprovedCharge, refundId, 1, stepContext(context, 'attempt-1'));
  }

  /** The stall rule at this moment (REFUND_STALL_AFTER_MS). */
  stallClock(): StallClock {
    return { now: new Date().toISOString(), stallAfterMs: this.settings.refundStallAfterMs };
  }

  /** Gateway attempt `attempt` (2..4) of a queued refund; does nothing when it is no longer due. */
  async retryRefund(transactionId: string, refundId: string, attempt: number, context: CommandContext): Promise<RefundOutcome | undefined> {
    const { state } = await this.runner.load(transactionId);
    const refund = findRefund(state, refundId);
    if (!refund || refund.status !== 'QUEUED' || refund.attempts.length + 1 !== attempt) return undefined;
    return this.attempt(state as ApprovedCharge, refundId, attempt, context);
  }

  /**
   * Records attempt `attempt` of a refund as failed without a gateway answer (the refund retry job
   * gave up on it), so the queue moves on (retry or abandon) instead of leaving the refund QUEUED.
   * Its outcome is UNKNOWN: the call may have refunded, so the next attempt repeats its reference.
   */
  async recordFailedAttempt(transactionId: string, refundId: string, attempt: number, message: string, context: CommandContext): Promise<RefundOutcome | undefined> {
    const result = await this.runner.run(transactionId, { type: 'RecordRefundAttempt', data: { refundId, attempt, succeeded: false, message, outcome: 'UNKNOWN', at: new Date().toISOString(), autoCancel: this.settings.autoCancelOnRefund } }, context);
    const after = findRefund(result.state, refundId);
    return after ? { transactionId, refundId, amount: after.amount, status: after.status } : undefined;
  }

  private async attempt(charge: ApprovedCharge, refundId: string, attempt: number, context: CommandContext): Promise<RefundOutcome> {
    const refund = findRefund(charge, refundId)!;
    const at = new Date().toISOString();
    const answer = await this.callRefund(charge, refund.amount, refundReference(refund, attempt), attempt);
    const result = await this.runner.run(charge.transactionId, { type: 'RecordRefundAttempt', data: {
        refundId,
        attempt,
        succeeded: answer.succeeded,
        message: answer.message,
        ...(answer.succeeded ? {} : { outcome: answer.outcome }),
        ...(answer.gatewayTransactionId !== undefined ? { gatewayTransactionId: answer.gatewayTransactionId } : {}),
        at,
        autoCancel: this.settings.autoCancelOnRefund,
      } }, context);
    const after = findRefund(result.state, refundId)!;
    return { transactionId: charge.transactionId, refundId, amount: after.amount, status: after.status };
  }

  /**
   * A refund that timed out counts as a failed attempt with outcome UNKNOWN: the refund queue
   * retries it under the same reference (a gateway that did refund deduplicates the retry) and
   * finally abandons it with an email, so a refund is never left hanging. An answer that says no
   * is REJECTED: the next attempt is a new request with a new reference.
   */
  private async callRefund(charge: ApprovedCharge, amount: number, reference: string, attempt: number): Promise<GatewayResult & { outcome: RefundFailureOutcome }> {
    try {
      const answer = await this.gateway.refund({ gatewayTransactionId: gatewayIdOf(charge), token: charge.card.token, amount, attempt, reference });
      return { ...answer, outcome: 'REJECTED' };
    } catch (error) {
      if (!(error instanceof GatewayTimeoutError)) throw error;
      return { succeeded: false, message: REFUND_TIMEOUT_MESSAGE, outcome: 'UNKNOWN' };
    }
  }
}

// The gateway knows a charge by its own id; our transaction id is the fallback reference.
const gatewayIdOf = (charge: ApprovedCharge): string => charge.gatewayTransactionId ?? charge.transactionId;

function refundIdOf(events: readonly EnvelopeOf<PaymentsEvent>[]): string {
  for (const event of events) if (event.type === 'RefundRequested') return event.data.refundId;
  throw new Error('RequestRefund stored no RefundRequested event');
}
