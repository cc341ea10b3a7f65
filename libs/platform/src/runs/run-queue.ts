import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Job, Queue, WorkerOptions } from 'bullmq';
import { DomainError } from '@continuum/contracts';
import { CommandContext } from '../commands';
import { ServiceQueue, jobId } from '../jobs';
import { Platform } from '../service/platform';
import { ProgressThrottle, RunAnswer, RunProgress, isRunId, newRunId, runAnswer, runItemKey } from './run-record';
import { RunStore } from './run-store';

/**
 * What a run's command gets to report with: its id (items are keyed by it), how many items it found,
 * and each item looked at. Progress is written at a bounded rate (ProgressThrottle), not per item.
 */
export interface RunReporter {
  readonly runId: string;
  /** The context of one item's command: the run's, with the idempotency key run id + item id. */
  forItem(context: CommandContext, itemId: string): CommandContext;
  /** How many items this run found to do; call once, before the first item. */
  planned(total: number): Promise<void>;
  /** `count` more items were looked at (done, or left alone by the rules). */
  advanced(count?: number): Promise<void>;
}

/** A reporter that records nothing, for a run's command dispatched outside a RunQueue (a spec, a script). */
export function unrecordedRun(runId: string = `run-${randomUUID()}`): RunReporter {
  return {
    runId,
    forItem: (context, itemId) => ({ ...context, idempotencyKey: runItemKey(runId, itemId) }),
    planned: async () => undefined,
    advanced: async () => undefined,
  };
}

/** The data of a run's job: a run started over HTTP names its id, input and context; a scheduled one none of them. */
export interface RunJob<I> {
  readonly runId?: string;
  readonly input?: I;
  readonly context?: CommandContext;
}

/**
 * When a scheduled job was due: when it was added plus the delay it was added with (a job
 * scheduler's next run, a delayed job), as an ISO time. The same on every try of the job, where a
 * try's start (`processedOn`) moves with each retry: a run tried again after a crash must decide as
 * its first try did, since its items' keys (run id + item id) answer only the same command again.
 */
export function dueTime(job: Pick<Job, 'timestamp' | 'opts'>): string {
  return new Date(job.timestamp + (job.opts.delay ?? 0)).toISOString();
}

export interface RunQueueOptions {
  /** tries of a queued run before it is FAILED (each item is idempotent, so a retry redoes nothing) */
  readonly attempts?: number;
  readonly backoffMs?: number;
  readonly workerOptions?: Partial<WorkerOptions>;
}

/** Writes a run's progress through the store at a bounded rate; continues the progress of an earlier try. */
class RecordedRun implements RunReporter {
  private done: number;
  private total: number;
  private readonly throttle = new ProgressThrottle();

  constructor(
    readonly runId: string,
    private readonly store: RunStore,
    private readonly platform: Platform,
    /** items done by earlier tries of this run (a job picked up again after a crash) */
    private readonly before: number,
  ) {
    this.done = before;
    this.total = before;
  }

  get progress(): RunProgress {
    return { done: this.done, total: Math.max(this.total, this.done) };
  }

  forItem(context: CommandContext, itemId: string): CommandContext {
    return { ...context, idempotencyKey: runItemKey(this.runId, itemId) };
  }

  async planned(total: number): Promise<void> {
    this.total = this.before + total;
    await this.write(true);
  }

  async advanced(count = 1): Promise<void> {
    this.done += count;
    await this.write(false);
  }

  private async write(always: boolean): Promise<void> {
    const due = this.throttle.due(this.done, this.total, Date.now());
    if (!due && !always) return;
    // progress is for people watching; a failed write of it does not fail the run
    await this.store.progress(this.runId, this.progress).catch((error: unknown) => this.platform.logger.warn({ err: error, runId: this.runId }, 'run progress not recorded'));
  }
}

/**
 * The one mechanism behind POST /export-runs, /billing-runs and /settlement-runs: a BullMQ queue of
 * the service whose jobs are runs, and the record of every run in `runs`. A subclass says how to do a
 * run (`perform`: dispatch the run's command with the reporter) and what a scheduled job runs with.
 * - `runNow`: inside the request (no Prefer), recorded, answers the result and its runId;
 * - `runLater`: recorded RUNNING and queued (Prefer: respond-async), answers the runId at once. The job
 *   survives the instance: a killed worker's job is stalled and picked up by another instance (or
 *   this one after a restart), and its items, keyed by run id + item id, are not done twice;
 * - a scheduled job (no runId in its data) is recorded under an id derived from its job id.
 */
export abstract class RunQueue<I, R extends object, J extends RunJob<I> = RunJob<I>> extends ServiceQueue<J> {
  readonly store: RunStore;
  private readonly options: RunQueueOptions;

  protected constructor(
    platform: Platform,
    queueName: string,
    /** 'export', 'billing', 'settlement': the run ids' prefix and the path /<kind>-runs */
    readonly kind: string,
    options: RunQueueOptions = {},
  ) {
    super(platform, queueName, options.workerOptions ?? {});
    this.store = new RunStore(platform.connection);
    this.options = options;
  }

  /** Does the run: dispatches its command with `run` to report progress and key its items; answers its result. */
  protected abstract perform(input: I, context: CommandContext, run: RunReporter): Promise<R>;

