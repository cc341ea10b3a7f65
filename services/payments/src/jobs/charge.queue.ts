import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { DomainError } from '@continuum/contracts';
import { buildDeadLetter, CommandContext, createQueue, createWorker, jobId, Platform, RecordSource } from '@continuum/platform';
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
export class ChargeQueue implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly queue: Queue<ChargeJob>;
  private worker!: Worker<ChargeJob>;

  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(PAYMENTS_SETTINGS) private readonly settings: PaymentsSettings,
  ) {
    this.queue = createQueue(CHARGE_QUEUE, this.platform.redis, { prefix: this.platform.queuePrefix }) as Queue<ChargeJob>;
  }

  onModuleInit(): void {
    this.worker = createWorker<ChargeJob>(CHARGE_QUEUE, (job) => this.process(job), this.platform.redis, { prefix: this.platform.queuePrefix }, {
      autorun: false,
      concurrency: this.settings.chargeConcurrency,
    });
    this.worker.on('failed', (job, error) => this.platform.logger.error({ err: error, jobId: job?.id, attemptsMade: job?.attemptsMade }, 'charge job failed'));
  }

  /** Workers start once the command handlers are registered (CqrsModule does that at bootstrap). */
  onApplicationBootstrap(): void {
    void this.worker.run().catch((error: unknown) => this.platform.logger.error({ err: error }, 'charge worker stopped'));
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    await this.queue?.close();
  }

  get bullQueue(): Queue<ChargeJob> {
    return this.queue;
  }

  async enqueue(job: ChargeJob): Promise<void> {
    await this.queue.add('charge', job, {
      jobId: jobId('charge', job.request.transactionId),
      attempts: this.settings.chargeAttempts,
      backoff: { type: 'exponential', delay: this.settings.chargeBackoffMs },
    });
  }

  private async process(job: Job<ChargeJob>): Promise<string> {
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
