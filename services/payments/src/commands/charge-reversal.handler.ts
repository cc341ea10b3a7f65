import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, derivedId, ID_SOURCE, IdSource, stepContext } from '@continuum/platform';
import {
  RefundAnswer,
  RefundOutcome,
  StallClock,
  TransactionState,
  VoidElseRefundOutcome,
  VoidOutcome,
  dueRetry,
  nextRefundStep,
  refundAttemptRecord,
  refundCall,
  refundAfterFailedVoid,
  refundOutcome,
  refundRequest,
  refundToResume,
  startVoid,
  voidAnswer,
  voidCallAfterReserving,
  voidIdOf,
  voidRecord,
} from '../domain';
import { GatewayTimeoutError, PAYMENT_GATEWAY, PaymentGateway } from '../gateway';
import { PAYMENTS_SETTINGS, PaymentsSettings } from '../payments-settings';
import { TransactionAggregate } from './aggregates';

/** Where a charge reversal starts: a void, a void else a refund, a refund, a stalled refund resumed, a daily retry, or a retry that gave up. */
export type ChargeReversalStep =
  | { readonly kind: 'VOID' }
  | { readonly kind: 'VOID_ELSE_REFUND' }
  | { readonly kind: 'REFUND'; readonly amount?: number }
  | { readonly kind: 'RESUME_REFUND'; readonly refundId: string }
  | { readonly kind: 'RETRY_REFUND'; readonly refundId: string; readonly attempt: number }
  | { readonly kind: 'RECORD_GIVEN_UP_ATTEMPT'; readonly refundId: string; readonly attempt: number; readonly reason: string };

/**
 * Give money back on one charge (the workflow in domain/charge-reversal.workflow.ts): a void
 * (unsettled, in full) or a refund (settled, up to what remains). Build it with `ReverseChargeCommand.void`,
 * `.refund`, `.resumeRefund`, `.retryRefund` or `.recordGivenUpAttempt`; each answers its own outcome.
 */
export class ReverseChargeCommand<R = VoidOutcome | RefundOutcome | VoidElseRefundOutcome | undefined> extends Command<R> {
  private constructor(
    readonly transactionId: string,
    readonly step: ChargeReversalStep,
    readonly context: CommandContext,
  ) {
    super();
  }

  /** Void an unsettled charge in full; a settled charge or a non-charge is refused (422). */
  static void(transactionId: string, context: CommandContext): ReverseChargeCommand<VoidOutcome> {
    return new ReverseChargeCommand<VoidOutcome>(transactionId, { kind: 'VOID' }, context);
  }

  /**
   * Void an unsettled charge in full; when the gateway refuses the void, refund all that remains instead
   * (the refund from the order). A refund the gateway refuses because the charge has not settled is
   * QUEUED and retried once it settles.
   */
  static voidElseRefund(transactionId: string, context: CommandContext): ReverseChargeCommand<VoidElseRefundOutcome> {
    return new ReverseChargeCommand<VoidElseRefundOutcome>(transactionId, { kind: 'VOID_ELSE_REFUND' }, context);
  }

  /** Refund a settled charge, `amount` or all that remains; a gateway rejection queues it for the daily retries. */
  static refund(transactionId: string, amount: number | undefined, context: CommandContext): ReverseChargeCommand<RefundOutcome> {
    return new ReverseChargeCommand<RefundOutcome>(transactionId, { kind: 'REFUND', ...(amount !== undefined ? { amount } : {}) }, context);
  }

  /** Attempt 1 of a refund requested before whose first gateway call was never recorded. */
  static resumeRefund(transactionId: string, refundId: string, context: CommandContext): ReverseChargeCommand<RefundOutcome> {
    return new ReverseChargeCommand<RefundOutcome>(transactionId, { kind: 'RESUME_REFUND', refundId }, context);
  }

