import { Connection, Model, Schema } from 'mongoose';
import { Actor, EventEnvelope } from '@continuum/contracts';

/** One event as stored inside its commit; the commit holds what all its events share. */
export interface StoredEvent {
  eventId: string;
  type: string;
  /** schema version of `data` at write time */
  version: number;
  /** 1-based position in the stream */
  streamVersion: number;
  data: Record<string, unknown>;
}

/**
 * One append to one stream, stored as a single document so the append is atomic without
 * transactions. `seq` is the stream version before the append; the unique `{ streamId, seq }`
 * index turns a stale expected version into a duplicate-key error (on every store, the unique
 * `_id` `<streamId>@<seq>` does the same). Whether it is published is kept in the outbox collection.
 */
export interface CommitDocument {
  _id: string;
  streamId: string;
  seq: number;
  events: StoredEvent[];
  /** ISO-8601 UTC */
  occurredAt: string;
  correlationId: string;
  causationId: string | null;
  actor: Actor;
  /** the caller's key, when it gave one; unique within the stream (the store checks it when it reads the stream) */
  idempotencyKey?: string;
  /**
   * sha256 of the command(s) the key was given for (`commandHash`: type and data), so the key cannot
   * answer another command; absent on commits stored before it was kept, and on reactions' commits
   */
  commandHash?: string;
}

/** Collection that holds every commit of every stream. */
export const COMMITS_COLLECTION = 'commits';
const COMMIT_MODEL = 'EventStoreCommit';

const storedEventSchema = new Schema<StoredEvent>(
  {
    eventId: { type: String, required: true },
    type: { type: String, required: true },
    version: { type: Number, required: true },
    streamVersion: { type: Number, required: true },
    data: { type: Schema.Types.Mixed, required: true },
  },
  { _id: false, minimize: false },
);

/** Mongoose schema of a commit; indexes are only the kinds FerretDB 1.x and MongoDB both support. */
export const commitSchema = new Schema<CommitDocument>(
  {
    _id: { type: String, required: true },
    streamId: { type: String, required: true },
    seq: { type: Number, required: true },
    events: { type: [storedEventSchema], required: true },
    occurredAt: { type: String, required: true },
    correlationId: { type: String, required: true },
    causationId: { type: String, default: null },
    actor: {
      type: new Schema<Actor>({ kind: { type: String, required: true }, id: { type: String, required: true } }, { _id: false }),
      required: true,
    },
    idempotencyKey: { type: String },
    commandHash: { type: String },
  },
  { collection: COMMITS_COLLECTION, versionKey: false, minimize: false, autoIndex: false, autoCreate: false },
);

commitSchema.index({ streamId: 1, seq: 1 }, { unique: true, name: 'stream_seq_unique' });

/** Indexes of earlier versions: a global unique idempotency key let one stream's key silence another's append. */
const RETIRED_INDEXES = ['idempotency_key_unique', 'outbox'];

/** The commit model on this connection (created once per connection, then reused). */
export function createCommitModel(connection: Connection): Model<CommitDocument> {
  return (connection.models[COMMIT_MODEL] as Model<CommitDocument> | undefined) ?? connection.model<CommitDocument>(COMMIT_MODEL, commitSchema);
}

/** Creates the collection and its indexes; safe to call again. Run before the first append. */
export async function ensureCommitIndexes(model: Model<CommitDocument>): Promise<void> {
  await model.createCollection();
  await model.createIndexes();
  const existing = new Set((await model.collection.indexes()).map((index) => index.name));
  for (const name of RETIRED_INDEXES) if (existing.has(name)) await model.collection.dropIndex(name);
}

/** The envelopes of a commit's events, as they were written (no upcasting). */
export function commitEnvelopes(commit: CommitDocument): EventEnvelope[] {
  return commit.events.map((event) => ({
    eventId: event.eventId,
    type: event.type,
    version: event.version,
    streamId: commit.streamId,
    streamVersion: event.streamVersion,
    occurredAt: commit.occurredAt,
    correlationId: commit.correlationId,
    causationId: commit.causationId ?? null,
    actor: { kind: commit.actor.kind, id: commit.actor.id },
    data: event.data,
  }));
}
