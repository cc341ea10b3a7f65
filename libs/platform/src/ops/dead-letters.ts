import { randomUUID } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { Connection } from 'mongoose';
import { DomainError } from '@continuum/contracts';
import { REDACTED, redactCardText } from '../card-data';
import { DeadLetter, PublishRecords, REPLAY_COUNT_HEADER, REPLAY_OF_HEADER, DEAD_LETTER_ID_HEADER, RECORD_TOO_LARGE_CODE } from '../kafka';
import { insertOnce } from '../store/insert-once';

export const DEAD_LETTER_REPLAYS_COLLECTION = 'dead_letter_replays';
const HANDLED_EVENTS_COLLECTION = 'handled_events';

/** `<dlq topic>:<partition>:<offset>` of the dead letter's own record: stable for as long as the topic keeps it. */
export const DEAD_LETTER_ID = /^([A-Za-z0-9._-]{1,249}):(\d{1,4}):(\d{1,19})$/;

export function deadLetterId(topic: string, partition: number, offset: string): string {
  return `${topic}:${partition}:${offset}`;
}

export function parseDeadLetterId(id: string): { topic: string; partition: number; offset: string } | undefined {
  const match = DEAD_LETTER_ID.exec(id);
  return match ? { topic: match[1]!, partition: Number(match[2]), offset: match[3]! } : undefined;
}

/** The mark a replay leaves in `dead_letter_replays` of the service the DLQ topic belongs to (the dead letter itself stays). */
export interface DeadLetterReplayRecord {
  /** the dead letter's id */
  _id: string;
  dlqTopic: string;
  /** where it was published again */
  sourceTopic: string;
  /** replays of this dead letter (more than 1 only with force) */
  replays: number;
  /** the `x-replay-count` header of the last replay */
  replayCount: number;
  firstReplayedAt: Date;
  lastReplayedAt: Date;
  replayedBy: string;
}

/** One dead letter as ops read it: where it is, what it says (card data redacted), whether it was replayed. */
export interface DeadLetterEntry {
  readonly id: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** when the DLQ record was written (ISO-8601) */
  readonly timestamp: string;
  /** null when the record is not a dead letter this platform wrote (not JSON) */
  readonly deadLetter: DeadLetter | null;
  readonly replayed: { readonly replays: number; readonly replayCount: number; readonly lastReplayedAt: string; readonly replayedBy: string } | null;
  /** why a replay is refused, or null when it may be replayed */
  readonly notReplayable: string | null;
}

export interface ReplayResult {
  readonly id: string;
  readonly topic: string;
  readonly key: string | null;
  readonly replayCount: number;
  readonly replays: number;
  readonly replayedAt: string;
}

export interface DeadLettersDeps {
  readonly kafka: Kafka;
  /** the database of the service the DLQ topic belongs to (`dead_letter_replays`) */
  readonly connection: Connection;
  /** the real name of the service's DLQ topic (prefix included) */
  readonly dlqTopic: string;
  readonly publish: PublishRecords;
  readonly now?: () => Date;
  /** how long reading the topic to its end may take (default 30 s) */
  readonly readTimeoutMs?: number;
}

/**
 * Reads a service's dead-letter topic and replays its records: `list()`, `show(id)`,
 * `replay(id, { actor, force })`. A replay publishes the original record to its source topic with
 * its key and headers plus `x-replay-count` (one more than the original carried), `x-replay-of` (the
 * first source record, for consumers that deduplicate by position) and `x-dead-letter-id`, and marks
 * the dead letter in `dead_letter_replays`; the dead letter is not deleted. The consumers
 * deduplicate as for any redelivery (the event id), so a message handled once is not handled again.
 * Used by `GET/POST /ops/dead-letters` and `npm run dlq`.
 */
export class DeadLetters {
  private readonly now: () => Date;

