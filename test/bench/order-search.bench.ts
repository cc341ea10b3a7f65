/**
 * Order search as orders grow: prints p50/p99 of `GET /orders/search` per kind of query, never asserts.
 *
 * Starts the projections service as a process, publishes one customer with one card order on the
 * event topics (so the service built its views and the customer search finds the customer), then
 * seeds the order-search view directly (documents and their index heads, as the view writes them)
 * until each size in BENCH_ORDER_SEARCH_SIZES is stored (default "1000,100000"). Seeded orders are
 * placed 36 s apart going back from the hour before the start (100 an hour: 100,000 orders are about
 * 42 days), over 10 campaigns, 20 products, 3 payment types and 4 statuses, 4 orders per customer.
 * At each size it runs BENCH_ORDER_SEARCH_READS (default 200) searches of each kind over HTTP, one at
 * a time: the newest page, a status, a campaign and payment type, a product, one day's window at a
 * random day, a page after a random order, and `q` (the published customer's email).
 *
 * A search walks hours newest first and reads one index key per hour, then the documents it lists:
 * its cost follows the orders per hour and the page size, not the orders stored.
 */
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { hourOf, OrderSearchRow, orderSearchKeys, Topics } from '@continuum/contracts';
import { eventually, KafkaProbe } from '@continuum/testing';
import { cleanUp } from './support/cleanup';
import { client, startFleet } from './support/fleet';
import { fmt, median, nowMs, percentile, printTable } from './support/stats';

const MONGO_URL = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';
const SIZES = (process.env['BENCH_ORDER_SEARCH_SIZES'] ?? '1000,100000').split(',').map(Number);
const READS = Number(process.env['BENCH_ORDER_SEARCH_READS'] ?? 200);
/** orders seeded per insert; a multiple of the orders per hour, so each hour's keys are written by one batch */
const BATCH = 1000;
const PER_HOUR = 100;
const STATUSES = ['COMPLETE', 'COMPLETE', 'COMPLETE', 'COMPLETE', 'COMPLETE', 'COMPLETE', 'COMPLETE', 'PENDING', 'DECLINED', 'REFUNDED'] as const;
const PAYMENTS = ['CARD', 'CARD', 'CARD', 'CARD', 'CARD', 'CARD', 'CARD', 'CARD', 'COD', 'EXTERNAL'] as const;

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const pick = <T>(values: readonly T[]): T => values[Math.floor(Math.random() * values.length)]!;

/** Seeded order n: placed n × 36 s before `base` (100 an hour), its filters spread over a few values. */
function seededRow(n: number, base: number): OrderSearchRow {
  const customer = Math.floor(n / 4);
  return {
    orderId: `ord-bench-${n}-${randomUUID().slice(0, 8)}`,
    customerId: `cus-bench-${customer}`,
    customerName: `Bench Customer${customer}`,
    email: `bench-${customer}@example.com`,
    status: STATUSES[n % STATUSES.length]!,
    paymentType: PAYMENTS[Math.floor(n / 10) % PAYMENTS.length]!,
    total: 4999,
    currency: 'USD',
    createdAt: new Date(base - (n * 3_600_000) / PER_HOUR).toISOString(),
    campaignId: `camp-${n % 10}`,
    productIds: [`prod-${n % 20}`],
    seen: 1,
  };
}