  /** One daily retry of a queued refund: attempt `attempt` (2..4); nothing (undefined) when it is no longer due. */
  static retryRefund(transactionId: string, refundId: string, attempt: number, context: CommandContext): ReverseChargeCommand<RefundOutcome | undefined> {
    return new ReverseChargeCommand<RefundOutcome | undefined>(transactionId, { kind: 'RETRY_REFUND', refundId, attempt }, context);
  }

  /** Attempt `attempt` recorded as failed without a gateway answer (the retry job gave up), so the queue moves on. */
  static recordGivenUpAttempt(transactionId: string, refundId: string, attempt: number, reason: string, context: CommandContext): ReverseChargeCommand<RefundOutcome | undefined> {
    return new ReverseChargeCommand<RefundOutcome | undefined>(transactionId, { kind: 'RECORD_GIVEN_UP_ATTEMPT', refundId, attempt, reason }, context);
  }
}

/** The stall rule at this moment (REFUND_STALL_AFTER_MS): a refund awaiting its first attempt longer than that is stalled. */
export const stallClockOf = (settings: PaymentsSettings, now: Date = new Date()): StallClock => ({ now: now.toISOString(), stallAfterMs: settings.refundStallAfterMs });

/**
 * The charge reversal's I/O: reads the stream, reserves (VoidRequested, RefundRequested) before the
 * gateway is called, calls it, records its answer; every decision in between is a pure function of
 * domain/charge-reversal.workflow.ts. A void's GatewayTimeoutError propagates (the void stays
 * reserved; asking again finishes it under the same reference); a refund attempt that timed out is
 * recorded as failed with outcome UNKNOWN, so the refund queue takes over under the same reference.
 */
@CommandHandler(ReverseChargeCommand)
export class ChargeReversalHandler implements ICommandHandler<ReverseChargeCommand, VoidOutcome | RefundOutcome | VoidElseRefundOutcome | undefined> {
  constructor(
    @Inject(TransactionAggregate) private readonly transactions: TransactionAggregate,
    @Inject(PAYMENT_GATEWAY) private readonly gateway: PaymentGateway,
    @Inject(PAYMENTS_SETTINGS) private readonly settings: PaymentsSettings,
    @Inject(ID_SOURCE) private readonly ids: IdSource,
  ) {}

  execute({ transactionId, step, context }: ReverseChargeCommand): Promise<VoidOutcome | RefundOutcome | VoidElseRefundOutcome | undefined> {
    switch (step.kind) {
      case 'VOID':
        return this.voidCharge(transactionId, context);
      case 'VOID_ELSE_REFUND':
        return this.voidElseRefund(transactionId, context);
      case 'REFUND':
        return this.refundCharge(transactionId, step.amount, context);
      case 'RESUME_REFUND':
        return this.resumeRefund(transactionId, step.refundId, context);
      case 'RETRY_REFUND':
        return this.retryRefund(transactionId, step.refundId, step.attempt, context);
      case 'RECORD_GIVEN_UP_ATTEMPT':
        return this.record(transactionId, step.refundId, step.attempt, { kind: 'GAVE_UP', reason: step.reason }, context);
    }
  }

  private async voidCharge(transactionId: string, context: CommandContext): Promise<VoidOutcome> {
    // One void per charge, so its id derives from the charge: a repeated void is recognised.
    const voidId = voidIdOf(transactionId);
    const start = startVoid((await this.transactions.load(transactionId)).state, voidId);
    if (start.kind === 'DONE') return start.outcome;
    // Reserve first: a settlement run now skips the charge until the void is recorded.
    await this.transactions.run(transactionId, start.command, stepContext(context, 'void-requested'));
    // A replayed reservation answers with the state of its time: decide on the current one.
    const next = voidCallAfterReserving((await this.transactions.load(transactionId)).state, voidId);
    if (next.kind === 'DONE') return next.outcome;
    const gatewayResult = await this.gateway.void(next.call);
    const recorded = await this.transactions.run(transactionId, voidRecord(voidId, gatewayResult, this.settings.autoCancelOnRefund), context);
    return voidAnswer(recorded.state, gatewayResult);
  }

