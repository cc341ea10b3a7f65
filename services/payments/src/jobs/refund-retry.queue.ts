import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Job, UnrecoverableError } from 'bullmq';
import { DomainError, systemActor } from '@continuum/contracts';
import { ScheduledBy, jobId, serviceQueue, systemContext } from '@continuum/platform';
import { ReverseChargeCommand } from '../commands';
import { PAYMENTS_SETTINGS, PaymentsSettings } from '../payments-settings';

/** The daily refund retries (a refund the gateway rejected is tried again, up to three times), queue `refund-retries`. */
export const REFUND_RETRY_QUEUE = 'refund-retries';

/** One scheduled retry: gateway attempt `retryNumber + 1` of a queued refund; scheduled by its RefundQueued. */
export interface RefundRetryJob extends ScheduledBy {
  readonly transactionId: string;
  readonly refundId: string;
  readonly retryNumber: number;
}

/**
 * Holds the refund retry queue and its worker. A retry is added when RefundQueued is consumed,
 * with a deterministic job id, so a redelivered event or a second scheduler adds nothing. The jobs
 * live in Redis (append-only), so a restart of the service or of Redis loses none.
 */
@Injectable()
export class RefundRetryQueue extends serviceQueue<RefundRetryJob>(REFUND_RETRY_QUEUE) {
  @Inject(CommandBus) private readonly commandBus!: CommandBus;
  @Inject(PAYMENTS_SETTINGS) private readonly settings!: PaymentsSettings;

  /** Adds the retry after REFUND_RETRY_DELAY_MS, or after `delayMs` (0: a retry that the charge's settlement made due). */
  async schedule(job: RefundRetryJob, delayMs: number = this.settings.refundRetryDelayMs): Promise<void> {
    await this.bullQueue.add('retry-refund', job, {
      jobId: jobId('refund', job.refundId, job.retryNumber),
      delay: delayMs,
      // A crash or a gateway timeout retries the job a few times; a refund attempt is recorded once.
      attempts: 5,
      backoff: { type: 'exponential', delay: 2_000 },
    });
  }

  protected async process(job: Job<RefundRetryJob>): Promise<string> {
    const { transactionId, refundId, retryNumber, correlationId, causationId } = job.data;
    const attempt = retryNumber + 1;
    const context = systemContext(systemActor('refund-retries'), correlationId, causationId, `refund-retry:${refundId}:${attempt}`);
    try {
      const outcome = await this.commandBus.execute(ReverseChargeCommand.retryRefund(transactionId, refundId, attempt, context));
      return outcome ? outcome.status : 'NOT_DUE';
    } catch (error) {
      // A rule said no: retrying the job cannot change that.
      if (error instanceof DomainError) throw new UnrecoverableError(`${error.code}: ${error.message}`);
      if (isLastAttempt(job)) await this.giveUp(job, attempt, error);
      throw error;
    }
  }

  /**
   * The job's last try failed without a gateway answer: record the attempt as failed, so the refund
   * moves on (queued for the next retry, or abandoned with the email) instead of staying QUEUED.
   */
  private async giveUp(job: Job<RefundRetryJob>, attempt: number, error: unknown): Promise<void> {
    const { transactionId, refundId, correlationId, causationId } = job.data;
    const reason = error instanceof Error ? error.message : String(error);
    const context = systemContext(systemActor('refund-retries'), correlationId, causationId, `refund-retry:${refundId}:${attempt}:gave-up`);
    try {
      await this.commandBus.execute(ReverseChargeCommand.recordGivenUpAttempt(transactionId, refundId, attempt, reason, context));
      this.platform.logger.error({ err: error, refundId, attempt }, 'refund retry gave up: attempt recorded as failed');
    } catch (recordError) {
      this.platform.logger.error({ err: recordError, refundId, attempt }, 'refund retry gave up and could not record the failed attempt');
    }
  }
}

/** Whether this run is the job's last try (BullMQ counts the failed tries before this one). */
const isLastAttempt = (job: Job): boolean => job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
