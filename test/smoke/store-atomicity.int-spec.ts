import mongoose, { Connection } from 'mongoose';
import { testRun } from '@continuum/testing';
import { smokeEnv } from './smoke-env';

/**
 * One document written by several clients at once, as two instances of a service do: each update,
 * findAndModify and delete must apply to the document atomically (filter checked and document
 * written as one step), as MongoDB does. The local FerretDB gets this from
 * deploy/local/ferretdb/write-lock.patch; without it these fail (updates lost, two winners of a
 * compare-and-set).
 */
describe('smoke: one document, many writers', () => {
  const dbName = testRun('smoke-atomic').database;
  const clients: Connection[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 4; i++) clients.push(await mongoose.createConnection(smokeEnv.mongoUrl, { dbName, serverSelectionTimeoutMS: 5000, maxPoolSize: 20 }).asPromise());
  });

  afterAll(async () => {
    await clients[0]?.dropDatabase().catch(() => undefined);
    for (const client of clients) await client.close();
  });

  const collection = (client: number, name: string) => clients[client]!.db!.collection<{ _id: string; ids?: string[]; rev?: number; n?: number }>(name);

  it('keeps every $push and $addToSet of concurrent clients', async () => {
    await collection(0, 'lists').insertOne({ _id: 'key', ids: [] });
    const writes = Array.from({ length: 200 }, (_, i) =>
      i % 2 === 0
        ? collection(i % 4, 'lists').updateOne({ _id: 'key' }, { $push: { ids: `p${i}` } })
        : collection(i % 4, 'lists').findOneAndUpdate({ _id: 'key' }, { $addToSet: { ids: `a${i}` } }),
    );
    await Promise.all(writes);
    const stored = await collection(0, 'lists').findOne({ _id: 'key' });
    expect(stored?.ids).toHaveLength(200);
  });

  it('lets exactly one of several writers that read the same revision replace it', async () => {
    for (let round = 0; round < 10; round++) {
      const id = `doc-${round}`;
      await collection(0, 'cas').insertOne({ _id: id, rev: 1, n: 0 });
      const results = await Promise.all(clients.flatMap((_, client) => [0, 1].map(() => collection(client, 'cas').replaceOne({ _id: id, rev: 1 }, { rev: 2, n: client }))));
      expect(results.filter((result) => result.modifiedCount === 1)).toHaveLength(1);
    }
  });

  it('counts every concurrent $inc', async () => {
    await collection(0, 'counters').insertOne({ _id: 'c', n: 0 });
    await Promise.all(Array.from({ length: 200 }, (_, i) => collection(i % 4, 'counters').updateOne({ _id: 'c' }, { $inc: { n: 1 } })));
    expect((await collection(0, 'counters').findOne({ _id: 'c' }))?.n).toBe(200);
  });

  it('hands a document to exactly one of several findOneAndDelete calls', async () => {
    await collection(0, 'parked').insertMany(Array.from({ length: 20 }, (_, i) => ({ _id: `p${i}`, n: i })));
    const taken = await Promise.all(Array.from({ length: 20 }).flatMap((_, i) => clients.map((__, client) => collection(client, 'parked').findOneAndDelete({ _id: `p${i}` }))));
    expect(taken.filter((doc) => doc !== null)).toHaveLength(20);
  });
});
