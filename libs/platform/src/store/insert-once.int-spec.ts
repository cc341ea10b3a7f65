import { randomUUID } from 'node:crypto';
import mongoose, { Connection } from 'mongoose';
import { insertOnce, isDuplicateKey, unlessDuplicateKey } from './insert-once';

jest.setTimeout(60_000);

interface Thing {
  _id: string;
  email: string;
  n: number;
}

// Against the real store (FerretDB locally): its duplicate-key answer is what the helpers read.
describe('insertOnce / isDuplicateKey', () => {
  let connection: Connection;
  const things = () => connection.collection<Thing>('things');

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017', { dbName: `it_insert_once_${randomUUID().slice(0, 8)}`, serverSelectionTimeoutMS: 5000 })
      .asPromise();
    await things().createIndex({ email: 1 }, { unique: true });
  });

  afterAll(async () => {
    await connection?.dropDatabase().catch(() => undefined);
    await connection?.close();
  });

  it('inserts the first document under a key and keeps it when the key comes again', async () => {
    expect(await insertOnce(things(), { _id: 'a', email: 'a@example.test', n: 1 })).toBe('inserted');
    expect(await insertOnce(things(), { _id: 'a', email: 'other@example.test', n: 2 })).toBe('exists');
    expect(await things().find({ _id: 'a' }).toArray()).toEqual([{ _id: 'a', email: 'a@example.test', n: 1 }]);
  });

  it('answers exists for a unique index other than _id', async () => {
    expect(await insertOnce(things(), { _id: 'b', email: 'a@example.test', n: 3 })).toBe('exists');
    expect(await things().countDocuments({ _id: 'b' })).toBe(0);
  });

  it('of two concurrent inserts under one key, exactly one wins', async () => {
    const answers = await Promise.all([1, 2, 3].map((n) => insertOnce(things(), { _id: 'c', email: `c${n}@example.test`, n })));
    expect(answers.filter((a) => a === 'inserted')).toHaveLength(1);
    expect(answers.filter((a) => a === 'exists')).toHaveLength(2);
  });

  it('throws every other failure', async () => {
    const bad = { _id: 'd', email: 'd@example.test', n: 1, $bad: 1 } as unknown as Thing;
    const failure = await insertOnce(things(), bad).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeDefined();
    expect(isDuplicateKey(failure)).toBe(false);
  });

  it('tells a store duplicate-key error from others, and lets an upsert that collided pass', async () => {
    const duplicate = await things()
      .insertOne({ _id: 'a', email: 'z@example.test', n: 0 })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(isDuplicateKey(duplicate)).toBe(true);
    expect(isDuplicateKey(new Error('E11000 but no code'))).toBe(false);
    expect(isDuplicateKey(null)).toBe(false);
    expect(await unlessDuplicateKey(things().updateOne({ _id: 'e' }, { $set: { email: 'a@example.test', n: 5 } }, { upsert: true }))).toBe(false);
    expect(await unlessDuplicateKey(things().updateOne({ _id: 'e' }, { $set: { email: 'e@example.test', n: 5 } }, { upsert: true }))).toBe(true);
    await expect(unlessDuplicateKey(Promise.reject(new Error('store down')))).rejects.toThrow('store down');
  });
});
