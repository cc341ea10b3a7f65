import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { Topics } from '@continuum/contracts';
import { devKeys, eventually, freePort, httpAgent, KafkaProbe, launchService, newCustomer, ServiceProcess, waitForHealth } from '@continuum/testing';
import { Redis } from 'ioredis';
import { createQueue } from '@continuum/platform';
import { ServiceFleet, startServices } from '../e2e/support/service-processes';

/**
 * The console in a real Chromium (Debian's, driven by Playwright), on the five real services, used the
 * way a person does: by the names a screen reader reads. CONSOLE_SCREENSHOTS=<dir> also saves the main
 * pages there (docs/console/ holds the ones the docs show).
 */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const SCREENSHOTS = process.env['CONSOLE_SCREENSHOTS'];
// flags this closed network needs: no background connections, no first-run work
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

jest.setTimeout(240_000);

describe('console (Chromium)', () => {
  let fleet: ServiceFleet;
  let console_: ServiceProcess;
  let browser: Browser;
  let campaignId: string;
  let productId: string;
  /** a RECURRING product of the same campaign: an order of it starts a purchase */
  let recurringProductId: string;

  beforeAll(async () => {
    fleet = await startServices(['orders', 'payments', 'fulfillment', 'subscriptions', 'projections']);
    const env: Record<string, string> = {};
    for (const name of ['orders', 'payments', 'fulfillment', 'subscriptions', 'projections']) env[`${name.toUpperCase()}_URL`] = fleet.services[name]!.url;
    console_ = launchService('console', await freePort(), env);
    await waitForHealth(console_, 60_000, { consumers: false });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    const campaign = await httpAgent(fleet.services['orders']!.url, devKeys.admin).post('/campaigns', {
      name: 'Console Campaign',
      currency: 'USD',
      qaRate: 0,
      products: [
        { sku: 'CONSOLE-1', name: 'Console serum', price: 4999, shippingPrice: 500, billingType: 'STRAIGHT' },
        { sku: 'CONSOLE-SUB', name: 'Console refill', price: 499, shippingPrice: 0, billingType: 'RECURRING', trial: { price: 499, days: 14, type: 'STANDARD' }, rebillPrice: 2999, intervalDays: 30 },
      ],
    });
    expect(campaign.status).toBe(201);
    campaignId = campaign.body.campaignId;
    productId = campaign.body.products[0].productId;
    recurringProductId = campaign.body.products[1].productId;
  });

  afterAll(async () => {
    await browser?.close();
    await console_?.stop();
    await fleet?.stop();
  });

  /** A customer with one card order, in the history. */
  async function customerWithOrder(product = productId, cardNumber = '4111111111111111'): Promise<{ customer: ReturnType<typeof newCustomer>; customerId: string; orderId: string }> {
    const customer = newCustomer();
    const placed = await httpAgent(fleet.services['orders']!.url, devKeys.agent).post('/orders', {
      campaignId,
      customer,
      items: [{ productId: product, quantity: 1 }],
      paymentType: 'CARD',
      card: { number: cardNumber, expMonth: 12, expYear: 2031, cvv: '123' },
    });
    expect(placed.status).toBe(201);
    const projections = httpAgent(fleet.services['projections']!.url, devKeys.agent);
    await eventually(async () => {
      const summary = await projections.get(`/orders/${placed.body.orderId}/summary`);
      expect(summary.body?.order?.status).toBe('COMPLETE');
      expect(summary.body.transactions.length).toBeGreaterThan(0);
      return true;
    }, 'the change to show', { timeoutMs: 60_000 });
    return { customer, customerId: placed.body.customerId, orderId: placed.body.orderId };
  }

  async function signedIn(key: string = devKeys.agent): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(console_.url);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Search').waitFor();
    return page;
  }

  async function shot(page: Page, name: string): Promise<void> {
    if (!SCREENSHOTS) return;
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  /** Serious or critical accessibility violations axe finds on the page, by rule. */
  async function axeViolations(page: Page): Promise<string[]> {
    await page.addScriptTag({ content: readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') });
    // runs in the page: axe is the script just added
    const result = (await page.evaluate('axe.run(document)')) as { violations: Array<{ id: string; impact: string; nodes: unknown[] }> };
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}, ${v.nodes.length} nodes)`);
  }

  it('refuses a wrong API key with a message, and signs in with a good one', async () => {
    const page = await browser.newPage();
    await page.goto(console_.url);
    await page.getByLabel('API key').fill('not-a-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.getByRole('alert'), /not accepted/);
    await page.getByLabel('API key').fill(devKeys.agent);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Search').waitFor();
    await page.close();
  });

  it('finds a customer, opens the history, refunds the order (a void first) and the payment shows it', async () => {
    const { customer, customerId, orderId } = await customerWithOrder();
    const page = await signedIn();
    await page.getByLabel('Search').fill(customer.email);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const name = `${customer.firstName} ${customer.lastName}`;
    await page.getByRole('link', { name }).click();
    await expectText(page.getByRole('heading', { level: 1 }), name);
    await shot(page, 'customer-timeline');
    await page.getByRole('tab', { name: 'Orders' }).click();
    await page.getByRole('link', { name: orderId }).click();
    await expectText(page.getByRole('heading', { level: 1 }), `Order ${orderId}`);
    await shot(page, 'order-summary');
    await page.getByRole('button', { name: 'Refund', exact: true }).click();
    await expectText(page.getByRole('status').filter({ hasText: /Voided|Refund/ }), /Voided|Refund/);
    // what the button did, seen from the payments API: the sale is voided (unsettled) and the customer owes nothing
    const payments = httpAgent(fleet.services['payments']!.url, devKeys.agent);
    await eventually(async () => {
      const list = await payments.get(`/transactions?orderId=${orderId}`);
      expect(list.status).toBe(200);
      expect(list.body.some((t: { voided?: boolean; type: string }) => t.voided === true || t.type === 'VOID')).toBe(true);
      return true;
    }, 'the change to show', { timeoutMs: 30_000 });
    // every event names the user who pressed the button
    const history = httpAgent(fleet.services['projections']!.url, devKeys.agent);
    await eventually(async () => {
      const answer = await history.get(`/customers/${customerId}/history`);
      expect(answer.body.timeline.some((entry: { type: string; actor: { kind: string; id: string } }) => /Void/.test(entry.type) && entry.actor.kind === 'agent' && entry.actor.id === 'dev-agent')).toBe(true);
      return true;
    }, 'the change to show', { timeoutMs: 30_000 });
    await page.close();
  });

  it('says in words why a refund is refused, next to the button', async () => {
    const { orderId } = await customerWithOrder();
    const page = await signedIn();
    await page.goto(`${console_.url}/orders/${orderId}`);
    await page.getByLabel('Refund amount').fill('9999.00');
    await page.getByRole('button', { name: 'Partial refund' }).click();
    await expectText(page.getByRole('alert'), /Partial refund failed: .*(exceed|remain)/i);
    await page.close();
  });

  it('adds a note with the keyboard only', async () => {
    const { customer, customerId } = await customerWithOrder();
    const page = await browser.newPage();
    await page.goto(console_.url);
    // each page puts the focus on its heading; from there the keyboard goes on
    await focused(page, "el.tagName === 'H1'");
    await tabTo(page, "el.id && document.querySelector('label[for=\"' + el.id + '\"]')?.textContent === 'API key'");
    await page.keyboard.type(devKeys.agent);
    await page.keyboard.press('Enter');
    await focused(page, "el.tagName === 'H1' && el.textContent === 'Find a customer'");
    await tabTo(page, "el.type === 'search'");
    await page.keyboard.type(customer.email);
    await page.keyboard.press('Enter');
    await tabTo(page, `el.tagName === 'A' && el.textContent === ${JSON.stringify(`${customer.firstName} ${customer.lastName}`)}`);
    await page.keyboard.press('Enter');
    await focused(page, `el.tagName === 'H1' && el.textContent === ${JSON.stringify(`${customer.firstName} ${customer.lastName}`)}`);
    await tabTo(page, "el.getAttribute('role') === 'tab'");
    await page.keyboard.press('End'); // the last tab: Notes
    await expectText(page.getByRole('tab', { selected: true }), 'Notes');
    await tabTo(page, "el.tagName === 'TEXTAREA'");
    await page.keyboard.type('Customer asked for a call back tomorrow');
    await tabTo(page, "el.tagName === 'BUTTON' && el.textContent === 'Add note'");
    await page.keyboard.press('Enter');
    await expectText(page.getByRole('status').filter({ hasText: 'Note added' }), 'Note added');
    const history = httpAgent(fleet.services['projections']!.url, devKeys.agent);
    await eventually(
      async () => {
        const answer = await history.get(`/customers/${customerId}/history`);
        expect(answer.body.notes.map((note: { message: string }) => note.message)).toContain('Customer asked for a call back tomorrow');
        return true;
      },
      'the note in the history',
      { timeoutMs: 30_000 },
    );
    await page.close();
  });

  it('places a COD order with a discount from the customer page; it appears in the Orders tab and its summary shows the discount', async () => {
    const { customer, customerId } = await customerWithOrder();
    const page = await signedIn();
    await page.goto(`${console_.url}/customers/${customerId}`);
    await page.getByRole('button', { name: 'New order' }).click();
    await expectText(page.getByRole('heading', { level: 1 }), `New order for ${customer.firstName} ${customer.lastName}`);
    // the customer's last campaign is filled in; its products are listed
    await page.getByLabel('Quantity of Console serum').fill('1');
    await page.getByLabel('Cash on delivery (COD)').check();
    await page.getByLabel('Discount amount').fill('5.00');
    await page.getByLabel('Discount reason').fill('late delivery last time');
    await page.getByRole('button', { name: 'Place order' }).click();
    const placed = page.getByRole('status').filter({ hasText: /placed/ });
    await expectText(placed, /Order .+ placed/);
    await shot(page, 'new-order');
    expect(await axeViolations(page)).toEqual([]);
    const orderId = (await placed.getByRole('link').textContent())!.trim();
    // the order reached the customer's history: the Orders tab lists it (the projection follows within a short lag)
    await page.goto(`${console_.url}/customers/${customerId}`);
    await eventually(
      async () => {
        await page.getByRole('tab', { name: 'Orders' }).click();
        if ((await page.getByRole('link', { name: orderId }).count()) === 0) {
          await page.reload();
          return undefined;
        }
        return true;
      },
      'the new order in the Orders tab',
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    await page.getByRole('link', { name: orderId }).click();
    await expectText(page.getByRole('heading', { level: 1 }), `Order ${orderId}`);
    await expectText(page.locator('.card').first(), 'Discount: $5.00');
    await page.getByRole('button', { name: 'Resend email' }).waitFor();
    await page.getByRole('button', { name: 'Upsell' }).waitFor();
    const order = await httpAgent(fleet.services['orders']!.url, devKeys.agent).get(`/orders/${orderId}`);
    expect(order.body).toMatchObject({ customerId, paymentType: 'COD', totals: { discount: 500 } });
    await page.close();
  });

  it('shows a purchase with its actions, history and transactions; Skip trial bills it now', async () => {
    const { orderId } = await customerWithOrder(recurringProductId);
    const subscriptions = httpAgent(fleet.services['subscriptions']!.url, devKeys.agent);
    const purchaseId = await eventually(async () => (await subscriptions.get(`/purchases?orderId=${orderId}`)).body?.[0]?.purchaseId as string | undefined, 'the purchase of the order', {
      timeoutMs: 30_000,
    });
    const page = await signedIn();
    await page.goto(`${console_.url}/purchases/${purchaseId}`);
    await expectText(page.getByRole('heading', { level: 1 }), 'Purchase Console refill');
    for (const action of ['Skip trial', 'Restart trial', 'Force bill', 'Cancel subscription', 'Update purchase']) await page.getByRole('button', { name: action }).waitFor();
    await expectText(page.getByRole('table').filter({ hasText: 'History of the purchase' }), /Started in TRIAL/);
    await expectText(page.getByRole('table').filter({ hasText: 'Charges of the purchase' }), orderId);
    expect(await axeViolations(page)).toEqual([]);
    // a purchase in its trial is not paused: the refusal is said in words next to the button, and nothing changes
    await page.getByRole('button', { name: 'Resume subscription' }).click();
    await expectText(page.getByRole('alert'), /Resume subscription failed: .*not paused/i);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Pause reason').fill('customer travelling');
    await page.getByRole('button', { name: 'Pause subscription' }).click();
    await expectText(page.getByRole('status').filter({ hasText: 'Subscription paused' }), 'no bill until it is resumed');
    // the page read the profile again: its status and history show the pause and the agent who made it
    await expectText(page.locator('.card').first(), 'Status: PAUSED');
    await expectText(page.getByRole('table').filter({ hasText: 'History of the purchase' }), /Paused: customer travelling.*agent: dev-agent/);
    await page.getByRole('button', { name: 'Resume subscription' }).click();
    await expectText(page.getByRole('status').filter({ hasText: 'Subscription resumed' }), /Subscription resumed: TRIAL, next bill \d{4}-\d{2}-\d{2}/);
    await expectText(page.locator('.card').first(), 'Status: TRIAL');
    await expectText(page.getByRole('table').filter({ hasText: 'History of the purchase' }), /Resumed; next bill .*agent: dev-agent/);
    const resumed = await subscriptions.get(`/purchases/${purchaseId}`);
    expect(resumed.body.status).toBe('TRIAL');
    expect(resumed.body.history.map((entry: { type: string }) => entry.type)).toEqual(expect.arrayContaining(['PurchasePaused', 'PurchaseResumed']));
    await shot(page, 'purchase');
    await page.getByRole('button', { name: 'Skip trial' }).click();
    await expectText(page.getByRole('status').filter({ hasText: 'Trial skipped' }), 'Trial skipped');
    // the page reloaded the profile: its history names the agent who pressed the button
    await expectText(page.getByRole('table').filter({ hasText: 'History of the purchase' }), /Trial skipped.*agent: dev-agent/);
    const purchase = await subscriptions.get(`/purchases/${purchaseId}`);
    expect(purchase.body.history.some((entry: { type: string; actor: { id: string } }) => /TrialSkipped/.test(entry.type) && entry.actor.id === 'dev-agent')).toBe(true);
    await page.close();
  });

  it('shows the five services on /ops (admins) and replays a dead letter made by a hostile message', async () => {
    const hostile = new KafkaProbe({ topicPrefix: fleet.topicPrefix });
    // a UUID, not a timestamp: ops read a dead letter's key with card data redacted, and one 13-digit
    // timestamp in ten passes the Luhn check (the key would read `hostile-[REDACTED]`)
    const key = `hostile-${randomUUID()}`;
    const admin = httpAgent(fleet.services['orders']!.url, devKeys.admin);
    interface Letter {
      id: string;
      deadLetter: { source: { key: string | null } } | null;
      replayed: { replays: number; replayedBy: string } | null;
    }
    const letterOf = async (): Promise<Letter | undefined> => ((await admin.get('/ops/dead-letters')).body as Letter[]).find((entry) => entry.deadLetter?.source.key === key);
    try {
      await hostile.publishRaw(Topics.ordersIntake, key, '{"type":"PlaceOrder","clientOrderId":');
    } finally {
      await hostile.stop();
    }
    await eventually(letterOf, 'the hostile message dead-lettered', { timeoutMs: 30_000, intervalMs: 500 }).catch((error: Error) => {
      // what orders printed says whether its intake group took the message and why no letter came
      error.message += `\n\norders printed last:\n${fleet.services['orders']!.output.join('').split('\n').slice(-30).join('\n')}`;
      throw error;
    });

    const page = await signedIn(devKeys.admin);
    await page.getByRole('link', { name: 'Operations' }).click();
    await expectText(page.getByRole('heading', { level: 1 }), 'Operations');
    for (const service of ['orders', 'payments', 'fulfillment', 'subscriptions', 'projections']) await page.getByRole('heading', { level: 2, name: service, exact: true }).waitFor();
    await expectText(page.getByRole('heading', { level: 2, name: 'orders', exact: true }).locator('..'), /Lag \d+ · outbox \d+ .*dead letters [1-9]/);
    await page.getByText('Queues, consumer groups, outbox and sweepers of orders').click();
    await expectText(page.getByRole('table').filter({ hasText: 'Consumer groups of orders' }), 'orders.intake.v1');
    const row = page.getByRole('row').filter({ hasText: key });
    await row.getByRole('button', { name: 'Replay', exact: true }).click();
    await expectText(row.getByRole('status'), /Replayed to .*orders\.intake\.v1/);
    // the list read again shows who replayed it
    await expectText(row.first(), /1× by admin:dev-admin/);
    await shot(page, 'ops');
    expect(await axeViolations(page)).toEqual([]);
    const replayed = await letterOf();
    expect(replayed?.replayed).toMatchObject({ replays: 1, replayedBy: 'admin:dev-admin' });
    await page.close();
  });

  it('names a failed job of a service on /ops and retries it from the page', async () => {
    // a charge job with no charge in it: the payments process's worker takes it and fails it
    const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    const charges = createQueue('charges', redis, { prefix: `e2e-${fleet.run}` });
    const jobId = `ui-broken-${randomUUID()}`;
    const triesOf = async (): Promise<{ tries: number; state: string } | undefined> => {
      const job = await charges.getJob(jobId);
      return job ? { tries: job.attemptsMade, state: await job.getState() } : undefined;
    };
    try {
      await charges.add('charge', {}, { jobId, attempts: 1 });
      await eventually(async () => ((await triesOf())?.state === 'failed' ? true : undefined), 'the job failed', { timeoutMs: 30_000, intervalMs: 300 });

      const page = await signedIn(devKeys.admin);
      await page.getByRole('link', { name: 'Operations' }).click();
      const failedJobs = page.getByRole('table').filter({ hasText: 'Failed jobs in charges' });
      const row = failedJobs.getByRole('row').filter({ hasText: jobId });
      await expectText(row, /charge.*Cannot read properties of undefined/);
      await page.getByRole('button', { name: `Retry job ${jobId}`, exact: true }).click();
      await expectText(page.getByRole('status').filter({ hasText: `Job ${jobId} is` }), new RegExp(`Job ${jobId} is (waiting|active|failed) again`));
      // the service ran it again (a second try) and it failed again: its cause is in the job
      await eventually(async () => {
        const now = await triesOf();
        return now?.tries === 2 && now.state === 'failed' ? true : undefined;
      }, 'the retried job tried again', { timeoutMs: 30_000, intervalMs: 300 });
      await page.getByRole('button', { name: 'Refresh' }).click();
      await expectText(page.getByRole('table').filter({ hasText: 'Failed jobs in charges' }).getByRole('row').filter({ hasText: jobId }).getByRole('cell').nth(3), '2');
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole('button', { name: `Remove job ${jobId}`, exact: true }).click();
      await expectText(page.getByRole('status').filter({ hasText: `Job ${jobId} removed` }), `Job ${jobId} removed.`);
      expect(await charges.getJob(jobId)).toBeUndefined();
      await page.close();
    } finally {
      await charges.remove(jobId).catch(() => undefined);
      await charges.close();
      redis.disconnect();
    }
  });

  it('draws the actions per agent from the events, as of a past day, and downloads them as CSV with the user\'s key', async () => {
    await customerWithOrder();
    // the reports read model is fed by a consumer group of its own: wait until it has counted the agent's order
    const reports = httpAgent(fleet.services['projections']!.url, devKeys.agent);
    await eventually(async () => {
      const report = await reports.get('/reports/agent-actions');
      return (report.body?.rows as Array<{ agent: string; action: string; count: number }> | undefined)?.find((row) => row.agent === 'dev-agent' && row.action === 'OrderPlaced');
    }, 'the agent\'s order counted in the report', { timeoutMs: 30_000, intervalMs: 500 });

    const page = await signedIn();
    await page.getByRole('link', { name: 'Reports' }).click();
    await expectText(page.getByRole('heading', { level: 1 }), 'Reports');
    await page.getByLabel('Report').selectOption('agent-actions');
    await page.getByRole('img', { name: /Actions per agent/ }).waitFor();
    const rows = page.getByRole('table', { name: /Customer-service actions per agent: the rows/ });
    await expectText(rows.getByRole('row').filter({ hasText: 'OrderPlaced' }).filter({ hasText: 'dev-agent' }), /dev-agent\s*agent\s*OrderPlaced\s*[1-9]/);
    await shot(page, 'reports');
    expect(await axeViolations(page)).toEqual([]);

    // two days before any event of this run: the report as it stood then has none of them
    const past = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('As of').fill(past);
    await rows.getByRole('cell', { name: 'dev-agent' }).first().waitFor({ state: 'detached' });
    await expectText(page.getByText(/^As of /), past);

    await page.getByLabel('As of').fill('');
    await rows.getByRole('cell', { name: 'dev-agent' }).first().waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8').split('\r\n');
    expect(csv[0]).toBe('agent,role,action,count');
    expect(csv).toContainEqual(expect.stringMatching(/^dev-agent,agent,OrderPlaced,[1-9]\d*$/));
    await page.close();
  });

  it('pages through the refund queue with Next page and Previous page', async () => {
    // a charge whose void the gateway refuses, refunded before it settles: its refund waits in the queue
    const payments = httpAgent(fleet.services['payments']!.url, devKeys.agent);
    for (let i = 0; i < 2; i++) {
      const { orderId } = await customerWithOrder(productId, '4000000000000424');
      const refund = await payments.post(`/orders/${orderId}/refund`, {});
      expect(refund.body).toMatchObject({ action: 'REFUND', status: 'QUEUED', voidFailed: true });
    }
    const queue = (await payments.get('/refunds?status=QUEUED&limit=200')).body as Array<{ refundId: string }>;
    expect(queue.length).toBeGreaterThanOrEqual(2);
    const [first, second] = [queue[0]!.refundId, queue[1]!.refundId];
    const page = await signedIn();
    // one refund a page (the page size comes from the address; 50 without it)
    await page.goto(`${console_.url}/refunds?limit=1`);
    const table = page.getByRole('table').filter({ hasText: 'Refunds waiting for a retry' });
    await expectText(table, first);
    expect(await table.getByRole('cell', { name: second, exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Previous page' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Next page' }).click();
    await expectText(table, second);
    expect(await table.getByRole('cell', { name: first, exact: true }).count()).toBe(0);
    await expectText(page.getByRole('navigation', { name: 'Pages of refunds' }).getByRole('status'), 'Page 2: refunds 2–2');
    await shot(page, 'refunds');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await expectText(table, first);
    await expectText(page.getByRole('navigation', { name: 'Pages of refunds' }).getByRole('status'), 'Page 1: refunds 1–1');
    await page.close();
  });

  it('has no serious accessibility violation on the search, customer, order and queue pages', async () => {
    const { customer, customerId, orderId } = await customerWithOrder();
    const page = await signedIn();
    await page.goto(`${console_.url}/?q=${encodeURIComponent(customer.email)}`);
    await page.getByRole('table').waitFor();
    await shot(page, 'search');
    const found: Record<string, string[]> = { search: await axeViolations(page) };
    await page.goto(`${console_.url}/customers/${customerId}`);
    await page.getByRole('tab', { name: 'Timeline' }).waitFor();
    found['customer'] = await axeViolations(page);
    await page.goto(`${console_.url}/orders/${orderId}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    found['order'] = await axeViolations(page);
    await page.goto(`${console_.url}/refunds`);
    await page.getByRole('heading', { name: 'Refund queue' }).waitFor();
    found['refunds'] = await axeViolations(page);
    await page.goto(`${console_.url}/qa`);
    await page.getByRole('heading', { name: 'QA queue' }).waitFor();
    await page.getByText(/No order is waiting for QA|Orders held for QA/).first().waitFor();
    found['qa'] = await axeViolations(page);
    expect(found).toEqual({ search: [], customer: [], order: [], refunds: [], qa: [] });
    await page.close();
  });
});

