import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EventEnvelope, registry } from '@continuum/contracts';
import { eventHandlers, Platform, ViewDefinition, ViewStore } from '@continuum/platform';
import {
  bucketDays,
  bucketId,
  EMPTY_REPORT_DOCUMENT,
  evolveReportDocument,
  momentOf,
  Report,
  ReportBucket,
  ReportDelta,
  ReportDocument,
  ReportDocumentEvent,
  ReportFacts,
  ReportName,
  reportOf,
  ReportQuery,
  reportStep,
} from '../domain/reports';
import { EVENT_TOPICS } from './customer-projections';

/** The consumer group that feeds the reports (its own offsets: a journal rebuild does not touch it). */
export const REPORTS_GROUP = 'reports.v1';

/** Bucket documents read at once. */
const READ_AT_ONCE = 16;

/**
 * The reports read model (`view_reports`): per report and UTC day a bucket of the changes its events
 * made (`<report>@<day>`, listed under the report in the `report` index), and per stream the facts
 * the reports need to know what its next event changes (`facts:<streamId>`).
 */
export const reportsViewDefinition: ViewDefinition<ReportDocument, ReportDocumentEvent> = {
  name: 'reports',
  // fed by the reports consumer (applyAt), which names each document: the prefix is not consulted
  streamPrefix: '',
  initial: () => EMPTY_REPORT_DOCUMENT,
  evolve: evolveReportDocument,
  indexes: { report: (document) => (document.kind === 'bucket' ? [document.report] : []) },
};

const factsId = (streamId: string) => `facts:${streamId}`;

/**
 * The reports: fed from every `<context>.events.v1` topic by their own consumer group, read by
 * `GET /reports/<name>`. Applying an event: read its stream's facts, work out the deltas
 * (`reportStep`, pure), add them to the buckets of the event's day (each bucket keeps the stream
 * version, so a redelivery adds nothing), then store the stream's new facts. A crash in between
 * redoes the same deltas from the same facts and the buckets that have them ignore them.
 */
@Injectable()
export class ReportsView implements OnModuleInit {
  private readonly store: ViewStore<ReportDocument, ReportDocumentEvent>;

  constructor(@Inject(Platform) private readonly platform: Platform) {
    this.store = platform.readModel(reportsViewDefinition);
  }

  onModuleInit(): void {
    const handle = (event: EventEnvelope) => this.apply(event);
    const types = [...new Set(registry.all().filter((definition) => definition.kind === 'event' && EVENT_TOPICS.includes(definition.topic)).map((definition) => definition.type))];
    this.platform.consumer({
      groupId: REPORTS_GROUP,
      topics: [...EVENT_TOPICS],
      handlers: eventHandlers(Object.fromEntries(types.map((type) => [type, handle]))),
      // the buckets' and facts' stream versions are the idempotency
      dedup: false,
      maxAttempts: 30,
      maxBackoffMs: 15_000,
      fromBeginning: true,
    });
  }

  /** Counts one event in the reports (the same event again changes nothing). */
  async apply(event: EventEnvelope): Promise<void> {
    const needsFacts = event.type.startsWith('Purchase') || event.type.startsWith('Chargeback');
    const stored = needsFacts ? await this.store.get(factsId(event.streamId)) : undefined;
    const facts: ReportFacts | undefined = stored?.kind === 'facts' ? stored.facts : undefined;
    const step = reportStep(facts, event);
    const { day, hour } = momentOf(event.occurredAt);
    const byReport = new Map<ReportName, ReportDelta[]>();
    for (const delta of step.deltas) byReport.set(delta.report, [...(byReport.get(delta.report) ?? []), delta]);
    for (const [report, deltas] of byReport) {
      await this.store.applyAt(bucketId(report, day), [{ ...event, type: 'ReportDeltasCounted', data: { report, day, hour, deltas } }]);
    }
    if (step.facts) await this.store.applyAt(factsId(event.streamId), [{ ...event, type: 'ReportFactsRecorded', data: { facts: step.facts } }]);
  }

  /**
   * A report as of `query.asOf`: the ids of the report's buckets from its index (one read per 200
   * days), then the buckets of the days it needs (`_id` reads, READ_AT_ONCE at a time).
   */
  async report(report: ReportName, query: ReportQuery): Promise<Report> {
    const days = bucketDays(report, query);
    const prefix = `${report}@`;
    const wanted = days
      ? (await this.store.idsBy('report', report)).filter((id) => {
          const day = id.slice(prefix.length);
          return id.startsWith(prefix) && (days.from === null || day >= days.from) && day <= days.to;
        })
      : [];
    const buckets: ReportBucket[] = [];
    for (let at = 0; at < wanted.length; at += READ_AT_ONCE) {
      const read = await Promise.all(wanted.slice(at, at + READ_AT_ONCE).map((id) => this.store.get(id)));
      for (const document of read) if (document?.kind === 'bucket') buckets.push(document);
    }
    return reportOf(report, buckets, query);
  }
}
