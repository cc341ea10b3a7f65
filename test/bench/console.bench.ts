/**
 * The console bench (`npm run bench -- console`): how fast the customer-service console is usable,
 * in Debian's Chromium (Playwright, `/usr/bin/chromium` or CHROMIUM_PATH) on the five services and
 * the console as real processes on the local stack. Prints, never asserts.
 *
 * Compiles the services (support/build.ts: the JavaScript users run; SERVICE_RUNTIME=ts keeps ts-node)
 * and starts orders, payments, fulfillment, subscriptions and projections (databases
 * `bench_<run>_<service>`, topic prefix `bench-<run>.`) and the console in front of them, then seeds
 * one customer with BENCH_CONSOLE_ORDERS orders (default 200) through the orders API
 * (BENCH_CONSOLE_CONCURRENCY at once, default 4): external payment, the cheapest order that still
 * fills a whole row of the Orders tab, all with the customer's id. When the projections' history of
 * that customer lists every order (or after BENCH_CONSOLE_WAIT_S, default 900, with what it lists then,
 * said in the output), it times BENCH_CONSOLE_LOADS loads (default 20) of each page, each
 * in a new browser context (nothing cached, as on a first visit):
 * - sign-in: navigation start until the "Sign in" button is there and enabled;
 * - customer: the customer page of that customer (already signed in) from navigation start until the
 *   table "Timeline, newest first" shows its rows, and how long the history call took within it (the
 *   browser's resource timing of `/api/projections/customers/:id/history`); then the Orders tab,
 *   from its press until the table "Orders" shows every order.
 * BENCH_CONSOLE_URL (with BENCH_CONSOLE_CUSTOMER) times a console already running instead, for that
 * customer, starting and seeding nothing.
 * Times are read with the page's own clock (`performance.now()`, whose origin is the navigation start),
 * the moment the condition first holds (checked every animation frame). p50, p95 and max.
 */
import { execSync } from 'node:child_process';
import { chromium, Page } from 'playwright-core';
import { freePort, launchService, ServiceProcess, waitForHealth } from '@continuum/testing';
import { buildServices } from './support/build';
import { client, startFleet } from './support/fleet';
import { fmt, percentile, printTable, sleep } from './support/stats';
import { cleanUp } from './support/cleanup';

const env = process.env;
const ORDERS = Number(env['BENCH_CONSOLE_ORDERS'] ?? 200);
const LOADS = Number(env['BENCH_CONSOLE_LOADS'] ?? 20);
const CONCURRENCY = Number(env['BENCH_CONSOLE_CONCURRENCY'] ?? 4);
const WAIT_S = Number(env['BENCH_CONSOLE_WAIT_S'] ?? 900);
const CHROMIUM = env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
// the flags the browser spec uses: no background connections, no first-run work
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
const SERVICES = ['orders', 'payments', 'fulfillment', 'subscriptions', 'projections'] as const;
const KEY = 'dev-agent';

/** Ms from navigation start until `condition` (an expression run in the page) first holds, checked every frame. */
async function msUntil(page: Page, condition: string, timeoutMs = 60_000): Promise<number> {
  const handle = await page.waitForFunction(`(() => (${condition}) ? performance.now() : false)()`, undefined, { polling: 'raf', timeout: timeoutMs });
  return (await handle.jsonValue()) as number;
}

/** In-page: the table whose caption (its accessible name) is `name`, with at least `rows` body rows. */
const tableShown = (name: string, rows: number) =>
  `[...document.querySelectorAll('table')].some((t) => t.caption?.textContent.trim() === ${JSON.stringify(name)} && t.tBodies[0]?.rows.length >= ${rows})`;

function summary(samples: number[]): string[] {
  return [String(samples.length), fmt(percentile(samples, 0.5)), fmt(percentile(samples, 0.95)), fmt(Math.max(...samples))];
}

