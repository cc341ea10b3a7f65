import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Connection } from 'mongoose';
import { EventEnvelope } from '@continuum/contracts';
import { CommitDocument, EventStore, OutboxEntry } from '../event-store';
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
  /** outbox entries read per round (default 100) */
  readonly batchSize?: number;
  /**
   * Called with the events of a round before they are published, in stream order; the service's own
   * views are fed here. A failure keeps the round's entries, so the same events come again (views
   * guard by stream version, so applying twice changes nothing). `term`: the lease term the round
   * runs in; while it stays the same, no other instance applied events in between.
   */
  readonly beforePublish?: (events: EventEnvelope[], round: { readonly term: number | undefined }) => Promise<void>;
  /** how long an entry whose commit does not exist is kept, in case its append is still running (default 10 min) */
  readonly orphanAfterMs?: number;
  readonly logger?: RelayLogger;
}

/** The lease every relay of a service competes for. */
export const OUTBOX_LEASE_ID = 'outbox-relay';
const WAKE_DEBOUNCE_MS = 10;
/** streams whose published end the relay remembers, for taking a later local commit without reading the outbox */
const PUBLISHED_STREAMS = 10_000;
/** local appends held for a local round at most; past it they are left to a full round */
const LOCAL_PENDING_MAX = 10_000;
/** how long published entries wait to be removed together (one delete for many rounds) */
const REMOVE_AFTER_MS = 100;
const silent: RelayLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Publishes stored events to Kafka from the outbox collection (an entry per stored, unpublished
 * commit). A stream's commits go out in seq order and their entries are removed only after
 * `publish` resolved, so a crash in between republishes them (at-least-once; consumers deduplicate
 * by eventId). Only the holder of the `outbox-relay` lease publishes, so one instance is active
 * across all replicas; it also feeds the service's views (`beforePublish`).
 *
 * Two kinds of round. A full round reads the outbox: at start, on every poll (pollIntervalMs), after
 * the lease changed hands, and whenever a commit cannot go the short way. A local round publishes
 * the commits this process appended, as the append handed them over, without reading the outbox or
 * the commits: only while this instance holds the lease, and only for a commit that starts its
 * stream or follows one this relay published (so a stream's commits still go out in order when
 * another instance appended the one before). Entries of published commits leave the outbox together,
 * 100 ms after the first of them (`drain()` and `stop()` remove them at once).
 *
 *   const relay = new OutboxRelay({ connection, eventStore, publish: (messages) => bus.publish(messages) });
 *   relay.start();  // ... on shutdown: await relay.stop();
 */
export class OutboxRelay {
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
  /** commits this process appended and no round has published yet, by outbox entry id, in append order */
  private readonly local = new Map<string, CommitDocument>();
  /** the stream version this relay last published up to, for recently published streams */
  private readonly publishedTo = new Map<string, number>();
  /** the next round reads the outbox */
  private fullRoundDue = true;
  /** the lease term of the last full round: a new term starts with a full round */
  private fullRoundTerm?: number;
  /** entries whose commits are published, waiting for the next removal (full rounds pass them over) */
  private readonly published = new Set<string>();
  private removeTimer?: NodeJS.Timeout;
  private removing: Promise<void> = Promise.resolve();

  constructor(private readonly deps: OutboxRelayDeps) {
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
    this.unsubscribe = this.deps.eventStore.onAppended((_result, commit) => {
      this.local.set(outboxEntryId(commit), commit);
      // rounds keep failing (Kafka away): the outbox holds them all, memory need not
      if (this.local.size > LOCAL_PENDING_MAX) {
        this.local.clear();
        this.fullRoundDue = true;
      }
      this.wake();
    });
    this.pollTimer = setInterval(() => {
      this.fullRoundDue = true;
      this.trigger();
    }, this.pollIntervalMs);
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
    await this.removePublished().catch((error) => this.logger.warn({ err: error }, 'outbox relay could not remove published entries; the next holder republishes them'));
    await this.lease.release().catch((error) => this.logger.warn({ err: error }, 'outbox relay could not release its lease'));
  }

  /**
   * Publishes everything unpublished now, if this instance holds (or can take) the lease.
   * Returns the number of events published; rejects when publishing or marking failed.
   */
  drain(): Promise<number> {
    return this.drainWith(() => undefined, true).then(async (count) => {
      await this.removePublished();
      return count;
    });
  }

