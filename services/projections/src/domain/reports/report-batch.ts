import { EventEnvelope } from '@continuum/contracts';
import { addToBucket, bucketId, momentOf, ReportDelta, ReportName, StoredBucket } from './report-buckets';
import { ReportFacts, reportStep } from './report-deltas';

/** What one event of a batch adds to one bucket: where it was read in its partition, its hour, its deltas. */
export interface BucketEntry {
  readonly offset: number;
  readonly hour: number;
  readonly deltas: readonly ReportDelta[];
}

/** The entries of a batch for one bucket (`<report>@<day>`), in offset order. */
export interface BucketChanges {
  readonly id: string;
  readonly report: ReportName;
  readonly day: string;
  readonly entries: readonly BucketEntry[];
}

/** An event of a batch and its offset in the batch's partition. */
export interface BatchEvent {
  readonly event: EventEnvelope;
  readonly offset: number;
}

/** What a batch of one partition does to the reports: per bucket its entries, per stream its facts after the batch. */
export interface ReportBatchPlan {
  readonly buckets: readonly BucketChanges[];
  /** the facts of each stream whose facts the batch changed, and the last event that changed them */
  readonly facts: ReadonlyMap<string, { readonly facts: ReportFacts; readonly event: EventEnvelope }>;
}

/** True for an event that counts in a report or keeps facts: only those read their stream's facts. */
export const needsReportFacts = (event: EventEnvelope): boolean =>
  event.type.startsWith('Purchase') || event.type.startsWith('Chargeback') || reportStep(undefined, event).deltas.length > 0;

/**
 * Folds a batch of one partition (offset order) with `reportStep`, starting from the facts stored
 * for its streams (`stored`, by stream id) and keeping each stream's facts in memory from one event
 * to the next, exactly as applying the events one at a time would.
 */
export function planReportBatch(stored: ReadonlyMap<string, ReportFacts | undefined>, batch: readonly BatchEvent[]): ReportBatchPlan {
  const facts = new Map<string, ReportFacts | undefined>(stored);
  const changed = new Map<string, { facts: ReportFacts; event: EventEnvelope }>();
  const buckets = new Map<string, { id: string; report: ReportName; day: string; entries: BucketEntry[] }>();
  for (const { event, offset } of batch) {
    if (!needsReportFacts(event)) continue;
    const step = reportStep(facts.get(event.streamId), event);
    const { day, hour } = momentOf(event.occurredAt);
    for (const report of new Set(step.deltas.map((delta) => delta.report))) {
      const id = bucketId(report, day);
      const bucket = buckets.get(id) ?? { id, report, day, entries: [] };
      bucket.entries.push({ offset, hour, deltas: step.deltas.filter((delta) => delta.report === report) });
      buckets.set(id, bucket);
    }
    if (step.facts) {
      facts.set(event.streamId, step.facts);
      changed.set(event.streamId, { facts: step.facts, event });
    }
  }
  return { buckets: [...buckets.values()], facts: changed };
}

/**
 * The bucket with the entries of a batch read from `partition` counted, each under its hour, but
 * only those after the offset the bucket already counted for that partition (a batch delivered
 * again after a crash midway counts each event once); the bucket then counted up to the last entry.
 * Undefined when every entry was counted already.
 */
export function countBatchOnce(bucket: StoredBucket, partition: string, entries: readonly BucketEntry[]): StoredBucket | undefined {
  const last = bucket.counted.find((position) => position.partition === partition);
  const fresh = entries.filter((entry) => !last || entry.offset > last.offset);
  if (fresh.length === 0) return undefined;
  let next: StoredBucket = bucket;
  for (const entry of fresh) next = { ...next, ...addToBucket(next, entry.hour, entry.deltas) };
  const offset = Math.max(...fresh.map((entry) => entry.offset));
  return { ...next, counted: [...bucket.counted.filter((position) => position.partition !== partition), { partition, offset }] };
}
