/**
 * Pipeline benchmark: card orders through orders and payments as real processes on the local stack.
 * Prints, never asserts (`npm run bench`, or this file alone with ts-node as run-bench.js does).
 *
 * Starts orders and payments (own databases `bench_<run>_<service>`, topic prefix `bench-<run>.`),
 * creates a campaign, places WARMUP orders (not measured; the first is the template of the seeded
 * history), then runs the variants (BENCH_VARIANTS, default all):
 * - baseline: BENCH_ORDERS card orders (default 200) by BENCH_CONCURRENCY clients (default 8), each
 *   POST /orders, then GET /orders/:id until COMPLETE: at once when the observer below sees the
 *   order's OrderCompleted on Kafka, so the poll period does not decide the figure, and otherwise
 *   every BENCH_POLL_MS (default 1000; it was 100, and those polls were about a tenth of the store's
 *   commands: load made by the bench, not by orders);
 * - timeout: the same, with every BENCH_TIMEOUT_EVERY-th order (default 20) paid with the test card
 *   on which the gateway times out; the latency of the other orders is reported;
 * - prestored: the baseline again after the history was filled up to each of BENCH_PRESTORED orders
 *   (default 1000,20000) by copying the template order in the databases (support/seed-history.ts);
 *   BENCH_SEED_SHARED_LISTS=false leaves the copies out of shared view lists, to see what those cost.
 *
 * Where the time goes is derived from what can be seen from outside: the client's clock around POST
 * and GET, the events' `occurredAt` (decided at), the Kafka timestamps of their records (set when the
 * relay's produce request is built) read by an observer consumer group, and the `handledAt` of the
 * consumers' handled-event records (read by `_id` from the service databases). One machine, one clock.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import mongoose, { mongo } from 'mongoose';
import { BenchFleet, Client, client, startFleet } from './support/fleet';
import { cpuMeter } from './support/cpu';
import { captureTemplate, cloneOrders, HistoryTemplate } from './support/seed-history';
import { fmt, percentile, printTable, sleep } from './support/stats';
import { cleanUp } from './support/cleanup';

const env = process.env;
const MONGO_URL = env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';
const BROKERS = (env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const ORDERS = Number(env['BENCH_ORDERS'] ?? 200);
const CONCURRENCY = Number(env['BENCH_CONCURRENCY'] ?? 8);
const TIMEOUT_EVERY = Number(env['BENCH_TIMEOUT_EVERY'] ?? 20);
const PRESTORED = (env['BENCH_PRESTORED'] ?? '1000,20000').split(',').filter(Boolean).map(Number).sort((a, b) => a - b);
const VARIANTS = new Set((env['BENCH_VARIANTS'] ?? 'baseline,timeout,prestored').split(','));
const POLL_MS = Number(env['BENCH_POLL_MS'] ?? 1000);
/** not measured: the services' and the broker's JIT warm up (20 left the first variant 10-15 % below the later ones) */
const WARMUP = Number(env['BENCH_WARMUP'] ?? 200);
/** `false`: the seeded orders are left out of shared view lists (e.g. unsettled charges), to see what those cost */
const SEED_SHARED_LISTS = env['BENCH_SEED_SHARED_LISTS'] !== 'false';
const ORDER_DEADLINE_MS = 120_000;
/** pid files of the local stack (deploy/local/stack.sh), for the CPU figures of FerretDB and Kafka */
const STACK_PIDS = env['BENCH_STACK_PIDS'] ?? join(__dirname, '..', '..', '.stack', 'pids');

function stackPid(name: string): number | undefined {
  const file = join(STACK_PIDS, `${name}.pid`);
  return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) || undefined : undefined;
}

/** Test gateway cards (services/payments/src/gateway/test-gateway.ts, docs/payments.md). */
const CARDS = { approve: '4111111111111111', timeout: '4000000000000408' } as const;
type CardKind = keyof typeof CARDS;

/** Epoch milliseconds with sub-millisecond resolution, comparable with the services' clocks. */
const wallMs = () => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------------------------------------
// The body of POST /orders: built in one place, after checking what the running API asks for.

