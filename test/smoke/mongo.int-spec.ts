import mongoose, { Connection, Schema } from 'mongoose';
import { testRun } from '@continuum/testing';
import { smokeEnv } from './smoke-env';

interface Account {
  _id: string;
  email: string;
  balance: number;
}

// The MongoDB-protocol store (FerretDB locally, MongoDB under docker-compose) through mongoose.
describe('smoke: MongoDB protocol store', () => {
  const dbName = testRun('smoke-mongo').database;
  let conn: Connection;

  const accountSchema = new Schema<Account>({
    _id: { type: String, required: true },
    email: { type: String, required: true },
    balance: { type: Number, required: true },
  });
  accountSchema.index({ email: 1 }, { unique: true });

  beforeAll(async () => {
    conn = await mongoose.createConnection(smokeEnv.mongoUrl, { dbName, serverSelectionTimeoutMS: 5000 }).asPromise();
  });

  afterAll(async () => {
    await conn?.dropDatabase().catch(() => undefined);
    await conn?.close();
  });

  it('answers ping', async () => {
    const res = await conn.db!.admin().command({ ping: 1 });
    expect(res.ok).toBe(1);
  });

  it('inserts and reads back a document', async () => {
    const Accounts = conn.model<Account>('Account', accountSchema, 'accounts');
    await Accounts.init();
    await Accounts.create({ _id: 'a1', email: 'a@example.test', balance: 1250 });
    const found = await Accounts.findById('a1').lean();
    expect(found).toEqual({ _id: 'a1', email: 'a@example.test', balance: 1250, __v: 0 });
  });

  it('reports a unique-index violation as duplicate key 11000', async () => {
    const Accounts = conn.model<Account>('Account');
    await expect(Accounts.create({ _id: 'a2', email: 'a@example.test', balance: 0 })).rejects.toMatchObject({
      code: 11000,
    });
    expect(await Accounts.countDocuments({ email: 'a@example.test' })).toBe(1);
  });

  it('upserts with findOneAndUpdate, then updates the same document', async () => {
    const Accounts = conn.model<Account>('Account');
    const created = await Accounts.findOneAndUpdate(
      { _id: 'a3' },
      { $setOnInsert: { email: 'c@example.test' }, $inc: { balance: 500 } },
      { upsert: true, new: true },
    ).lean();
    expect(created).toMatchObject({ _id: 'a3', email: 'c@example.test', balance: 500 });

    const updated = await Accounts.findOneAndUpdate(
      { _id: 'a3' },
      { $setOnInsert: { email: 'ignored@example.test' }, $inc: { balance: 250 } },
      { upsert: true, new: true },
    ).lean();
    expect(updated).toMatchObject({ _id: 'a3', email: 'c@example.test', balance: 750 });
    expect(await Accounts.countDocuments({ _id: 'a3' })).toBe(1);
  });
});