/** Waits until the focused element (`el` in `test`, a JavaScript expression) is the one described. */
async function focused(page: Page, test: string): Promise<void> {
  await page.waitForFunction(`(() => { const el = document.activeElement; return !!el && (${test}); })()`, undefined, { timeout: 30_000 });
}

/** Presses Tab, as a keyboard user does, until the focused element is the one described (at most 30 presses). */
async function tabTo(page: Page, test: string): Promise<void> {
  for (let presses = 0; presses < 30; presses++) {
    // the page may still be rendering what the last key did: wait for the element to exist first
    const there = await page.evaluate(`(() => { const el = document.activeElement; return !!el && (${test}); })()`);
    if (there) return;
    await page.keyboard.press('Tab');
    await page.waitForTimeout(50);
  }
  throw new Error(`30 presses of Tab did not reach the element where ${test}`);
}

/** Waits (bounded) until the locator's text matches. */
async function expectText(locator: import('playwright-core').Locator, expected: string | RegExp): Promise<void> {
  await locator.first().waitFor({ timeout: 30_000 });
  await eventually(async () => {
    const text = (await locator.allTextContents()).join(' | ');
    if (typeof expected === 'string') expect(text).toContain(expected);
    else expect(text).toMatch(expected);
      return true;
    }, 'the change to show', { timeoutMs: 30_000 });
}
