import { randomUUID } from 'node:crypto';
import mongoose, { Connection } from 'mongoose';
import pino from 'pino';
import { eventually } from '@continuum/testing';
import { HandledEventsStore } from '../kafka';
import { IdempotencyStore, MessageFingerprints } from '../http';
import { RetentionSweeper } from './retention-sweeper';
import { removeExpiredRecords, storeKind } from './retention';

jest.setTimeout(60_000);

const DAY_MS = 86_400_000;
const now = new Date('2026-03-20T12:00:00.000Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);

/** Records written through the stores that write them in the services, at the given times. */
async function writeRecords(connection: Connection, label: string, at: Date, count: number): Promise<void> {
  const handled = new HandledEventsStore(connection, `group-${label}`);
  const idempotency = new IdempotencyStore(connection, 30_000, () => at);
  const fingerprints = new MessageFingerprints(connection, () => at);
  for (let i = 0; i < count; i++) {
    await handled.markHandled(`${label}-${i}`, 'ThingHappened', at);
    await idempotency.begin(`user:${label}-${i}`, 'hash');
    await fingerprints.claim(`intake:${label}-${i}`, { n: i });
  }
}

const ids = async (connection: Connection, collection: string) =>
  (await connection.db!.collection<{ _id: string }>(collection).find({}, { projection: { _id: 1 } }).toArray()).map((d) => d._id).sort();

describe('retention of handled events, idempotency records and message fingerprints (FerretDB)', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await mongoose.createConnection(`mongodb://127.0.0.1:27017/it_retention_${randomUUID().slice(0, 8)}`).asPromise();
  });
  afterAll(async () => {
    await connection.db?.dropDatabase();
    await connection.close();
  });

  it('removes the records older than the retention from all three collections and keeps the newer ones, in batches', async () => {
    // written oldest first, as services write them; 7 of each kind older than 7 days
    await writeRecords(connection, 'old', daysAgo(9), 7);
    await writeRecords(connection, 'edge', daysAgo(7.01), 1);
    await writeRecords(connection, 'new', daysAgo(6.9), 3);

    const result = await removeExpiredRecords(connection, { now, retentionDays: 7, batchSize: 3 });

    expect(result.removed).toEqual({ handled_events: 8, idempotency_records: 8, message_fingerprints: 8 });
    expect(result.cutoff).toEqual(daysAgo(7));
    expect(await ids(connection, 'handled_events')).toEqual(['group-new:new-0', 'group-new:new-1', 'group-new:new-2']);
    expect(await ids(connection, 'idempotency_records')).toEqual(['user:new-0', 'user:new-1', 'user:new-2']);
    expect(await ids(connection, 'message_fingerprints')).toEqual(['intake:new-0', 'intake:new-1', 'intake:new-2']);

    // nothing left to remove: a second run removes nothing
    expect((await removeExpiredRecords(connection, { now, retentionDays: 7 })).removed).toEqual({ handled_events: 0, idempotency_records: 0, message_fingerprints: 0 });
  });

  it('a removed record no longer answers: an event handled 8 days ago counts as new again', async () => {
    const handled = new HandledEventsStore(connection, 'group-again');
    await handled.markHandled('e-1', 'ThingHappened', daysAgo(8));
    expect(await handled.isHandled('e-1')).toBe(true);
    await removeExpiredRecords(connection, { now, retentionDays: 7 });
    expect(await handled.isHandled('e-1')).toBe(false);
  });

  it('the service sweeper finds the local store to be FerretDB (no TTL index made) and its scheduled run removes what expired', async () => {
    expect(await storeKind(connection)).toBe('ferretdb');
    await writeRecords(connection, 'sweep-old', daysAgo(3), 2);
    await writeRecords(connection, 'sweep-new', daysAgo(1), 2);
    const sweeper = new RetentionSweeper(connection, { retentionDays: 2, cleanupIntervalMs: 1_000 }, pino({ level: 'silent' }), () => now);
    await sweeper.start();
    try {
      const indexes = await connection.db!.collection('handled_events').indexes();
      expect(indexes.filter((index) => index.expireAfterSeconds !== undefined)).toEqual([]);
      // nobody calls runOnce: the timer does
      // the sweep removes the collections one after another: wait until it has been through all of them
      await eventually(
        async () =>
          !(await ids(connection, 'handled_events')).some((id) => id.startsWith('group-sweep-old')) &&
          !(await ids(connection, 'message_fingerprints')).some((id) => id.startsWith('intake:sweep-old')),
        'old records swept',
        { timeoutMs: 20_000 },
      );
      expect((await ids(connection, 'handled_events')).filter((id) => id.startsWith('group-sweep'))).toEqual(['group-sweep-new:sweep-new-0', 'group-sweep-new:sweep-new-1']);
      expect((await ids(connection, 'message_fingerprints')).filter((id) => id.startsWith('intake:sweep'))).toEqual(['intake:sweep-new-0', 'intake:sweep-new-1']);
    } finally {
      await sweeper.stop();
    }
  });
});