type OrderBody = (card: CardKind) => Record<string, unknown>;

/**
 * Reads the orders service's OpenAPI document and returns the body builder for a card order. The
 * card goes in as number/expiry/cvv today; if the API ever wants something else (a vault token),
 * this is the one function to change, and the check says so instead of failing with 400s.
 */
async function orderBodyFor(orders: Client, campaignId: string, productId: string): Promise<OrderBody> {
  const { body: openapi } = await orders.get('/docs-json');
  const schemas = (openapi?.components?.schemas ?? {}) as Record<string, { properties?: Record<string, any> }>;
  const deref = (schema: any): any => (schema?.$ref ? schemas[String(schema.$ref).split('/').pop()!] : schema?.allOf?.[0] ? deref(schema.allOf[0]) : schema);
  const placeOrder = deref(openapi?.paths?.['/orders']?.post?.requestBody?.content?.['application/json']?.schema);
  const cardFields = Object.keys(deref(placeOrder?.properties?.card)?.properties ?? {});
  const wanted = ['number', 'expMonth', 'expYear', 'cvv'];
  if (!wanted.every((field) => cardFields.includes(field))) {
    throw new Error(`POST /orders card now has fields [${cardFields.join(', ')}], not [${wanted.join(', ')}]: update orderBodyFor() in test/bench/pipeline.bench.ts`);
  }
  const address = { line1: '1 Bench St', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' };
  return (card) => {
    const tag = randomUUID();
    return {
      campaignId,
      customer: { firstName: 'Bea', lastName: `Bench-${tag.slice(0, 8)}`, email: `bench-${tag}@example.test`, billingAddress: address },
      items: [{ productId, quantity: 1 }],
      paymentType: 'CARD',
      card: { number: CARDS[card], expMonth: 12, expYear: 2031, cvv: '123' },
    };
  };
}

// ---------------------------------------------------------------------------------------------
// Observer: reads the events topics and the payments DLQ with a group of its own.

interface SeenEvent {
  readonly eventId: string;
  readonly type: string;
  readonly occurredAt: number;
  /** the record's timestamp: when the relay's produce request was built */
  readonly kafkaAt: number;
}

class Observer {
  readonly placed = new Map<string, SeenEvent>();
  readonly approved = new Map<string, SeenEvent>();
  readonly completed = new Map<string, SeenEvent>();
  deadLetters = 0;
  private readonly waiting = new Map<string, () => void>();

  record(topic: string, value: string, timestamp: string): void {
    if (topic.endsWith('.dlq.v1')) {
      this.deadLetters++;
      return;
    }
    const envelope = JSON.parse(value);
    const orderId = envelope?.data?.orderId as string | undefined;
    if (!orderId) return;
    const seen: SeenEvent = { eventId: envelope.eventId, type: envelope.type, occurredAt: Date.parse(envelope.occurredAt), kafkaAt: Number(timestamp) };
    if (envelope.type === 'OrderPlaced') this.placed.set(orderId, seen);
    else if (envelope.type === 'PaymentApproved' && (envelope.data.purpose ?? 'ORDER') === 'ORDER') this.approved.set(orderId, seen);
    else if (envelope.type === 'OrderCompleted') {
      this.completed.set(orderId, seen);
      this.waiting.get(orderId)?.();
    }
  }

  /** Resolves when the order's OrderCompleted is seen, or after `ms`. */
  completedOrAfter(orderId: string, ms: number): Promise<void> {
    if (this.completed.has(orderId)) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.waiting.set(orderId, () => {
        this.waiting.delete(orderId);
        done();
      });
    });
  }
}

async function observe(kafka: Kafka, prefix: string, observer: Observer) {
  const consumer = kafka.consumer({ groupId: `${prefix}bench-observer`, sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 100 });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.connect();
  await consumer.subscribe({ topics: [`${prefix}orders.events.v1`, `${prefix}payments.events.v1`, `${prefix}payments.dlq.v1`], fromBeginning: true });
  // its offsets are never read again: committing them would only load the broker under test
  await consumer.run({ autoCommit: false, eachMessage: async ({ topic, message }) => observer.record(topic, message.value?.toString('utf8') ?? 'null', message.timestamp) });
  await joined;
  return consumer;
}

