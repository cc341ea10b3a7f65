import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { AssignerProtocol, Kafka } from 'kafkajs';
import { Connection } from 'mongoose';
import { DomainError, ListPage } from '@continuum/contracts';
import { redactCardText } from '../card-data';
import { OUTBOX_COLLECTION } from '../event-store';
import { Lease, OUTBOX_LEASE_ID } from '../outbox';
import type { OpsSettings } from './ops-settings';
import { SweeperRegistry, SweeperRun } from './sweepers';

/** The job states `GET /ops` counts per queue. */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

export type QueueStatus = { readonly name: string } & Readonly<Record<QueueState, number>>;

export interface ConsumerStatus {
  readonly groupId: string;
  readonly topic: string;
  /** end offset minus committed offset, per partition (a partition the group never committed: everything it holds) */
  readonly lag: readonly { readonly partition: number; readonly lag: number }[];
}

export interface OutboxStatus {
  /** commits stored and not yet published */
  readonly backlog: number;
  /** age of the oldest of them (0 when none) */
  readonly oldestAgeMs: number;
  /** the instance whose relay publishes (holds the `outbox-relay` lease), null when none does */
  readonly leaseHolder: string | null;
}

/** `GET /ops`: one service's queues, consumer groups, outbox, dead letters and sweepers. */
export interface OpsSnapshot {
  readonly service: string;
  readonly queues: readonly QueueStatus[];
  readonly consumers: readonly ConsumerStatus[];
  readonly outbox: OutboxStatus | null;
  /** records on the service's dead-letter topic (replayed ones included: a dead letter is never deleted) */
  readonly deadLetters: readonly { readonly topic: string; readonly count: number }[];
  readonly sweepers: readonly SweeperRun[];
  /** the parts that could not be read (e.g. Kafka away), with why; absent when all were */
  readonly errors?: Readonly<Record<string, string>>;
}

/**
 * A failed job as `GET /ops/queues/:name/failed-jobs` lists it: its id, name, why it failed, the
 * tries made and when it failed; never its data or stack trace (a job's data may hold what a person
 * on call must not read, such as card data), and card numbers in the reason read `[REDACTED]`.
 */
export interface FailedJobEntry {
  readonly jobId: string;
  readonly name: string;
  readonly failedReason: string | null;
  readonly attemptsMade: number;
  /** when its last try failed (ISO-8601), null when BullMQ did not record it */
  readonly failedAt: string | null;
}

/** The listed fields of a failed job, and only those (see FailedJobEntry). */
export function failedJobEntry(job: Pick<Job, 'id' | 'name' | 'failedReason' | 'attemptsMade' | 'finishedOn'>): FailedJobEntry {
  return {
    jobId: String(job.id),
    name: job.name,
    failedReason: job.failedReason ? redactCardText(job.failedReason) : null,
    attemptsMade: job.attemptsMade ?? 0,
    failedAt: typeof job.finishedOn === 'number' ? new Date(job.finishedOn).toISOString() : null,
  };
}

/**
 * The queues and sweepers of one service process, registered as they are made (ServiceQueue adds
 * its queue, a sweeper registers itself), so `GET /ops` and `/metrics` find them.
 */
export class OpsRegistry {
  readonly sweepers = new SweeperRegistry();
  private readonly queues = new Map<string, Queue>();

  addQueue(queue: Queue): void {
    this.queues.set(queue.name, queue);
  }

  queue(name: string): Queue | undefined {
    return this.queues.get(name);
  }