  /** What a scheduled job (one without a runId) runs with. */
  protected abstract scheduled(job: Job<J>): { input: I; context: CommandContext };

  /** Where GET answers a run of this kind: `/<kind>-runs/<runId>`. */
  location(runId: string): string {
    return `/${this.kind}-runs/${runId}`;
  }

  /** A run inside the caller's request: recorded, so GET shows it too; answers the result with its runId. */
  async runNow(input: I, context: CommandContext): Promise<R & { runId: string }> {
    const runId = newRunId(this.kind, context.idempotencyKey, randomUUID);
    const record = await this.store.begin(runId, this.kind, context.actor, false);
    const result = await this.execute(runId, input, context, record.progress.done);
    return { ...result, runId };
  }

  /** A run queued as a job of this queue: recorded RUNNING, answers its id at once. */
  async runLater(input: I, context: CommandContext): Promise<{ runId: string }> {
    const runId = newRunId(this.kind, context.idempotencyKey, randomUUID);
    const existing = await this.store.get(runId);
    // the same request again (its answer was lost): the run goes on or is done, nothing to start
    if (existing && existing.status !== 'FAILED') return { runId };
    const id = jobId('run', runId);
    // a run that failed under this id is tried again: its old job gives way to a new one
    if (existing) await this.bullQueue.remove(id).catch(() => undefined);
    await this.store.begin(runId, this.kind, context.actor, true);
    try {
      // (BullMQ types a job's name by its data type, which a generic J cannot name)
      await (this.bullQueue as unknown as Queue<RunJob<I>>).add('run', { runId, input, context }, { jobId: id, attempts: this.options.attempts ?? 3, backoff: { type: 'exponential', delay: this.options.backoffMs ?? 5_000 } });
    } catch (error) {
      await this.store.fail(runId, `could not be queued: ${messageOf(error)}`);
      throw error;
    }
    return { runId };
  }

  /** The run as GET answers it; 404 for an id this service has no run of this kind under. */
  async answer(runId: string): Promise<RunAnswer<R>> {
    const record = isRunId(runId) ? await this.store.get(runId) : undefined;
    if (!record || record.kind !== this.kind) throw new DomainError('RUN_NOT_FOUND', `No ${this.kind} run ${runId}`, 'not-found', { field: 'id' });
    return runAnswer(record) as RunAnswer<R>;
  }

  protected async process(job: Job<J>): Promise<R & { runId: string }> {
    const { runId, input, context } =
      job.data.runId !== undefined && job.data.context !== undefined
        ? { runId: job.data.runId, input: job.data.input as I, context: job.data.context }
        : { runId: newRunId(this.kind, `job:${job.id ?? job.timestamp}`, randomUUID), ...this.scheduled(job) };
    // a job tried again (an error, or picked up after its worker died) continues its record
    const record = await this.store.begin(runId, this.kind, context.actor, true);
    const result = await this.execute(runId, input, context, record.progress.done, false);
    this.platform.logger.info({ result: result as unknown, runId, jobId: job.id }, `${this.kind} run done`);
    return { ...result, runId };
  }

  /** A try that failed: the run is FAILED once no try is left (a try that will be retried leaves it RUNNING). */
  protected override failed(job: Job<J> | undefined, error: Error): void {
    super.failed(job, error);
    if (!job) return;
    const runId = job.data.runId ?? newRunId(this.kind, `job:${job.id ?? job.timestamp}`, randomUUID);
    void job
      .getState()
      .then((state) => (state === 'failed' ? this.store.fail(runId, messageOf(error)) : undefined))
      .catch((failure: unknown) => this.platform.logger.warn({ err: failure, runId }, 'run failure not recorded'));
  }

  private async execute(runId: string, input: I, context: CommandContext, before: number, failOnError = true): Promise<R> {
    const run = new RecordedRun(runId, this.store, this.platform, before);
    let result: R;
    try {
      result = await this.perform(input, context, run);
    } catch (error) {
      // a try that is retried continues from the progress of this one
      if (failOnError) await this.store.fail(runId, messageOf(error)).catch(() => undefined);
      else await this.store.progress(runId, run.progress).catch(() => undefined);
      throw error;
    }
    await this.store.finish(runId, result, run.progress);
    return result;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The base class of one service's run queue (as `serviceQueue` is for a plain queue): it takes the
 * service's `Platform`, names the queue and the kind of run, so the queue class has no constructor of
 * its own and injects what its runs use as properties.
 *
 *   @Injectable() export class SettlementRunQueue extends runQueue<SettlementRunInput, { settled: number }>(SETTLEMENT_RUN_QUEUE, 'settlement') {
 *     @Inject(CommandBus) private readonly commandBus!: CommandBus;
 *     protected perform(...) { ... }
 *     protected scheduled(...) { ... }
 *   }
 */
export function runQueue<I, R extends object, J extends RunJob<I> = RunJob<I>>(queueName: string, kind: string, options: RunQueueOptions = {}): abstract new (platform: Platform) => RunQueue<I, R, J> {
  abstract class NamedRunQueue extends RunQueue<I, R, J> {
    constructor(@Inject(Platform) platform: Platform) {
      super(platform, queueName, kind, options);
    }
  }
  return NamedRunQueue;
}