// ---------------------------------------------------------------------------------------------
// One run of orders.

interface OrderRun {
  readonly card: CardKind;
  readonly t0: number;
  t1?: number;
  t2?: number;
  orderId?: string;
  error?: string;
}

async function placeOrders(orders: Client, body: OrderBody, observer: Observer, count: number, concurrency: number, cardOf: (i: number) => CardKind): Promise<OrderRun[]> {
  const runs: OrderRun[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const run: OrderRun = { card: cardOf(i), t0: wallMs() };
      runs.push(run);
      const placed = await orders.post('/orders', body(run.card));
      run.t1 = wallMs();
      if (placed.status !== 201) {
        run.error = `POST /orders ${placed.status} ${JSON.stringify(placed.body)}`;
        continue;
      }
      run.orderId = placed.body.orderId as string;
      // the gateway never answers for this card: the order stays PROCESSING, nobody waits for it
      if (run.card === 'timeout') continue;
      // the 201 says PROCESSING: the first GET waits for the signal (or the poll period) like the later ones
      if (placed.body.status === 'PROCESSING') await observer.completedOrAfter(run.orderId, POLL_MS);
      for (;;) {
        const { body: order } = await orders.get(`/orders/${run.orderId}`);
        if (order?.status === 'COMPLETE') {
          run.t2 = wallMs();
          break;
        }
        if (order?.status !== 'PROCESSING' || wallMs() - run.t0 > ORDER_DEADLINE_MS) {
          run.error = `order ${run.orderId} is ${order?.status ?? JSON.stringify(order)}`;
          break;
        }
        await observer.completedOrAfter(run.orderId, POLL_MS);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return runs;
}

/** Waits until `check` is true (polling), or throws after `ms`. */
async function until(what: string, ms: number, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

// ---------------------------------------------------------------------------------------------
// Figures.

const STAGES = [
  ['POST → OrderPlaced decided (HTTP, loads, dedup, blacklist)', 'http-decide'],
  ['orders: append + relay → Kafka', 'orders-append'],
  ['  (side) OrderPlaced on Kafka → 201 at client', 'http-tail'],
  ['Kafka → PaymentApproved decided (consumer, gateway)', 'payments-decide'],
  ['payments: append + relay → Kafka', 'payments-append'],
  ['  (side) payments: charge queued (OrderPlaced handled) → PaymentApproved decided', 'payments-handler'],
  ['Kafka → OrderCompleted decided (orders consumer)', 'orders-decide'],
  ['orders: append + relay → Kafka', 'orders-complete-append'],
  ['OrderCompleted on Kafka → GET shows COMPLETE', 'seen'],
] as const;
type Stage = (typeof STAGES)[number][1];

interface VariantFigures {
  readonly name: string;
  readonly storedBefore: number;
  readonly measured: number;
  readonly failed: number;
  readonly timeouts: number;
  readonly ordersPerSecond: number;
  readonly total: number[];
  readonly post: number[];
  readonly stages: Map<Stage, number[]>;
  /** CPU ms per order placed, by process; share of the machine's CPU that was busy */
  cpu?: { perOrder: Record<string, number | undefined>; machineBusy: number | undefined };
  /** MongoDB commands per order placed, by `<service> <command> <collection>` (from each service's store_commands_total) */
  store?: Map<string, number>;
}

/** The store_commands_total series of each service, by `<service> <command> <collection>`. */
async function storeCommands(fleet: BenchFleet): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const name of Object.keys(fleet.services)) {
    const response = await fetch(`${fleet.services[name]!.url}/metrics`, { headers: { authorization: 'Bearer dev-admin' } });
    for (const line of (await response.text()).split('\n')) {
      const match = /^store_commands_total\{command="([^"]*)",collection="([^"]*)"\} (\d+(?:\.\d+)?)/.exec(line);
      if (match) counts.set(`${name} ${match[1]} ${match[2]!.replace(/^view_/, 'view:')}`, Number(match[3]));
    }
  }
  return counts;
}

/** Per order: (after - before) / orders, by series; series that did not move are left out. */
function perOrder(before: Map<string, number>, after: Map<string, number>, orders: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const [series, count] of after) {
    const delta = count - (before.get(series) ?? 0);
    if (delta > 0) out.set(series, delta / orders);
  }
  return out;
}