  /**
   * A drain, telling `viewsApplied` as soon as the first round's events are in the views (or there
   * was nothing to do). `full`: read the outbox even when this process's own appends are all there is.
   */
  private drainWith(viewsApplied: () => void, full: boolean): Promise<number> {
    // two drains at once would publish the same batch twice
    const run = this.exclusive.then(() => {
      // without start() nothing hands this relay its local appends: only the outbox tells
      if (full || !this.running) this.fullRoundDue = true;
      return this.drainNow(viewsApplied);
    });
    this.exclusive = run.catch(() => undefined);
    return run;
  }

  /**
   * Runs a round for what is in the outbox now and resolves once its events are in the views (the
   * publish to Kafka goes on without the caller), after at most `timeoutMs`; never rejects (a
   * failed round leaves the entries for the next one). Commands await this so their own views are
   * current when they answer, and a slow or absent Kafka does not hold them up.
   */
  async settle(timeoutMs = 5000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    let viewsApplied = (): void => undefined;
    const waited = new Promise<void>((resolve) => {
      viewsApplied = resolve;
      timer = setTimeout(resolve, timeoutMs);
      timer.unref();
    });
    const drained = this.drainWith(viewsApplied, false).then(
      () => undefined,
      (error) => this.logger.warn({ err: error }, 'outbox relay round failed; the next round retries'),
    );
    await Promise.race([drained, waited]);
    clearTimeout(timer);
  }

  private async drainNow(viewsApplied: () => void): Promise<number> {
    let published = 0;
    try {
      for (;;) {
        if (!(await this.lease.acquire())) {
          // the holder publishes what this process appended, from the outbox
          this.local.clear();
          this.fullRoundDue = true;
          return published;
        }
        if (this.lease.term !== this.fullRoundTerm) this.fullRoundDue = true;
        const localRound = this.fullRoundDue ? null : this.localRound();
        let more: boolean;
        let commits: CommitDocument[];
        let done: string[];
        if (localRound) {
          ({ commits, done } = localRound);
          more = this.local.size > done.length;
        } else {
          this.fullRoundDue = false;
          this.fullRoundTerm = this.lease.term;
          // published entries waiting for their removal come first in the outbox: read past them
          const limit = this.batchSize + this.published.size;
          const entries = await this.deps.eventStore.outbox.oldest(limit);
          ({ commits, done } = await this.resolve(entries));
          more = entries.length >= limit;
          // the outbox had more than one batch: the next round reads on
          if (more) this.fullRoundDue = true;
        }
        if (done.length === 0) return published;
        const envelopes = commits.flatMap((commit) => this.deps.eventStore.envelopesOf(commit));
        if (envelopes.length > 0) {
          await this.deps.beforePublish?.(envelopes, { term: this.lease.term });
          viewsApplied();
          await this.deps.publish(envelopes.map((envelope) => this.toMessage(envelope)));
        }
        for (const id of done) {
          this.local.delete(id);
          this.published.add(id);
        }
        this.scheduleRemoval();
        for (const commit of commits) this.remember(commit);
        published += envelopes.length;
        if (!more) return published;
      }
    } catch (error) {
      // what was published and what was not is unknown: read the outbox next time
      this.fullRoundDue = true;
      throw error;
    } finally {
      // nothing to do, no lease or a failed round: the caller waits no longer
      viewsApplied();
    }
  }

  /**
   * Published entries leave the outbox together, REMOVE_AFTER_MS after the first of them: one delete
   * for the rounds of that time instead of one per round. A crash before it republishes them
   * (at-least-once, as any crash between publish and removal).
   */
  private scheduleRemoval(): void {
    if (this.removeTimer || this.published.size === 0) return;
    this.removeTimer = setTimeout(() => {
      this.removeTimer = undefined;
      this.removePublished().catch((error) => {
        this.logger.warn({ err: error }, 'outbox relay could not remove published entries; retrying');
        this.scheduleRemoval();
      });
    }, REMOVE_AFTER_MS);
    this.removeTimer.unref();
  }