  queueList(): Queue[] {
    return [...this.queues.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
}

/**
 * A partition's lag: its end offset minus the group's committed offset. A group that never
 * committed on it (offset -1) has everything the partition holds to read; a committed offset below
 * what the partition still holds counts from the start of what it holds.
 */
export function partitionLag(offsets: { readonly low: string; readonly high: string }, committed: string): number {
  const high = BigInt(offsets.high);
  const low = BigInt(offsets.low);
  const from = BigInt(committed) < 0n ? low : BigInt(committed) < low ? low : BigInt(committed);
  const lag = high - from;
  return lag > 0n ? Number(lag) : 0;
}

/** Why `/health` is degraded, by check name (`consumer-lag`, `outbox`, `queues`); empty when nothing is past its threshold. */
export function degradedReasons(snapshot: OpsSnapshot, thresholds: OpsSettings): Record<string, string> {
  const reasons: Record<string, string> = {};
  const lagging = snapshot.consumers.flatMap((c) => c.lag.filter((p) => p.lag >= thresholds.lagDegraded).map((p) => `${c.groupId} ${c.topic}[${p.partition}] ${p.lag} behind`));
  if (lagging.length > 0) reasons['consumer-lag'] = `lag at or over OPS_LAG_DEGRADED (${thresholds.lagDegraded}): ${lagging.join(', ')}`;
  const outbox = snapshot.outbox;
  const outboxReasons: string[] = [];
  if (outbox && outbox.oldestAgeMs >= thresholds.outboxAgeDegradedMs) outboxReasons.push(`oldest unpublished commit ${outbox.oldestAgeMs} ms old (OPS_OUTBOX_AGE_DEGRADED_MS ${thresholds.outboxAgeDegradedMs})`);
  if (outbox && outbox.backlog >= thresholds.outboxBacklogDegraded) outboxReasons.push(`${outbox.backlog} commits unpublished (OPS_OUTBOX_BACKLOG_DEGRADED ${thresholds.outboxBacklogDegraded})`);
  if (outboxReasons.length > 0) reasons['outbox'] = outboxReasons.join('; ');
  const failing = snapshot.queues.filter((q) => q.failed >= thresholds.failedJobsDegraded).map((q) => `${q.name} ${q.failed} failed`);
  if (failing.length > 0) reasons['queues'] = `failed jobs at or over OPS_FAILED_JOBS_DEGRADED (${thresholds.failedJobsDegraded}): ${failing.join(', ')}`;
  return reasons;
}

export interface OpsStatusDeps {
  readonly service: string;
  readonly kafka: Kafka;
  /** the service's database (outbox, leases) */
  readonly connection: Connection;
  readonly registry: OpsRegistry;
  /** the start of every consumer group id of the service (`<topic prefix><service>.`) */
  readonly groupPrefix: string;
  /** the real name of the service's dead-letter topic */
  readonly dlqTopic: string;
  readonly now?: () => Date;
}

/**
 * Reads what `GET /ops`, `/metrics` and `/health` report: queue counts from BullMQ, consumer lag
 * from the Kafka admin client (every group of the service, running or stopped: committed offsets
 * stay), the outbox backlog and lease holder from the store, the dead-letter topic's size. Each
 * part is read on its own; one that fails is named in `errors` and the rest still answer.
 */
export class OpsStatus {
  private readonly now: () => Date;
  private readonly lease: Lease;
  private cached?: { at: number; snapshot: Promise<OpsSnapshot> };

  constructor(private readonly deps: OpsStatusDeps) {
    this.now = deps.now ?? (() => new Date());
    // only read (holder()); never acquired under this owner name
    this.lease = new Lease(deps.connection, OUTBOX_LEASE_ID, 'ops-reader', 1, this.now);
  }

  get registry(): OpsRegistry {
    return this.deps.registry;
  }

  /** A snapshot no older than `maxAgeMs` (scrapes and health checks close together share one read). */
  snapshot(maxAgeMs = 0): Promise<OpsSnapshot> {
    const at = Date.now();
    if (this.cached && at - this.cached.at <= maxAgeMs) return this.cached.snapshot;
    const snapshot = this.read();
    this.cached = { at, snapshot };
    snapshot.catch(() => (this.cached = undefined));
    return snapshot;
  }

  private async read(): Promise<OpsSnapshot> {
    const errors: Record<string, string> = {};
    const part = async <T>(name: string, read: () => Promise<T>, fallback: T): Promise<T> => {
      try {
        return await read();
      } catch (error) {
        errors[name] = error instanceof Error ? error.message : String(error);
        return fallback;
      }
    };
    const [queues, kafkaParts, outbox] = await Promise.all([
      part('queues', () => this.queues(), [] as QueueStatus[]),
      part('consumers', () => this.kafkaParts(), { consumers: [] as ConsumerStatus[], deadLetters: [] as { topic: string; count: number }[] }),
      part('outbox', () => this.outbox(), null),
    ]);
    return {
      service: this.deps.service,
      queues,
      consumers: kafkaParts.consumers,
      outbox,
      deadLetters: kafkaParts.deadLetters,
      sweepers: this.deps.registry.sweepers.list(),
      ...(Object.keys(errors).length > 0 ? { errors } : {}),
    };
  }

  private async queues(): Promise<QueueStatus[]> {
    return Promise.all(
      this.deps.registry.queueList().map(async (queue) => {
        const counts = await queue.getJobCounts(...QUEUE_STATES);
        return { name: queue.name, ...Object.fromEntries(QUEUE_STATES.map((state) => [state, counts[state] ?? 0])) } as QueueStatus;
      }),
    );
  }

  /** Consumer lag and the dead-letter topic's size, with one admin connection. */
  private async kafkaParts(): Promise<{ consumers: ConsumerStatus[]; deadLetters: { topic: string; count: number }[] }> {
    const admin = this.deps.kafka.admin();
    await admin.connect();
    try {
      const { groups } = await admin.listGroups();
      const groupIds = groups.map((g) => g.groupId).filter((id) => id.startsWith(this.deps.groupPrefix)).sort();
      const topicOffsets = new Map<string, Map<number, { low: string; high: string }>>();
      const offsetsOf = async (topic: string) => {
        let offsets = topicOffsets.get(topic);
        if (!offsets) {
          offsets = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, { low: p.low, high: p.high }]));
          topicOffsets.set(topic, offsets);
        }
        return offsets;
      };
      // a running group that has committed nothing yet is still listed: its members' subscriptions name its topics
      const subscribed = new Map<string, Set<string>>();
      if (groupIds.length > 0) {
        for (const group of (await admin.describeGroups(groupIds)).groups) {
          const topics = new Set<string>();
          for (const member of group.members) {
            try {
              for (const topic of AssignerProtocol.MemberMetadata.decode(member.memberMetadata)?.topics ?? []) topics.add(topic);
            } catch {
              // not a consumer's metadata: its topics are known from its commits only
            }
          }
          subscribed.set(group.groupId, topics);
        }
      }
      const consumers: ConsumerStatus[] = [];
      for (const groupId of groupIds) {
        const committed = (await admin.fetchOffsets({ groupId })).map((t) => t.topic);
        const topics = [...new Set([...committed, ...(subscribed.get(groupId) ?? [])])].sort();
        if (topics.length === 0) continue;
        for (const { topic, partitions } of await admin.fetchOffsets({ groupId, topics })) {
          const ends = await offsetsOf(topic);
          const lag = partitions
            .filter((p) => ends.has(p.partition))
            .map((p) => ({ partition: p.partition, lag: partitionLag(ends.get(p.partition)!, p.offset) }))
            .sort((a, b) => a.partition - b.partition);
          consumers.push({ groupId, topic, lag });
        }
      }
      const topics = await admin.listTopics();
      const dlq = topics.includes(this.deps.dlqTopic) ? await offsetsOf(this.deps.dlqTopic) : new Map<number, { low: string; high: string }>();
      const count = [...dlq.values()].reduce((sum, p) => sum + Number(BigInt(p.high) - BigInt(p.low)), 0);
      return { consumers, deadLetters: [{ topic: this.deps.dlqTopic, count }] };
    } finally {
      await admin.disconnect();
    }
  }

  private async outbox(): Promise<OutboxStatus> {
    const entries = this.deps.connection.collection<{ createdAt: Date }>(OUTBOX_COLLECTION);
    const [backlog, oldest, leaseHolder] = await Promise.all([
      entries.countDocuments({}),
      entries.find({}, { projection: { createdAt: 1 } }).sort({ createdAt: 1 }).limit(1).next(),
      this.lease.holder(),
    ]);
    const oldestAgeMs = oldest ? Math.max(0, this.now().getTime() - new Date(oldest.createdAt).getTime()) : 0;
    return { backlog, oldestAgeMs, leaseHolder };
  }

  /**
   * One page of a queue's failed jobs, the last to fail first: at most `page.limit`, after the job
   * `page.after` (the last of the previous page; one no longer failed starts from the first). 404 for
   * an unknown queue.
   */
  async failedJobs(queueName: string, page: ListPage): Promise<FailedJobEntry[]> {
    const queue = this.knownQueue(queueName);
    // BullMQ keeps failed jobs in a sorted set by the time they failed: the page starts after the rank of `after`
    // (BullMQ types its connection by the few commands it declares; it is the ioredis client)
    const rank = page.after === undefined ? null : await ((await queue.client) as unknown as Redis).zrevrank(queue.toKey('failed'), page.after);
    const start = rank === null ? 0 : rank + 1;
    const jobs = await queue.getFailed(start, start + page.limit - 1);
    return jobs.filter((job): job is Job => Boolean(job)).map(failedJobEntry);
  }

  /** Puts a failed job back to waiting (its attempts start again). 404 for an unknown queue or job, 409 when it has not failed. */
  async retryJob(queueName: string, jobId: string): Promise<{ queue: string; jobId: string; state: string }> {
    const job = await this.failedJob(queueName, jobId);
    await job.retry('failed');
    return { queue: queueName, jobId, state: await job.getState() };
  }

  /** Removes a failed job. 404 for an unknown queue or job, 409 when it has not failed. */
  async removeJob(queueName: string, jobId: string): Promise<void> {
    const job = await this.failedJob(queueName, jobId);
    await job.remove();
  }

  private knownQueue(queueName: string): Queue {
    const queue = this.deps.registry.queue(queueName);
    if (!queue) {
      const names = this.deps.registry.queueList().map((q) => q.name);
      throw new DomainError('QUEUE_NOT_FOUND', `no queue ${queueName} in ${this.deps.service} (it has ${names.join(', ') || 'none'})`, 'not-found', { field: 'name', queue: queueName });
    }
    return queue;
  }

  private async failedJob(queueName: string, jobId: string): Promise<Job> {
    const queue = this.knownQueue(queueName);
    const job = await queue.getJob(jobId);
    if (!job) throw new DomainError('JOB_NOT_FOUND', `no job ${jobId} on queue ${queueName}`, 'not-found', { field: 'jobId', queue: queueName, jobId });
    const state = await job.getState();
    if (state !== 'failed') throw new DomainError('JOB_NOT_FAILED', `job ${jobId} on queue ${queueName} is ${state}; only a failed job is retried or removed here`, 'conflict', { field: 'jobId', jobId, state });
    return job;
  }
}
