import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Job, UnrecoverableError, WorkerOptions } from 'bullmq';
import { DomainError } from '@continuum/contracts';
import { buildDeadLetter, CommandContext, jobId, RecordSource, serviceQueue } from '@continuum/platform';
import { ChargeCardCommand } from '../commands';
import { ChargeRequest } from '../domain';
import { PAYMENTS_SETTINGS, PaymentsSettings } from '../payments-settings';

/** Card charges decided by reactions, queue `charges`. */
export const CHARGE_QUEUE = 'charges';

/** One card charge and what caused it (for its dead letter when it keeps failing). */
export interface ChargeJob {
  readonly request: ChargeRequest;
  readonly context: CommandContext;
  /** the consumed event that asked for the charge: where it came from and its value as it arrived */
  readonly cause: { readonly groupId: string; readonly source: RecordSource; readonly original: string };
}

/**
 * Card charges run here, off the Kafka partition: a gateway call that is slow or times out holds
 * one of `CHARGE_CONCURRENCY` workers, not every order behind it on the partition. A job's id is
 * the transaction id, so a redelivered cause adds nothing (and the charge handler never charges a
 * recorded transaction twice). A charge that keeps failing (`CHARGE_ATTEMPTS`, backoff from
 * `CHARGE_BACKOFF_MS`) or is refused by a rule is dead-lettered to payments.dlq.v1 with the cause,
 * as a consumer would; the failed job stays on the dashboard.
 */
@Injectable()
export class ChargeQueue extends serviceQueue<ChargeJob>(CHARGE_QUEUE) {
  @Inject(CommandBus) private readonly commandBus!: CommandBus;
  @Inject(PAYMENTS_SETTINGS) private readonly settings!: PaymentsSettings;

  protected override workerSettings(): Partial<WorkerOptions> {
    return { concurrency: this.settings.chargeConcurrency };
  }

  async enqueue(job: ChargeJob): Promise<void> {
    await this.bullQueue.add('charge', job, {
      jobId: jobId('charge', job.request.transactionId),
      attempts: this.settings.chargeAttempts,
      backoff: { type: 'exponential', delay: this.settings.chargeBackoffMs },
    });
  }

  protected async process(job: Job<ChargeJob>): Promise<string> {
    const { request, context } = job.data;
    try {
      const result = await this.commandBus.execute(new ChargeCardCommand(request, context));
      return result.response;
    } catch (error) {
      // A rule said no (or the thing does not exist): the same charge would be refused again.
      const refused = error instanceof DomainError && error.kind !== 'conflict';
      if (refused || job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
        await this.deadLetter(job, refused ? 'rejected' : 'failed', error);
        throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
      }
      throw error;
    }
  }

  private async deadLetter(job: Job<ChargeJob>, reason: 'rejected' | 'failed', error: unknown): Promise<void> {
    const { cause } = job.data;
    const record = buildDeadLetter({
      dlqTopic: this.platform.topic(this.platform.description.dlqTopic),
      reason,
      error,
      failedAt: new Date().toISOString(),
      attempts: job.attemptsMade + 1,
      groupId: cause.groupId,
      source: cause.source,
      original: cause.original,
    });
    this.platform.logger.error({ reason, transactionId: job.data.request.transactionId, err: error }, 'charge dead-lettered');
    await this.platform.publisher.publish([record]);
  }
}
