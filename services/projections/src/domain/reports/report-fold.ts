import { EventEnvelope } from '@continuum/contracts';
import { bucketId, countOnce, momentOf, ReadPosition, ReportBucket, StoredBucket } from './report-buckets';
import { ReportFacts, reportStep } from './report-deltas';

/**
 * The reports' buckets folded from events in memory, exactly as the reports read model applies them
 * one by one (facts per stream, deltas into the bucket of the event's day and hour; an event its
 * stream's facts saw, or one read at a position a bucket counted already, adds nothing): what the
 * specs compare the reports against. `positions[i]` is where event i was read (default: each event
 * at the next offset of one partition, as a republished event would be).
 */
export function foldReportEvents(events: readonly EventEnvelope[], positions?: readonly ReadPosition[]): ReportBucket[] {
  const facts = new Map<string, ReportFacts>();
  const buckets = new Map<string, StoredBucket>();
  for (const [index, event] of events.entries()) {
    const at = positions?.[index] ?? { partition: 'events/0', offset: index };
    const step = reportStep(facts.get(event.streamId), event);
    const { day, hour } = momentOf(event.occurredAt);
    for (const report of new Set(step.deltas.map((delta) => delta.report))) {
      const id = bucketId(report, day);
      const counted = countOnce(buckets.get(id) ?? { report, day, cells: [], counted: [] }, at, hour, step.deltas);
      if (counted) buckets.set(id, counted);
    }
    if (step.facts) facts.set(event.streamId, step.facts);
  }
  return [...buckets.values()].map(({ counted: _counted, ...bucket }) => bucket);
}
