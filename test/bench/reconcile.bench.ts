/**
 * How long `npm run reconcile` takes over a large history (`npm run bench -- reconcile`). Prints,
 * and fails only when the seeded system does not reconcile (it is consistent by construction).
 *
 * Seeds BENCH_RECONCILE_ORDERS (default 100,000) orders' consistent events straight into the stores
 * with insertMany, in the commit format EventStore writes (`_id` = `<streamId>@<seq>`, one document
 * per append, each event at its registry version) and the projections' journal documents (one per
 * customer, `view_customer_journal_g1`): the kinds of test/reconcile/reconcile.fixtures.ts in turn
 * (card, card refunded, external, COD paid, declined, cancelled with a void, and a subscription
 * whose rebill order billed cycle 2). Nothing goes through the outbox or Kafka. Then the reconcile
 * reads it all as the CLI does (reconcileStores, without the process start), timed, with the
 * process's peak heap and RSS sampled while it runs. The databases `bench_reconcile_<run>_*` are
 * dropped at the end.
 */
import { randomUUID } from 'node:crypto';
import { mongo } from 'mongoose';
import { registry, Topics } from '@continuum/contracts';
import { COMMITS_COLLECTION, commitId } from '@continuum/platform';
import { mergeWorlds, ORDER_KINDS, orderWorld, rebillWorld, SERVICES, World } from '../reconcile/reconcile.fixtures';
import { EventStoreService, reconcileStores } from '../reconcile/reconcile.store';
import { fmt, nowMs, printTable } from './support/stats';

const MONGO_URL = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';
const ORDERS = Number(process.env['BENCH_RECONCILE_ORDERS'] ?? 100_000);
/** orders seeded per round of insertMany calls */
const ROUND = 2_000;
const run = randomUUID().slice(0, 8);
const databaseOf = (service: string) => `bench_reconcile_${run}_${service}`;
const actor = { kind: 'service', id: 'bench' };
const AT = '2026-01-05T10:00:00.000Z';

interface Seeded {
  commits: Record<string, Array<Record<string, unknown>>>;
  journals: Map<string, { entries: Array<Record<string, unknown>>; versions: Record<string, number> }>;
}

/** The documents a world's appends are stored as: commits per service, journal documents per customer. */
function documentsOf(world: World, into: Seeded): void {
  const versions = new Map<string, number>();
  for (const service of SERVICES) {
    for (const append of world[service]) {
      const seq = versions.get(append.streamId) ?? 0;
      const correlationId = randomUUID();
      const events = append.events.map((event, index) => ({
        eventId: randomUUID(),
        type: event.type,
        version: registry.current(event.type).version,
        streamVersion: seq + index + 1,
        data: event.data,
      }));
      versions.set(append.streamId, seq + events.length);
      into.commits[service]!.push({ _id: commitId(append.streamId, seq), streamId: append.streamId, seq, events, occurredAt: AT, correlationId, causationId: null, actor });
      if (service !== 'orders' || !append.streamId.startsWith('order-')) continue;
      for (const event of events) {
        const customerId = (event.data as { customerId: string }).customerId;
        const journal = into.journals.get(customerId) ?? { entries: [], versions: {} };
        journal.entries.push({ ...event, streamId: append.streamId, occurredAt: AT, correlationId, causationId: null, actor, topic: Topics.ordersEvents, origin: customerId });
        journal.versions[append.streamId] = event.streamVersion;
        into.journals.set(customerId, journal);
      }
    }
  }
}