  constructor(private readonly deps: DeadLettersDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  get topic(): string {
    return this.deps.dlqTopic;
  }

  private get replays() {
    return this.deps.connection.collection<DeadLetterReplayRecord>(DEAD_LETTER_REPLAYS_COLLECTION);
  }

  /** Every dead letter on the topic, oldest first per partition. */
  async list(): Promise<DeadLetterEntry[]> {
    const records = await readWholeTopic(this.deps.kafka, this.deps.dlqTopic, this.deps.readTimeoutMs ?? 30_000);
    const marks = new Map<string, DeadLetterReplayRecord>();
    if (records.length > 0) {
      for (const mark of await this.replays.find({ dlqTopic: this.deps.dlqTopic }).toArray()) marks.set(mark._id, mark);
    }
    const entries = records.map((record) => toEntry(record, marks.get(deadLetterId(record.topic, record.partition, record.offset))));
    return Promise.all(entries.map((entry) => this.unlessHandled(entry)));
  }

  /**
   * A dead letter whose consumer group has handled its message since (it was delivered again and
   * went through, or a job dead-lettered it after its event was handled, as payments' charges do)
   * would only be skipped: it is not replayable, and says why.
   */
  private async unlessHandled(entry: DeadLetterEntry): Promise<DeadLetterEntry> {
    const letter = entry.deadLetter;
    // a replayed one is handled by its replay: a second replay is refused as replayed already, or forced
    if (entry.replayed || entry.notReplayable || !letter || letter.original === null) return entry;
    const dedupId = dedupIdOf(letter);
    if (dedupId === undefined) return entry;
    const handled = await this.deps.connection.collection<{ _id: string }>(HANDLED_EVENTS_COLLECTION).findOne({ _id: `${letter.groupId}:${dedupId}` }, { projection: { _id: 1 } });
    return handled
      ? { ...entry, notReplayable: `its consumer group ${letter.groupId} has handled this message since (a replay would be skipped); a job's dead letter is retried on its queue` }
      : entry;
  }

  /** One dead letter; 404 (DomainError not-found) for an id not on this service's topic. */
  async show(id: string): Promise<DeadLetterEntry> {
    const where = parseDeadLetterId(id);
    if (!where || where.topic !== this.deps.dlqTopic) throw notFound(id);
    // an offset the topic does not hold is answered without reading it
    const admin = this.deps.kafka.admin();
    await admin.connect();
    try {
      if (!(await admin.listTopics()).includes(this.deps.dlqTopic)) throw notFound(id);
      const offsets = await admin.fetchTopicOffsets(this.deps.dlqTopic);
      const partition = offsets.find((p) => p.partition === where.partition);
      if (!partition || BigInt(where.offset) < BigInt(partition.low) || BigInt(where.offset) >= BigInt(partition.high)) throw notFound(id);
    } finally {
      await admin.disconnect();
    }
    const record = (await readWholeTopic(this.deps.kafka, this.deps.dlqTopic, this.deps.readTimeoutMs ?? 30_000)).find(
      (r) => r.partition === where.partition && r.offset === where.offset,
    );
    if (!record) throw notFound(id);
    const mark = await this.replays.findOne({ _id: id });
    return this.unlessHandled(toEntry(record, mark ?? undefined));
  }

  /**
   * Publishes the dead letter's original record again to its source topic and marks it replayed.
   * Refused: unknown id (not-found); a record that cannot be sent as it was (not-replayable: rule);
   * one already replayed, unless `force` (conflict). Consumers deduplicate a second replay anyway.
   */
  async replay(id: string, options: { actor: string; force?: boolean }): Promise<ReplayResult> {
    const entry = await this.show(id);
    return this.replayEntry(entry, options);
  }

  /** Replays each entry that may be replayed and was not yet (optionally only those from `sourceTopic`). */
  async replayAll(options: { actor: string; sourceTopic?: (topic: string) => boolean }): Promise<{ replayed: ReplayResult[]; skipped: { id: string; why: string }[] }> {
    const replayed: ReplayResult[] = [];
    const skipped: { id: string; why: string }[] = [];
    for (const entry of await this.list()) {
      if (options.sourceTopic && !(entry.deadLetter && options.sourceTopic(entry.deadLetter.source.topic))) continue;
      if (entry.replayed) continue;
      if (entry.notReplayable) {
        skipped.push({ id: entry.id, why: entry.notReplayable });
        continue;
      }
      replayed.push(await this.replayEntry(entry, { actor: options.actor }));
    }
    return { replayed, skipped };
  }

  private async replayEntry(entry: DeadLetterEntry, options: { actor: string; force?: boolean }): Promise<ReplayResult> {
    const letter = entry.deadLetter;
    if (entry.notReplayable || !letter || letter.original === null) {
      throw new DomainError('DEAD_LETTER_NOT_REPLAYABLE', `dead letter ${entry.id} cannot be replayed: ${entry.notReplayable}`, 'rule', { id: entry.id, why: entry.notReplayable });
    }
    const { source } = letter;
    const replayCount = countOf(source.headers[REPLAY_COUNT_HEADER]) + 1;
    const at = this.now();
    const mark: DeadLetterReplayRecord = {
      _id: entry.id,
      dlqTopic: entry.topic,
      sourceTopic: source.topic,
      replays: 1,
      replayCount,
      firstReplayedAt: at,
      lastReplayedAt: at,
      replayedBy: options.actor,
    };
    // the mark is claimed before the publish, so two replays at once send the record once
    const claimed = (await insertOnce(this.replays, mark)) === 'inserted';
    if (!claimed && !options.force) {
      throw new DomainError('DEAD_LETTER_ALREADY_REPLAYED', `dead letter ${entry.id} was already replayed; replay it again with force`, 'conflict', { id: entry.id });
    }
    try {
      await this.deps.publish([
        {
          topic: source.topic,
          key: source.key,
          value: letter.original,
          headers: {
            ...source.headers,
            [REPLAY_COUNT_HEADER]: String(replayCount),
            [REPLAY_OF_HEADER]: source.headers[REPLAY_OF_HEADER] ?? `${source.topic}:${source.partition}:${source.offset}`,
            [DEAD_LETTER_ID_HEADER]: entry.id,
          },
        },
      ]);
    } catch (error) {
      // nothing was sent: the dead letter is not marked
      if (claimed) await this.replays.deleteOne({ _id: entry.id, firstReplayedAt: at });
      throw error;
    }
    let replays = 1;
    if (!claimed) {
      const updated = await this.replays.findOneAndUpdate(
        { _id: entry.id },
        { $inc: { replays: 1 }, $set: { replayCount, lastReplayedAt: at, replayedBy: options.actor } },
        { returnDocument: 'after' },
      );
      replays = updated?.replays ?? 1;
    }
    return { id: entry.id, topic: source.topic, key: source.key, replayCount, replays, replayedAt: at.toISOString() };
  }
}

function notFound(id: string): DomainError {
  return new DomainError('DEAD_LETTER_NOT_FOUND', `no dead letter ${id} on this service's dead-letter topic`, 'not-found', { id });
}

/** What the consumer deduplicates the original by (RecordDecoder): the event id, a message's messageId, else its first position. */
function dedupIdOf(letter: DeadLetter): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(letter.original ?? '');
  } catch {
    return undefined; // not JSON: never handled
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { eventId, messageId } = parsed as { eventId?: unknown; messageId?: unknown };
  if (typeof eventId === 'string' && eventId !== '') return eventId;
  if (typeof messageId === 'string' && messageId !== '') return messageId;
  return letter.source.headers[REPLAY_OF_HEADER] ?? `${letter.source.topic}:${letter.source.partition}:${letter.source.offset}`;
}

