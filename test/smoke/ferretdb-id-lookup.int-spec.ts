import mongoose, { Connection } from 'mongoose';
import { testRun } from '@continuum/testing';
import { smokeEnv } from './smoke-env';

/*
 * The services' hot paths are `_id` lookups, so an `_id` lookup must cost the same at any collection
 * size: the store must answer it from the `_id` index (figures in docs/performance.md).
 *
 * The signal is the store's query plan, not a stopwatch, so a loaded machine cannot make this flake:
 * - FerretDB v1 with the SQLite backend returns SQLite's EXPLAIN QUERY PLAN rows in queryPlanner.Plan:
 *   "SEARCH <table> USING INDEX <table>__id_ (<expr>=?)" when the `_id` index is used, "SCAN <table>"
 *   when every lookup reads the whole table (unpatched v1.24.2; see
 *   deploy/local/ferretdb/sqlite-id-index.patch).
 * - MongoDB returns queryPlanner.winningPlan: IDHACK (before 8.0), EXPRESS_IXSCAN (8.0+) or an IXSCAN on
 *   the `_id_` index; COLLSCAN is the scan.
 * A plan in neither shape fails with the explain output, so a new store is looked at, not waved through.
 */

type Plan = { indexed: boolean; summary: string };

interface MongoStage {
  stage?: string;
  indexName?: string;
  keyPattern?: Record<string, unknown>;
  inputStage?: MongoStage;
  inputStages?: MongoStage[];
  queryPlan?: MongoStage;
}

function mongoStages(node: MongoStage | undefined, out: MongoStage[] = []): MongoStage[] {
  if (!node) return out;
  if (node.stage) out.push(node);
  mongoStages(node.queryPlan, out);
  mongoStages(node.inputStage, out);
  for (const child of node.inputStages ?? []) mongoStages(child, out);
  return out;
}

/** Reads an `explain` answer for a find by `_id`: did the store use the `_id` index? */
function idLookupPlan(explain: Record<string, any>): Plan {
  const planner = explain['queryPlanner'] ?? {};
  const sqliteRows: unknown = planner['Plan'];
  if (Array.isArray(sqliteRows) && sqliteRows.every((row) => typeof row === 'string')) {
    const details = (sqliteRows as string[]).map((row) => row.replace(/^.*?detail=/, ''));
    const searchesIdIndex = details.some((d) => /^SEARCH (\S+) USING INDEX \1__id_ /.test(d));
    const scans = details.some((d) => /^SCAN /.test(d));
    return { indexed: searchesIdIndex && !scans, summary: `sqlite: ${details.join('; ')}` };
  }
  if (planner['winningPlan']) {
    const stages = mongoStages(planner['winningPlan']);
    const byId = stages.some(
      (s) =>
        s.stage === 'IDHACK' ||
        s.stage === 'EXPRESS_IXSCAN' ||
        (s.stage === 'IXSCAN' && (s.indexName === '_id_' || JSON.stringify(s.keyPattern) === '{"_id":1}')),
    );
    const scans = stages.some((s) => s.stage === 'COLLSCAN');
    return { indexed: byId && !scans, summary: `mongodb: ${stages.map((s) => s.stage).join(' <- ')}` };
  }
  throw new Error(`unknown explain format; teach idLookupPlan this store: ${JSON.stringify(explain)}`);
}