async function main(): Promise<void> {
  const fleet = await startFleet(['projections']);
  const connection = await mongoose.createConnection(MONGO_URL).asPromise();
  const db = connection.useDb(fleet.services['projections']!.database, { useCache: true }).db!;
  const probe = new KafkaProbe({ topicPrefix: fleet.topicPrefix });
  try {
    const agent = client(fleet.services['projections']!.url, 'dev-agent');
    const customerId = `cus-${randomUUID()}`;
    const orderId = `ord-${randomUUID()}`;
    const email = `${customerId}@example.com`;
    const address = { line1: '1 Main St', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' };
    const item = { orderItemId: 'oi-1', productId: 'prod-1', sku: 'SKU-1', name: 'Serum', quantity: 1, unitPrice: 4499, price: 4499, shippingPrice: 500, billingType: 'STRAIGHT' };
    await probe.publish(Topics.customersEvents, `customer-${customerId}`, 'CustomerRegistered', { customerId, firstName: 'Bench', lastName: 'Searcher', email, phone: '+15125550100', billingAddress: address }, { streamVersion: 1, occurredAt: ago(2) });
    await probe.publish(
      Topics.ordersEvents,
      `order-${orderId}`,
      'OrderPlaced',
      {
        orderId,
        customerId,
        campaignId: 'camp-1',
        currency: 'USD',
        paymentType: 'CARD',
        items: [item],
        totals: { subtotal: 4499, shipping: 500, salesTax: 0, discount: 0, total: 4999, refunded: 0 },
        card: { token: 'tok_bench', brand: 'VISA', last4: '1111', bin: '411111' },
        qa: { required: false, reasons: [] },
        placedAt: ago(1),
      },
      { streamVersion: 1, occurredAt: ago(1) },
    );
    await eventually(async () => (await agent.get(`/orders/search?q=${encodeURIComponent(email)}`)).body?.items?.length === 1, 'the published order in the search', { timeoutMs: 120_000, intervalMs: 200 });

    const documents = db.collection<Record<string, unknown>>('view_order_search_g1');
    const index = db.collection<Record<string, unknown>>('view_order_search_g1__filters');
    const hours = db.collection<Record<string, unknown>>('order_search_hours_g1');
    // seeded orders end in the hour before the published one, so they never share its hour's keys
    const base = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000 - 1;
    const seeded: string[] = [];
    const rows: string[][] = [];
    for (const size of SIZES) {
      const seedStarted = nowMs();
      while (seeded.length < size) {
        const batch = Array.from({ length: Math.min(BATCH, size - seeded.length) }, (_, n) => seededRow(seeded.length + n, base));
        const heads = new Map<string, string[]>();
        for (const row of batch) for (const key of orderSearchKeys(row)) heads.set(key, [...(heads.get(key) ?? []), row.orderId]);
        await index.insertMany([...heads].map(([key, ids]) => ({ _id: key, kind: 'head', ids, chunks: [] })) as never[]);
        await documents.insertMany(batch.map((row) => ({ _id: row.orderId, view: row, versions: {}, rev: 1 })) as never[]);
        await hours.updateOne({ _id: 'placed' as never }, { $min: { first: hourOf(batch[batch.length - 1]!.createdAt) } });
        seeded.push(...batch.map((row) => row.orderId));
        if (seeded.length % 100_000 === 0) console.log(`[order-search] seeded ${seeded.length} of ${size} orders in ${((nowMs() - seedStarted) / 1000).toFixed(0)} s`);
      }
      const seededIn = (nowMs() - seedStarted) / 1000;
      const days = Math.max(1, Math.floor(size / PER_HOUR / 24));
      const queries: Array<[string, () => string]> = [
        ['newest page', () => ''],
        ['status=PENDING', () => 'status=PENDING'],
        ['campaign + COD', () => `campaignId=${pick(['camp-1', 'camp-2', 'camp-3'])}&paymentType=COD`],
        ['product', () => `productId=prod-${Math.floor(Math.random() * 20)}`],
        ['one day, random', () => {
          const day = new Date(base - Math.floor(Math.random() * days) * 86_400_000).toISOString().slice(0, 10);
          return `from=${day}&to=${day}`;
        }],
        ['after a random order', () => `after=${pick(seeded)}`],
        ['q (email)', () => `q=${encodeURIComponent(email)}`],
      ];
      for (let n = 0; n < 10; n++) for (const [, query] of queries) await agent.get(`/orders/search?${query()}`); // warm up
      for (const [name, query] of queries) {
        const timings: number[] = [];
        for (let n = 0; n < READS; n++) {
          const path = `/orders/search?${query()}`;
          const started = nowMs();
          const answer = await agent.get(path);
          timings.push(nowMs() - started);
          if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
          if (name !== 'q (email)' && answer.body.items.length === 0) throw new Error(`${path} found nothing`);
        }
        rows.push([String(size), name, fmt(median(timings)), fmt(percentile(timings, 0.99)), fmt(Math.max(...timings)), seededIn.toFixed(1)]);
        console.log(`[order-search] ${size} orders, ${name}: p50 ${fmt(median(timings))} ms, p99 ${fmt(percentile(timings, 0.99))} ms over ${READS} searches`);
      }
    }
    printTable(['orders', 'search', 'p50 ms', 'p99 ms', 'max ms', 'seeded in s'], rows);
  } finally {
    await probe.stop();
    await fleet.stop();
    await connection.close();
    await cleanUp(fleet); // the database, and the topics and groups of the bench's prefix
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
