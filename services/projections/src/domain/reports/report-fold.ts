import { EventEnvelope } from '@continuum/contracts';
import { addToBucket, bucketId, momentOf, ReportBucket } from './report-buckets';
import { ReportFacts, reportStep } from './report-deltas';

/**
 * The reports' buckets folded from events in memory, exactly as the reports read model applies them
 * one by one (facts per stream, deltas into the bucket of the event's day and hour; a stream
 * version a bucket already counted adds nothing): what the specs compare the reports against.
 */
export function foldReportEvents(events: readonly EventEnvelope[]): ReportBucket[] {
  const facts = new Map<string, ReportFacts>();
  const buckets = new Map<string, { bucket: ReportBucket; seen: Map<string, number> }>();
  for (const event of events) {
    const step = reportStep(facts.get(event.streamId), event);
    const { day, hour } = momentOf(event.occurredAt);
    for (const report of new Set(step.deltas.map((delta) => delta.report))) {
      const id = bucketId(report, day);
      const entry = buckets.get(id) ?? { bucket: { report, day, cells: [] }, seen: new Map<string, number>() };
      if ((entry.seen.get(event.streamId) ?? 0) >= event.streamVersion) continue;
      entry.seen.set(event.streamId, event.streamVersion);
      buckets.set(id, { ...entry, bucket: addToBucket(entry.bucket, hour, step.deltas) });
    }
    if (step.facts) facts.set(event.streamId, step.facts);
  }
  return [...buckets.values()].map((entry) => entry.bucket);
}
