import { DomainEvent, EnvelopeOf } from '@continuum/contracts';
import { addToBucket, ReportBucket, ReportDelta, ReportName } from './report-buckets';
import { ReportFacts } from './report-deltas';

/**
 * A document of the reports read model: a report's bucket of one day (`<report>@<day>`), or what the
 * reports remember of one stream (`facts:<streamId>`).
 */
export type ReportDocument = { readonly kind: 'empty' } | ({ readonly kind: 'bucket' } & ReportBucket) | { readonly kind: 'facts'; readonly facts: ReportFacts };

/**
 * What the reports' consumer applies to a document, in place of the event that caused it (same
 * stream and stream version, so the store's per-stream version guard makes a redelivery change
 * nothing): the deltas an event adds to one bucket, or a stream's facts after it. Never published.
 */
export type ReportDeltasCounted = DomainEvent<'ReportDeltasCounted', { readonly report: ReportName; readonly day: string; readonly hour: number; readonly deltas: readonly ReportDelta[] }>;
export type ReportFactsRecorded = DomainEvent<'ReportFactsRecorded', { readonly facts: ReportFacts }>;
export type ReportDocumentEvent = ReportDeltasCounted | ReportFactsRecorded;

export const EMPTY_REPORT_DOCUMENT: ReportDocument = { kind: 'empty' };

/** Pure: a bucket counts the deltas under their hour; a facts document takes the new facts. */
export function evolveReportDocument(document: ReportDocument, event: EnvelopeOf<ReportDocumentEvent>): ReportDocument {
  switch (event.type) {
    case 'ReportDeltasCounted': {
      const { report, day, hour, deltas } = event.data;
      const bucket: ReportBucket = document.kind === 'bucket' ? document : { report, day, cells: [] };
      return { kind: 'bucket', ...addToBucket(bucket, hour, deltas) };
    }
    case 'ReportFactsRecorded':
      return { kind: 'facts', facts: event.data.facts };
    default:
      return document;
  }
}