  /** Removes the published entries now (one at a time: a removal in flight is waited for). */
  private removePublished(): Promise<void> {
    clearTimeout(this.removeTimer);
    this.removeTimer = undefined;
    const run = this.removing.then(async () => {
      const ids = [...this.published];
      if (ids.length === 0) return;
      await this.deps.eventStore.outbox.remove(ids);
      for (const id of ids) this.published.delete(id);
    });
    this.removing = run.catch(() => undefined);
    return run;
  }

  /**
   * The commits of a local round (up to batchSize, in append order), or null when one of them does
   * not start its stream or follow a commit this relay published: a full round then keeps the order.
   */
  private localRound(): { commits: CommitDocument[]; done: string[] } | null {
    const commits: CommitDocument[] = [];
    const done: string[] = [];
    const end = new Map<string, number>();
    for (const [id, commit] of this.local) {
      if (commits.length >= this.batchSize) break;
      const before = end.get(commit.streamId) ?? this.publishedTo.get(commit.streamId) ?? 0;
      if (commit.seq !== before) {
        this.fullRoundDue = true;
        return null;
      }
      end.set(commit.streamId, commit.seq + commit.events.length);
      commits.push(commit);
      done.push(id);
    }
    return { commits, done };
  }

  /** Notes how far a stream is published (the oldest remembered stream leaves first). */
  private remember(commit: CommitDocument): void {
    this.publishedTo.delete(commit.streamId);
    this.publishedTo.set(commit.streamId, commit.seq + commit.events.length);
    if (this.publishedTo.size > PUBLISHED_STREAMS) this.publishedTo.delete(this.publishedTo.keys().next().value!);
  }

  /**
   * The commits the entries stand for, each stream in seq order, and the entries this round settles.
   * An entry whose commit is missing stops its stream for this round while its append may still be
   * running, and is discarded once it is older than `orphanAfterMs`; an entry whose commit holds
   * other events lost the race for that commit id and is discarded.
   */
  private async resolve(entries: OutboxEntry[]): Promise<{ commits: CommitDocument[]; done: string[] }> {
    const byStream = new Map<string, OutboxEntry[]>();
    // published already, waiting for their removal
    for (const entry of entries.filter((e) => !this.published.has(e._id))) byStream.set(entry.streamId, [...(byStream.get(entry.streamId) ?? []), entry]);
    const orphanBefore = Date.now() - (this.deps.orphanAfterMs ?? 600_000);
    const commits: CommitDocument[] = [];
    const done: string[] = [];
    await Promise.all(
      [...byStream.values()].map(async (streamEntries) => {
        for (const entry of streamEntries.sort((a, b) => a.seq - b.seq)) {
          const commit = await this.deps.eventStore.commit(entry.commitId);
          if (!commit) {
            if (entry.createdAt.getTime() >= orphanBefore) return;
            done.push(entry._id);
            continue;
          }
          done.push(entry._id);
          if (commit.events[0]?.eventId === entry.firstEventId) commits.push(commit);
        }
      }),
    );
    // streams were resolved in parallel: put each stream's commits back together, in seq order
    return { commits: stableByStream(commits), done };
  }

  private toMessage(envelope: EventEnvelope): OutboxMessage {
    return {
      topic: this.topicFor(envelope.type),
      key: envelope.streamId,
      value: JSON.stringify(envelope),
      headers: { type: envelope.type, eventId: envelope.eventId, correlationId: envelope.correlationId },
    };
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
      const count = await this.drainWith(() => undefined, false);
      if (count > 0) this.logger.info({ count }, 'outbox relay published events');
    } catch (error) {
      // the commits stay unpublished; the next poll retries them
      this.logger.error({ err: error }, 'outbox relay round failed');
    }
  }
}

/** The outbox entry an append wrote for its commit (OutboxEntries.add). */
function outboxEntryId(commit: CommitDocument): string {
  return `${commit._id}#${commit.events[0]!.eventId}`;
}

/** Groups commits by stream (first appearance order), each stream's commits in seq order. */
function stableByStream(commits: CommitDocument[]): CommitDocument[] {
  const groups = new Map<string, CommitDocument[]>();
  for (const commit of commits) groups.set(commit.streamId, [...(groups.get(commit.streamId) ?? []), commit]);
  return [...groups.values()].flatMap((group) => group.sort((a, b) => a.seq - b.seq));
}
