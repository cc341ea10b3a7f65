import { JobsOptions, Queue, QueueOptions, Worker, WorkerOptions, Processor } from 'bullmq';
import { Redis } from 'ioredis';

/**
 * Defaults every queue shares: bounded attempts, retention so Redis does not grow without end,
 * and nothing removed before ops could look at it on the dashboard.
 */
export const defaultJobOptions: JobsOptions = {
  attempts: 1,
  removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

/** Queue names get a prefix per deployment (tests give each file its own). */
export interface QueueNaming {
  readonly prefix: string;
}

export function createQueue(name: string, connection: Redis, naming: QueueNaming, options: Partial<QueueOptions> = {}): Queue {
  return new Queue(name, {
    connection,
    prefix: naming.prefix,
    defaultJobOptions: { ...defaultJobOptions, ...(options.defaultJobOptions ?? {}) },
    ...options,
  });
}

export function createWorker<T = unknown, R = unknown>(
  name: string,
  processor: Processor<T, R>,
  connection: Redis,
  naming: QueueNaming,
  options: Partial<WorkerOptions> = {},
): Worker<T, R> {
  return new Worker<T, R>(name, processor, { connection, prefix: naming.prefix, concurrency: 1, ...options });
}

/**
 * Job ids must be deterministic so adding the same job twice is harmless. BullMQ forbids ':' in
 * custom ids, so parts are joined with '__'.
 */
export function jobId(...parts: (string | number)[]): string {
  return parts.map((p) => String(p).replace(/:/g, '_')).join('__');
}
