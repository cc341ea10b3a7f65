/**
 * The reconcile's adapter: streams every service's event store (the `commits` collection of its
 * database) and the projections' customer journal into a `Ledger`, one document at a time. Memory
 * holds the ledger's per-order facts, one number per stream of the database being read, and the
 * cursor's batch; never the commits themselves.
 */
import { mongo } from 'mongoose';
import { MessageRegistry, registry as defaultRegistry } from '@continuum/contracts';
import { COMMITS_COLLECTION, CommitDocument } from '@continuum/platform';
import { Ledger, ReconcileReport, SequencedCommit, StreamSequencer } from './reconcile';

export const EVENT_STORES = ['orders', 'payments', 'fulfillment', 'subscriptions'] as const;
export type EventStoreService = (typeof EVENT_STORES)[number];

export interface ReconcileTarget {
  /** the database of each service's event store */
  readonly databases: Readonly<Record<EventStoreService, string>>;
  /** the projections' database; null skips the history checks */
  readonly projections: string | null;
  /** documents per cursor batch (default 1,000) */
  readonly batchSize?: number;
  readonly registry?: MessageRegistry;
}

export interface ReconcileOutcome {
  readonly report: ReconcileReport;
  /** what the reader met that the report does not show as a disagreement (gaps in streams, no history) */
  readonly notes: readonly string[];
  /** commits and journal entries read */
  readonly read: { readonly commits: number; readonly events: number; readonly journals: number };
  /** seconds from the start until each store was read (orders, payments, ..., projections) and the checks were done */
  readonly seconds: Readonly<Record<string, number>>;
}

/** The projections' marker of the live generation and the journal view of a generation (services/projections). */
const PROJECTION_META = 'projection_meta';
const PROJECTION_MARKER = 'customer-projection';
const journalCollection = (generation: number) => `view_customer_journal_g${generation}`;

type StoredCommit = Pick<CommitDocument, 'streamId' | 'seq' | 'events'> & SequencedCommit;

interface JournalDocument {
  _id: string;
  view?: { entries?: Array<{ type: string; version: number; streamId: string; data: unknown }> };
}

/**
 * Reads every store named in `target` through `client` and reports what disagrees. The stores are
 * read at the same time (each fold is per source, so their interleaving changes nothing): the
 * store's CPU, not the reconcile's, is what a read waits for.
 */
export async function reconcileStores(client: mongo.MongoClient, target: ReconcileTarget): Promise<ReconcileOutcome> {
  const registry = target.registry ?? defaultRegistry;
  const batchSize = target.batchSize ?? 1_000;
  const ledger = new Ledger();
  const notes: string[] = [];
  const read = { commits: 0, events: 0, journals: 0 };
  const seconds: Record<string, number> = {};
  const started = process.hrtime.bigint();
  const timed = (name: string) => (seconds[name] = Number(process.hrtime.bigint() - started) / 1e9);
  const upcast = (type: string, version: number, data: unknown) => (registry.has(type) ? registry.upcast(type, version, data).data : data);

  const readEventStore = async (service: EventStoreService) => {
    const sequencer = new StreamSequencer<StoredCommit>();
    let commits = 0;
    const cursor = client
      .db(target.databases[service])
      .collection<StoredCommit>(COMMITS_COLLECTION)
      .find({}, { projection: { _id: 0, streamId: 1, seq: 1, events: 1 }, batchSize });
    for await (const commit of cursor) {
      read.commits++;
      commits++;
      for (const ready of sequencer.push(commit)) {
        for (const event of ready.events) {
          read.events++;
          ledger.add(service, { type: event.type, data: upcast(event.type, event.version, event.data) });
        }
      }
    }
    timed(service);
    // a store with nothing in it is more likely the wrong database than a service that never ran
    if (commits === 0) notes.push(`${service}: no commits in ${target.databases[service]}.${COMMITS_COLLECTION}`);
    const stranded = sequencer.stranded();
    if (stranded.length > 0) {
      notes.push(`${service}: ${stranded.length} streams have a gap in their commits and were read only up to it (${stranded.slice(0, 5).join(', ')}${stranded.length > 5 ? ', ...' : ''})`);
    }
  };

  const readHistory = async (database: string) => {
    const db = client.db(database);
    const marker = await db.collection<{ _id: string; live?: number }>(PROJECTION_META).findOne({ _id: PROJECTION_MARKER });
    const name = journalCollection(marker?.live ?? 1);
    if ((await db.listCollections({ name }, { nameOnly: true }).toArray()).length === 0) {
      notes.push(`no customer history in ${database}.${name}`);
      return;
    }
    ledger.historyWasRead();
    const journals = db.collection<JournalDocument>(name).find({}, { projection: { 'view.entries': 1 }, batchSize: Math.max(1, Math.floor(batchSize / 10)) });
    for await (const journal of journals) {
      read.journals++;
      for (const entry of journal.view?.entries ?? []) {
        // only the orders' own streams: the history's order rows are folds of them
        if (!entry.streamId.startsWith('order-')) continue;
        ledger.add('history', { type: entry.type, data: upcast(entry.type, entry.version, entry.data) });
      }
    }
    timed('projections');
  };

  await Promise.all([...EVENT_STORES.map(readEventStore), target.projections === null ? null : readHistory(target.projections)]);
  const report = ledger.report();
  timed('checks');
  notes.sort();
  return { report, notes, read, seconds };
}
