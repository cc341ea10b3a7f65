import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { LRUCache } from 'lru-cache';
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
  /**
   * how long an entry whose commit does not exist is kept, in case its append is still running
   * (default 10 min), counted from when this relay first found it without its commit: the entry's own
   * `createdAt` comes from the appending instance's clock, which may disagree with this one
   */
  readonly orphanAfterMs?: number;
  /** this instance's clock, for the lease and for orphaned entries (default: the system clock) */
  readonly clock?: () => Date;
  readonly logger?: RelayLogger;
}

/** The end of a commit a caller waits for: the stream and its version after the commit. */
export interface SettleTarget {
  readonly streamId: string;
  readonly version: number;
}

/** The lease every relay of a service competes for. */
export const OUTBOX_LEASE_ID = 'outbox-relay';
const WAKE_DEBOUNCE_MS = 10;
/** streams whose published end (and views' end) the relay remembers, for taking a later local commit without reading the outbox */
const PUBLISHED_STREAMS = 10_000;
/** local appends held for a local round at most; past it they are left to a full round */
const LOCAL_PENDING_MAX = 10_000;
/** entries found without their commit the relay keeps a first sighting of (past it, sightings start over) */
const MISSING_SEEN_MAX = 10_000;
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
  private readonly publishedTo = new LRUCache<string, number>({ max: PUBLISHED_STREAMS });
  /** the stream version this relay has put the views up to (beforePublish resolved), for recent streams */
  private readonly viewsAt = new LRUCache<string, number>({ max: PUBLISHED_STREAMS });
  /** entries found without their commit: when this relay first saw each so (its clock, ms) */
  private readonly missingSince = new Map<string, number>();
  private readonly clock: () => Date;
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
    this.clock = deps.clock ?? (() => new Date());
    this.lease = new Lease(deps.connection, OUTBOX_LEASE_ID, owner, deps.leaseMs ?? 10_000, this.clock);
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
   * Runs rounds for what is in the outbox now and resolves once their events are in the views (the
   * publish to Kafka goes on without the caller), after at most `timeoutMs`; never rejects (a
   * failed round leaves the entries for the next one). Commands await this so their own views are
   * current when they answer, and a slow or absent Kafka does not hold them up.
   *
   * With `until` (a commit's stream and version after it) it resolves as soon as this relay has put
   * the views up to that commit, and answers whether it has: false when this instance does not hold
   * the lease (the holder applies it: the caller waits for the view documents instead), when the
   * rounds ended without it or the time ran out. Without `until`: after the first round, true when
   * this instance held the lease. Knowing costs no store round trip (the relay remembers what it
   * applied).
   */
  async settle(timeoutMs = 5000, until?: SettleTarget): Promise<boolean> {
    const shown = (): boolean => (until === undefined ? this.lease.term !== undefined : (this.viewsAt.get(until.streamId) ?? 0) >= until.version);
    if (until !== undefined && shown()) return true;
    let timer: NodeJS.Timeout | undefined;
    let answer = (_shown: boolean): void => undefined;
    const waited = new Promise<boolean>((resolve) => {
      answer = resolve;
      timer = setTimeout(() => resolve(shown()), timeoutMs);
      timer.unref();
    });
    // after each round's views (and once more when the rounds end): done when the target is shown
    const viewsApplied = (): void => {
      if (until === undefined || shown()) answer(shown());
    };
    const drained = this.drainWith(viewsApplied, false).then(
      () => shown(),
      (error) => {
        this.logger.warn({ err: error }, 'outbox relay round failed; the next round retries');
        return shown();
      },
    );
    const settled = await Promise.race([drained, waited]);
    clearTimeout(timer);
    return settled;
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
          let hole: boolean;
          ({ commits, done, hole } = await this.resolve(entries));
          // the outbox had more than one batch, or a stream stopped before an entry this round did not
          // read: the next round reads on (and reads that stream's entries)
          more = entries.length >= limit || hole;
          if (more) this.fullRoundDue = true;
        }
        if (done.length === 0) return published;
        const envelopes = commits.flatMap((commit) => this.deps.eventStore.envelopesOf(commit));
        if (envelopes.length > 0) {
          await this.deps.beforePublish?.(envelopes, { term: this.lease.term });
          for (const commit of commits) remember(this.viewsAt, commit);
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
    remember(this.publishedTo, commit);
  }

  /**
   * The commits the entries stand for, each stream in seq order, and the entries this round settles.
   * The outbox is read oldest first by `createdAt`, the appending instance's clock, so a stream's
   * later commit may come before an earlier one still in the outbox: for a stream whose first entry
   * here neither starts it nor follows what this relay published, every entry of the stream is read,
   * and the stream is walked from its lowest unpublished seq. A stream whose entries here leave out
   * one in between stops before it (`hole`: the next round reads on). An entry whose commit is missing stops
   * its stream for this round while its append may still be running, and is discarded once this relay
   * has seen it missing for `orphanAfterMs`; an entry whose commit holds other events lost the race
   * for that commit id and is discarded.
   */
  private async resolve(entries: OutboxEntry[]): Promise<{ commits: CommitDocument[]; done: string[]; hole: boolean }> {
    const byStream = new Map<string, Map<string, OutboxEntry>>();
    const add = (entry: OutboxEntry): void => {
      // published already, waiting for their removal
      if (this.published.has(entry._id)) return;
      const stream = byStream.get(entry.streamId) ?? new Map<string, OutboxEntry>();
      stream.set(entry._id, entry);
      byStream.set(entry.streamId, stream);
    };
    for (const entry of entries) add(entry);
    const first = new Map([...byStream].map(([streamId, stream]) => [streamId, Math.min(...[...stream.values()].map((entry) => entry.seq))]));
    const unsure = [...first].filter(([streamId, seq]) => seq !== 0 && seq !== this.publishedTo.get(streamId)).map(([streamId]) => streamId);
    for (const entry of await this.deps.eventStore.outbox.ofStreams(unsure)) add(entry);
    const complete = new Set(unsure);
    let hole = false;
    const now = this.clock().getTime();
    const orphanAfterMs = this.deps.orphanAfterMs ?? 600_000;
    if (this.missingSince.size > MISSING_SEEN_MAX) this.missingSince.clear();
    const commits: CommitDocument[] = [];
    const done: string[] = [];
    await Promise.all(
      [...byStream].map(async ([streamId, stream]) => {
        // where the stream's next commit starts: its first unpublished seq, then after each commit taken
        // (for a stream whose entries were all read, nothing is left out: no need to know)
        let end = complete.has(streamId) ? undefined : first.get(streamId);
        for (const entry of [...stream.values()].sort((a, b) => a.seq - b.seq)) {
          // the entry of a commit in between was not read (its createdAt sorts later): stop here
          if (end !== undefined && entry.seq > end) {
            hole = true;
            return;
          }
          const commit = await this.deps.eventStore.commit(entry.commitId);
          if (!commit) {
            const since = this.missingSince.get(entry._id) ?? now;
            this.missingSince.set(entry._id, since);
            if (now - since < orphanAfterMs) return;
            this.missingSince.delete(entry._id);
            done.push(entry._id);
            continue;
          }
          this.missingSince.delete(entry._id);
          done.push(entry._id);
          if (commit.events[0]?.eventId !== entry.firstEventId) continue;
          commits.push(commit);
          if (end !== undefined) end = commit.seq + commit.events.length;
        }
      }),
    );
    // streams were resolved in parallel: put each stream's commits back together, in seq order
    return { commits: stableByStream(commits), done, hole };
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

/** Notes a stream's version after `commit` in a bounded cache (the least recently used stream leaves first). */
function remember(versions: LRUCache<string, number>, commit: CommitDocument): void {
  versions.set(commit.streamId, Math.max(versions.get(commit.streamId) ?? 0, commit.seq + commit.events.length));
}

/** Groups commits by stream (first appearance order), each stream's commits in seq order. */
function stableByStream(commits: CommitDocument[]): CommitDocument[] {
  const groups = new Map<string, CommitDocument[]>();
  for (const commit of commits) groups.set(commit.streamId, [...(groups.get(commit.streamId) ?? []), commit]);
  return [...groups.values()].flatMap((group) => group.sort((a, b) => a.seq - b.seq));
}
