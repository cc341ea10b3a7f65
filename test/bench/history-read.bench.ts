/**
 * History reads as customers grow: prints p50/p99 of `GET /customers/:id/history`, never asserts.
 *
 * Starts the projections service as a process, publishes one customer's story on the event topics
 * as the other services would (registered, a card order paid, settled, a refund that fails once and
 * is queued then succeeds, a fulfillment shipped: 13 events), waits until the service has folded it,
 * then copies that journal (its head and pages, every id fresh) into the view until each size in
 * BENCH_HISTORY_SIZES is stored (default "1000,5000", about 30 s so
 * `npm run bench` stays short; BENCH_HISTORY_SIZES=1000,20000 for the issue's sizes, 1-2.5 min). At each size it reads BENCH_HISTORY_READS
 * (default 400) random customers' histories over HTTP, one at a time. Then one customer with
 * BENCH_HISTORY_BIG_ORDERS orders (default 200, about 2,400 events, published through the topics)
 * is read BENCH_HISTORY_BIG_READS times (default 50): the console's customer page of a large customer.
 *
 * A read is two `_id` reads (the journal's head, then its pages) and a fold in memory, so it should
 * not grow with the number of customers stored.
 */
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { Topics } from '@continuum/contracts';
import { eventually, KafkaProbe } from '@continuum/testing';
import { client, startFleet } from './support/fleet';
import { fmt, median, nowMs, percentile, printTable } from './support/stats';