/** Times LOADS loads of the sign-in page and of the customer page of `customerId` (with `orders` orders) on the console at `consoleUrl`. */
async function measure(consoleUrl: string, customerId: string, orders: number): Promise<void> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const signIn: number[] = [];
    const timeline: number[] = [];
    const ordersTab: number[] = [];
    const historyCall: number[] = [];
    // one load of each, not measured: the services' and the console's first requests
    for (let load = -1; load < LOADS; load++) {
      const fresh = await browser.newContext();
      const page = await fresh.newPage();
      await page.goto(consoleUrl);
      const signedInAt = await msUntil(page, `[...document.querySelectorAll('button')].some((b) => b.textContent.trim() === 'Sign in' && !b.disabled)`);
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      await fresh.close();

      const signed = await browser.newContext();
      await signed.addInitScript(`sessionStorage.setItem('continuum.apiKey', ${JSON.stringify(KEY)})`);
      const customerPage = await signed.newPage();
      await customerPage.goto(`${consoleUrl}/customers/${encodeURIComponent(customerId)}`);
      const timelineAt = await msUntil(customerPage, tableShown('Timeline, newest first', 1));
      await customerPage.getByRole('table', { name: 'Timeline, newest first' }).waitFor();
      await customerPage.evaluate(`document.addEventListener('click', () => { window.pressedAt = performance.now(); }, { capture: true, once: true })`);
      await customerPage.getByRole('tab', { name: 'Orders' }).click();
      const ordersAt = (await msUntil(customerPage, tableShown('Orders', orders))) - ((await customerPage.evaluate('window.pressedAt')) as number);
      const orderRows = await customerPage.getByRole('table', { name: 'Orders' }).locator('tbody tr').count();
      if (orderRows < orders) throw new Error(`the Orders tab shows ${orderRows} of ${orders} orders`);
      const historyMs = (await customerPage.evaluate(
        `performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/projections/customers/') && e.name.includes('/history')).map((e) => e.duration)[0] ?? -1`,
      )) as number;
      await signed.close();
      if (load < 0) continue;
      signIn.push(signedInAt);
      timeline.push(timelineAt);
      ordersTab.push(ordersAt);
      historyCall.push(historyMs);
    }
    printTable(
      ['from navigation start, ms', 'loads', 'p50', 'p95', 'max'],
      [
        ['sign-in page: "Sign in" enabled', ...summary(signIn)],
        [`customer page (${orders} orders): timeline shown`, ...summary(timeline)],
        ['  Orders tab, from the press: every order shown', ...summary(ordersTab)],
        ['  of which the history call', ...summary(historyCall)],
      ],
    );
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const commit = (() => {
    try {
      return execSync('git log -1 --format="%h %s"', { encoding: 'utf8' }).trim().slice(0, 100);
    } catch {
      return 'unknown';
    }
  })();
  const attachTo = env['BENCH_CONSOLE_URL'];
  if (attachTo) {
    // a console already running (npm start, or a fleet kept from a run): its customer's orders as the history lists them
    const customerId = env['BENCH_CONSOLE_CUSTOMER'];
    if (!customerId) throw new Error('BENCH_CONSOLE_URL needs BENCH_CONSOLE_CUSTOMER (the customer whose page is timed)');
    const history = await client(`${attachTo}/api/projections`, KEY).get(`/customers/${encodeURIComponent(customerId)}/history`);
    if (history.status !== 200) throw new Error(`GET history through the console ${history.status}`);
    console.log(`[console] measuring the console at ${attachTo}: customer with ${history.body.orders.length} orders, ${history.body.timeline.length} timeline entries, ${(JSON.stringify(history.body).length / 1024).toFixed(0)} KB history`);
    await measure(attachTo, customerId, history.body.orders.length);
    return;
  }
  const runtime = buildServices();
  console.log(`[console] measuring ${commit} (${runtime === 'dist' ? 'compiled JavaScript' : 'ts-node'})`);
  const fleet = await startFleet(SERVICES);
  let console_: ServiceProcess | undefined;
  try {
    const upstreams: Record<string, string> = {};
    for (const name of SERVICES) upstreams[`${name.toUpperCase()}_URL`] = fleet.services[name]!.url;
    console_ = launchService('console', await freePort(), { ...upstreams, LOG_LEVEL: env['BENCH_LOG_LEVEL'] ?? 'warn' });
    await waitForHealth(console_, 60_000, { consumers: false });
    console.log(`[console] five services and the console up after ${((Date.now() - started) / 1000).toFixed(0)} s (run ${fleet.run})`);

    // one customer with ORDERS orders
    const orders = client(fleet.services['orders']!.url, KEY);
    const projections = client(fleet.services['projections']!.url, KEY);
    const campaign = await client(fleet.services['orders']!.url, 'dev-admin').post('/campaigns', {
      name: 'Console Bench Campaign',
      currency: 'USD',
      qaRate: 0,
      products: [{ sku: 'CONSOLE-BENCH-1', name: 'Bench balm', price: 2499, shippingPrice: 495, billingType: 'STRAIGHT' }],
    });
    if (campaign.status !== 201) throw new Error(`POST /campaigns ${campaign.status} ${JSON.stringify(campaign.body)}`);
    const items = [{ productId: campaign.body.products[0].productId as string, quantity: 1 }];
    const order = (who: Record<string, unknown>, n: number) => ({ campaignId: campaign.body.campaignId, ...who, items, paymentType: 'EXTERNAL', externalReference: `console-bench-${fleet.run}-${n}` });
    const first = await orders.post(
      '/orders',
      order({ customer: { firstName: 'Carla', lastName: 'Console', email: `console-bench-${fleet.run}@example.test`, phone: '5125550100', billingAddress: { line1: '1 Bench St', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' } } }, 0),
    );
    if (first.status !== 201) throw new Error(`POST /orders ${first.status} ${JSON.stringify(first.body)}`);
    const customerId = first.body.customerId as string;
    const seedStarted = Date.now();
    let next = 1;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let n = next++; n < ORDERS; n = next++) {
          const placed = await orders.post('/orders', order({ customerId }, n));
          if (placed.status !== 201) throw new Error(`POST /orders ${placed.status} ${JSON.stringify(placed.body).slice(0, 200)}`);
        }
      }),
    );
    const placedSeconds = (Date.now() - seedStarted) / 1000;
    const historyDeadline = Date.now() + WAIT_S * 1000;
    let shown = 0;
    for (;;) {
      const history = await projections.get(`/customers/${customerId}/history`);
      shown = history.body?.orders?.length ?? 0;
      if (shown >= ORDERS) break;
      if (Date.now() > historyDeadline) {
        console.log(`[console] the history lists ${shown} of ${ORDERS} orders after ${WAIT_S} s: measured with those`);
        break;
      }
      await sleep(1000);
    }
    const history = await projections.get(`/customers/${customerId}/history`);
    const timelineRows = history.body.timeline.length as number;
    console.log(
      `[console] ${ORDERS} orders placed in ${placedSeconds.toFixed(0)} s, ${shown} in the history after ${((Date.now() - seedStarted) / 1000).toFixed(0)} s; ` +
        `the history answer: ${timelineRows} timeline entries, ${(JSON.stringify(history.body).length / 1024).toFixed(0)} KB`,
    );

    await measure(console_.url, customerId, shown);
    console.log(`[console] total ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await console_?.stop();
    await fleet.stop();
    await cleanUp(fleet);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
