import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { Connection, Model } from 'mongoose';
import { DomainEvent, EventEnvelope, MessageRegistry, registry as defaultRegistry, SchemaValidationError } from '@continuum/contracts';
import { AppendListener, AppendMeta, AppendResult } from './append.types';
import { idempotencyKeyReused } from './command-hash';
import { CommitDocument, commitEnvelopes, createCommitModel, ensureCommitIndexes } from './commit.schema';
import { ConcurrencyError } from './concurrency.error';
import { OutboxEntries } from './outbox-entries';
import { isDuplicateKey } from '../store/insert-once';

export interface EventStoreOptions {
  /** schemas and upcasters; defaults to the shared registry of @continuum/contracts */
  readonly registry?: MessageRegistry;
  readonly newId?: () => string;
  readonly clock?: () => Date;
  /**
   * How many streams' commits this process keeps in memory (default 2,000; 0 keeps none). Commits
   * never change once stored, so a cached stream is read from where the cache ends: one lookup (the
   * probe for a newer commit) instead of one per commit, and the relay finds a commit this process
   * appended without reading it back. Least recently used streams leave first.
   */
  readonly commitCacheStreams?: number;
}

/** A stream as read: its events brought to their latest schema version, and its current version. */
export interface StreamRead {
  readonly events: EventEnvelope[];
  /** number of events in the stream (0 when it does not exist) */
  readonly version: number;
  /**
   * The stream's append made with this idempotency key, as a replay; null when there was none.
   * With `commandHash` (see `commandHash()`), an earlier append whose stored hash differs throws
   * DomainError IDEMPOTENCY_KEY_REUSED (422) instead: the key was given for another command. An
   * append stored without a hash (before hashes were kept, or a reaction's) matches any command.
   */
  readonly appendWithKey: (idempotencyKey: string, commandHash?: string) => AppendResult | null;
}

export interface AppendOptions {
  /**
   * The caller has just read the stream and `expectedVersion` is its end, so the store skips its own
   * version walk: a concurrent append still collides on the commit's unique id.
   */
  readonly atStreamEnd?: boolean;
}


/** The id of the commit that starts at `seq` in a stream; unique like {streamId, seq}. */
export const commitId = (streamId: string, seq: number): string => `${streamId}@${seq}`;

/**
 * Event-sourced streams on MongoDB or FerretDB, one `commits` document per append.
 *
 *   const store = new EventStore(connection);
 *   await store.init();
 *   const { version } = await store.readStream('order-1');
 *   await store.append('order-1', version, [{ type: 'OrderCancelled', data }], { correlationId, causationId: null, actor });
 *
 * Optimistic concurrency rides on the commit's unique id, so no transactions are needed. Every
 * hot path is an `_id` lookup: reading a stream walks its commit ids, an idempotency key is found in
 * the stream it belongs to, and unpublished commits are listed in the small `outbox` collection.
 */
export class EventStore {
  /** the registry that validates appended events and upcasts read ones */
  readonly registry: MessageRegistry;
  private readonly model: Model<CommitDocument>;
  private readonly newId: () => string;
  private readonly clock: () => Date;
  private readonly listeners = new Set<AppendListener>();
  /** commits not yet on Kafka (see OutboxEntries) */
  readonly outbox: OutboxEntries;
  private readonly cache: CommitCache;

  constructor(connection: Connection, options: EventStoreOptions = {}) {
    this.model = createCommitModel(connection);
    this.outbox = new OutboxEntries(connection);
    this.registry = options.registry ?? defaultRegistry;
    this.newId = options.newId ?? randomUUID;
    this.clock = options.clock ?? (() => new Date());
    this.cache = new CommitCache(options.commitCacheStreams ?? 2_000);
  }

  /** Creates the collection and its unique indexes; call once at start, before the first append. */
  async init(): Promise<void> {
    await ensureCommitIndexes(this.model);
    await this.outbox.init();
  }

  async readStream(streamId: string): Promise<StreamRead> {
    return this.streamRead(await this.commitsOf(streamId));
  }

  /**
   * The stream as this process's commit cache has it, without asking the store whether a newer
   * commit exists (undefined when the stream is not cached). Only for a writer that appends at the
   * version read: a newer commit makes that append collide on its commit id, and the writer reads
   * again. A decision that appends nothing must not rest on it.
   */
  readStreamCached(streamId: string): StreamRead | undefined {
    const commits = this.cache.stream(streamId);
    return commits.length === 0 ? undefined : this.streamRead([...commits]);
  }

