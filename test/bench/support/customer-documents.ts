import { mongo } from 'mongoose';

// What the projections service stored for one customer, found by the customer's ids, so a bench
// can copy it (with every id fresh) instead of folding every copy's events: whatever the
// documents look like, the copies look the same.

const { EJSON } = mongo.BSON;

/** per-service bookkeeping, never per customer */
const BOOKKEEPING = new Set(['commits', 'outbox', 'leases', 'views_meta', 'projection_meta', 'rebuilds', 'handled_events']);

export interface StoredDocument {
  readonly collection: string;
  readonly doc: Record<string, unknown>;
}

/**
 * Every document of `db` whose `_id` names one of `ids`: the customer's journal, its routes, its
 * search entry, its order rows and the index keys made of its ids (email, order, customer). Keys
 * that other customers share (a name prefix, a card's last four, an hour) are left out.
 */
export async function documentsNaming(db: mongo.Db, ids: readonly string[]): Promise<StoredDocument[]> {
  const found: StoredDocument[] = [];
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
    if (BOOKKEEPING.has(name) || name.startsWith('system.')) continue;
    for (const doc of await db.collection(name).find({}).toArray()) {
      const id = String(doc._id);
      if (ids.some((each) => id.includes(each))) found.push({ collection: name, doc: doc as Record<string, unknown> });
    }
  }
  return found;
}

/** JSON that keeps the store's types (dates), for copier() texts. */
export const storedText = (value: unknown): string => EJSON.stringify(value);
export const parseStored = <T>(text: string): T => EJSON.parse(text) as T;

/** Inserts documents by collection, `insertMany` each. */
export async function insertByCollection(db: mongo.Db, documents: readonly StoredDocument[]): Promise<void> {
  const byCollection = new Map<string, Record<string, unknown>[]>();
  for (const { collection, doc } of documents) byCollection.set(collection, [...(byCollection.get(collection) ?? []), doc]);
  for (const [collection, docs] of byCollection) await db.collection(collection).insertMany(docs as never[], { ordered: false });
}

/** Documents per collection whose name ends in `suffix` (`_g1`: a projection generation's views and routes, without their indexes). */
export async function countsOf(db: mongo.Db, suffix: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
    if (name.endsWith(suffix)) counts.set(name.slice(0, -suffix.length), await db.collection(name).countDocuments({}));
  }
  return counts;
}
