/**
 * The whole system bench (`npm run bench -- whole`): all five services as real processes on the
 * local stack, a mix of orders from closed-loop clients, measured from POST to the customer history.
 * Prints, never asserts.
 *
 * Starts orders, payments, fulfillment, subscriptions and projections (databases
 * `bench_<run>_<service>`, topic prefix `bench-<run>.`), creates a campaign with a one-time and a
 * recurring product, places BENCH_WARMUP orders (not measured), then BENCH_ORDERS orders (default
 * 400) from BENCH_CONCURRENCY clients (default 8). Each client places an order and reads the
 * projections' order summary (`GET /orders/:id/summary`) until it shows what the whole system does
 * with that order, then places the next:
 * - card (BENCH_CARD_SHARE, default 0.8; one in BENCH_RECURRING_EVERY of them, default 4, for the
 *   recurring product): COMPLETE, its approved charge, its fulfillment, and its purchase when recurring;
 * - COD (half of the rest): COD_PENDING with its fulfillment;
 * - external payment (the other half): the order, PENDING for QA.
 * Between the two, BENCH_IDLE_S seconds (default 10) with no order: what each process spends idle.
 * Figures: orders/s, latency from POST to the order first in the history ("visible") and to all of
 * the above in it ("done"), p50/p95/p99; CPU ms per order of each service, FerretDB, Kafka and Redis (also
 * idle CPU ms per second, and CPU per order above that idle rate);
 * store commands per order per service and the commands that took the store longest (their /metrics). The summary is polled (first after 20 ms,
 * then 1.5 times later each time, at most every 250 ms), so latencies are as exact as that schedule.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { BenchFleet, Client, client, startFleet } from './support/fleet';
import { cpuMeter } from './support/cpu';
import { fmt, percentile, printTable, sleep } from './support/stats';
import { cleanUp } from './support/cleanup';
import { buildServices } from './support/build';
import { monotonicUs, printProfiles, profilingNodeArgs, Window } from './support/cpu-profile';

const env = process.env;
const ORDERS = Number(env['BENCH_ORDERS'] ?? 400);
const CONCURRENCY = Number(env['BENCH_CONCURRENCY'] ?? 8);
const WARMUP = Number(env['BENCH_WARMUP'] ?? 100);
const CARD_SHARE = Number(env['BENCH_CARD_SHARE'] ?? 0.8);
const RECURRING_EVERY = Number(env['BENCH_RECURRING_EVERY'] ?? 4);
const IDLE_S = Number(env['BENCH_IDLE_S'] ?? 10);
const ORDER_DEADLINE_MS = 120_000;
const SERVICES = ['orders', 'payments', 'fulfillment', 'subscriptions', 'projections'] as const;
const PROFILE = env['BENCH_PROFILE'] === '1';
const STACK_PIDS = env['BENCH_STACK_PIDS'] ?? join(__dirname, '..', '..', '.stack', 'pids');

type Kind = 'card' | 'recurring' | 'cod' | 'external';

interface OrderRun {
  readonly kind: Kind;
  orderId?: string;
  visibleMs?: number;
  doneMs?: number;
  error?: string;
}

function stackPid(name: string): number | undefined {
  const file = join(STACK_PIDS, `${name}.pid`);
  return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) || undefined : undefined;
}

/** The kind of the i-th order: the mix is spread evenly over the run. */
function kindOf(i: number): Kind {
  const rest = (1 - CARD_SHARE) / 2;
  const slot = (i * 0.6180339887) % 1; // golden-ratio spread: the shares hold over any stretch of the run
  if (slot < CARD_SHARE) return i % RECURRING_EVERY === 0 ? 'recurring' : 'card';
  return slot < CARD_SHARE + rest ? 'cod' : 'external';
}

/** True when the summary shows everything the system does with an order of this kind. */
function isDone(kind: Kind, summary: any): boolean {
  const status = summary?.order?.status;
  const fulfilled = (summary?.fulfillments ?? []).length > 0;
  switch (kind) {
    case 'card':
      return status === 'COMPLETE' && fulfilled && (summary?.transactions ?? []).length > 0;
    case 'recurring':
      return status === 'COMPLETE' && fulfilled && (summary?.purchases ?? []).length > 0;
    case 'cod':
      return status === 'COD_PENDING' && fulfilled;
    case 'external':
      return status === 'PENDING' || status === 'COMPLETE';
  }
}

async function placeAndFollow(orders: Client, projections: Client, body: (kind: Kind) => Record<string, unknown>, run: OrderRun): Promise<void> {
  const began = performance.now();
  const placed = await orders.post('/orders', body(run.kind));
  if (placed.status !== 201) {
    run.error = `POST /orders ${placed.status} ${JSON.stringify(placed.body).slice(0, 200)}`;
    return;
  }
  run.orderId = placed.body.orderId;
  for (let wait = 20; performance.now() - began < ORDER_DEADLINE_MS; wait = Math.min(250, wait * 1.5)) {
    await sleep(wait);
    const summary = await projections.get(`/orders/${run.orderId}/summary`);
    if (summary.status === 404) continue;
    if (summary.status !== 200) {
      run.error = `GET summary ${summary.status}`;
      return;
    }
    run.visibleMs ??= performance.now() - began;
    if (isDone(run.kind, summary.body)) {
      run.doneMs = performance.now() - began;
      return;
    }
  }
  run.error = `not done in the history within ${ORDER_DEADLINE_MS / 1000} s (${run.kind})`;
}

