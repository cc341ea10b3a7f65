import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { PaymentsEvent, Topics } from '@continuum/contracts';
import { eventHandlers, Platform } from '@continuum/platform';
import { RefundRetryQueue, SettlementQueue } from '../jobs';

export const JOB_SCHEDULER_GROUP = 'job-scheduler';

/**
 * Schedules jobs from the service's own published events: RefundQueued -> the next refund retry,
 * PaymentApproved -> the delayed settlement. Driven by the outbox, so no queued refund is forgotten
 * even when the process died right after storing it; job ids are deterministic, so a re-add is harmless.
 */
@Injectable()
export class JobSchedulerConsumer implements OnModuleInit {
  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(RefundRetryQueue) private readonly refundRetries: RefundRetryQueue,
    @Inject(SettlementQueue) private readonly settlements: SettlementQueue,
  ) {}

  onModuleInit(): void {
    this.platform.consumer({
      groupId: JOB_SCHEDULER_GROUP,
      topics: [Topics.paymentsEvents],
      handlers: eventHandlers<PaymentsEvent>({
        RefundQueued: async (envelope) => {
          const { transactionId, refundId, retryNumber } = envelope.data;
          await this.refundRetries.schedule({ transactionId, refundId, retryNumber, correlationId: envelope.correlationId, causationId: envelope.eventId });
        },
        PaymentApproved: async (envelope) => {
          await this.settlements.schedule({ transactionId: envelope.data.transactionId, correlationId: envelope.correlationId, causationId: envelope.eventId });
        },
      }),
      // no handled-event records: a redelivered event adds a job under an id that exists (BullMQ
      // keeps finished jobs 7 days), and a job that runs again anyway finds nothing to do (a settled
      // charge is not settled twice, a refund retry that is no longer due does nothing)
      dedup: false,
    });
  }
}