async function figures(
  name: string,
  storedBefore: number,
  runs: OrderRun[],
  observer: Observer,
  handled: { payments: mongo.Collection },
  prefix: string,
): Promise<VariantFigures> {
  const done = runs.filter((run) => run.card === 'approve' && run.t2 !== undefined && !run.error);
  const stages = new Map<Stage, number[]>(STAGES.map(([, key]) => [key, []]));
  const add = (stage: Stage, value: number | undefined) => {
    if (value !== undefined && Number.isFinite(value)) stages.get(stage)!.push(value);
  };
  for (const run of done) {
    const placed = observer.placed.get(run.orderId!);
    const approved = observer.approved.get(run.orderId!);
    const completed = observer.completed.get(run.orderId!);
    if (!placed || !approved || !completed) continue;
    // the consumer runner records `<group>:<eventId>` once the handler succeeded
    const handledAt = async (collection: mongo.Collection, id: string) => {
      const doc = await collection.findOne({ _id: id as never });
      return doc ? new Date(doc['handledAt']).getTime() : undefined;
    };
    const paymentsHandled = await handledAt(handled.payments, `${prefix}payments.order-reactions:${placed.eventId}`);
    add('http-decide', placed.occurredAt - run.t0);
    add('orders-append', placed.kafkaAt - placed.occurredAt);
    add('http-tail', run.t1! - placed.kafkaAt);
    add('payments-decide', approved.occurredAt - placed.kafkaAt);
    add('payments-append', approved.kafkaAt - approved.occurredAt);
    add('payments-handler', paymentsHandled === undefined ? undefined : approved.occurredAt - paymentsHandled);
    add('orders-decide', completed.occurredAt - approved.kafkaAt);
    add('orders-complete-append', completed.kafkaAt - completed.occurredAt);
    add('seen', run.t2! - completed.kafkaAt);
  }
  const start = Math.min(...runs.map((run) => run.t0));
  const end = Math.max(...done.map((run) => run.t2!));
  return {
    name,
    storedBefore,
    measured: done.length,
    failed: runs.filter((run) => run.error).length,
    timeouts: runs.filter((run) => run.card === 'timeout').length,
    ordersPerSecond: (done.length / (end - start)) * 1000,
    total: done.map((run) => run.t2! - run.t0),
    post: done.map((run) => run.t1! - run.t0),
    stages,
  };
}

