import { randomUUID } from 'node:crypto';
import mongoose, { Connection } from 'mongoose';
import pino from 'pino';
import { Redis } from 'ioredis';
import { Job } from 'bullmq';
import { Actor, systemActor } from '@continuum/contracts';
import { CommandContext } from '../commands';
import { createRedisConnection } from '../jobs';
import { OpsRegistry } from '../ops';
import { Platform } from '../service/platform';
import { RunJob, RunQueue, RunReporter, dueTime } from './run-queue';
import { RunRecord } from './run-record';

jest.setTimeout(60_000);

/** Polls `check` until it answers something (the kit's `eventually`, which platform may not import). */
async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await check();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Input {
  readonly items: readonly string[];
}

/**
 * A run over `items` whose item commands are idempotent by their key, as the services' are: an
 * item whose key was seen does nothing again, and an item once done is no longer listed (as a
 * HOLD fulfillment once exported). `crashes` makes that many tries stop after `crashAfter` items.
 */
class ItemsRunQueue extends RunQueue<Input, { handled: number }> {
  readonly effects = new Map<string, number>();
  readonly keys = new Set<string>();
  crashes = 0;
  crashAfter = 2;
  /** each try of a scheduled job: its id, when that try started, and the time the run decides as of */
  readonly scheduledTries: { jobId: string; processedOn: number; asOf: string }[] = [];

  constructor(platform: Platform) {
    super(platform, 'items-runs', 'items', { attempts: 2, backoffMs: 50 });
  }

  protected async perform(input: Input, context: CommandContext, run: RunReporter): Promise<{ handled: number }> {
    const remaining = input.items.filter((item) => !this.effects.has(item));
    await run.planned(remaining.length);
    let handled = 0;
    for (const item of remaining) {
      if (this.crashes > 0 && handled === this.crashAfter) {
        this.crashes--;
        throw new Error('the instance went away');
      }
      const key = run.forItem(context, item).idempotencyKey!;
      if (!this.keys.has(key)) {
        this.keys.add(key);
        this.effects.set(item, (this.effects.get(item) ?? 0) + 1);
      }
      handled++;
      await run.advanced();
    }
    return { handled };
  }

  protected scheduled(job: Job<RunJob<Input>>): { input: Input; context: CommandContext } {
    this.scheduledTries.push({ jobId: job.id!, processedOn: job.processedOn!, asOf: dueTime(job) });
    return { input: { items: ['s-1'] }, context: { correlationId: `scheduled:${job.id}`, causationId: null, actor: systemActor('items-run') } };
  }
}