describe('store: an _id lookup stays flat as the collection grows', () => {
  const dbName = testRun('id-lookup').database;
  let conn: Connection;

  const idOf = (i: number) => `doc-${String(i).padStart(6, '0')}`;
  const docOf = (i: number) => ({ _id: idOf(i), ref: `ref-${i}`, status: i % 3 === 0 ? 'QUEUED' : 'DONE', n: 0 });
  const docs = () => conn.db!.collection<ReturnType<typeof docOf>>('docs');
  const explainFindById = async (id: unknown) => idLookupPlan(await docs().find({ _id: id as string }).explain('queryPlanner'));

  async function growTo(from: number, to: number) {
    for (let start = from; start < to; start += 1000) {
      const batch = [];
      for (let i = start; i < Math.min(to, start + 1000); i++) batch.push(docOf(i));
      await docs().insertMany(batch, { ordered: false });
    }
  }

  beforeAll(async () => {
    conn = await mongoose.createConnection(smokeEnv.mongoUrl, { dbName, serverSelectionTimeoutMS: 5000 }).asPromise();
  });

  afterAll(async () => {
    await conn?.dropDatabase().catch(() => undefined);
    await conn?.close();
  });

  it('reads the explain shapes this spec relies on', () => {
    const sqlite = (detail: string) => ({ queryPlanner: { Plan: [`id=3 parent=0 notused=0 detail=${detail}`] } });
    expect(idLookupPlan(sqlite('SEARCH docs_ab12 USING INDEX docs_ab12__id_ (<expr>=?)')).indexed).toBe(true);
    expect(idLookupPlan(sqlite('SCAN docs_ab12')).indexed).toBe(false);
    expect(idLookupPlan(sqlite('SEARCH docs_ab12 USING INDEX docs_ab12_ref_1 (<expr>=?)')).indexed).toBe(false);
    const mongo = (winningPlan: object) => ({ queryPlanner: { winningPlan } });
    expect(idLookupPlan(mongo({ stage: 'IDHACK' })).indexed).toBe(true);
    expect(idLookupPlan(mongo({ stage: 'EXPRESS_IXSCAN', keyPattern: '{ _id: 1 }' })).indexed).toBe(true);
    expect(idLookupPlan(mongo({ stage: 'FETCH', inputStage: { stage: 'IXSCAN', indexName: '_id_' } })).indexed).toBe(true);
    expect(idLookupPlan(mongo({ stage: 'COLLSCAN' })).indexed).toBe(false);
    expect(() => idLookupPlan({ queryPlanner: {} })).toThrow(/unknown explain format/);
  });

  it('answers a find by _id from the _id index at 1,000 and at 20,000 documents, with the same plan', async () => {
    await growTo(0, 1000);
    const small = await explainFindById(idOf(500));
    await growTo(1000, 20000);
    const large = await explainFindById(idOf(19500));
    // FerretDB pushes string and ObjectId _id filters down; both must reach the index.
    const byObjectId = await explainFindById(new mongoose.Types.ObjectId());

    expect(await docs().estimatedDocumentCount()).toBe(20000);
    // toEqual (not toMatchObject) so that a failure prints the plans the store gave.
    const usesIdIndex = { indexed: true, summary: expect.any(String) };
    expect({ small, large, byObjectId }).toEqual({ small: usesIdIndex, large: usesIdIndex, byObjectId: usesIdIndex });
    expect(large.summary).toBe(small.summary);
  }, 180_000);

  // The patched expression is also the one updates and deletes by _id go through: they must still find
  // exactly their document, and the _id index must still reject duplicates.
  it('finds, updates and deletes exactly the addressed document by _id, and rejects a duplicate _id', async () => {
    expect(await docs().findOne({ _id: idOf(12345) })).toEqual(docOf(12345));
    expect(await docs().findOne({ _id: 'doc-missing' })).toBeNull();

    const updated = await docs().updateOne({ _id: idOf(777) }, { $inc: { n: 5 } });
    expect(updated).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    expect(await docs().findOne({ _id: idOf(777) })).toMatchObject({ n: 5 });
    expect(await docs().countDocuments({ n: 5 })).toBe(1);

    const replaced = await docs().replaceOne({ _id: idOf(778) }, { ref: 'replaced', status: 'DONE', n: 1 });
    expect(replaced).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    expect(await docs().findOne({ _id: idOf(778) })).toEqual({ _id: idOf(778), ref: 'replaced', status: 'DONE', n: 1 });

    const deleted = await docs().deleteOne({ _id: idOf(779) });
    expect(deleted.deletedCount).toBe(1);
    expect(await docs().findOne({ _id: idOf(779) })).toBeNull();
    const many = await docs().deleteMany({ _id: { $in: [idOf(780), idOf(781), 'doc-missing'] } });
    expect(many.deletedCount).toBe(2);
    expect(await docs().estimatedDocumentCount()).toBe(20000 - 3);

    await expect(docs().insertOne(docOf(100))).rejects.toMatchObject({ code: 11000 });
  }, 60_000);
});
