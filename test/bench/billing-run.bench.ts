/**
 * The daily billing run at size (`npm run bench -- billing-run`): all five services as real
 * processes on the local stack, BENCH_BILLING_PURCHASES purchases (default 2,000) due on one day, one
 * POST /billing-runs with `Prefer: respond-async` while BENCH_CONCURRENCY clients (default 4) keep
 * placing new card orders. Prints, never asserts. The services run compiled, as users run them
 * (support/build.ts; SERVICE_RUNTIME=ts keeps ts-node).
 *
 * Seeding: one real recurring card order is placed over HTTP and followed until the customer history
 * (projections) shows it COMPLETE with its charge, fulfillment and purchase, so every service holds
 * its real trail (order, customer, card token, charge, fulfillment, purchase, history). That trail is
 * then copied with fresh ids into each service's database (commits, view documents and their index
 * entries, handled-event records: support/seed-history.ts), so every copy is one more purchase that
 * started the same day and is due on the same day.
 * Then BENCH_BASELINE_ORDERS card orders (default 80) are placed without a run (the baseline), the run
 * is started as of the due day, GET /billing-runs/:id is polled for its progress, and the clients
 * keep placing orders until every purchase has its outcome on `subscriptions.events.v1` (or
 * BENCH_OUTCOME_DEADLINE_MS, default 30 min, is over).
 * Figures: purchases billed per second, time to the run's DONE and to the last outcome, the run's
 * progress over time; POST /orders and POST-to-COMPLETE (polled on the orders service) p50/p99 of
 * the concurrent orders against the baseline; CPU of each process; and, from the events (read by a
 * consumer group of the bench), how many purchases were billed 0, 1 and more than once: PurchaseBilled
 * per purchase, and approved REBILL charges (PaymentApproved) per purchase through the rebill orders
 * the purchases recorded (PurchaseRebillOrderPlaced), each event counted once by its eventId. Finally a second run as of the same day (inside
 * the request) shows what a run repeated on a billed day requests: nothing.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import { requestJson } from '@continuum/platform';
import { Client, client, startFleet } from './support/fleet';
import { cpuMeter, machineTicks } from './support/cpu';
import { fmt, percentile, printTable, sleep } from './support/stats';
import { cleanUp } from './support/cleanup';
import { buildServices } from './support/build';
import { captureTemplate, cloneOrders } from './support/seed-history';

const env = process.env;
const PURCHASES = Number(env['BENCH_BILLING_PURCHASES'] ?? 2000);
const CONCURRENCY = Number(env['BENCH_CONCURRENCY'] ?? 4);
const BASELINE = Number(env['BENCH_BASELINE_ORDERS'] ?? 80);
const OUTCOME_DEADLINE_MS = Number(env['BENCH_OUTCOME_DEADLINE_MS'] ?? 30 * 60_000);
const ORDER_DEADLINE_MS = 120_000;
const SERVICES = ['orders', 'payments', 'fulfillment', 'subscriptions', 'projections'] as const;
const STACK_PIDS = env['BENCH_STACK_PIDS'] ?? join(__dirname, '..', '..', '.stack', 'pids');
const BROKERS = (env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');

function stackPid(name: string): number | undefined {
  const file = join(STACK_PIDS, `${name}.pid`);
  return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) || undefined : undefined;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** What the bench's own consumer group saw of the bills: per purchase, and when the last outcome came. */
class BillObserver {
  readonly requested = new Map<string, number>();
  readonly billed = new Map<string, number>();
  readonly declined = new Map<string, number>();
  readonly notBilled = new Map<string, number>();
  /** rebill order id -> purchase id (PurchaseRebillOrderPlaced) */
  readonly rebillOrders = new Map<string, string>();
  /** approved REBILL charges per rebill order id */
  readonly rebillCharges = new Map<string, number>();
  /** performance.now() of the latest outcome (billed, declined or not billed) */
  lastOutcomeAt = 0;
  firstRequestAt = 0;
  /** events already counted: a record delivered again (the relay publishes at least once) is counted once */
  private readonly seen = new Set<string>();
  repeats = 0;

  get outcomes(): number {
    return sum(this.billed) + sum(this.declined) + sum(this.notBilled);
  }

