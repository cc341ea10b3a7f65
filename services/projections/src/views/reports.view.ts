import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Collection } from 'mongoose';
import { EventEnvelope, registry } from '@continuum/contracts';
import { eachLimited, eventHandlers, IncomingMessage, insertOnce, isDuplicateKey, Platform, ViewDefinition, ViewStore } from '@continuum/platform';
import {
  BatchEvent,
  BucketChanges,
  bucketDays,
  bucketId,
  countBatchOnce,
  EMPTY_REPORT_DOCUMENT,
  evolveReportDocument,
  needsReportFacts,
  planReportBatch,
  Report,
  ReportBucket,
  ReportDocument,
  ReportDocumentEvent,
  ReportFacts,
  ReportName,
  reportOf,
  ReportQuery,
  ReadPosition,
  StoredBucket,
} from '../domain/reports';
import { EVENT_TOPICS } from './customer-projections';

/**
 * The consumer group that feeds the reports (its own offsets: a journal rebuild does not touch it).
 * v2: buckets guarded by partition offsets in `report_buckets`, facts in `view_report_facts`; the
 * new group reads every topic from its start into them (`view_reports` of v1 is no longer read).
 */
export const REPORTS_GROUP = 'reports.v2';

/** The buckets (`<report>@<day>`) and, per report, the days it has buckets for (`days:<report>`). */
export const REPORT_BUCKETS = 'report_buckets';

/** How often a bucket write is read and tried again when another instance wrote the bucket in between. */
const MAX_BUCKET_CONFLICTS = 50;

type BucketDocument = (StoredBucket & { _id: string; kind: 'bucket'; rev: number }) | { _id: string; kind: 'days'; days: string[] };

/** Bucket documents read at once. */
const READ_AT_ONCE = 16;

/**
 * The reports' facts (`view_report_facts`): per stream the facts the reports need to know what its
 * next event changes and up to which stream version it was counted (`facts:<streamId>`). The day
 * buckets are documents of their own (`report_buckets`, see ReportsView).
 */
export const reportsViewDefinition: ViewDefinition<ReportDocument, ReportDocumentEvent> = {
  name: 'report_facts',
  // fed by the reports consumer (applyAt), which names each document: the prefix is not consulted
  streamPrefix: '',
  initial: () => EMPTY_REPORT_DOCUMENT,
  evolve: evolveReportDocument,
};

const factsId = (streamId: string) => `facts:${streamId}`;

/** Where the reports' consumer read a message: its topic's partition, `<topic>/<partition>`. */
const partitionOf = (message: IncomingMessage) => `${message.topic}/${message.partition}`;

/**
 * The reports: fed from every `<context>.events.v1` topic by their own consumer group, read by
 * `GET /reports/<name>`, a Kafka batch (one partition) at a time. Applying a batch: read the facts of
 * its streams (those with an event that counts in a report), work out the deltas (`reportStep`, pure,
 * each stream's facts kept in memory from one event to the next), add them to the buckets of the
 * events' days, one read and one write per bucket (each bucket keeps the offset of the last event it
 * counted per partition, so an event read again adds nothing), then store each stream's new facts (up
 * to which version it counted, so the same event republished under a new id adds nothing). A crash
 * in between redoes the same deltas from the same facts at the same offsets and the buckets that have
 * them ignore them.
 */
@Injectable()
export class ReportsView implements OnModuleInit {
  private readonly store: ViewStore<ReportDocument, ReportDocumentEvent>;
  private readonly buckets: Collection<BucketDocument>;
  /** days this process has seen listed (a day, once listed, stays) */
  private readonly listed = new Set<string>();

  constructor(@Inject(Platform) private readonly platform: Platform) {
    this.store = platform.readModel(reportsViewDefinition);
    this.buckets = platform.connection.collection<BucketDocument>(REPORT_BUCKETS);
  }

  onModuleInit(): void {
    const handle = (event: EventEnvelope, message: IncomingMessage) => this.apply(event, { partition: partitionOf(message), offset: Number(message.offset) });
    // a Kafka batch at a time (one partition, offset order); a batch that keeps failing comes one event at a time through `handle`
    const handleBatch = async (messages: IncomingMessage[]) => {
      if (messages.length === 0) return;
      await this.applyBatch(
        partitionOf(messages[0]),
        messages.flatMap((message) => (message.envelope ? [{ event: message.envelope, offset: Number(message.offset) }] : [])),
      );
    };
    const types = [...new Set(registry.all().filter((definition) => definition.kind === 'event' && EVENT_TOPICS.includes(definition.topic)).map((definition) => definition.type))];
    this.platform.consumer({
      groupId: REPORTS_GROUP,
      topics: [...EVENT_TOPICS],
      handlers: eventHandlers(Object.fromEntries(types.map((type) => [type, handle]))),
      batchHandler: handleBatch,
      // the buckets' and facts' stream versions are the idempotency
      dedup: false,
      maxAttempts: 30,
      maxBackoffMs: 15_000,
      fromBeginning: true,
    });
  }

