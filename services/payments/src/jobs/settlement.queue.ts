import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { DomainError, systemActor } from '@continuum/contracts';
import { Platform, createQueue, createWorker, jobId, systemContext } from '@continuum/platform';
import { SettleChargeCommand, SettlementWaitsForVoidError } from '../commands';
import { PAYMENTS_SETTINGS, PaymentsSettings } from '../payments-settings';

/** Delayed settlement of approved charges, queue `settlements`. */
export const SETTLEMENT_QUEUE = 'settlements';

export interface SettlementJob {
  readonly transactionId: string;
  readonly correlationId: string;
  /** the PaymentApproved event that scheduled it */
  readonly causationId: string;
}

/** One delayed settle job per approved charge, SETTLEMENT_DELAY_MS after the approval. */
@Injectable()
export class SettlementQueue implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly queue: Queue<SettlementJob>;
  private worker!: Worker<SettlementJob>;

  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(PAYMENTS_SETTINGS) private readonly settings: PaymentsSettings,
  ) {
    this.queue = createQueue(SETTLEMENT_QUEUE, this.platform.redis, { prefix: this.platform.queuePrefix }) as Queue<SettlementJob>;
  }

  onModuleInit(): void {
    const naming = { prefix: this.platform.queuePrefix };
    this.worker = createWorker<SettlementJob>(SETTLEMENT_QUEUE, (job) => this.process(job), this.platform.redis, naming, { autorun: false });
    this.worker.on('failed', (job, error) => {
      // waiting for a void is expected and retried: not an error unless it was the last try
      const waits = error instanceof SettlementWaitsForVoidError && job !== undefined && job.attemptsMade < (job.opts.attempts ?? 1);
      this.platform.logger[waits ? 'info' : 'error']({ err: error, jobId: job?.id, attemptsMade: job?.attemptsMade, data: job?.data }, 'settlement job failed');
    });
  }

  /** Workers start once the command handlers are registered (CqrsModule does that at bootstrap). */
  onApplicationBootstrap(): void {
    void this.worker.run().catch((error: unknown) => this.platform.logger.error({ err: error }, 'worker stopped'));
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    await this.queue?.close();
  }

  get bullQueue(): Queue<SettlementJob> {
    return this.queue;
  }

  async schedule(job: SettlementJob): Promise<void> {
    await this.queue.add('settle', job, {
      jobId: jobId('settle', job.transactionId),
      delay: this.settings.settlementDelayMs,
      // A pending void retries the job too (SettlementWaitsForVoidError): 8 tries wait about 4
      // minutes in all; a void pending longer is settled by the next settlement run once it fails.
      attempts: 8,
      backoff: { type: 'exponential', delay: 2_000 },
    });
  }

  private async process(job: Job<SettlementJob>): Promise<boolean> {
    const context = systemContext(systemActor('settlement'), job.data.correlationId, job.data.causationId, `settle:${job.data.transactionId}`);
    try {
      return (await this.commandBus.execute(new SettleChargeCommand(job.data.transactionId, context))).settled;
    } catch (error) {
      if (error instanceof DomainError) throw new UnrecoverableError(`${error.code}: ${error.message}`);
      throw error;
    }
  }
}