  record(value: string): void {
    let envelope: { eventId?: string; type?: string; data?: Record<string, unknown> };
    try {
      envelope = JSON.parse(value) as typeof envelope;
    } catch {
      return;
    }
    if (envelope.eventId !== undefined) {
      if (this.seen.has(envelope.eventId)) {
        this.repeats += 1;
        return;
      }
      this.seen.add(envelope.eventId);
    }
    const data = envelope.data ?? {};
    const purchaseId = String(data['purchaseId'] ?? '');
    const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
    switch (envelope.type) {
      case 'RebillRequested':
        this.firstRequestAt ||= performance.now();
        count(this.requested, purchaseId);
        break;
      case 'PurchaseRebillOrderPlaced':
        this.rebillOrders.set(String(data['orderId']), purchaseId);
        break;
      case 'PurchaseBilled':
        count(this.billed, purchaseId);
        this.lastOutcomeAt = performance.now();
        break;
      case 'PurchaseRebillDeclined':
        count(this.declined, purchaseId);
        this.lastOutcomeAt = performance.now();
        break;
      case 'PurchaseRebillNotBilled':
        count(this.notBilled, purchaseId);
        this.lastOutcomeAt = performance.now();
        break;
      case 'PaymentApproved':
        if (data['purpose'] === 'REBILL') count(this.rebillCharges, String(data['orderId']));
        break;
    }
  }

  /** approved REBILL charges per purchase, through the rebill orders the purchases recorded */
  chargesPerPurchase(): Map<string, number> {
    const perPurchase = new Map<string, number>();
    for (const [orderId, charges] of this.rebillCharges) {
      const purchaseId = this.rebillOrders.get(orderId) ?? `unknown rebill order ${orderId}`;
      perPurchase.set(purchaseId, (perPurchase.get(purchaseId) ?? 0) + charges);
    }
    return perPurchase;
  }
}

const sum = (map: Map<string, number>) => [...map.values()].reduce((a, b) => a + b, 0);

/** Of `total` purchases, how many appear 0, 1 and more than once in `counts`. */
function onceCheck(total: number, counts: Map<string, number>): [string, string, string] {
  const once = [...counts.values()].filter((n) => n === 1).length;
  const more = [...counts.values()].filter((n) => n > 1).length;
  return [String(total - once - more), String(once), String(more)];
}

/** Per service: store commands sent and store seconds by `<command> <collection>` (their /metrics). */
interface StoreFigures {
  readonly commands: Map<string, number>;
  readonly seconds: Map<string, Map<string, number>>;
}

async function storeFigures(services: Record<string, { url: string }>): Promise<StoreFigures> {
  const commands = new Map<string, number>();
  const seconds = new Map<string, Map<string, number>>();
  for (const [name, service] of Object.entries(services)) {
    const response = await fetch(`${service.url}/metrics`, { headers: { authorization: 'Bearer dev-admin' } });
    let total = 0;
    const spent = new Map<string, number>();
    for (const line of (await response.text()).split('\n')) {
      const count = /^store_commands_total\{[^}]*\} (\d+(?:\.\d+)?)/.exec(line);
      if (count) total += Number(count[1]);
      const time = /^store_command_seconds_total\{command="([^"]*)",collection="([^"]*)"\} ([\d.e+-]+)/.exec(line);
      if (time) spent.set(`${time[1]} ${time[2]}`, Number(time[3]));
    }
    commands.set(name, total);
    seconds.set(name, spent);
  }
  return { commands, seconds };
}

/** The store commands that took the store longest between two readings, in ms per purchase. */
function topStoreCosts(before: StoreFigures, after: StoreFigures, per: number, top = 12): string[][] {
  const rows: Array<{ service: string; what: string; seconds: number }> = [];
  for (const [service, spent] of after.seconds) {
    for (const [what, total] of spent) rows.push({ service, what, seconds: total - (before.seconds.get(service)?.get(what) ?? 0) });
  }
  return rows
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, top)
    .map((row) => [row.service, row.what, ((row.seconds * 1000) / per).toFixed(1)]);
}

interface OrderRun {
  postMs?: number;
  completeMs?: number;
  error?: string;
}

