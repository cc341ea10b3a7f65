import { Job, Queue, QueueEvents, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { eventually, testRun } from '@continuum/testing';
import { smokeEnv } from './smoke-env';

// Redis through BullMQ: a job that fails once is retried after the configured delay and then succeeds.
describe('smoke: Redis + BullMQ', () => {
  const queueName = testRun('smoke-bullmq').name('smoke-bullmq');
  const retryDelayMs = 700;
  // BullMQ never closes a connection it was given, so the spec owns and quits all three.
  const connection = new IORedis(smokeEnv.redisUrl, { maxRetriesPerRequest: null });
  const eventsConnection = connection.duplicate();
  const workerConnection = connection.duplicate();
  let queue: Queue;
  let events: QueueEvents;
  let worker: Worker;
  const attemptsAt: number[] = [];

  beforeAll(async () => {
    queue = new Queue(queueName, { connection });
    events = new QueueEvents(queueName, { connection: eventsConnection });
    await events.waitUntilReady();
    worker = new Worker(
      queueName,
      async (job: Job<{ amount: number }>) => {
        attemptsAt.push(Date.now());
        if (job.attemptsMade === 0) throw new Error('gateway timeout');
        return { refunded: job.data.amount };
      },
      { connection: workerConnection },
    );
    await worker.waitUntilReady();
  });

  afterAll(async () => {
    await worker?.close();
    await events?.close();
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await Promise.all([connection.quit(), eventsConnection.quit(), workerConnection.quit()]);
  });

  it('runs with the noeviction policy that BullMQ needs', async () => {
    const [, policy] = (await connection.config('GET', 'maxmemory-policy')) as string[];
    expect(policy).toBe('noeviction');
  });

  it('retries a failed job after the fixed backoff delay and then completes it', async () => {
    const job = await queue.add('refund', { amount: 1999 }, { attempts: 3, backoff: { type: 'fixed', delay: retryDelayMs } });
    const result = await job.waitUntilFinished(events, 20000);
    expect(result).toEqual({ refunded: 1999 });

    const finished = await eventually(
      async () => {
        const fresh = await Job.fromId(queue, job.id!);
        return fresh && (await fresh.isCompleted()) ? fresh : undefined;
      },
      'the completed job',
      { timeoutMs: 20000 },
    );
    expect(finished.attemptsMade).toBe(2);
    expect(attemptsAt).toHaveLength(2);
    expect(attemptsAt[1] - attemptsAt[0]).toBeGreaterThanOrEqual(retryDelayMs);
  });
});
