import { Collection, Connection } from 'mongoose';
import { CommitDocument } from './commit.schema';

/** One commit waiting to be published: written before the commit itself, removed once published. */
export interface OutboxEntry {
  /** `<commitId>#<first event id>`: one entry per append attempt */
  _id: string;
  commitId: string;
  streamId: string;
  seq: number;
  /** tells the attempt that stored the commit from one that lost the race for its id */
  firstEventId: string;
  createdAt: Date;
}

/** Collection of commits not yet on Kafka; its size is bounded by work in flight, never by history. */
export const OUTBOX_COLLECTION = 'outbox';

/**
 * The outbox as its own small collection. An append adds its entry first and then inserts the
 * commit, so every stored commit has an entry until the relay published it; an entry whose commit
 * never appeared (the append lost its race or crashed in between) is recognised and discarded by the
 * relay. Finding unpublished commits therefore reads only this collection, whatever the history.
 */
export class OutboxEntries {
  private readonly entries: Collection<OutboxEntry>;

  constructor(connection: Connection) {
    this.entries = connection.collection<OutboxEntry>(OUTBOX_COLLECTION);
  }

  async init(): Promise<void> {
    await this.entries.createIndex({ createdAt: 1 }, { name: 'created_at' });
  }

  /** Adds the entry of a commit about to be inserted; returns its id. */
  async add(commit: CommitDocument): Promise<string> {
    const firstEventId = commit.events[0]!.eventId;
    // the appending instance's time, as its clock (the command's `now`, else the store's clock) gave it to
    // the commit: it orders the full round's reading only; a stream's order comes from `seq` (the relay)
    const at = new Date(commit.occurredAt);
    const createdAt = Number.isNaN(at.getTime()) ? new Date() : at;
    const entry: OutboxEntry = { _id: `${commit._id}#${firstEventId}`, commitId: commit._id, streamId: commit.streamId, seq: commit.seq, firstEventId, createdAt };
    await this.entries.insertOne(entry);
    return entry._id;
  }

  /** Removes the entry of an append that did not store its commit (best effort: the relay discards leftovers). */
  async discard(id: string): Promise<void> {
    await this.entries.deleteOne({ _id: id }).catch(() => undefined);
  }

  /** The oldest entries first. */
  async oldest(limit: number): Promise<OutboxEntry[]> {
    return this.entries.find({}).sort({ createdAt: 1, _id: 1 }).limit(limit).toArray();
  }

  /**
   * Every entry of these streams, whatever its age: the relay reads them when a round's oldest entries
   * of a stream may not be the stream's first unpublished ones (clocks disagree). Not an `_id` lookup,
   * so it scans the outbox, whose size is bounded by work in flight; the relay asks only when needed.
   */
  async ofStreams(streamIds: readonly string[]): Promise<OutboxEntry[]> {
    return streamIds.length === 0 ? [] : this.entries.find({ streamId: { $in: [...streamIds] } }).toArray();
  }

  async remove(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.entries.deleteMany({ _id: { $in: [...ids] } });
  }

  /** How many commits of a stream (or of all streams) wait to be published. */
  async count(streamId?: string): Promise<number> {
    return this.entries.countDocuments(streamId === undefined ? {} : { streamId });
  }
}
