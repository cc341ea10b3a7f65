import { Inject, Injectable } from '@nestjs/common';
import { DomainError, PaymentsEvent } from '@continuum/contracts';
import { aggregateRunner, CommandContext } from '@continuum/platform';
import { settleJobStep, TransactionCommand, transactionDecider, TransactionState, transactionStreamId } from '../domain';
import { PaymentsViews } from '../views';

/** What POST /refunds/:id/resend-email answers. */
export interface ResendRefundEmailResult {
  readonly refundId: string;
  /** where the email goes (sent by the customer-email consumer once RefundEmailResent is published) */
  readonly to: string;
}

/**
 * Transactions: `transactions.run(transactionId, { type: 'MarkChargeback', data }, context)` on stream
 * `transaction-<id>`; a use case that looks something up before its one decision is a method here.
 */
@Injectable()
export class TransactionAggregate extends aggregateRunner<TransactionCommand, PaymentsEvent, TransactionState>({
  decider: transactionDecider,
  streamId: transactionStreamId,
  startsStream: ['RecordCharge', 'RecordExternalPayment', 'OpenCodTransaction'],
}) {
  @Inject(PaymentsViews) private readonly views!: PaymentsViews;

  /** The current state of each transaction, read from its stream (rules that move money need current state, not a view). */
  async states(transactionIds: readonly string[]): Promise<TransactionState[]> {
    const states: TransactionState[] = [];
    for (const id of transactionIds) states.push((await this.load(id)).state);
    return states;
  }

  /**
   * Settle one charge now (its settle job came due); a voided or already settled charge, or anything
   * but an approved charge, is left alone. A charge whose void is reserved (at the gateway right now)
   * throws SettlementWaitsForVoidError: the job is retried later, when the void is recorded (nothing
   * to settle) or has failed (settle then). Settled at the command's time.
   */
  async settleCharge(transactionId: string, context: CommandContext): Promise<{ settled: boolean }> {
    const { state } = await this.load(transactionId);
    const step = settleJobStep(state);
    if (step.kind === 'LEAVE') return { settled: false };
    if (step.kind === 'WAIT') throw new SettlementWaitsForVoidError(transactionId, step.voidId);
    const result = await this.run(transactionId, { type: 'Settle', data: {} }, context);
    return { settled: result.events.length > 0 };
  }

  /**
   * Send the customer's refund email again: records RefundEmailResent, which the mail consumer sends.
   * A void's email is found by the void's id (listed in the view) or by the charge's id; the
   * customer's email must be known to payments (CUSTOMER_EMAIL_UNKNOWN otherwise).
   */
  async resendRefundEmail(refundId: string, context: CommandContext): Promise<ResendRefundEmailResult> {
    const transactionId = (await this.views.transactions.transactionOfRefund(refundId)) ?? refundId;
    const { state } = await this.load(transactionId);
    if (state.status === 'NONE') throw new DomainError('REFUND_NOT_FOUND', 'refund not found', 'not-found');
    const to = await this.views.customerEmails.emailOf(state.customerId);
    if (!to) throw new DomainError('CUSTOMER_EMAIL_UNKNOWN', "the customer's email is not known to payments, so no refund email can be sent");
    await this.run(transactionId, { type: 'ResendRefundEmail', data: { refundId } }, context);
    return { refundId, to };
  }
}

/**
 * A settle job came due while a void of the charge is reserved. Not a DomainError on purpose: the
 * job is retried (with backoff) instead of completing unsettled, so a void that fails cannot leave
 * the charge unsettled for good.
 */
export class SettlementWaitsForVoidError extends Error {
  constructor(
    readonly transactionId: string,
    readonly voidId: string,
  ) {
    super(`charge ${transactionId} waits for its reserved void ${voidId}: settlement retried later`);
    this.name = 'SettlementWaitsForVoidError';
  }
}
