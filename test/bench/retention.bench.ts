/**
 * Retention cleanup at size: one `removeExpiredRecords` run over BENCH_RECORDS (default 100,000)
 * handled-event records, BENCH_EXPIRED_SHARE (default 0.5) of them older than the retention, and a
 * second run that finds nothing to remove (the cost a service pays every interval once caught up).
 * Also times an insert and an `_id` lookup (the consumer's per-event work) before and during the
 * cleanup. Prints, never asserts; the database `bench_retention_<run>` is dropped at the end.
 */
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { ensureRetentionIndexes, removeExpiredRecords } from '@continuum/platform';
import { fmt, median, nowMs, printTable } from './support/stats';

const MONGO_URL = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';
const RECORDS = Number(process.env['BENCH_RECORDS'] ?? 100_000);
const EXPIRED_SHARE = Number(process.env['BENCH_EXPIRED_SHARE'] ?? 0.5);
const DAY_MS = 86_400_000;

async function main() {
  const run = randomUUID().slice(0, 8);
  const connection = await mongoose.createConnection(MONGO_URL, { dbName: `bench_retention_${run}` }).asPromise();
  const handled = connection.db!.collection<{ _id: string; groupId: string; type: string; handledAt: Date }>('handled_events');
  try {
    const store = await ensureRetentionIndexes(connection, 7);
    const now = new Date();
    const expired = Math.round(RECORDS * EXPIRED_SHARE);
    const fillStart = nowMs();
    for (let i = 0; i < RECORDS; i += 5_000) {
      const batch = Array.from({ length: Math.min(5_000, RECORDS - i) }, (_, j) => {
        const n = i + j;
        // written in time order, as a consumer writes them: the oldest first
        const handledAt = n < expired ? new Date(now.getTime() - 10 * DAY_MS + n) : new Date(now.getTime() - DAY_MS + n);
        return { _id: `bench.group:${randomUUID()}`, groupId: 'bench.group', type: 'BenchEvent', handledAt };
      });
      await handled.insertMany(batch, { ordered: false });
    }
    console.log(`store: ${store}; ${RECORDS} handled-event records written in ${fmt((nowMs() - fillStart) / 1000)} s (${expired} older than 7 days)`);

    const perEvent = async (samples: number): Promise<number[]> => {
      const times: number[] = [];
      for (let i = 0; i < samples; i++) {
        const id = `bench.group:${randomUUID()}`;
        const start = nowMs();
        await handled.findOne({ _id: id });
        await handled.insertOne({ _id: id, groupId: 'bench.group', type: 'BenchEvent', handledAt: new Date() });
        times.push(nowMs() - start);
      }
      return times;
    };
    const before = await perEvent(50);

    const firstStart = nowMs();
    const during: number[] = [];
    let cleaning = true;
    const first = removeExpiredRecords(connection, { now, retentionDays: 7 }).finally(() => (cleaning = false));
    while (cleaning) during.push(...(await perEvent(1)));
    const firstResult = await first;
    const firstMs = nowMs() - firstStart;

    const secondStart = nowMs();
    const secondResult = await removeExpiredRecords(connection, { now, retentionDays: 7 });
    const secondMs = nowMs() - secondStart;
    const left = await handled.countDocuments({});

    printTable(
      ['cleanup run', 'removed', 'seconds'],
      [
        [`first (${RECORDS} records, ${expired} expired)`, String(firstResult.removed['handled_events']), fmt(firstMs / 1000)],
        ['second (nothing expired)', String(secondResult.removed['handled_events']), fmt(secondMs / 1000)],
      ],
    );
    printTable(
      ['per event (lookup + insert)', 'median ms', 'samples'],
      [
        ['before the cleanup', fmt(median(before)), String(before.length)],
        ['while the cleanup runs', fmt(median(during)), String(during.length)],
      ],
    );
    console.log(`records left: ${left}`);
  } finally {
    await connection.db!.dropDatabase();
    await connection.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