  /** Counts one event, read at `at`, in the reports (the same event again changes nothing): a batch of one. */
  async apply(event: EventEnvelope, at: ReadPosition): Promise<void> {
    await this.applyBatch(at.partition, [{ event, offset: at.offset }]);
  }

  /**
   * Counts a batch of events read from `partition` (`<topic>/<partition>`, offset order) in the
   * reports, with the same result as applying them one at a time: the facts of the batch's streams
   * read at once, the batch folded in memory (`planReportBatch`), each bucket touched read and
   * written once (only the events after the offset it counted for the partition), then each
   * stream's new facts written once. A crash between the buckets and the facts redoes the same
   * deltas from the same facts, and the buckets that counted them ignore them.
   */
  async applyBatch(partition: string, batch: readonly BatchEvent[]): Promise<void> {
    // an event that counts in no report and keeps no facts reads nothing
    const streams = [...new Set(batch.filter(({ event }) => needsReportFacts(event)).map(({ event }) => event.streamId))];
    if (streams.length === 0) return;
    const stored = new Map<string, ReportFacts | undefined>();
    await eachLimited(streams, READ_AT_ONCE, async (streamId) => {
      const document = await this.store.get(factsId(streamId));
      stored.set(streamId, document?.kind === 'facts' ? document.facts : undefined);
    });
    const plan = planReportBatch(stored, batch);
    await eachLimited(plan.buckets, READ_AT_ONCE, (changes) => this.count(changes, partition));
    await eachLimited([...plan.facts.values()], READ_AT_ONCE, ({ facts, event }) =>
      this.store.applyAt(factsId(event.streamId), [{ ...event, type: 'ReportFactsRecorded', data: { facts } }]).then(() => undefined),
    );
  }

  /** Adds a batch's entries to their bucket, those after the offset it counted for `partition` only; compare-and-set on the bucket's revision. */
  private async count({ id, report, day, entries }: BucketChanges, partition: string): Promise<void> {
    for (let attempt = 0; attempt < MAX_BUCKET_CONFLICTS; attempt++) {
      const stored = await this.buckets.findOne({ _id: id });
      const bucket = stored?.kind === 'bucket' ? stored : undefined;
      const next = countBatchOnce(bucket ?? { report, day, cells: [], counted: [] }, partition, entries);
      if (!next) return;
      if (!bucket) {
        // the day is listed before its bucket exists: a reader drops a listed day without one
        await this.listDay(report, day);
        if ((await insertOnce(this.buckets, { ...next, _id: id, kind: 'bucket', rev: 1 } as never)) === 'inserted') return;
        continue;
      }
      const { matchedCount } = await this.buckets.replaceOne({ _id: id, rev: bucket.rev } as never, { ...next, kind: 'bucket', rev: bucket.rev + 1 } as never);
      if (matchedCount === 1) return;
    }
    throw new Error(`report bucket ${id} changed under each of ${MAX_BUCKET_CONFLICTS} attempts to count in it`);
  }

  private async listDay(report: ReportName, day: string): Promise<void> {
    const key = `${report}@${day}`;
    if (this.listed.has(key)) return;
    const add = () => this.buckets.updateOne({ _id: `days:${report}` }, { $set: { kind: 'days' }, $addToSet: { days: day } } as never, { upsert: true });
    // two instances listing a report's first day at once: one upsert inserts, the other adds to it
    await add().catch((error: unknown) => (isDuplicateKey(error) ? add() : Promise.reject(error)));
    this.listed.add(key);
  }

  /**
   * A report as of `query.asOf`: the days the report has buckets for (one `_id` read), then the
   * buckets of the days it needs (`_id` reads, READ_AT_ONCE at a time).
   */
  async report(report: ReportName, query: ReportQuery): Promise<Report> {
    const days = bucketDays(report, query);
    const listed = days ? await this.buckets.findOne({ _id: `days:${report}` }) : null;
    const wanted = days && listed?.kind === 'days' ? listed.days.filter((day) => (days.from === null || day >= days.from) && day <= days.to).map((day) => bucketId(report, day)) : [];
    const buckets: ReportBucket[] = [];
    for (let at = 0; at < wanted.length; at += READ_AT_ONCE) {
      const read = await Promise.all(wanted.slice(at, at + READ_AT_ONCE).map((id) => this.buckets.findOne({ _id: id })));
      for (const document of read) if (document?.kind === 'bucket') buckets.push({ report: document.report, day: document.day, cells: document.cells });
    }
    return reportOf(report, buckets, query);
  }
}
