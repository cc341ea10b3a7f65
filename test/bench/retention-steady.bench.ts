/**
 * Nothing grows for ever: a steady load of orders for minutes, with a short retention, and the
 * record stores that only recognise repeats sampled as it runs. Prints, never asserts
 * (`npm run bench -- retention-steady`, or this file alone with ts-node as run-bench.js does).
 *
 * Starts BENCH_SERVICES (default the five) as real processes whose retention is set through their own
 * settings: RETENTION_MS (BENCH_RETENTION_MS, default 60000) and RETENTION_CLEANUP_INTERVAL_MS
 * (BENCH_CLEANUP_MS, default 15000). Then for BENCH_STEADY_MINUTES (default 3) it places
 * BENCH_RATE orders a second (default 0.5), at that pace: every other one a card order
 * by POST /orders with an Idempotency-Key (an `idempotency_records` record), the others a COD
 * PlaceOrder on orders.intake.v1 with a clientOrderId (a `message_fingerprints` record); each order
 * makes `handled_events` records in every consumer group that handles its events. Each order is sent
 * at its time, at most BENCH_IN_FLIGHT (default 8) unanswered at once. SERVICE_RUNTIME=dist runs the
 * services `npm run build` compiled (they start in a fraction of ts-node's time on a busy machine).
 *
 * Every BENCH_SAMPLE_MS (default 15000) it counts every collection of every service's database. It
 * prints the series of `handled_events`, `idempotency_records`, `message_fingerprints` and `outbox`
 * per service, and says whether each flattened (see `flattened`; the retention plus the cleanup
 * interval must be well under two thirds of the run for the middle third to reach the plateau, and the
 * services must keep up with the load: a backlog of events handled late grows to the end). The
 * other collections follow with their first and last counts and what they hold: those that grow are
 * kept by design (the event store, views, card tokens, and `sent_emails`, whose record of each email
 * sent is what stops a group that reads its topic again from mailing twice). Last, each service's
 * `retention` sweeper runs from GET /ops.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import mongoose from 'mongoose';
import { requestJson } from '@continuum/platform';
import { BenchFleet, client, startFleet } from './support/fleet';
import { cleanUp } from './support/cleanup';
import { printTable, sleep } from './support/stats';

const env = process.env;
const MONGO_URL = env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';
const BROKERS = (env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const SERVICES = (env['BENCH_SERVICES'] ?? 'orders,payments,fulfillment,subscriptions,projections').split(',').filter(Boolean);
const MINUTES = Number(env['BENCH_STEADY_MINUTES'] ?? 3);
const RATE = Number(env['BENCH_RATE'] ?? 0.5);
const RETENTION_MS = Number(env['BENCH_RETENTION_MS'] ?? 60_000);
const CLEANUP_MS = Number(env['BENCH_CLEANUP_MS'] ?? 15_000);
const SAMPLE_MS = Number(env['BENCH_SAMPLE_MS'] ?? 15_000);
/** orders sent and not yet answered, at most */
const IN_FLIGHT = Number(env['BENCH_IN_FLIGHT'] ?? 8);
/** the stores that only recognise repeats (libs/platform/src/retention), then the outbox (drained as it is published) */
const WATCHED = ['handled_events', 'idempotency_records', 'message_fingerprints', 'outbox'] as const;

interface Sample {
  /** seconds since the load began */
  readonly at: number;
  /** per service, per collection */
  readonly counts: Record<string, Record<string, number>>;
}

/** Counts every collection of each service's database (countDocuments: exact, as the cleanup sees them). */
async function sampleCounts(connection: mongoose.Connection, fleet: BenchFleet, at: number): Promise<Sample> {
  const counts: Record<string, Record<string, number>> = {};
  for (const service of Object.values(fleet.services)) {
    const db = connection.useDb(service.database, { useCache: true }).db!;
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
    counts[service.name] = {};
    for (const name of names) counts[service.name]![name] = await db.collection(name).countDocuments({});
  }
  return { at, counts };
}