async function seed(client: mongo.MongoClient): Promise<{ orders: number; commits: number; seconds: number }> {
  const started = nowMs();
  let orders = 0;
  let commits = 0;
  let slot = 0;
  while (orders < ORDERS) {
    const seeded: Seeded = { commits: Object.fromEntries(SERVICES.map((service) => [service, []])), journals: new Map() };
    const worlds: World[] = [];
    for (let n = 0; n < ROUND && orders < ORDERS; slot++) {
      const kind = slot % (ORDER_KINDS.length + 1);
      const orderId = `b${slot}`;
      // the subscription world holds two orders: the recurring one and its rebill
      const world = kind < ORDER_KINDS.length || orders + 2 > ORDERS ? orderWorld(orderId, ORDER_KINDS[kind % ORDER_KINDS.length]!) : rebillWorld(orderId);
      const count = world.orders.filter((append) => append.events.some((event) => event.type === 'OrderPlaced')).length;
      worlds.push(world);
      orders += count;
      n += count;
    }
    documentsOf(mergeWorlds(...worlds), seeded);
    await Promise.all([
      ...SERVICES.map((service) => {
        commits += seeded.commits[service]!.length;
        return seeded.commits[service]!.length === 0 ? null : client.db(databaseOf(service)).collection(COMMITS_COLLECTION).insertMany(seeded.commits[service] as never[], { ordered: false });
      }),
      client
        .db(databaseOf('projections'))
        .collection('view_customer_journal_g1')
        .insertMany([...seeded.journals].map(([customerId, journal]) => ({ _id: customerId, view: { customerId, entries: journal.entries }, versions: journal.versions })) as never[], { ordered: false }),
    ]);
    if (orders % 20_000 < ROUND) console.log(`[reconcile bench] seeded ${orders} orders (${commits} commits) in ${fmt((nowMs() - started) / 1000)} s`);
  }
  return { orders, commits, seconds: (nowMs() - started) / 1000 };
}

async function main(): Promise<number> {
  const client = await new mongo.MongoClient(MONGO_URL).connect();
  try {
    const seeded = await seed(client);
    global.gc?.();
    const before = process.memoryUsage();
    let peakHeap = before.heapUsed;
    let peakRss = before.rss;
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peakHeap = Math.max(peakHeap, now.heapUsed);
      peakRss = Math.max(peakRss, now.rss);
    }, 100);
    const started = nowMs();
    const cpuBefore = process.cpuUsage();
    const outcome = await reconcileStores(client, {
      databases: Object.fromEntries(SERVICES.map((service) => [service, databaseOf(service)])) as Record<EventStoreService, string>,
      projections: databaseOf('projections'),
      ...(process.env['BENCH_RECONCILE_BATCH'] ? { batchSize: Number(process.env['BENCH_RECONCILE_BATCH']) } : {}),
    });
    const seconds = (nowMs() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    clearInterval(sampler);
    const mb = (bytes: number) => fmt(bytes / 1024 / 1024);
    printTable(
      ['orders', 'commits', 'events', 'journals', 'seed s', 'reconcile s', 'its CPU s', 'orders/s', 'heap MB (before -> peak)', 'rss MB peak', 'disagreements'],
      [
        [
          String(outcome.report.ordersChecked),
          String(outcome.read.commits),
          String(outcome.read.events),
          String(outcome.read.journals),
          fmt(seeded.seconds),
          fmt(seconds),
          fmt((cpu.user + cpu.system) / 1e6),
          fmt(outcome.report.ordersChecked / seconds),
          `${mb(before.heapUsed)} -> ${mb(peakHeap)}`,
          mb(peakRss),
          String(outcome.report.disagreements.length),
        ],
      ],
    );
    console.log(`seconds per store: ${Object.entries(outcome.seconds).map(([store, s]) => `${store} ${fmt(s)}`).join(', ')}`);
    if (outcome.report.ordersChecked !== seeded.orders || outcome.report.disagreements.length > 0 || !outcome.report.historyChecked) {
      console.error('[reconcile bench] the seeded system did not reconcile:', outcome.report.disagreements.slice(0, 5), outcome.notes);
      return 1;
    }
    return 0;
  } finally {
    for (const service of [...SERVICES, 'projections']) await client.db(databaseOf(service)).dropDatabase().catch(() => undefined);
    await client.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