  private async voidElseRefund(transactionId: string, context: CommandContext): Promise<VoidElseRefundOutcome> {
    try {
      return { kind: 'VOIDED', ...(await this.voidCharge(transactionId, context)) };
    } catch (failure) {
      // decide on the stream as the refused void left it
      const next = refundAfterFailedVoid(failure, (await this.transactions.load(transactionId)).state);
      if (next.kind === 'DONE') return { kind: 'VOIDED', ...next.outcome };
      const refunded = await this.refundCharge(transactionId, undefined, stepContext(context, 'refund-after-void'));
      return { kind: 'REFUNDED', ...refunded, voidFailed: true };
    }
  }

  private async refundCharge(transactionId: string, amount: number | undefined, context: CommandContext): Promise<RefundOutcome> {
    let refundId: string;
    try {
      // Under a key the refund id derives from it: a retry is the same command, answered as a replay
      // (a fresh id would make it another command under the same key: IDEMPOTENCY_KEY_REUSED); without
      // a key, a fresh id from the platform's id source.
      const newRefundId = `rf-${context.idempotencyKey !== undefined ? derivedId(`refund:${transactionId}:${context.idempotencyKey}`) : this.ids.newId()}`;
      const requested = await this.transactions.run(transactionId, refundRequest(newRefundId, amount), context);
      // On a replayed request the first run's refund id comes back in its events.
      refundId = requested.events.find((event) => event.type === 'RefundRequested')?.data.refundId ?? newRefundId;
      // This request reserved the refund: it owns the first gateway call.
      if (!requested.replayed) return this.attempt(transactionId, requested.state, refundId, 1, stepContext(context, 'attempt-1'));
    } catch (refusal) {
      refundId = refundToResume(refusal, (await this.transactions.load(transactionId)).state, stallClockOf(this.settings), amount);
    }
    return this.resumeRefund(transactionId, refundId, context);
  }

  private async resumeRefund(transactionId: string, refundId: string, context: CommandContext): Promise<RefundOutcome> {
    const { state } = await this.transactions.load(transactionId);
    const next = nextRefundStep(state, refundId, stallClockOf(this.settings));
    return next.kind === 'ANSWER' ? next.outcome : this.attempt(transactionId, state, refundId, next.attempt, stepContext(context, 'attempt-1'));
  }

  private async retryRefund(transactionId: string, refundId: string, attempt: number, context: CommandContext): Promise<RefundOutcome | undefined> {
    const { state } = await this.transactions.load(transactionId);
    return dueRetry(state, refundId, attempt) ? this.attempt(transactionId, state, refundId, attempt, context) : undefined;
  }

  /** Gateway attempt `attempt` of the refund as `state` (current: just stored or just read) holds it, and its record. */
  private async attempt(transactionId: string, state: TransactionState, refundId: string, attempt: number, context: CommandContext): Promise<RefundOutcome> {
    const call = refundCall(state, refundId, attempt);
    return (await this.record(transactionId, refundId, attempt, await this.callRefund(call), context))!;
  }

  private async record(transactionId: string, refundId: string, attempt: number, answer: RefundAnswer, context: CommandContext): Promise<RefundOutcome | undefined> {
    const result = await this.transactions.run(transactionId, refundAttemptRecord(refundId, attempt, answer, this.settings.autoCancelOnRefund), context);
    return result.state.status === 'APPROVED' && result.state.refunds.some((r) => r.refundId === refundId) ? refundOutcome(result.state, refundId) : undefined;
  }

  /** The gateway's answer; a timeout is no answer (recorded as an UNKNOWN failure); any other error propagates. */
  private async callRefund(call: Parameters<PaymentGateway['refund']>[0]): Promise<RefundAnswer> {
    try {
      return { kind: 'ANSWERED', ...(await this.gateway.refund(call)) };
    } catch (error) {
      if (!(error instanceof GatewayTimeoutError)) throw error;
      return { kind: 'TIMED_OUT' };
    }
  }
}
