import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Connection, Model } from 'mongoose';
import { CommitDocument, commitEnvelopes, createCommitModel, EventStore } from '../event-store';
import { Lease } from './lease';
import { OutboxMessage, PublishFn, RelayLogger } from './outbox-message';

export interface OutboxRelayDeps {
  readonly connection: Connection;
  readonly eventStore: EventStore;
  readonly publish: PublishFn;
  /** topic of an event type; defaults to the topic in the event's registry definition */
  readonly topicFor?: (type: string) => string;
  /** identifies this instance in the lease; defaults to host:pid:random */
  readonly owner?: string;
  /** how often to look for unpublished commits without a wake-up (default 1000) */
  readonly pollIntervalMs?: number;
  /** how long the lease lasts without renewal (default 10000); renewed on every poll */
  readonly leaseMs?: number;
  /** commits read per round (default 100) */
  readonly batchSize?: number;
  readonly logger?: RelayLogger;
}

/** The lease every relay of a service competes for. */
export const OUTBOX_LEASE_ID = 'outbox-relay';
const WAKE_DEBOUNCE_MS = 10;
const silent: RelayLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Publishes stored events to Kafka: every commit with `published: false` is the outbox. Commits go
 * out in (streamId, seq) order and are marked published only after `publish` resolved, so a crash
 * in between republishes them (at-least-once; consumers deduplicate by eventId). Only the holder
 * of the `outbox-relay` lease publishes, so one instance is active across all replicas.
 *
 *   const relay = new OutboxRelay({ connection, eventStore, publish: (messages) => bus.publish(messages) });
 *   relay.start();  // ... on shutdown: await relay.stop();
 */
export class OutboxRelay {
  private readonly commits: Model<CommitDocument>;
  private readonly lease: Lease;
  private readonly topicFor: (type: string) => string;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly logger: RelayLogger;
  private running = false;
  private pollTimer?: NodeJS.Timeout;
  private wakeTimer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  private current?: Promise<void>;
  private again = false;
  private exclusive: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: OutboxRelayDeps) {
    this.commits = createCommitModel(deps.connection);
    const owner = deps.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.lease = new Lease(deps.connection, OUTBOX_LEASE_ID, owner, deps.leaseMs ?? 10_000);
    this.topicFor = deps.topicFor ?? ((type) => deps.eventStore.registry.current(type).topic);
    this.pollIntervalMs = deps.pollIntervalMs ?? 1000;
    this.batchSize = deps.batchSize ?? 100;
    this.logger = deps.logger ?? silent;
  }

  /** this instance's name in the lease */
  get owner(): string {
    return this.lease.owner;
  }

  /** Starts relaying: now, after every append in this process, and every pollIntervalMs. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.deps.eventStore.onAppended(() => this.wake());
    this.pollTimer = setInterval(() => this.trigger(), this.pollIntervalMs);
    this.pollTimer.unref();
    this.trigger();
  }

  /** Stops relaying, waits for the round in flight and gives the lease up for another instance. Safe to call twice. */
  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    clearInterval(this.pollTimer);
    clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    await this.current;
    // a drain() without start() may hold the lease too
    await this.exclusive;
    await this.lease.release().catch((error) => this.logger.warn({ err: error }, 'outbox relay could not release its lease'));
  }

  /**
   * Publishes everything unpublished now, if this instance holds (or can take) the lease.
   * Returns the number of events published; rejects when publishing or marking failed.
   */
  drain(): Promise<number> {
    // two drains at once would publish the same batch twice
    const run = this.exclusive.then(() => this.drainNow());
    this.exclusive = run.catch(() => undefined);
    return run;
  }

  private async drainNow(): Promise<number> {
    let published = 0;
    for (;;) {
      if (!(await this.lease.acquire())) return published;
      const batch = await this.commits.find({ published: false }).sort({ streamId: 1, seq: 1 }).limit(this.batchSize).lean<CommitDocument[]>().exec();
      if (batch.length === 0) return published;
      const messages = batch.flatMap((commit) => this.toMessages(commit));
      await this.deps.publish(messages);
      await this.commits.updateMany({ _id: { $in: batch.map((commit) => commit._id) } }, { $set: { published: true, publishedAt: new Date() } }).exec();
      published += messages.length;
    }
  }

  private toMessages(commit: CommitDocument): OutboxMessage[] {
    return commitEnvelopes(commit).map((envelope) => ({
      topic: this.topicFor(envelope.type),
      key: envelope.streamId,
      value: JSON.stringify(envelope),
      headers: { type: envelope.type, eventId: envelope.eventId, correlationId: envelope.correlationId },
    }));
  }

  private wake(): void {
    if (!this.running || this.wakeTimer) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      this.trigger();
    }, WAKE_DEBOUNCE_MS);
  }

  /** One round at a time; a trigger during a round runs one more round after it. */
  private trigger(): void {
    if (!this.running) return;
    if (this.current) {
      this.again = true;
      return;
    }
    this.current = this.round().finally(() => {
      this.current = undefined;
      if (this.again) {
        this.again = false;
        this.trigger();
      }
    });
  }

  private async round(): Promise<void> {
    try {
      const count = await this.drain();
      if (count > 0) this.logger.info({ count }, 'outbox relay published events');
    } catch (error) {
      // the commits stay unpublished; the next poll retries them
      this.logger.error({ err: error }, 'outbox relay round failed');
    }
  }
}
