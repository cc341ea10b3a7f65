import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Browser, chromium } from 'playwright-core';
import { Topics } from '@continuum/contracts';
import { devKeys, eventually, freePort, httpAgent, KafkaProbe, launchService, ServiceProcess, waitForHealth } from '@continuum/testing';
import { ServiceFleet, startServices } from '../e2e/support/service-processes';

/**
 * The console's /reports page in Chromium, on the projections service alone (the reports are its
 * reads; the events come in as the other services publish them): a report drawn as a chart named
 * for a screen reader with its rows as a table, "As of" a past day, "Download CSV".
 */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

jest.setTimeout(120_000);

describe('console reports (Chromium)', () => {
  let fleet: ServiceFleet;
  let console_: ServiceProcess;
  let browser: Browser;

  beforeAll(async () => {
    // Chromium starts while the service does
    const launching = chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    fleet = await startServices(['projections']);
    console_ = launchService('console', await freePort(), { PROJECTIONS_URL: fleet.services['projections']!.url });
    await waitForHealth(console_, 60_000, { consumers: false });
    browser = await launching;
  });

  afterAll(async () => {
    await browser?.close();
    await console_?.stop();
    await fleet?.stop();
  });

  it('draws a report with a title and its rows, as of a past day, and downloads it as CSV', async () => {
    const agent = { kind: 'agent', id: 'report-agent' } as const;
    const reason = 'customer moved abroad';
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
    const probe = new KafkaProbe({ topicPrefix: fleet.topicPrefix });
    try {
      for (const [order, days] of [['o-r1', 3], ['o-r2', 1], ['o-r3', 1]] as const) {
        const orderId = `${order}-${fleet.run}`;
        await probe.publishEnvelope(Topics.ordersEvents, {
          eventId: randomUUID(),
          type: 'OrderCancelled',
          version: 1,
          streamId: `order-${orderId}`,
          streamVersion: 1,
          occurredAt: daysAgo(days),
          correlationId: randomUUID(),
          causationId: null,
          actor: agent,
          data: { orderId, customerId: 'c-r1', paymentType: 'CARD', reason, fullRefund: false, previousStatus: 'COMPLETE', refundableAmount: 0 },
        });
      }
    } finally {
      await probe.stop();
    }
    const projections = httpAgent(fleet.services['projections']!.url, devKeys.agent);
    await eventually(async () => ((await projections.get('/reports/cancellations')).body?.rows?.length === 2 ? true : undefined), 'the cancellations in the report', { timeoutMs: 30_000 });

    const page = await browser.newPage();
    await page.goto(console_.url);
    await page.getByLabel('API key').fill(devKeys.agent);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
    await page.getByLabel('Report').selectOption('cancellations');
    const chart = page.getByRole('img', { name: /Cancellations per day/ });
    await chart.waitFor();
    expect(await chart.getAttribute('aria-labelledby')).toBeTruthy();
    const table = page.getByRole('table', { name: /the rows/ });
    expect(await table.getByRole('row').count()).toBe(3); // header + two days
    expect(await table.getByRole('cell', { name: '2', exact: true }).count()).toBe(1);

    // as of two days ago: only the first cancellation had happened
    await page.getByLabel('As of').fill(daysAgo(2).slice(0, 10));
    await page.getByRole('cell', { name: daysAgo(3).slice(0, 10) }).waitFor();
    await eventually(async () => ((await table.getByRole('row').count()) === 2 ? true : undefined), 'the report as of two days ago', { timeoutMs: 10_000, intervalMs: 100 });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('day,kind,reason,count');
    expect(csv).toContain(`${daysAgo(3).slice(0, 10)},ORDER,${reason},1`);
    expect(csv).not.toContain(daysAgo(1).slice(0, 10));

    await page.getByLabel('Report').selectOption('agent-actions');
    await page.getByRole('img', { name: /Actions per agent/ }).waitFor();
    await page.close();
  });
});
