import { randomBytes } from 'node:crypto';
import type { Consumer } from 'kafkajs';

/** A value `eventually` keeps waiting on: anything falsy means "not yet". */
export type Pending<T> = T | undefined | null | false;

export interface EventuallyOptions {
  /** how long to keep polling before giving up (default 20 000 ms) */
  readonly timeoutMs?: number;
  /** pause between two checks (default 100 ms) */
  readonly intervalMs?: number;
}

/**
 * Polls `check` until it returns a truthy value and resolves with that value. Integration specs
 * wait for asynchronous outcomes with it instead of sleeping a fixed time.
 *
 * An error thrown by `check` counts as "not yet" (a read model that is still empty, an expect
 * that does not hold yet); the last one is attached to the timeout error so a failing run
 * says why, not only that it waited.
 *
 *   const order = await eventually(async () => (await find(orderId))?.status === 'PAID' && find(orderId), `order ${orderId} paid`);
 */
export async function eventually<T>(check: () => Pending<T> | Promise<Pending<T>>, what: string, options: EventuallyOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError === undefined ? '' : `; last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`, lastError === undefined ? undefined : { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The names one integration spec file runs under, so parallel files and repeated runs never share state. */
export interface TestRun {
  /** short random id: lowercase letters and digits only */
  readonly id: string;
  /** MongoDB database name, `it_<label>_<id>` */
  readonly database: string;
  /** prefix for every Kafka topic of the run, `it-<id>.` (the services read it from KAFKA_TOPIC_PREFIX) */
  readonly topicPrefix: string;
  /** prefix for every BullMQ queue of the run, `it-<id>` (the services read it from QUEUE_PREFIX) */
  readonly queuePrefix: string;
  /** a Kafka consumer group id of this run, `it-<id>.<name>` */
  readonly group: (name: string) => string;
  /** any other name of this run (queue, subject, stream, email local part), `<prefix>-<id>`; the prefix is used as given */
  readonly name: (prefix: string) => string;
}

/** Characters every target accepts: Kafka topics/groups, MongoDB database names and BullMQ queue names (no ':'). */
const sanitiseLabel = (label: string): string =>
  label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    // MongoDB caps database names at 63 bytes; the label is the only part of unbounded length
    .slice(0, 32) || 'run';

/**
 * Unique names for one spec file. Call it once at the top of the file (or in beforeAll):
 *
 *   const run = testRun('orders');
 *   process.env.MONGO_DB = run.database;
 *   process.env.KAFKA_TOPIC_PREFIX = run.topicPrefix;
 *   process.env.QUEUE_PREFIX = run.queuePrefix;
 */
export function testRun(label: string): TestRun {
  // 10 base-36 characters ≈ 51 bits: collisions between concurrent runs are not a concern
  const id = BigInt(`0x${randomBytes(8).toString('hex')}`).toString(36).padStart(10, '0').slice(-10);
  const topicPrefix = `it-${id}.`;
  return {
    id,
    database: `it_${sanitiseLabel(label)}_${id}`,
    topicPrefix,
    queuePrefix: `it-${id}`,
    group: (name) => `${topicPrefix}${name}`,
    name: (prefix) => `${prefix}-${id}`,
  };
}

/** The part of a kafkajs consumer `waitForGroupJoin` listens to. */
export type GroupJoinSource = Pick<Consumer, 'on' | 'events'>;

/**
 * Resolves when `consumer` has joined its group (GROUP_JOIN), so messages produced afterwards
 * reach it even when it reads from the latest offset. Rejects after `timeoutMs`.
 *
 * Call it BEFORE `consumer.run()`: the event fires once per join and a listener added after it
 * fired waits for the next rebalance. Keep the promise and await it after `run()`:
 *
 *   const joined = waitForGroupJoin(consumer);
 *   await consumer.connect();
 *   await consumer.subscribe({ topics: [topic], fromBeginning: true });
 *   await consumer.run({ eachMessage });
 *   await joined;
 */
export function waitForGroupJoin(consumer: GroupJoinSource, timeoutMs = 30_000): Promise<void> {
  const joined = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      removeListener();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for the consumer group join`));
    }, timeoutMs);
    // a failed connect() leaves the promise un-awaited: the pending timer must not hold the process open
    timer.unref?.();
    // kafkajs calls listeners asynchronously, after on() has returned the remover
    const removeListener = consumer.on(consumer.events.GROUP_JOIN, () => {
      clearTimeout(timer);
      removeListener();
      resolve();
    });
  });
  // if connect() or run() throws, the caller never awaits this promise: its later rejection must not
  // surface as an unhandled rejection (awaiting it still rejects)
  joined.catch(() => undefined);
  return joined;
}
