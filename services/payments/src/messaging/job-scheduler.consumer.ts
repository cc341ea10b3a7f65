import { Inject } from '@nestjs/common';
import { PaymentsEvent, Topics } from '@continuum/contracts';
import { DeclaredConsumer, EventConsumer, eventHandlers, MessageHandler } from '@continuum/platform';
import { TransactionAggregate } from '../commands';
import { retriesDueAtSettlement } from '../domain';
import { RefundRetryQueue, SettlementQueue } from '../jobs';

export const JOB_SCHEDULER_GROUP = 'job-scheduler';

/**
 * Schedules jobs from the service's own published events: RefundQueued -> the next refund retry
 * (after the delay; one queued until settlement waits), ChargeSettled -> at once, the retries of the
 * refunds the gateway refused because the charge had not settled, PaymentApproved -> the delayed settlement. Driven by the outbox, so no queued refund is forgotten
 * even when the process died right after storing it; job ids are deterministic, so a re-add is harmless.
 */
@EventConsumer({
  groupId: JOB_SCHEDULER_GROUP,
  topics: [Topics.paymentsEvents],
  // no handled-event records: a redelivered event adds a job under an id that exists (BullMQ
  // keeps finished jobs 7 days), and a job that runs again anyway finds nothing to do (a settled
  // charge is not settled twice, a refund retry that is no longer due does nothing)
  dedup: false,
})
export class JobSchedulerConsumer implements DeclaredConsumer {
  constructor(
    @Inject(RefundRetryQueue) private readonly refundRetries: RefundRetryQueue,
    @Inject(SettlementQueue) private readonly settlements: SettlementQueue,
    @Inject(TransactionAggregate) private readonly transactions: TransactionAggregate,
  ) {}

  handlers(): Record<string, MessageHandler> {
    return eventHandlers<PaymentsEvent>({
      RefundQueued: async (envelope) => {
        const { transactionId, refundId, retryNumber, afterSettlement } = envelope.data;
        // refused because the charge had not settled: its retry is added when the charge settles
        if (afterSettlement === true) return;
        await this.refundRetries.schedule({ transactionId, refundId, retryNumber, correlationId: envelope.correlationId, causationId: envelope.eventId });
      },
      ChargeSettled: async (envelope) => {
        const { transactionId } = envelope.data;
        const { state } = await this.transactions.load(transactionId);
        for (const { refundId, retryNumber } of retriesDueAtSettlement(state)) {
          await this.refundRetries.schedule({ transactionId, refundId, retryNumber, correlationId: envelope.correlationId, causationId: envelope.eventId }, 0);
        }
      },
      PaymentApproved: async (envelope) => {
        await this.settlements.schedule({ transactionId: envelope.data.transactionId, correlationId: envelope.correlationId, causationId: envelope.eventId });
      },
    });
  }
}