  private streamRead(commits: CommitDocument[]): StreamRead {
    const events = commits.flatMap((commit) => this.upcast(commitEnvelopes(commit)));
    const last = commits[commits.length - 1];
    return {
      events,
      version: last ? last.seq + last.events.length : 0,
      appendWithKey: (idempotencyKey, commandHash) => {
        const commit = commits.find((candidate) => candidate.idempotencyKey === idempotencyKey);
        if (!commit) return null;
        if (commandHash !== undefined && commit.commandHash !== undefined && commit.commandHash !== commandHash) {
          throw idempotencyKeyReused(commit.streamId, idempotencyKey);
        }
        return { ...this.toResult(commit), replayed: true };
      },
    };
  }

  /**
   * Appends `events` if the stream is still at `expectedVersion`.
   * Throws SchemaValidationError (nothing written) when an event type is unknown or its data is
   * invalid, ConcurrencyError when the stream moved on. An idempotency key belongs to its stream: a
   * key this stream already holds appends nothing and returns the first append's result with
   * `replayed: true` (or throws DomainError IDEMPOTENCY_KEY_REUSED when `meta.commandHash` differs
   * from the hash stored with it); the same key on another stream is another append.
   */
  async append(streamId: string, expectedVersion: number, events: readonly DomainEvent[], meta: AppendMeta, options: AppendOptions = {}): Promise<AppendResult> {
    if (!Number.isInteger(expectedVersion) || expectedVersion < 0) {
      throw new RangeError(`expectedVersion must be a non-negative integer, got ${expectedVersion}`);
    }
    const stored = events.map((event, index) => {
      const definition = this.registry.current(event.type);
      if (definition.kind !== 'event') {
        throw new SchemaValidationError(event.type, [{ path: '/type', message: `"${event.type}" is an integration message, not an event` }]);
      }
      this.registry.validate(event.type, definition.version, event.data);
      return { eventId: this.newId(), type: event.type, version: definition.version, streamVersion: expectedVersion + index + 1, data: event.data as Record<string, unknown> };
    });
    if (stored.length === 0) {
      const { version } = await this.readStream(streamId);
      return { streamId, events: [], fromVersion: version, toVersion: version, replayed: false };
    }

    const commit: CommitDocument = {
      _id: commitId(streamId, expectedVersion),
      streamId,
      seq: expectedVersion,
      events: stored,
      occurredAt: meta.occurredAt ?? this.clock().toISOString(),
      correlationId: meta.correlationId,
      causationId: meta.causationId,
      actor: { kind: meta.actor.kind, id: meta.actor.id },
      ...(meta.idempotencyKey === undefined ? {} : { idempotencyKey: meta.idempotencyKey }),
      ...(meta.idempotencyKey === undefined || meta.commandHash === undefined ? {} : { commandHash: meta.commandHash }),
    };
    const conflict = async (): Promise<AppendResult> => {
      // A twin with the same key may have won: the key lives in the stream, so read it again.
      const first = meta.idempotencyKey === undefined ? null : (await this.readStream(streamId)).appendWithKey(meta.idempotencyKey, meta.commandHash);
      if (first) return first;
      throw new ConcurrencyError(streamId, expectedVersion);
    };
    // The unique commit id only catches an expected version that starts a commit; a version inside
    // a multi-event commit, or past the end, must be refused here. A writer that passes this check
    // and then loses a race still collides on the id.
    if (!options.atStreamEnd) {
      const current = await this.readStream(streamId);
      const earlier = meta.idempotencyKey === undefined ? null : current.appendWithKey(meta.idempotencyKey, meta.commandHash);
      if (earlier) return earlier;
      if (current.version !== expectedVersion) throw new ConcurrencyError(streamId, expectedVersion);
    }
    // The outbox entry goes first: a commit that exists always has one until it is published.
    const outboxEntryId = await this.outbox.add(commit);
    try {
      await this.model.collection.insertOne(commit as never);
    } catch (error) {
      // Any other failure (a timeout, a dropped connection) may have stored the commit all the same:
      // its entry stays, and the relay publishes the commit if it exists or drops the entry later.
      if (!isDuplicateKey(error)) throw error;
      await this.outbox.discard(outboxEntryId);
      return conflict();
    }

    this.cache.appended(commit);
    const result: AppendResult = { ...this.toResult(commit), replayed: false };
    for (const listener of this.listeners) {
      try {
        listener(result, commit);
      } catch {
        // a listener is a wake-up hint; its failure must not fail a stored append
      }
    }
    return result;
  }