function countOf(header: string | undefined): number {
  const n = Number(header);
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

interface RawRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly timestamp: string;
  readonly value: string | null;
}

function toEntry(record: RawRecord, mark: DeadLetterReplayRecord | undefined): DeadLetterEntry {
  const deadLetter = parseDeadLetter(record.value);
  return {
    id: deadLetterId(record.topic, record.partition, record.offset),
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    timestamp: new Date(Number(record.timestamp)).toISOString(),
    deadLetter,
    replayed: mark ? { replays: mark.replays, replayCount: mark.replayCount, lastReplayedAt: new Date(mark.lastReplayedAt).toISOString(), replayedBy: mark.replayedBy } : null,
    notReplayable: whyNotReplayable(deadLetter),
  };
}

/** The record as stored, with card data redacted once more in every string (headers included): what ops see never holds a number. */
function parseDeadLetter(value: string | null): DeadLetter | null {
  if (value === null) return null;
  try {
    const parsed = JSON.parse(value) as DeadLetter;
    if (typeof parsed !== 'object' || parsed === null || typeof parsed.source !== 'object' || parsed.source === null) return null;
    const headers: Record<string, string> = {};
    for (const [name, text] of Object.entries(parsed.source.headers ?? {})) headers[name] = redactCardText(String(text));
    return {
      ...parsed,
      error: { ...parsed.error, message: redactCardText(String(parsed.error?.message ?? '')) },
      source: { ...parsed.source, key: parsed.source.key === null ? null : redactCardText(String(parsed.source.key)), headers },
      original: typeof parsed.original === 'string' ? redactCardText(parsed.original) : null,
    };
  } catch {
    return null;
  }
}

function whyNotReplayable(letter: DeadLetter | null): string | null {
  if (!letter) return 'not a dead letter record (its value is not one)';
  if (letter.original === null) return 'the original record had no value';
  if (letter.error?.code === RECORD_TOO_LARGE_CODE) return 'the original was over the size limit and only its start was kept';
  if (letter.original.includes(REDACTED)) return 'card data was redacted from the original; its publisher must send it again with a vault token';
  return null;
}

/** Reads every record of `topic` up to its end as it was when the read began, with a group of its own that commits nothing. */
async function readWholeTopic(kafka: Kafka, topic: string, timeoutMs: number): Promise<RawRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  try {
    // asked first: the offsets of a topic that does not exist are retried for seconds
    if (!(await admin.listTopics()).includes(topic)) throw new DomainError('DEAD_LETTER_TOPIC_NOT_FOUND', `no topic ${topic} (has its service run against this Kafka?)`, 'not-found', { topic });
    const offsets = await admin.fetchTopicOffsets(topic);
    ends = new Map(offsets.filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high)]));
  } finally {
    await admin.disconnect();
  }
  if (ends.size === 0) return [];
  const consumer = kafka.consumer({ groupId: `ops-dead-letters-${randomUUID()}`, sessionTimeout: 6_000, heartbeatInterval: 500, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
  const records: RawRecord[] = [];
  const left = new Set(ends.keys());
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`could not read ${topic} to its end within ${timeoutMs} ms`)), timeoutMs);
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const end = ends.get(partition);
            if (end === undefined || BigInt(message.offset) >= end) return;
            records.push({ topic, partition, offset: message.offset, timestamp: message.timestamp, value: message.value === null ? null : message.value.toString('utf8') });
            if (BigInt(message.offset) === end - 1n) left.delete(partition);
            if (left.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch((error: unknown) => {
          clearTimeout(timer);
          reject(error as Error);
        });
    });
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
  return records.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}
