import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CommandContext } from '@continuum/platform';
import { PaymentsEvent } from '@continuum/contracts';
import { ApprovedCharge, RefundStatus, assertCanVoid, findRefund } from '../domain';
import { PAYMENT_GATEWAY, PaymentGateway } from '../gateway';
import { PAYMENTS_SETTINGS, PaymentsSettings } from '../payments-settings';
import { TransactionRunner, stepContext } from './transaction-runner';

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

/**
 * Gives money back on one charge: a void (unsettled, in full) or a refund (settled, up to what
 * remains). The rules are checked before the gateway is called, the gateway's answer is recorded
 * as events, and a GatewayTimeoutError propagates (the outcome is unknown: retried or reported).
 */
@Injectable()
export class ChargeReversal {
  constructor(
    @Inject(TransactionRunner) private readonly runner: TransactionRunner,
    @Inject(PAYMENT_GATEWAY) private readonly gateway: PaymentGateway,
    @Inject(PAYMENTS_SETTINGS) private readonly settings: PaymentsSettings,
  ) {}

  async voidCharge(transactionId: string, context: CommandContext): Promise<VoidOutcome> {
    const { state } = await this.runner.load(transactionId);
    if (state.status === 'VOIDED') return { transactionId, voidId: state.void.voidId, amount: state.void.amount };
    const charge = assertCanVoid(state);
    const gatewayResult = await this.gateway.void({ gatewayTransactionId: gatewayIdOf(charge) });
    // One void per charge, so its id derives from the charge: a repeated void is recognised.
    const voidId = `${transactionId}-void`;
    const result = await this.runner.run(transactionId, 'Void', { voidId, gatewayResult, autoCancel: this.settings.autoCancelOnRefund }, context);
    const voided = result.state.status === 'VOIDED' ? result.state.void : undefined;
    return { transactionId, voidId, amount: voided?.amount ?? charge.amount };
  }

  async refundCharge(transactionId: string, amount: number | undefined, context: CommandContext): Promise<RefundOutcome> {
    // The decider checks the refund rules before any gateway call (settled, not more than remains).
    const requested = await this.runner.run(transactionId, 'RequestRefund', { refundId: `rf-${randomUUID()}`, ...(amount !== undefined ? { amount } : {}) }, context);
    // On a replayed request the first run's refund id comes back in its events.
    const refundId = refundIdOf(requested.events.map((e) => ({ type: e.type, data: e.data }) as PaymentsEvent));
    const charge = requested.state as ApprovedCharge;
    const refund = findRefund(charge, refundId)!;
    if (refund.attempts.length > 0) return { transactionId, refundId, amount: refund.amount, status: refund.status };
    return this.attempt(charge, refundId, 1, stepContext(context, 'attempt-1'));
  }

  /** Gateway attempt `attempt` (2..4) of a queued refund; does nothing when it is no longer due. */
  async retryRefund(transactionId: string, refundId: string, attempt: number, context: CommandContext): Promise<RefundOutcome | undefined> {
    const { state } = await this.runner.load(transactionId);
    const refund = findRefund(state, refundId);
    if (!refund || refund.status !== 'QUEUED' || refund.attempts.length + 1 !== attempt) return undefined;
    return this.attempt(state as ApprovedCharge, refundId, attempt, context);
  }

  private async attempt(charge: ApprovedCharge, refundId: string, attempt: number, context: CommandContext): Promise<RefundOutcome> {
    const refund = findRefund(charge, refundId)!;
    const at = new Date().toISOString();
    const answer = await this.gateway.refund({ gatewayTransactionId: gatewayIdOf(charge), token: charge.card.token, amount: refund.amount, attempt });
    const result = await this.runner.run(
      charge.transactionId,
      'RecordRefundAttempt',
      {
        refundId,
        attempt,
        succeeded: answer.succeeded,
        message: answer.message,
        ...(answer.gatewayTransactionId !== undefined ? { gatewayTransactionId: answer.gatewayTransactionId } : {}),
        at,
        autoCancel: this.settings.autoCancelOnRefund,
      },
      context,
    );
    const after = findRefund(result.state, refundId)!;
    return { transactionId: charge.transactionId, refundId, amount: after.amount, status: after.status };
  }
}

// The gateway knows a charge by its own id; our transaction id is the fallback reference.
const gatewayIdOf = (charge: ApprovedCharge): string => charge.gatewayTransactionId ?? charge.transactionId;

function refundIdOf(events: readonly PaymentsEvent[]): string {
  for (const event of events) if (event.type === 'RefundRequested') return event.data.refundId;
  throw new Error('RequestRefund stored no RefundRequested event');
}