const MONGO_URL = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';
const SIZES = (process.env['BENCH_HISTORY_SIZES'] ?? '1000,5000').split(',').map(Number);
const READS = Number(process.env['BENCH_HISTORY_READS'] ?? 400);
const BATCH = 500;
/** one customer with this many orders, its history read BIG_READS times (0: left out) */
const BIG_ORDERS = Number(process.env['BENCH_HISTORY_BIG_ORDERS'] ?? 200);
const BIG_READS = Number(process.env['BENCH_HISTORY_BIG_READS'] ?? 50);

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/** Publishes a customer registered, then `orders` times the story of one order (12 events each); answers the events published. */
async function publishStory(probe: KafkaProbe, customerId: string, orders = 1): Promise<number> {
  const address = { line1: '1 Main St', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' };
  const versions = new Map<string, number>();
  const send = async (topic: string, streamId: string, type: string, data: Record<string, unknown>, minutes: number) => {
    const streamVersion = (versions.get(streamId) ?? 0) + 1;
    versions.set(streamId, streamVersion);
    await probe.publish(topic, streamId, type, data, { streamVersion, occurredAt: ago(minutes) });
  };
  await send(Topics.customersEvents, `customer-${customerId}`, 'CustomerRegistered', { customerId, firstName: 'Bench', lastName: 'Customer', email: `${customerId}@example.com`, phone: '+15125550100', billingAddress: address }, 600);
  let published = 1;
  for (let order = 0; order < orders; order++) published += await publishOrder(send, customerId);
  return published;
}

type Send = (topic: string, streamId: string, type: string, data: Record<string, unknown>, minutes: number) => Promise<void>;

async function publishOrder(send: Send, customerId: string): Promise<number> {
  const orderId = `ord-${randomUUID()}`;
  const transactionId = `txn-${randomUUID()}`;
  const fulfillmentId = `ful-${randomUUID()}`;
  const refundId = `ref-${randomUUID()}`;
  const ref = { transactionId, orderId, customerId };
  const card = { token: 'tok_bench', brand: 'VISA', last4: '1111', bin: '411111' };
  const item = { orderItemId: 'oi-1', productId: 'p-1', sku: 'SKU-1', name: 'Serum', quantity: 1, unitPrice: 4499, price: 4499, shippingPrice: 500, billingType: 'STRAIGHT' };
  const snapshot = { orderId, customerId, campaignId: 'c-1', currency: 'USD', paymentType: 'CARD', items: [item], totals: { subtotal: 4499, shipping: 500, salesTax: 0, discount: 0, total: 4999, refunded: 0 } };
  const events: Array<[string, string, string, Record<string, unknown>, number]> = [
    [Topics.ordersEvents, `order-${orderId}`, 'OrderPlaced', { ...snapshot, card, qa: { required: false, reasons: [] }, placedAt: ago(590) }, 590],
    [Topics.paymentsEvents, `transaction-${transactionId}`, 'PaymentApproved', { ...ref, type: 'SALE', amount: 4999, currency: 'USD', card, merchantId: 'm-1', gatewayTransactionId: 'g-1', message: 'Approved', rerunOf: null, at: ago(589), response: 'SUCCESS', prepaid: false, purpose: 'ORDER' }, 589],
    [Topics.ordersEvents, `order-${orderId}`, 'OrderCompleted', { ...snapshot, transactionId }, 588],
    [Topics.fulfillmentEvents, `fulfillment-${fulfillmentId}`, 'FulfillmentCreated', { fulfillmentId, orderId, customerId, reference: `${orderId}-F1`, items: [{ productId: 'p-1', sku: 'SKU-1', name: 'Serum', quantity: 1 }], shippingAddress: null, shippingMethod: 'STANDARD', cod: null, reshipOf: null, at: ago(587) }, 587],
    [Topics.fulfillmentEvents, `fulfillment-${fulfillmentId}`, 'FulfillmentShipped', { fulfillmentId, orderId, trackingNumber: '1Z999', carrier: 'UPS', shippedAt: ago(500) }, 500],
    [Topics.paymentsEvents, `transaction-${transactionId}`, 'ChargeSettled', { ...ref, amount: 4999, settledAt: ago(450) }, 450],
    [Topics.customersEvents, `customer-${customerId}`, 'CustomerNoteAdded', { customerId, noteId: `note-${randomUUID()}`, message: 'asked for a refund', author: { kind: 'agent', id: 'alice' }, at: ago(400) }, 400],
    [Topics.paymentsEvents, `transaction-${transactionId}`, 'RefundRequested', { ...ref, refundId, amount: 4999, currency: 'USD', at: ago(399) }, 399],
    [Topics.paymentsEvents, `transaction-${transactionId}`, 'RefundFailed', { ...ref, refundId, amount: 4999, attempt: 1, message: 'gateway declined', outcome: 'REJECTED', at: ago(399) }, 399],
    [Topics.paymentsEvents, `transaction-${transactionId}`, 'RefundQueued', { ...ref, refundId, amount: 4999, retryNumber: 1, at: ago(399) }, 399],
    [Topics.paymentsEvents, `transaction-${transactionId}`, 'RefundSucceeded', { ...ref, refundId, amount: 4999, currency: 'USD', attempt: 2, gatewayTransactionId: 'g-2', message: 'Refunded', refundedTotal: 4999, fullyRefunded: true, autoCancel: false, at: ago(100) }, 100],
    [Topics.ordersEvents, `order-${orderId}`, 'OrderRefunded', { orderId, customerId, transactionId, refundId, kind: 'REFUND', amount: 4999, refundedTotal: 4999, fullyRefunded: true }, 99],
  ];
  for (const [topic, streamId, type, data, minutes] of events) await send(topic, streamId, type, data, minutes);
  return events.length;
}

async function main(): Promise<void> {
  const fleet = await startFleet(['projections']);
  const connection = await mongoose.createConnection(MONGO_URL).asPromise();
  const db = connection.useDb(fleet.services['projections']!.database, { useCache: true }).db!;
  const probe = new KafkaProbe({ topicPrefix: fleet.topicPrefix });
  try {
    const agent = client(fleet.services['projections']!.url, 'dev-agent');
    const templateId = `cus-${randomUUID()}`;
    const events = await publishStory(probe, templateId);
    await eventually(async () => (await agent.get(`/customers/${templateId}/history`)).body?.timeline?.length === events, 'the template history', { timeoutMs: 120_000, intervalMs: 200 });
    const journals = db.collection<Record<string, unknown>>('view_customer_journal_g1');
    // the journal in pages: its head (`head:<customer>`) and pages (`page:<customer>:<n>`)
    const templateHead = await journals.findOne({ _id: `head:${templateId}` as never });
    const pageIds = Array.from({ length: Number(templateHead?.['pages'] ?? 0) }, (_, page) => `page:${templateId}:${page}`);
    const template = JSON.stringify([templateHead, ...(await Promise.all(pageIds.map((id) => journals.findOne({ _id: id as never }))))]);
    const ids = [...new Set(template.match(/(cus|ord|txn|ful|ref|note)-[0-9a-f-]{36}/g) ?? [])];
    const customers = [templateId];
    const rows: string[][] = [];
    for (const size of SIZES) {
      const seedStarted = nowMs();
      while (customers.length < size) {
        const batch: Record<string, unknown>[] = [];
        for (let n = 0; n < BATCH && customers.length < size; n++) {
          let copy = template;
          let customerId = templateId;
          for (const id of ids) {
            const fresh = `${id.slice(0, id.indexOf('-'))}-${randomUUID()}`;
            if (id === templateId) customerId = fresh;
            copy = copy.split(id).join(fresh);
          }
          customers.push(customerId);
          batch.push(...(JSON.parse(copy) as Record<string, unknown>[]));
        }
        await journals.insertMany(batch as never[]);
      }
      const seeded = (nowMs() - seedStarted) / 1000;
      const timings: number[] = [];
      for (let n = 0; n < 20; n++) await agent.get(`/customers/${customers[n % customers.length]}/history`); // warm up
      for (let n = 0; n < READS; n++) {
        const id = customers[Math.floor(Math.random() * customers.length)]!;
        const started = nowMs();
        const answer = await agent.get(`/customers/${id}/history`);
        timings.push(nowMs() - started);
        if (answer.status !== 200) throw new Error(`history of ${id} answered ${answer.status}`);
      }
      // the store's part: the same reads (the head, then each page by `_id`), no HTTP, no fold
      const lookups: number[] = [];
      for (let n = 0; n < READS; n++) {
        const id = customers[Math.floor(Math.random() * customers.length)]!;
        const started = nowMs();
        const head = await journals.findOne({ _id: `head:${id}` as never });
        await Promise.all(Array.from({ length: Number(head?.['pages'] ?? 0) }, (_, page) => journals.findOne({ _id: `page:${id}:${page}` as never })));
        lookups.push(nowMs() - started);
      }
      rows.push([String(size), fmt(median(timings)), fmt(percentile(timings, 0.99)), fmt(Math.max(...timings)), fmt(median(lookups)), fmt(percentile(lookups, 0.99)), seeded.toFixed(1)]);
      console.log(`[history-read] ${size} customers: p50 ${fmt(median(timings))} ms, p99 ${fmt(percentile(timings, 0.99))} ms over ${READS} reads`);
    }
    printTable(['customers', 'p50 ms', 'p99 ms', 'max ms', 'head+pages read p50', 'p99', 'seeded in s'], rows);

    // one customer of many orders (a wholesale or long-lived customer): its history read, whatever else is stored
    if (BIG_ORDERS > 0) {
      const bigId = `cus-${randomUUID()}`;
      const published = await publishStory(probe, bigId, BIG_ORDERS);
      await eventually(async () => (await agent.get(`/customers/${bigId}/history`)).body?.timeline?.length === published, `the history of ${BIG_ORDERS} orders`, { timeoutMs: 600_000, intervalMs: 1000 });
      const timings: number[] = [];
      for (let n = 0; n < BIG_READS; n++) {
        const started = nowMs();
        await agent.get(`/customers/${bigId}/history`).then((answer) => {
          if (answer.status !== 200) throw new Error(`history of ${bigId} answered ${answer.status}`);
        });
        timings.push(nowMs() - started);
      }
      printTable(['orders of one customer', 'events', 'p50 ms', 'p99 ms', 'max ms'], [[String(BIG_ORDERS), String(published), fmt(median(timings)), fmt(percentile(timings, 0.99)), fmt(Math.max(...timings))]]);
    }
  } finally {
    await probe.stop();
    await fleet.stop();
    await connection.useDb(fleet.services['projections']!.database).dropDatabase().catch(() => undefined);
    await connection.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