/** Places a card order and polls the orders service until it is COMPLETE (charged). */
async function placeAndFollow(orders: Client, body: () => Record<string, unknown>, run: OrderRun): Promise<void> {
  const began = performance.now();
  const placed = await orders.post('/orders', body());
  run.postMs = performance.now() - began;
  if (placed.status !== 201) {
    run.error = `POST /orders ${placed.status} ${JSON.stringify(placed.body).slice(0, 200)}`;
    return;
  }
  for (let wait = 20; performance.now() - began < ORDER_DEADLINE_MS; wait = Math.min(250, wait * 1.5)) {
    await sleep(wait);
    const order = await orders.get(`/orders/${placed.body.orderId}`);
    if (order.body?.status === 'COMPLETE') {
      run.completeMs = performance.now() - began;
      return;
    }
  }
  run.error = `not COMPLETE within ${ORDER_DEADLINE_MS / 1000} s`;
}

/** CONCURRENCY clients placing orders, `count` of them, or until `stop()` says so. */
async function placeOrders(orders: Client, body: () => Record<string, unknown>, count: number, stop: () => boolean = () => false): Promise<OrderRun[]> {
  const runs: OrderRun[] = [];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (runs.length < count && !stop()) {
        const run: OrderRun = {};
        runs.push(run);
        await placeAndFollow(orders, body, run);
      }
    }),
  );
  return runs;
}

function latencyRow(name: string, runs: readonly OrderRun[], seconds: number): string[] {
  const post = runs.flatMap((run) => (run.postMs === undefined ? [] : [run.postMs]));
  const complete = runs.flatMap((run) => (run.completeMs === undefined ? [] : [run.completeMs]));
  return [name, String(complete.length), (complete.length / seconds).toFixed(1), fmt(percentile(post, 0.5)), fmt(percentile(post, 0.99)), fmt(percentile(complete, 0.5)), fmt(percentile(complete, 0.99)), String(runs.filter((run) => run.error).length)];
}