  /** The commit stored under this id (`<streamId>@<seq>`), or null. */
  async commit(id: string): Promise<CommitDocument | null> {
    return this.cache.commit(id) ?? this.findCommit(id);
  }

  /** One commit by `_id`, with the driver directly: a mongoose query costs more CPU than the round trip. */
  private findCommit(id: string): Promise<CommitDocument | null> {
    return this.model.collection.findOne({ _id: id as never }) as Promise<CommitDocument | null>;
  }

  /**
   * Every stream id whose name starts with `prefix`, by scanning all commits: for explicit view
   * rebuilds and admin tools only, never on a hot path (its cost grows with history).
   */
  async scanStreamIds(prefix: string): Promise<string[]> {
    const ids = new Set<string>();
    const cursor = this.model.collection.find({}, { projection: { streamId: 1 } });
    for await (const doc of cursor) {
      const streamId = (doc as { streamId?: string }).streamId;
      if (typeof streamId === 'string' && streamId.startsWith(prefix)) ids.add(streamId);
    }
    return [...ids].sort();
  }

  /** Registers a listener for new appends in this process; returns a function that removes it. */
  onAppended(listener: AppendListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * A stream's commits in order, found by walking their ids (`<streamId>@<seq>`, each commit names the
   * next): lookups by `_id` are fast on every store, while FerretDB's SQLite backend answers other
   * filters by scanning the whole collection, which grows with every stream.
   */
  private async commitsOf(streamId: string): Promise<CommitDocument[]> {
    const commits = [...this.cache.stream(streamId)];
    const last = commits[commits.length - 1];
    for (let seq = last ? last.seq + last.events.length : 0; ; ) {
      const commit = await this.findCommit(commitId(streamId, seq));
      if (!commit) {
        this.cache.remember(streamId, commits);
        return commits;
      }
      commits.push(commit);
      seq = commit.seq + commit.events.length;
    }
  }

  /** The events of a stored commit as readers see them (brought to their latest schema version). */
  envelopesOf(commit: CommitDocument): EventEnvelope[] {
    return this.upcast(commitEnvelopes(commit));
  }

  private toResult(commit: CommitDocument): Omit<AppendResult, 'replayed'> {
    return {
      streamId: commit.streamId,
      events: this.upcast(commitEnvelopes(commit)),
      fromVersion: commit.seq,
      toVersion: commit.seq + commit.events.length,
    };
  }

  private upcast(envelopes: EventEnvelope[]): EventEnvelope[] {
    return envelopes.map((envelope) => {
      const { version, data } = this.registry.upcast(envelope.type, envelope.version, envelope.data);
      return version === envelope.version ? envelope : { ...envelope, version, data };
    });
  }
}

/**
 * The commits of recently used streams, each list contiguous from the stream's first commit. Safe
 * to share between instances of a service because commits are immutable: a reader always asks the
 * store for the commit after the cached ones.
 */
class CommitCache {
  /** none when the cache keeps no stream; a read or a write makes a stream the most recently used */
  private readonly streams?: LRUCache<string, CommitDocument[]>;

  constructor(maxStreams: number) {
    if (maxStreams > 0) this.streams = new LRUCache({ max: maxStreams });
  }

  /** the cached commits of a stream, oldest first (empty when none are cached) */
  stream(streamId: string): readonly CommitDocument[] {
    // copies: a reader that changed an event's data must not change what the next reader gets
    return structuredClone(this.streams?.get(streamId) ?? []);
  }

  /** a stream's commits as just read in full */
  remember(streamId: string, commits: CommitDocument[]): void {
    if (commits.length > 0) this.streams?.set(streamId, structuredClone(commits));
  }

  /** a commit this process stored: kept when it continues the cached list, or starts a new stream */
  appended(commit: CommitDocument): void {
    const cached = this.streams?.get(commit.streamId) ?? [];
    const last = cached[cached.length - 1];
    const end = last ? last.seq + last.events.length : 0;
    if (commit.seq === end) this.remember(commit.streamId, [...cached, commit]);
  }

  /** a cached commit by its id (`<streamId>@<seq>`) */
  commit(id: string): CommitDocument | undefined {
    const at = id.lastIndexOf('@');
    if (at < 0) return undefined;
    const found = this.streams?.get(id.slice(0, at))?.find((commit) => commit._id === id);
    return found && structuredClone(found);
  }
}
