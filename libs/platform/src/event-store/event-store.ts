import { randomUUID } from 'node:crypto';
import { Connection, Model } from 'mongoose';
import { DomainEvent, EventEnvelope, MessageRegistry, registry as defaultRegistry, SchemaValidationError } from '@continuum/contracts';
import { AppendListener, AppendMeta, AppendResult } from './append.types';
import { CommitDocument, commitEnvelopes, createCommitModel, ensureCommitIndexes } from './commit.schema';
import { ConcurrencyError } from './concurrency.error';

export interface EventStoreOptions {
  /** schemas and upcasters; defaults to the shared registry of @continuum/contracts */
  readonly registry?: MessageRegistry;
  readonly newId?: () => string;
  readonly clock?: () => Date;
}

/** A stream as read: its events brought to their latest schema version, and its current version. */
export interface StreamRead {
  readonly events: EventEnvelope[];
  /** number of events in the stream (0 when it does not exist) */
  readonly version: number;
}

const DUPLICATE_KEY = 11000;

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
 * Optimistic concurrency and idempotency both ride on unique indexes, so no transactions are needed.
 */
export class EventStore {
  /** the registry that validates appended events and upcasts read ones */
  readonly registry: MessageRegistry;
  private readonly model: Model<CommitDocument>;
  private readonly newId: () => string;
  private readonly clock: () => Date;
  private readonly listeners = new Set<AppendListener>();

  constructor(connection: Connection, options: EventStoreOptions = {}) {
    this.model = createCommitModel(connection);
    this.registry = options.registry ?? defaultRegistry;
    this.newId = options.newId ?? randomUUID;
    this.clock = options.clock ?? (() => new Date());
  }

  /** Creates the collection and its unique indexes; call once at start, before the first append. */
  async init(): Promise<void> {
    await ensureCommitIndexes(this.model);
  }

  async readStream(streamId: string): Promise<StreamRead> {
    const commits = await this.commitsOf(streamId);
    const events = commits.flatMap((commit) => this.upcast(commitEnvelopes(commit)));
    const last = commits[commits.length - 1];
    return { events, version: last ? last.seq + last.events.length : 0 };
  }

  /**
   * Appends `events` if the stream is still at `expectedVersion`.
   * Throws SchemaValidationError (nothing written) when an event type is unknown or its data is
   * invalid, ConcurrencyError when the stream moved on. A repeated idempotency key appends nothing
   * and returns the first append's result with `replayed: true`.
   */
  async append(streamId: string, expectedVersion: number, events: readonly DomainEvent[], meta: AppendMeta): Promise<AppendResult> {
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
      const version = await this.currentVersion(streamId);
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
      idempotencyKey: meta.idempotencyKey ?? `${streamId}:${expectedVersion}`,
      published: false,
    };
    const conflict = async (): Promise<AppendResult> => {
      // Without a caller key the default key collides exactly when {streamId, seq} does: a conflict.
      const first = meta.idempotencyKey === undefined ? null : await this.findByIdempotencyKey(meta.idempotencyKey);
      if (first) return first;
      throw new ConcurrencyError(streamId, expectedVersion);
    };
    // The unique {streamId, seq} index only catches an expected version that starts a commit; a
    // version inside a multi-event commit, or past the end, must be refused here. A writer that
    // passes this check and then loses a race still collides on the index.
    if ((await this.currentVersion(streamId)) !== expectedVersion) return conflict();
    try {
      await this.model.collection.insertOne(commit as never);
    } catch (error) {
      if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
      return conflict();
    }

    const result: AppendResult = { ...this.toResult(commit), replayed: false };
    for (const listener of this.listeners) {
      try {
        listener(result);
      } catch {
        // a listener is a wake-up hint; its failure must not fail a stored append
      }
    }
    return result;
  }

  /** The result of the append made with this idempotency key, as a replay; null if there was none. */
  async findByIdempotencyKey(idempotencyKey: string): Promise<AppendResult | null> {
    const commit = await this.model.findOne({ idempotencyKey }).lean<CommitDocument>().exec();
    return commit ? { ...this.toResult(commit), replayed: true } : null;
  }

  /** Registers a listener for new appends in this process; returns a function that removes it. */
  onAppended(listener: AppendListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async currentVersion(streamId: string): Promise<number> {
    const commits = await this.commitsOf(streamId);
    const last = commits[commits.length - 1];
    return last ? last.seq + last.events.length : 0;
  }

  /**
   * A stream's commits in order, found by walking their ids (`<streamId>@<seq>`, each commit names the
   * next): lookups by `_id` are fast on every store, while FerretDB's SQLite backend answers other
   * filters by scanning the whole collection, which grows with every stream.
   */
  private async commitsOf(streamId: string): Promise<CommitDocument[]> {
    const commits: CommitDocument[] = [];
    for (let seq = 0; ; ) {
      const commit = await this.model.findById(commitId(streamId, seq)).lean<CommitDocument>().exec();
      if (!commit) return commits;
      commits.push(commit);
      seq = commit.seq + commit.events.length;
    }
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