describe('RunQueue (FerretDB, Redis)', () => {
  let connection: Connection;
  let redis: Redis;
  let queue: ItemsRunQueue;
  const actor: Actor = { kind: 'admin', id: 'dev-admin' };
  const context = (extra: Partial<CommandContext> = {}): CommandContext => ({ correlationId: `corr-${randomUUID()}`, causationId: null, actor, ...extra });
  const record = async (runId: string) => (await connection.collection<RunRecord>('runs').findOne({ _id: runId }))!;
  const finished = (runId: string) =>
    eventually(async () => {
      const found = await record(runId);
      return found && found.status !== 'RUNNING' ? found : undefined;
    }, `run ${runId} over`);

  beforeAll(async () => {
    connection = await mongoose.createConnection(process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017', { dbName: `it_runs_${randomUUID().slice(0, 8)}` }).asPromise();
    redis = createRedisConnection(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
    // the parts of a Platform a queue uses: store, Redis, logger, names, and the registry /ops counts queues in
    const platform = { connection, redis, logger: pino({ level: 'silent' }), queuePrefix: `it-runs-${randomUUID().slice(0, 8)}`, ops: new OpsRegistry() } as unknown as Platform;
    queue = new ItemsRunQueue(platform);
    queue.onModuleInit();
    queue.onApplicationBootstrap();
  });

  afterAll(async () => {
    await queue.bullQueue.obliterate({ force: true }).catch(() => undefined);
    await queue.onModuleDestroy();
    await connection.dropDatabase();
    await connection.close();
    redis.disconnect();
  });

  beforeEach(() => {
    queue.effects.clear();
    queue.crashes = 0;
    queue.crashAfter = 2;
  });

  it('runs inside the caller and records it DONE with its result, progress and who started it', async () => {
    const answer = await queue.runNow({ items: ['a', 'b', 'c'] }, context());
    expect(answer).toEqual({ handled: 3, runId: expect.stringMatching(/^items-/) });
    expect(await record(answer.runId)).toMatchObject({ kind: 'items', status: 'DONE', progress: { done: 3, total: 3 }, result: { handled: 3 }, startedBy: actor, queued: false });
    expect(await queue.answer(answer.runId)).toMatchObject({ runId: answer.runId, status: 'DONE', result: { handled: 3 } });
  });

  it('a queued run whose try dies half-way is tried again under the same id: no item twice, progress carried on', async () => {
    queue.crashes = 1;
    const { runId } = await queue.runLater({ items: ['a', 'b', 'c', 'd', 'e'] }, context());
    const over = await finished(runId);
    expect(over).toMatchObject({ status: 'DONE', queued: true, progress: { done: 5, total: 5 } });
    // the finishing try did what was left
    expect(over.result).toEqual({ handled: 3 });
    expect([...queue.effects.values()]).toEqual([1, 1, 1, 1, 1]);
    expect([...queue.keys].filter((key) => key.startsWith(`run:${runId}:`))).toHaveLength(5);
  });

  it('a queued run with no try left is FAILED with the reason; GET says so', async () => {
    queue.crashes = 2;
    queue.crashAfter = 0;
    const { runId } = await queue.runLater({ items: ['a', 'b', 'c'] }, context());
    const over = await finished(runId);
    expect(over).toMatchObject({ status: 'FAILED', error: 'the instance went away' });
    expect(await queue.answer(runId)).toMatchObject({ status: 'FAILED', error: 'the instance went away', progress: { done: 0, total: 3 }, finishedAt: expect.any(String) });
    expect(queue.effects.size).toBe(0);
  });

  it('a run inside the caller that throws is FAILED and the error reaches the caller', async () => {
    queue.crashes = 1;
    const key = `dev-admin:${randomUUID()}`;
    await expect(queue.runNow({ items: ['a', 'b', 'c'] }, context({ idempotencyKey: key }))).rejects.toThrow('the instance went away');
    // the same request again (same Idempotency-Key): the same run id, and what was done is not redone
    const again = await queue.runNow({ items: ['a', 'b', 'c'] }, context({ idempotencyKey: key }));
    expect(again.handled).toBe(1);
    expect(await record(again.runId)).toMatchObject({ status: 'DONE' });
    expect([...queue.effects.values()]).toEqual([1, 1, 1]);
  });

  it('the same queued request twice (same Idempotency-Key) is one run', async () => {
    const key = `dev-admin:${randomUUID()}`;
    const [first, second] = [await queue.runLater({ items: ['x'] }, context({ idempotencyKey: key })), await queue.runLater({ items: ['x'] }, context({ idempotencyKey: key }))];
    expect(second.runId).toBe(first.runId);
    await finished(first.runId);
    expect(queue.effects.get('x')).toBe(1);
  });

  it('records a scheduled job (no runId) under an id derived from its job id', async () => {
    await queue.bullQueue.add('run', {}, { jobId: `scheduled-${randomUUID()}` });
    const runs = connection.collection<RunRecord>('runs');
    const found = await eventually(async () => (await runs.find({ startedBy: systemActor('items-run') }).toArray()).find((r) => r.status === 'DONE'), 'scheduled run recorded');
    expect(found).toMatchObject({ kind: 'items', queued: true, result: { handled: 1 } });
  });

  describe('a scheduled run tried again decides as of the time its first try did', () => {
    const triesOf = (jobId: string) => eventually(async () => {
      const tries = queue.scheduledTries.filter((t) => t.jobId === jobId);
      return tries.length === 2 ? tries : undefined;
    }, `two tries of ${jobId}`);

    it('a delayed job: when it was added plus its delay, not when each try started', async () => {
      queue.crashes = 1;
      queue.crashAfter = 0;
      const job = await queue.bullQueue.add('run', {}, { jobId: `delayed-${randomUUID()}`, delay: 300, attempts: 2, backoff: { type: 'fixed', delay: 200 } });
      const [first, second] = await triesOf(job.id!);
      expect(second.processedOn).toBeGreaterThan(first.processedOn);
      expect(first.asOf).toBe(new Date(job.timestamp + 300).toISOString());
      expect(second.asOf).toBe(first.asOf);
    });

    it("a job scheduler's run: its scheduled time on both tries, and the next run's an interval later", async () => {
      queue.crashes = 1;
      queue.crashAfter = 0;
      const schedulerId = `every-${randomUUID()}`;
      await queue.bullQueue.upsertJobScheduler(schedulerId, { every: 3_600_000 }, { name: 'run', data: {}, opts: { attempts: 2, backoff: { type: 'fixed', delay: 200 } } });
      try {
        const tryOf = await eventually(async () => queue.scheduledTries.find((t) => t.jobId.includes(schedulerId)), 'the first try of the scheduled run');
        const [first, second] = await triesOf(tryOf.jobId);
        expect(second.processedOn).toBeGreaterThan(first.processedOn);
        expect(second.asOf).toBe(first.asOf);
        expect(Date.parse(first.asOf)).toBeLessThanOrEqual(first.processedOn);
        // the scheduler's next run, added by BullMQ's own script when this one started: due an interval later
        const next = await eventually(async () => (await queue.bullQueue.getDelayed()).find((job) => job.id !== tryOf.jobId && (job.id ?? '').includes(schedulerId)), 'the next scheduled run');
        expect(Date.parse(dueTime(next))).toBe(Date.parse(first.asOf) + 3_600_000);
      } finally {
        await queue.bullQueue.removeJobScheduler(schedulerId);
      }
    });
  });

  it('answers 404 (RUN_NOT_FOUND) for an unknown id, a malformed one, or a run of another kind', async () => {
    await expect(queue.answer('items-00000000-0000-0000-0000-000000000000')).rejects.toMatchObject({ code: 'RUN_NOT_FOUND', kind: 'not-found' });
    await expect(queue.answer('../etc')).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
    await connection.collection<RunRecord>('runs').insertOne({ _id: 'export-11111111-0000-0000-0000-000000000000', kind: 'export' } as RunRecord);
    await expect(queue.answer('export-11111111-0000-0000-0000-000000000000')).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
  });
});