async function placeOrders(orders: Client, projections: Client, body: (kind: Kind) => Record<string, unknown>, count: number, offset: number): Promise<{ runs: OrderRun[]; seconds: number }> {
  const runs: OrderRun[] = Array.from({ length: count }, (_, i) => ({ kind: kindOf(offset + i) }));
  let next = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, count) }, async () => {
      for (let i = next++; i < count; i = next++) await placeAndFollow(orders, projections, body, runs[i]!);
    }),
  );
  return { runs, seconds: (performance.now() - began) / 1000 };
}

/** Per service: store commands sent, and store seconds by `<command> <collection>` (their /metrics). */
interface StoreFigures {
  readonly commands: Map<string, number>;
  readonly seconds: Map<string, Map<string, number>>;
}

async function storeFigures(fleet: BenchFleet): Promise<StoreFigures> {
  const commands = new Map<string, number>();
  const seconds = new Map<string, Map<string, number>>();
  for (const name of Object.keys(fleet.services)) {
    const response = await fetch(`${fleet.services[name]!.url}/metrics`, { headers: { authorization: 'Bearer dev-admin' } });
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

/** The store commands that took the store longest during the run: where a scan shows first. */
function topStoreCosts(before: StoreFigures, after: StoreFigures, orders: number, top = 12): string[][] {
  const rows: Array<{ service: string; what: string; seconds: number }> = [];
  for (const [service, spent] of after.seconds) {
    for (const [what, total] of spent) rows.push({ service, what, seconds: total - (before.seconds.get(service)?.get(what) ?? 0) });
  }
  return rows
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, top)
    .map((row) => [row.service, row.what, ((row.seconds * 1000) / orders).toFixed(1)]);
}

async function main(): Promise<void> {
  const runtime = buildServices();
  const profileDir = PROFILE ? mkdtempSync(join(tmpdir(), 'whole-bench-profiles-')) : undefined;
  if (profileDir) process.env['SERVICE_NODE_ARGS'] = `${process.env['SERVICE_NODE_ARGS'] ?? ''} ${profilingNodeArgs(profileDir)}`.trim();
  const started = Date.now();
  const fleet = await startFleet(SERVICES);
  const pids: Record<string, number | undefined> = Object.fromEntries(SERVICES.map((name) => [name, fleet.services[name]!.process.pid]));
  let profiled: { window: Window; orders: number; cpuMsPerOrder: Record<string, number | undefined> } | undefined;
  let idleProfiled: { window: Window; seconds: number; cpuMsPerSecond: Record<string, number | undefined> } | undefined;
  try {
    console.log(`[whole] five services up after ${((Date.now() - started) / 1000).toFixed(0)} s (run ${fleet.run}, ${runtime === 'dist' ? 'compiled JavaScript' : 'ts-node'}${profileDir ? `, CPU profiles into ${profileDir}` : ''})`);
    const orders = client(fleet.services['orders']!.url, 'dev-agent');
    const projections = client(fleet.services['projections']!.url, 'dev-agent');
    const campaign = await client(fleet.services['orders']!.url, 'dev-admin').post('/campaigns', {
      name: 'Whole Bench Campaign',
      currency: 'USD',
      qaRate: 0,
      products: [
        { sku: 'WHOLE-1', name: 'Bench bottle', price: 3999, shippingPrice: 495, billingType: 'STRAIGHT' },
        { sku: 'WHOLE-R', name: 'Bench club', price: 2999, shippingPrice: 0, billingType: 'RECURRING', rebillPrice: 2999, intervalDays: 30 },
      ],
    });
    if (campaign.status !== 201) throw new Error(`POST /campaigns ${campaign.status} ${JSON.stringify(campaign.body)}`);
    const [oneTime, recurring] = (campaign.body.products as { productId: string }[]).map((p) => p.productId);
    const address = { line1: '1 Bench St', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' };
    const body = (kind: Kind) => {
      const tag = randomUUID();
      return {
        campaignId: campaign.body.campaignId,
        // a customer of its own per order: the orders service attaches an order to an existing customer on the same
        // email or phone with the same first or last name, so a shared phone made every order one customer's
        customer: { firstName: 'Wes', lastName: `Whole-${tag.slice(0, 8)}`, email: `whole-${tag}@example.test`, phone: `512${String(parseInt(tag.slice(0, 8), 16) % 10_000_000).padStart(7, '0')}`, billingAddress: address },
        items: [{ productId: kind === 'recurring' ? recurring : oneTime, quantity: 1 }],
        paymentType: kind === 'cod' ? 'COD' : kind === 'external' ? 'EXTERNAL' : 'CARD',
        ...(kind === 'card' || kind === 'recurring' ? { card: { number: '4111111111111111', expMonth: 12, expYear: 2031, cvv: '123' } } : {}),
      };
    };

    const warm = await placeOrders(orders, projections, body, WARMUP, 0);
    const broken = warm.runs.find((run) => run.error);
    if (broken) throw new Error(`warm-up order failed: ${broken.error}`);
    console.log(`[whole] ${WARMUP} warm-up orders done in the history (${(WARMUP / warm.seconds).toFixed(1)} orders/s)`);

    const watched = { ...pids, ferretdb: stackPid('ferretdb'), kafka: stackPid('kafka'), redis: stackPid('redis'), bench: process.pid };
    // the CPU each process spends with no order in flight (consumer groups' fetches, the relay's
    // polls, queue workers, leases), to tell the cost of an order from the cost of time passing
    const idleMeter = cpuMeter(watched);
    const idleBegan = performance.now();
    const idleFromUs = monotonicUs();
    await sleep(IDLE_S * 1000);
    const idleToUs = monotonicUs();
    const idle = idleMeter();
    const idleSeconds = (performance.now() - idleBegan) / 1000;
    idleProfiled = { window: { fromUs: idleFromUs, toUs: idleToUs }, seconds: idleSeconds, cpuMsPerSecond: Object.fromEntries(SERVICES.map((name) => [name, idle.perProcess[name] === undefined ? undefined : idle.perProcess[name]! / idleSeconds])) };
    const meter = cpuMeter(watched);
    const storeBefore = await storeFigures(fleet);
    const fromUs = monotonicUs();
    const { runs, seconds } = await placeOrders(orders, projections, body, ORDERS, WARMUP);
    const toUs = monotonicUs();
    const cpu = meter();
    profiled = { window: { fromUs, toUs }, orders: runs.length, cpuMsPerOrder: Object.fromEntries(SERVICES.map((name) => [name, cpu.perProcess[name] === undefined ? undefined : cpu.perProcess[name]! / runs.length])) };
    const storeAfter = await storeFigures(fleet);
    const done = runs.filter((run) => run.doneMs !== undefined);
    const failed = runs.filter((run) => run.error);
    console.log(`[whole] ${done.length} of ${runs.length} orders done in ${seconds.toFixed(1)} s: ${(done.length / seconds).toFixed(1)} orders/s with ${CONCURRENCY} clients` + (failed.length ? `; ${failed.length} failed, e.g. ${failed[0]!.error}` : ''));

    const rows: string[][] = [];
    for (const kind of ['all', 'card', 'recurring', 'cod', 'external'] as const) {
      const of = done.filter((run) => kind === 'all' || run.kind === kind);
      if (of.length === 0) continue;
      const visible = of.map((run) => run.visibleMs!);
      const total = of.map((run) => run.doneMs!);
      rows.push([kind, String(of.length), fmt(percentile(visible, 0.5)), fmt(percentile(visible, 0.95)), fmt(percentile(visible, 0.99)), fmt(percentile(total, 0.5)), fmt(percentile(total, 0.95)), fmt(percentile(total, 0.99))]);
    }
    printTable(['orders', 'n', 'visible p50 ms', 'p95', 'p99', 'done p50 ms', 'p95', 'p99'], rows);
    const perOrder = (ms: number | undefined) => (ms === undefined ? '-' : (ms / runs.length).toFixed(1));
    const idlePerSecond = (name: string) => (idle.perProcess[name] === undefined ? undefined : idle.perProcess[name]! / idleSeconds);
    printTable(
      ['process', 'CPU ms/order', 'idle CPU ms/s', 'CPU ms/order above idle', 'store commands/order'],
      Object.entries(cpu.perProcess).map(([name, ms]) => [
        name,
        perOrder(ms),
        idlePerSecond(name)?.toFixed(1) ?? '-',
        ms === undefined || idlePerSecond(name) === undefined ? '-' : perOrder(Math.max(0, ms - idlePerSecond(name)! * seconds)),
        storeBefore.commands.has(name) ? ((storeAfter.commands.get(name)! - storeBefore.commands.get(name)!) / runs.length).toFixed(1) : '-',
      ]),
    );
    printTable(['service', 'store command and collection', 'store ms/order'], topStoreCosts(storeBefore, storeAfter, runs.length));
    console.log(`[whole] machine busy ${cpu.machineBusy === undefined ? '-' : `${(cpu.machineBusy * 100).toFixed(0)} %`} of ${cpus().length} cores; total ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await fleet.stop();
    await cleanUp(fleet);
  }
  if (profileDir && idleProfiled) {
    console.log(`[profile] idle: the ${idleProfiled.seconds.toFixed(0)} s with no order, per second`);
    printProfiles(profileDir, pids, idleProfiled.window, idleProfiled.seconds, printTable, idleProfiled.cpuMsPerSecond, 10, 'second');
  }
  if (profileDir && profiled) {
    console.log(`[profile] the ${profiled.orders} measured orders, per order`);
    printProfiles(profileDir, pids, profiled.window, profiled.orders, printTable, profiled.cpuMsPerOrder);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