/** What a collection that is not watched holds, for the table of the others. */
function whatItHolds(name: string): string {
  if (name === 'commits') return 'the event store';
  if (name === 'sent_emails') return 'at-most-once emails: kept, so a group that reads its topic again sends none twice';
  if (name === 'card_vault') return 'card tokens (rebills charge them)';
  if (name.startsWith('view_') || name.startsWith('projection_') || name.startsWith('order_search') || name === 'report_buckets') return 'a view';
  return '';
}

/**
 * Whether a series flattened: its highest count in the last third is above the highest in the middle
 * third by no more than the largest rise between two samples. A count that grows with the load rises
 * about that much at every sample, so it ends several rises above; one held by the cleanup only
 * wobbles by what arrives between two cleanups.
 */
function flattened(series: readonly number[]): { verdict: 'flat' | 'grows' | 'too short'; middle: number; last: number } {
  const third = Math.floor(series.length / 3);
  if (third < 1) return { verdict: 'too short', middle: 0, last: 0 };
  const middle = Math.max(...series.slice(third, 2 * third));
  const last = Math.max(...series.slice(2 * third));
  const largestRise = Math.max(0, ...series.slice(1).map((n, i) => n - series[i]!));
  return { verdict: last - middle <= largestRise ? 'flat' : 'grows', middle, last };
}

