import { Inject, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Job, JobSchedulerTemplateOptions, Queue, RepeatOptions, Worker, WorkerOptions } from 'bullmq';
import { Platform } from '../service/platform';
import { createQueue, createWorker } from './queues';

/**
 * What a job scheduled by an event keeps of it, so the job's commands run under the event's
 * correlation id, caused by it (`systemContext(actor, correlationId, causationId, key)`).
 */
export interface ScheduledBy {
  readonly correlationId: string;
  /** the id of the event that scheduled the job */
  readonly causationId: string;
}

/**
 * One BullMQ queue of a service with its worker, tied to the Nest lifecycle: the worker is made at
 * module init and starts at application bootstrap (after @nestjs/cqrs registered the command
 * handlers a job sends its command through), and both close on shutdown. A service's queue extends
 * `serviceQueue(name)` (below), processes a job and adds its own `schedule`/`enqueue` with a
 * deterministic job id.
 */
export abstract class ServiceQueue<T> implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  /** the queue (for the ops dashboard, tests and the subclass's `add`) */
  readonly bullQueue: Queue<T>;
  private worker?: Worker<T>;

  protected constructor(
    protected readonly platform: Platform,
    readonly name: string,
    private readonly workerOptions: Partial<WorkerOptions> = {},
  ) {
    this.bullQueue = createQueue(name, platform.redis, { prefix: platform.queuePrefix }) as Queue<T>;
    // GET /ops and /metrics count its jobs; POST/DELETE /ops/queues/:name/jobs/:jobId act on its failed ones
    platform.ops.addQueue(this.bullQueue as unknown as Queue);
  }

  /** Runs one job; a thrown error fails this try (BullMQ retries while attempts remain). */
  protected abstract process(job: Job<T>): Promise<unknown>;

  /** Logs a failed try; override to log expected, retried failures quieter. */
  protected failed(job: Job<T> | undefined, error: Error): void {
    this.platform.logger.error({ err: error, queue: this.name, jobId: job?.id, attemptsMade: job?.attemptsMade }, `${this.name} job failed`);
  }

  /**
   * Declares a repeating job: a BullMQ job scheduler under a fixed id, so every instance declaring it
   * at start keeps one schedule. A failure to declare it is logged, not thrown (Redis may be back later).
   */
  protected repeat(schedulerId: string, repeat: Omit<RepeatOptions, 'key'>, template: { name: string; data: T; opts?: JobSchedulerTemplateOptions }): void {
    // (BullMQ types the scheduler id as the queue's job name type, which a generic T cannot name)
    void (this.bullQueue as unknown as Queue)
      .upsertJobScheduler(schedulerId, repeat, template)
      .catch((error: unknown) => this.platform.logger.error({ err: error, queue: this.name, schedulerId }, `could not schedule ${schedulerId} on ${this.name}`));
  }

  /**
   * The worker's options (e.g. `concurrency`), read at module init: by then the properties a
   * subclass injects are set, so an override may read its settings.
   */
  protected workerSettings(): Partial<WorkerOptions> {
    return this.workerOptions;
  }

  onModuleInit(): void {
    this.worker = createWorker<T>(this.name, (job) => this.process(job), this.platform.redis, { prefix: this.platform.queuePrefix }, { autorun: false, ...this.workerSettings() });
    this.worker.on('failed', (job, error) => this.failed(job, error));
    // connection trouble (Redis restarting): BullMQ reconnects by itself; say so rather than stay silent
    this.worker.on('error', (error) => this.platform.logger.warn({ err: error, queue: this.name }, 'queue worker error'));
  }

  onApplicationBootstrap(): void {
    void this.worker?.run().catch((error: unknown) => this.platform.logger.error({ err: error, queue: this.name }, 'worker stopped'));
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.close();
    await this.bullQueue.close();
  }
}

/**
 * The base class of one named queue of a service: it takes the service's `Platform` and names the
 * queue, so a queue class has no constructor of its own and injects what its jobs use as properties.
 *
 *   @Injectable() export class SettlementQueue extends serviceQueue<SettlementJob>(SETTLEMENT_QUEUE) {
 *     @Inject(TransactionAggregate) private readonly transactions!: TransactionAggregate;
 *     protected process(job: Job<SettlementJob>) { ... }
 *   }
 *
 * Worker options that come from settings: override `workerSettings()` (read at module init).
 */
export function serviceQueue<T>(name: string, workerOptions: Partial<WorkerOptions> = {}): abstract new (platform: Platform) => ServiceQueue<T> {
  abstract class NamedServiceQueue extends ServiceQueue<T> {
    constructor(@Inject(Platform) platform: Platform) {
      super(platform, name, workerOptions);
    }
  }
  return NamedServiceQueue;
}
