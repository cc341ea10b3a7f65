import { randomUUID } from 'node:crypto';
import { mongo } from 'mongoose';
import { INDEX_CHUNK } from '@continuum/platform';

// Fast history for a benchmark: copies of one real order, written straight into the services'
// databases with insertMany. Everything the template order left behind is copied (commits, view
// documents and their index entries, handled-event records, payment methods, customer emails) with
// every id of the order replaced by a fresh one, so each copy looks like one more order that went
// the whole way. Nothing goes to the outbox or to Kafka, and Redis jobs are not copied.

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
/** per-process bookkeeping, never per order */
const SKIPPED_COLLECTIONS = new Set(['outbox', 'leases', 'views_meta']);
const { EJSON } = mongo.BSON;

interface StoredDoc {
  readonly db: mongo.Db;
  readonly collection: string;
  readonly id: string;
  readonly json: string;
  readonly doc: Record<string, unknown>;
}

export interface HistoryTemplate {
  /** documents that belong to the template order (their `_id` names one of its ids) */
  readonly perOrder: StoredDoc[];
  /** shared list documents (`{ _id, ids: [...] }`, e.g. a view index key every order is listed under) and the entries the order put there */
  readonly shared: { readonly db: mongo.Db; readonly collection: string; readonly id: string; readonly chunk: boolean; readonly entries: string[] }[];
  /** shared documents that mention the order but are no list: not copied (reported) */
  readonly ignored: string[];
  /** the ids replaced in every copy */
  readonly ids: Set<string>;
}

const uuidsIn = (text: string): string[] => text.match(UUID) ?? [];

/**
 * Finds what one order left in the given databases: starts from `rootIds` (order and customer id),
 * and follows every id found in the documents named after them (event ids, transaction ids, ...),
 * except `keepIds` (campaign and product ids, which every copy shares).
 */
export async function captureTemplate(databases: readonly mongo.Db[], rootIds: readonly string[], keepIds: ReadonlySet<string>): Promise<HistoryTemplate> {
  const all: StoredDoc[] = [];
  for (const db of databases) {
    for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
      if (SKIPPED_COLLECTIONS.has(name) || name.startsWith('system.')) continue;
      for (const doc of await db.collection(name).find({}).toArray()) {
        all.push({ db, collection: name, id: String(doc._id), json: EJSON.stringify(doc, { relaxed: false }), doc: doc as Record<string, unknown> });
      }
    }
  }
  const ids = new Set(rootIds);
  const ownsId = (doc: StoredDoc) => uuidsIn(doc.id).some((id) => ids.has(id));
  for (let changed = true; changed; ) {
    changed = false;
    for (const doc of all.filter(ownsId)) {
      for (const id of uuidsIn(doc.json)) {
        if (!keepIds.has(id) && !ids.has(id)) {
          ids.add(id);
          changed = true;
        }
      }
    }
  }
  const perOrder = all.filter(ownsId);
  const shared: HistoryTemplate['shared'][number][] = [];
  const ignored: string[] = [];
  for (const doc of all) {
    if (ownsId(doc) || !uuidsIn(doc.json).some((id) => ids.has(id))) continue;
    const list = doc.doc['ids'];
    if (Array.isArray(list)) {
      shared.push({
        db: doc.db,
        collection: doc.collection,
        id: doc.id,
        chunk: doc.doc['kind'] === 'chunk' || doc.doc['kind'] === 'head',
        entries: list.map(String).filter((entry) => uuidsIn(entry).some((id) => ids.has(id))),
      });
    } else {
      ignored.push(`${doc.db.databaseName}.${doc.collection}/${doc.id}`);
    }
  }
  return { perOrder, shared, ignored, ids };
}

/**
 * Writes `count` copies of the template order; `onProgress` after every batch. `sharedLists: false`
 * leaves the shared lists as they are (to see what they cost).
 */
export async function cloneOrders(template: HistoryTemplate, count: number, onProgress?: (done: number) => void, sharedLists = true): Promise<void> {
  const BATCH = 250;
  const sharedEntries = template.shared.map(() => [] as string[]);
  for (let done = 0; done < count; ) {
    const n = Math.min(BATCH, count - done);
    const batches = new Map<string, { db: mongo.Db; collection: string; docs: Record<string, unknown>[] }>();
    for (let copy = 0; copy < n; copy++) {
      const fresh = new Map<string, string>();
      const rename = (text: string) =>
        text.replace(UUID, (id) => {
          if (!template.ids.has(id)) return id;
          let replacement = fresh.get(id);
          if (!replacement) fresh.set(id, (replacement = randomUUID()));
          return replacement;
        });
      for (const doc of template.perOrder) {
        const key = `${doc.db.databaseName}/${doc.collection}`;
        const batch = batches.get(key) ?? { db: doc.db, collection: doc.collection, docs: [] };
        batch.docs.push(EJSON.parse(rename(doc.json), { relaxed: false }) as Record<string, unknown>);
        batches.set(key, batch);
      }
      template.shared.forEach((list, i) => sharedEntries[i]!.push(...list.entries.map(rename)));
    }
    // databases are separate files on FerretDB's SQLite backend: write them side by side
    const byDb = new Map<mongo.Db, { collection: string; docs: Record<string, unknown>[] }[]>();
    for (const batch of batches.values()) byDb.set(batch.db, [...(byDb.get(batch.db) ?? []), batch]);
    await Promise.all(
      [...byDb].map(async ([db, list]) => {
        for (const batch of list) await db.collection(batch.collection).insertMany(batch.docs as never[], { ordered: false });
      }),
    );
    done += n;
    onProgress?.(done);
  }
  if (!sharedLists) return;
  for (const [i, list] of template.shared.entries()) {
    const entries = sharedEntries[i]!;
    if (list.chunk) {
      // a view index key (ViewStore; the template's id is in the key's head or in a chunk): the copies
      // go into sealed chunks of their own, as if the key had listed them one by one, each id with its
      // membership (`<key>|<id>` naming its chunk), through which the view takes it off the list again
      const key = list.id.includes('#') ? list.id.slice(0, list.id.lastIndexOf('#')) : list.id;
      const entriesOfKey = list.db.collection(list.collection);
      const chunkIds: string[] = [];
      for (let from = 0; from < entries.length; from += INDEX_CHUNK) {
        const chunkId = `${key}#seed-${randomUUID().slice(0, 8)}`;
        const ids = entries.slice(from, from + INDEX_CHUNK);
        await entriesOfKey.insertOne({ _id: chunkId, kind: 'chunk', ids } as never);
        await entriesOfKey.insertMany(ids.map((id) => ({ _id: `${key}|${id}`, kind: 'member', chunk: chunkId })) as never[], { ordered: false });
        chunkIds.push(chunkId);
      }
      const head = await entriesOfKey.findOne({ _id: key as never });
      await entriesOfKey.updateOne({ _id: key as never }, { $set: { chunks: [...chunkIds, ...((head?.['chunks'] as string[] | undefined) ?? [])] } });
      continue;
    }
    for (let from = 0; from < entries.length; from += 5000) {
      await list.db.collection(list.collection).updateOne({ _id: list.id as never }, { $addToSet: { ids: { $each: entries.slice(from, from + 5000) } } } as never);
    }
  }
}