async function main() {
  const started = Date.now();
  console.log(
    `[retention-steady] starting ${SERVICES.join(', ')} with RETENTION_MS=${RETENTION_MS} RETENTION_CLEANUP_INTERVAL_MS=${CLEANUP_MS}; ${MINUTES} min at ${RATE} orders/s, a sample every ${SAMPLE_MS / 1000} s`,
  );
  if (RETENTION_MS + CLEANUP_MS >= (MINUTES * 60_000 * 2) / 3) console.log('[retention-steady] note: the retention plus the cleanup interval is not under two thirds of the run: the verdicts cannot say flat');
  const fleet = await startFleet(SERVICES, { RETENTION_MS: String(RETENTION_MS), RETENTION_CLEANUP_INTERVAL_MS: String(CLEANUP_MS) });
  const connection = await mongoose.createConnection(MONGO_URL).asPromise();
  const kafka = new Kafka({ clientId: `bench-${fleet.run}-steady`, brokers: BROKERS, logLevel: logLevel.NOTHING });
  let producer: Producer | undefined;
  try {
    console.log(`[retention-steady] services up after ${((Date.now() - started) / 1000).toFixed(0)} s (run ${fleet.run})`);
    const ordersUrl = fleet.services['orders']!.url;
    const campaign = await client(ordersUrl, 'dev-admin').post('/campaigns', {
      name: 'Steady Campaign',
      currency: 'USD',
      qaRate: 0,
      products: [{ sku: 'STEADY-1', name: 'Steady bottle', price: 3999, shippingPrice: 495, billingType: 'STRAIGHT' }],
    });
    if (campaign.status !== 201) throw new Error(`POST /campaigns ${campaign.status} ${JSON.stringify(campaign.body)}`);
    const campaignId = campaign.body.campaignId as string;
    const productId = (campaign.body.products as { productId: string }[])[0]!.productId;
    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const address = { line1: '1 Steady St', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' };
    const customer = () => {
      const tag = randomUUID();
      return { firstName: 'Stella', lastName: `Steady-${tag.slice(0, 8)}`, email: `steady-${tag}@example.test`, billingAddress: address };
    };
    const refused: string[] = [];
    const placeOne = async (i: number) => {
      if (i % 2 === 0) {
        const answer = await requestJson(`${ordersUrl}/orders`, {
          method: 'POST',
          headers: { authorization: 'Bearer dev-agent', 'idempotency-key': `steady-${fleet.run}-${i}` },
          body: { campaignId, customer: customer(), items: [{ productId, quantity: 1 }], paymentType: 'CARD', card: { number: '4111111111111111', expMonth: 12, expYear: 2031, cvv: '123' } },
          timeoutMs: 60_000,
        });
        if (answer.status !== 201) refused.push(`POST /orders ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
      } else {
        const clientOrderId = `steady-${fleet.run}-${i}`;
        const message = { type: 'PlaceOrder', source: 'bench', clientOrderId, campaignId, customer: customer(), items: [{ productId, quantity: 1 }], paymentType: 'COD' };
        await producer!.send({ topic: `${fleet.topicPrefix}orders.intake.v1`, messages: [{ key: clientOrderId, value: JSON.stringify(message) }] });
      }
    };

    const samples: Sample[] = [];
    const loadStart = Date.now();
    const loadMs = MINUTES * 60_000;
    samples.push(await sampleCounts(connection, fleet, 0));
    let nextSample = loadStart + SAMPLE_MS;
    let placed = 0;
    // each order is sent at its time without waiting for the one before (a POST takes seconds on a busy
    // machine), at most IN_FLIGHT at once: the pace holds while a POST takes under IN_FLIGHT / RATE seconds
    const inFlight = new Set<Promise<void>>();
    while (Date.now() - loadStart < loadMs) {
      const due = loadStart + (placed * 1000) / RATE;
      if (Date.now() < due) await sleep(due - Date.now());
      while (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
      const sent: Promise<void> = placeOne(placed)
        .catch((error: unknown) => void refused.push(String(error)))
        .finally(() => inFlight.delete(sent));
      inFlight.add(sent);
      placed++;
      if (Date.now() >= nextSample) {
        const sample = await sampleCounts(connection, fleet, Math.round((Date.now() - loadStart) / 1000));
        samples.push(sample);
        const line = SERVICES.map((s) => `${s} ${WATCHED.slice(0, 3).map((c) => sample.counts[s]?.[c] ?? 0).join('/')}`).join(' · ');
        console.log(`[retention-steady] ${sample.at} s, ${placed} orders: ${line} (handled/idempotency/fingerprints)`);
        nextSample += SAMPLE_MS;
      }
    }
    await Promise.all(inFlight);
    samples.push(await sampleCounts(connection, fleet, Math.round((Date.now() - loadStart) / 1000)));
    const achieved = placed / ((Date.now() - loadStart) / 1000);
    console.log(`[retention-steady] ${placed} orders in ${MINUTES} min (${achieved.toFixed(2)}/s), ${refused.length} refused${refused.length ? `: ${refused.slice(0, 3).join('; ')}` : ''}`);

    console.log(`\nCounts per sample (seconds since the load began: ${samples.map((s) => s.at).join(', ')})`);
    const rows: string[][] = [];
    for (const service of SERVICES) {
      for (const collection of WATCHED) {
        const series = samples.map((s) => s.counts[service]?.[collection] ?? 0);
        if (series.every((n) => n === 0)) continue;
        const { verdict, middle, last } = flattened(series);
        rows.push([service, collection, series.join(' '), String(middle), String(last), verdict]);
      }
    }
    printTable(['service', 'collection', 'series', 'max middle third', 'max last third', 'flattened?'], rows);

    console.log('\nThe other collections (first and last count, growth per order sent, what they hold)');
    const others: string[][] = [];
    for (const service of SERVICES) {
      const names = new Set(samples.flatMap((s) => Object.keys(s.counts[service] ?? {})));
      for (const name of [...names].sort()) {
        if ((WATCHED as readonly string[]).includes(name)) continue;
        const series = samples.map((s) => s.counts[service]?.[name] ?? 0);
        const growth = series[series.length - 1]! - series[0]!;
        others.push([service, name, String(series[0]), String(series[series.length - 1]), placed > 0 ? (growth / placed).toFixed(2) : '-', whatItHolds(name)]);
      }
    }
    printTable(['service', 'collection', 'first', 'last', 'per order', 'holds'], others);

    console.log('\nThe retention cleanup of each service (GET /ops, sweeper `retention`)');
    const runs: string[][] = [];
    for (const service of SERVICES) {
      const ops = await client(fleet.services[service]!.url, 'dev-admin').get('/ops');
      const retention = (ops.body?.sweepers as { name: string; runs: { ok: number; failed: number }; lastResult: unknown }[] | undefined)?.find((s) => s.name === 'retention');
      runs.push([service, retention ? `${retention.runs.ok} ok / ${retention.runs.failed} failed` : `not read (${ops.status})`, JSON.stringify(retention?.lastResult ?? null)]);
    }
    printTable(['service', 'runs', 'last result'], runs);
    console.log(`[retention-steady] total ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await producer?.disconnect().catch(() => undefined);
    await fleet.stop();
    await connection.close();
    await cleanUp(fleet);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