function report(all: VariantFigures[]): void {
  console.log('');
  console.log(`Pipeline: card orders, POST /orders -> COMPLETE, ${CONCURRENCY} clients; ms`);
  printTable(
    ['variant', 'orders stored before', 'measured', 'orders/s', 'p50', 'p95', 'p99', 'POST 201 p50', 'POST p95'],
    all.map((v) => [
      v.name + (v.failed ? ` (${v.failed} failed)` : ''),
      String(v.storedBefore),
      String(v.measured),
      fmt(v.ordersPerSecond),
      fmt(percentile(v.total, 0.5)),
      fmt(percentile(v.total, 0.95)),
      fmt(percentile(v.total, 0.99)),
      fmt(percentile(v.post, 0.5)),
      fmt(percentile(v.post, 0.95)),
    ]),
  );
  console.log('');
  const processes = Object.keys(all[0]?.cpu?.perOrder ?? {});
  console.log('CPU per order placed (ms; user+system, from /proc), and how busy the 2-core machine was over the variant');
  printTable(
    ['variant', ...processes, 'machine busy'],
    all.map((v) => [v.name, ...processes.map((p) => fmt(v.cpu?.perOrder[p] ?? Number.NaN)), v.cpu?.machineBusy === undefined ? '-' : `${(v.cpu.machineBusy * 100).toFixed(0)}%`]),
  );
  console.log('');
  console.log('MongoDB commands per order placed, by service (the store is the largest CPU user; fewer round trips is the lever)');
  const services = [...new Set(all.flatMap((v) => [...(v.store?.keys() ?? [])].map((series) => series.split(' ')[0]!)))];
  printTable(
    ['variant', ...services, 'total'],
    all.map((v) => {
      const byService = services.map((service) => [...(v.store ?? new Map<string, number>()).entries()].filter(([k]) => k.startsWith(`${service} `)).reduce((sum, [, n]) => sum + n, 0));
      return [v.name, ...byService.map((n) => fmt(n)), fmt(byService.reduce((a, b) => a + b, 0))];
    }),
  );
  const first = all.find((v) => v.store);
  if (first?.store) {
    console.log(`Commands per order in "${first.name}", by service, command and collection (0.1 and more)`);
    printTable(
      ['service command collection', 'per order'],
      [...first.store.entries()].filter(([, n]) => n >= 0.1).sort((a, b) => b[1] - a[1]).map(([series, n]) => [series, fmt(n)]),
    );
  }
  console.log('');
  console.log('Where the time goes: ms per order, p50 / p95 (stages on the path to COMPLETE add up; "(side)" ones run beside it)');
  printTable(
    ['stage', ...all.map((v) => v.name)],
    STAGES.map(([label, key]) => [label, ...all.map((v) => `${fmt(percentile(v.stages.get(key)!, 0.5))} / ${fmt(percentile(v.stages.get(key)!, 0.95))}`)]),
  );
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  console.log(`[pipeline] starting orders and payments (${ORDERS} orders per variant, concurrency ${CONCURRENCY}, variants ${[...VARIANTS].join(',')})`);
  const fleet: BenchFleet = await startFleet(['orders', 'payments']);
  const prefix = fleet.topicPrefix;
  const kafka = new Kafka({ clientId: `bench-${fleet.run}`, brokers: BROKERS, logLevel: logLevel.NOTHING });
  const connection = await mongoose.createConnection(MONGO_URL).asPromise();
  const ordersDb = connection.useDb(fleet.services['orders']!.database, { useCache: true }).db!;
  const paymentsDb = connection.useDb(fleet.services['payments']!.database, { useCache: true }).db!;
  const observer = new Observer();
  let consumer: Awaited<ReturnType<typeof observe>> | undefined;
  try {
    console.log(`[pipeline] services up after ${((Date.now() - started) / 1000).toFixed(0)} s (run ${fleet.run})`);
    consumer = await observe(kafka, prefix, observer);
    const orders = client(fleet.services['orders']!.url, 'dev-agent');
    const campaign = await client(fleet.services['orders']!.url, 'dev-admin').post('/campaigns', {
      name: 'Bench Campaign',
      currency: 'USD',
      qaRate: 0,
      products: [{ sku: 'BENCH-1', name: 'Bench bottle', price: 3999, shippingPrice: 495, billingType: 'STRAIGHT' }],
    });
    if (campaign.status !== 201) throw new Error(`POST /campaigns ${campaign.status} ${JSON.stringify(campaign.body)}`);
    const campaignId = campaign.body.campaignId as string;
    const productIds = (campaign.body.products as { productId: string }[]).map((p) => p.productId);
    const body = await orderBodyFor(orders, campaignId, productIds[0]!);
    // orders' payment-outcomes group keeps no handled-event records (its commit key covers redelivery)
    const handled = { payments: paymentsDb.collection('handled_events') };

    const warm = await placeOrders(orders, body, observer, WARMUP, Math.min(CONCURRENCY, WARMUP), () => 'approve');
    const broken = warm.find((run) => run.error);
    if (broken) throw new Error(`warm-up order failed: ${broken.error}`);
    let stored = warm.length;
    let expectedDeadLetters = 0;
    console.log(`[pipeline] ${WARMUP} warm-up orders COMPLETE`);

    const all: VariantFigures[] = [];
    const variant = async (name: string, cardOf: (i: number) => CardKind) => {
      const t = Date.now();
      const meter = cpuMeter({
        orders: fleet.services['orders']!.process.pid,
        payments: fleet.services['payments']!.process.pid,
        ferretdb: stackPid('ferretdb'),
        kafka: stackPid('kafka'),
        bench: process.pid,
      });
      const storeBefore = await storeCommands(fleet);
      const runs = await placeOrders(orders, body, observer, ORDERS, CONCURRENCY, cardOf);
      const cpu = meter();
      const timeouts = runs.filter((run) => run.card === 'timeout' && run.orderId).length;
      expectedDeadLetters += timeouts;
      // the payments consumer retries a gateway timeout, then dead-letters it: wait until it is idle again
      await until(`${expectedDeadLetters} dead letters`, 60_000 + timeouts * 10_000, () => observer.deadLetters >= expectedDeadLetters);
      await until('every OrderCompleted on the observer', 30_000, () => runs.every((run) => run.t2 === undefined || observer.completed.has(run.orderId!)));
      const result = await figures(name, stored, runs, observer, handled, prefix);
      const placedCount = runs.filter((run) => run.orderId).length;
      result.store = perOrder(storeBefore, await storeCommands(fleet), placedCount);
      result.cpu = {
        perOrder: Object.fromEntries(Object.entries(cpu.perProcess).map(([p, ms]) => [p, ms === undefined ? undefined : ms / placedCount])),
        machineBusy: cpu.machineBusy,
      };
      stored += runs.filter((run) => run.orderId).length;
      all.push(result);
      console.log(
        `[pipeline] ${name}: ${result.measured} orders COMPLETE in ${((Date.now() - t) / 1000).toFixed(1)} s, p50 ${fmt(percentile(result.total, 0.5))} ms` +
          (result.failed ? `; ${result.failed} failed: ${runs.find((run) => run.error)?.error}` : ''),
      );
    };

    if (VARIANTS.has('baseline')) await variant('baseline', () => 'approve');
    if (VARIANTS.has('timeout')) await variant(`1 in ${TIMEOUT_EVERY} times out`, (i) => (i % TIMEOUT_EVERY === TIMEOUT_EVERY - 1 ? 'timeout' : 'approve'));
    if (VARIANTS.has('prestored')) {
      const template: HistoryTemplate = await captureTemplate([ordersDb, paymentsDb], [warm[0]!.orderId!, (await orders.get(`/orders/${warm[0]!.orderId}`)).body.customerId], new Set([campaignId, ...productIds]));
      console.log(
        `[pipeline] template order: ${template.perOrder.length} documents (${[...new Set(template.perOrder.map((d) => `${d.db.databaseName.replace(/^bench_[^_]+_/, '')}.${d.collection}`))].join(', ')}), ` +
          `${template.shared.length} shared lists (${template.shared.map((s) => `${s.collection}/${s.id}`).join(', ') || 'none'})` +
          (template.ignored.length ? `; not copied: ${template.ignored.join(', ')}` : ''),
      );
      for (const target of PRESTORED) {
        const copies = Math.max(0, target - stored);
        const t = Date.now();
        await cloneOrders(template, copies, (done) => {
          if (done % 5000 === 0 || done === copies) console.log(`[pipeline]   seeded ${done} of ${copies} orders (${((Date.now() - t) / 1000).toFixed(0)} s)`);
        }, SEED_SHARED_LISTS);
        stored += copies;
        console.log(`[pipeline] history filled to ${stored} orders in ${((Date.now() - t) / 1000).toFixed(0)} s${SEED_SHARED_LISTS ? '' : ' (shared lists left out)'}`);
        await variant(`${target} stored`, () => 'approve');
      }
    }
    report(all);
    console.log(`[pipeline] total ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await consumer?.disconnect().catch(() => undefined);
    await fleet.stop();
    await connection.close();
    await cleanUp(fleet);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
