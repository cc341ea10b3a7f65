import { Inject, Injectable } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { DomainError, systemActor } from '@continuum/contracts';
import { ScheduledBy, jobId, serviceQueue, systemContext } from '@continuum/platform';
import { SettlementWaitsForVoidError, TransactionAggregate } from '../commands';
import { PAYMENTS_SETTINGS, PaymentsSettings } from '../payments-settings';

/** Delayed settlement of approved charges, queue `settlements`. */
export const SETTLEMENT_QUEUE = 'settlements';

/** Settle one charge; scheduled by its PaymentApproved. */
export interface SettlementJob extends ScheduledBy {
  readonly transactionId: string;
}

/** One delayed settle job per approved charge, SETTLEMENT_DELAY_MS after the approval. */
@Injectable()
export class SettlementQueue extends serviceQueue<SettlementJob>(SETTLEMENT_QUEUE) {
  @Inject(TransactionAggregate) private readonly transactions!: TransactionAggregate;
  @Inject(PAYMENTS_SETTINGS) private readonly settings!: PaymentsSettings;

  /** Waiting for a void is expected and retried: not an error unless it was the last try. */
  protected override failed(job: Job<SettlementJob> | undefined, error: Error): void {
    const waits = error instanceof SettlementWaitsForVoidError && job !== undefined && job.attemptsMade < (job.opts.attempts ?? 1);
    if (waits) this.platform.logger.info({ err: error, jobId: job?.id, attemptsMade: job?.attemptsMade }, 'settlement waits for a void; retried');
    else super.failed(job, error);
  }

  async schedule(job: SettlementJob): Promise<void> {
    await this.bullQueue.add('settle', job, {
      jobId: jobId('settle', job.transactionId),
      delay: this.settings.settlementDelayMs,
      // A pending void retries the job too (SettlementWaitsForVoidError): 8 tries wait about 4
      // minutes in all; a void pending longer is settled by the next settlement run once it fails.
      attempts: 8,
      backoff: { type: 'exponential', delay: 2_000 },
    });
  }

  protected async process(job: Job<SettlementJob>): Promise<boolean> {
    const context = systemContext(systemActor('settlement'), job.data.correlationId, job.data.causationId, `settle:${job.data.transactionId}`);
    try {
      return (await this.transactions.settleCharge(job.data.transactionId, context)).settled;
    } catch (error) {
      if (error instanceof DomainError) throw new UnrecoverableError(`${error.code}: ${error.message}`);
      throw error;
    }
  }
}