async function main(): Promise<void> {
  const started = performance.now();
  const runtime = buildServices();
  const fleet = await startFleet(SERVICES);
  const connection = await mongoose.createConnection(env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017').asPromise();
  const kafka = new Kafka({ clientId: `bench-${fleet.run}-billing`, brokers: BROKERS, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `${fleet.topicPrefix}bench-billing-observer`, sessionTimeout: 10_000, heartbeatInterval: 1000, maxWaitTimeInMs: 200 });
  const observer = new BillObserver();
  try {
    console.log(`[billing-run] five services up after ${seconds(performance.now() - started)} (run ${fleet.run}, ${runtime === 'dist' ? 'compiled JavaScript' : 'ts-node'})`);
    const url = (name: string) => fleet.services[name]!.url;
    const orders = client(url('orders'), 'dev-agent');
    const admin = client(url('orders'), 'dev-admin');
    const campaign = await admin.post('/campaigns', {
      name: 'Billing Run Bench Campaign',
      currency: 'USD',
      qaRate: 0,
      products: [
        { sku: 'BILL-1', name: 'Bench bottle', price: 3999, shippingPrice: 495, billingType: 'STRAIGHT' },
        { sku: 'BILL-R', name: 'Bench club', price: 2999, shippingPrice: 0, billingType: 'RECURRING', rebillPrice: 2999, intervalDays: 30 },
      ],
    });
    if (campaign.status !== 201) throw new Error(`POST /campaigns ${campaign.status} ${JSON.stringify(campaign.body)}`);
    const productIds = (campaign.body.products as { productId: string }[]).map((p) => p.productId);
    const [oneTime, recurring] = productIds;
    const address = { line1: '1 Bench St', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' };
    const orderBody = (productId: string) => () => {
      const tag = randomUUID();
      return {
        campaignId: campaign.body.campaignId,
        // a customer of its own per order (a shared email or phone attaches orders to one customer)
        customer: { firstName: 'Bea', lastName: `Bill-${tag.slice(0, 8)}`, email: `bill-${tag}@example.test`, phone: `512${String(parseInt(tag.slice(0, 8), 16) % 10_000_000).padStart(7, '0')}`, billingAddress: address },
        items: [{ productId, quantity: 1 }],
        paymentType: 'CARD',
        card: { number: '4111111111111111', expMonth: 12, expYear: 2031, cvv: '123' },
      };
    };

    // the template: one recurring card order the whole way through the five services
    const placed = await orders.post('/orders', orderBody(recurring!)());
    if (placed.status !== 201) throw new Error(`POST /orders ${placed.status} ${JSON.stringify(placed.body)}`);
    const orderId = String(placed.body.orderId);
    const projections = client(url('projections'), 'dev-agent');
    for (const deadline = Date.now() + ORDER_DEADLINE_MS; ; await sleep(250)) {
      const summary = (await projections.get(`/orders/${orderId}/summary`)).body;
      if (summary?.order?.status === 'COMPLETE' && (summary.fulfillments ?? []).length > 0 && (summary.transactions ?? []).length > 0 && (summary.purchases ?? []).length > 0) break;
      if (Date.now() > deadline) throw new Error('the template order did not reach the customer history whole');
    }
    const [purchase] = (await client(url('subscriptions'), 'dev-agent').get(`/purchases?orderId=${orderId}`)).body as { purchaseId: string; customerId: string; nextBillDate: string; status: string }[];
    if (!purchase?.nextBillDate) throw new Error('the template order started no purchase with a next bill date');
    // what the consumers of the template's events write after the history shows it (emails, handled records) settles first
    await sleep(2000);

    const databases = SERVICES.map((name) => connection.useDb(fleet.services[name]!.database, { useCache: true }).db!);
    const template = await captureTemplate(databases, [orderId, purchase.customerId, purchase.purchaseId], new Set([campaign.body.campaignId, ...productIds]));
    const perDb = new Map<string, number>();
    for (const doc of template.perOrder) perDb.set(`${doc.db.databaseName.replace(/^bench_[^_]+_/, '')}.${doc.collection}`, (perDb.get(`${doc.db.databaseName.replace(/^bench_[^_]+_/, '')}.${doc.collection}`) ?? 0) + 1);
    console.log(
      `[billing-run] template purchase ${purchase.purchaseId} (${purchase.status}, next bill ${purchase.nextBillDate}): ${template.perOrder.length} documents ` +
        `(${[...perDb].map(([where, n]) => `${where} ${n}`).join(', ')}), ${template.shared.length} shared lists` +
        (template.ignored.length ? `; not copied: ${template.ignored.join(', ')}` : ''),
    );
    const seedStart = performance.now();
    await cloneOrders(template, PURCHASES - 1, (done) => {
      if (done % 2000 === 0 || done === PURCHASES - 1) console.log(`[billing-run]   seeded ${done + 1} of ${PURCHASES} purchases (${seconds(performance.now() - seedStart)})`);
    });
    console.log(`[billing-run] ${PURCHASES} purchases due on ${purchase.nextBillDate} stored in ${seconds(performance.now() - seedStart)}`);

    await consumer.connect();
    await consumer.subscribe({ topics: [`${fleet.topicPrefix}subscriptions.events.v1`, `${fleet.topicPrefix}payments.events.v1`], fromBeginning: true });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({ autoCommit: false, eachMessage: async ({ message }) => observer.record(message.value?.toString('utf8') ?? '') });
    await joined;

    // the baseline: orders with no run going
    const baselineStart = performance.now();
    const baseline = await placeOrders(orders, orderBody(oneTime!), BASELINE);
    const baselineSeconds = (performance.now() - baselineStart) / 1000;

    // the run, orders going on beside it
    const pids: Record<string, number | undefined> = Object.fromEntries(SERVICES.map((name) => [name, fleet.services[name]!.process.pid]));
    const meter = cpuMeter({ ...pids, ferretdb: stackPid('ferretdb'), kafka: stackPid('kafka'), redis: stackPid('redis'), bench: process.pid });
    const ticksBefore = machineTicks();
    const asOf = `${purchase.nextBillDate}T12:00:00.000Z`;
    const storeBefore = await storeFigures(fleet.services);
    const runStart = performance.now();
    const post = await requestJson(`${url('subscriptions')}/billing-runs`, { method: 'POST', headers: { authorization: 'Bearer dev-admin', prefer: 'respond-async' }, body: { asOf }, timeoutMs: 60_000 });
    const answeredMs = performance.now() - runStart;
    const runId = (post.body as { runId?: string } | undefined)?.runId;
    if (post.status !== 202 || !runId) throw new Error(`POST /billing-runs ${post.status} ${JSON.stringify(post.body)}`);
    console.log(`[billing-run] POST /billing-runs as of ${asOf}: ${post.status} ${runId} in ${fmt(answeredMs)} ms`);

    let stopOrders = false;
    const during = placeOrders(orders, orderBody(oneTime!), Number.MAX_SAFE_INTEGER, () => stopOrders);
    const subscriptionsAdmin = client(url('subscriptions'), 'dev-admin');
    const progress: { at: number; done: number; total: number; outcomes: number; status: string }[] = [];
    let doneAt: number | undefined;
    let runAnswer: any;
    let deadlineHit = false;
    // every 2 s: a GET reads the run's record (a store read the run pays for too)
    for (let lastPrint = 0; ; await sleep(2000)) {
      const answer = await subscriptionsAdmin.get(`/billing-runs/${runId}`);
      const at = performance.now() - runStart;
      runAnswer = answer.body;
      const sample = { at, done: Number(answer.body?.progress?.done ?? 0), total: Number(answer.body?.progress?.total ?? 0), outcomes: observer.outcomes, status: String(answer.body?.status) };
      progress.push(sample);
      if (sample.status !== 'RUNNING') doneAt ??= at;
      if (at - lastPrint >= 15_000) {
        lastPrint = at;
        console.log(`[billing-run]   ${seconds(at)}: ${sample.status} progress ${sample.done}/${sample.total}, outcomes ${sample.outcomes}`);
      }
      if (sample.status === 'FAILED') throw new Error(`the run failed: ${JSON.stringify(answer.body)}`);
      // done: the run is over and every bill it requested has its outcome on the topic
      const requested = Number(answer.body?.result?.requested ?? Number.POSITIVE_INFINITY);
      if (doneAt !== undefined && sum(observer.requested) >= requested && observer.outcomes >= sum(observer.requested)) break;
      if (at > OUTCOME_DEADLINE_MS) {
        console.log(`[billing-run] deadline: ${observer.outcomes} outcomes of ${observer.requested.size} requests after ${seconds(at)}`);
        deadlineHit = true;
        break;
      }
    }
    stopOrders = true;
    const concurrent = await during;
    const lastOutcomeMs = observer.lastOutcomeAt - runStart;
    const cpu = meter();
    const ticksAfter = machineTicks();
    const storeAfter = await storeFigures(fleet.services);
    const runSeconds = (performance.now() - runStart) / 1000;

    console.log('');
    console.log(`The daily billing run: ${PURCHASES} purchases due on one day, ${CONCURRENCY} clients placing card orders meanwhile, BILLING_RUN_WINDOW ${env['BILLING_RUN_WINDOW'] ?? '16 (default)'}`);
    console.log(`  run answered 202 in ${fmt(answeredMs)} ms; DONE after ${doneAt === undefined ? '-' : seconds(doneAt)}: ${JSON.stringify(runAnswer?.result ?? {})}`);
    console.log(`  bills requested ${sum(observer.requested)} (first ${seconds(observer.firstRequestAt - runStart)} after POST); outcomes ${observer.outcomes}: billed ${sum(observer.billed)}, declined ${sum(observer.declined)}, not billed ${sum(observer.notBilled)}`);
    console.log(`  last outcome ${seconds(lastOutcomeMs)} after POST: ${(sum(observer.billed) / (lastOutcomeMs / 1000)).toFixed(1)} purchases billed/s`);
    const rows: string[][] = [];
    // the run's total grows as it reads its due list page by page: shares are of the final total
    const finalTotal = progress.at(-1)?.total ?? 0;
    for (const share of [0.1, 0.25, 0.5, 0.75, 0.9, 1]) {
      const sample = progress.find((p) => finalTotal > 0 && p.done >= share * finalTotal);
      const outcome = progress.find((p) => p.outcomes >= share * PURCHASES);
      rows.push([`${share * 100} %`, sample ? seconds(sample.at) : '-', outcome ? seconds(outcome.at) : '-']);
    }
    printTable(['of the purchases', 'run progress (GET) at', 'outcomes (events) at'], rows);
    console.log('');
    printTable(['orders', 'completed', 'orders/s', 'POST p50 ms', 'POST p99', 'COMPLETE p50 ms', 'COMPLETE p99', 'failed'], [latencyRow('baseline (no run)', baseline, baselineSeconds), latencyRow('during the run', concurrent, runSeconds)]);
    const failed = [...baseline, ...concurrent].find((run) => run.error);
    if (failed) console.log(`  e.g. ${failed.error}`);
    console.log('');
    // per purchase with its outcome (all of them unless the deadline came first)
    const per = Math.max(1, observer.outcomes);
    printTable(
      ['process', 'CPU s', 'CPU ms/purchase', 'store commands/purchase'],
      Object.entries(cpu.perProcess).map(([name, ms]) => [
        name,
        ms === undefined ? '-' : (ms / 1000).toFixed(1),
        ms === undefined ? '-' : (ms / per).toFixed(1),
        storeBefore.commands.has(name) ? ((storeAfter.commands.get(name)! - storeBefore.commands.get(name)!) / per).toFixed(1) : '-',
      ]),
    );
    console.log(`  (per purchase billed or declined, ${per}; the ${concurrent.length} concurrent orders are in these figures too)`);
    printTable(['service', 'store command and collection', 'store ms/purchase'], topStoreCosts(storeBefore, storeAfter, per));
    const busySeconds = ticksBefore && ticksAfter ? (ticksAfter.busy - ticksBefore.busy) / 100 : undefined;
    const ours = Object.values(cpu.perProcess).reduce<number>((total, ms) => total + (ms ?? 0), 0) / 1000;
    console.log(
      `  machine busy ${cpu.machineBusy === undefined ? '-' : `${(cpu.machineBusy * 100).toFixed(0)} %`} of ${cpus().length} cores over ${runSeconds.toFixed(0)} s (the concurrent orders' CPU included)` +
        (busySeconds === undefined ? '' : `; processes outside this bench used ${Math.max(0, busySeconds - ours).toFixed(0)} CPU s of it`),
    );
    console.log('');
    console.log(`  events counted once by their eventId: ${observer.repeats} records were the same event delivered again`);
    printTable(
      ['billed how often (of the purchases due)', '0 times', 'once', 'more than once'],
      [
        ['bills requested (RebillRequested)', ...onceCheck(PURCHASES, observer.requested)],
        ['billed (PurchaseBilled)', ...onceCheck(PURCHASES, observer.billed)],
        ['charged (PaymentApproved, REBILL)', ...onceCheck(PURCHASES, observer.chargesPerPurchase())],
      ],
    );
    // what the subscriptions service holds at the end: purchases still waiting for a bill's outcome,
    // and the rebill outcomes that came before their purchase knew the rebill order (kept, then decided)
    const subscriptionsDb = connection.useDb(fleet.services['subscriptions']!.database, { useCache: true }).db!;
    const stillInFlight = await subscriptionsDb.collection('view_purchases').countDocuments({ 'view.state.bill': { $ne: null } });
    const keptOutcomes = await subscriptionsDb.collection('view_rebill_outcomes').countDocuments({});
    console.log(`  purchases still with a bill in flight: ${stillInFlight}; rebill outcomes read before their order was recorded (kept, then decided): ${keptOutcomes}`);
    if (deadlineHit) {
      console.log('  (the run had not finished: no second run)');
      return;
    }
    const again = await requestJson(`${url('subscriptions')}/billing-runs`, { method: 'POST', headers: { authorization: 'Bearer dev-admin' }, body: { asOf }, timeoutMs: 600_000 });
    console.log(`  a second run as of the same day: ${again.status} ${JSON.stringify(again.body)}`);
    console.log(`[billing-run] total ${seconds(performance.now() - started)}`);
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await fleet.stop();
    await connection.close();
    await cleanUp(fleet);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
