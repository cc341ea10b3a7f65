import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Browser, chromium } from 'playwright-core';
import { devKeys, freePort, launchService, ServiceProcess, waitForHealth } from '@continuum/testing';

/**
 * The console's /reports page in Chromium. The console alone, in front of a stand-in for the
 * projections service that answers `GET /reports/<name>` as docs/projections.md says (the real
 * endpoint, from real events, is proved by services/projections/test/projections.int-spec.ts):
 * what the page asks for (the report, As of, the CSV with the user's key) and how it shows the
 * answer (a chart named for a screen reader, the rows as a table). Starts no service but the console,
 * to stay within seconds.
 */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const SCREENSHOTS = process.env['CONSOLE_SCREENSHOTS'];
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

jest.setTimeout(60_000);

/** The rows the stand-in answers: as of a day before 2026-03-03 only the first cancellation. */
function cancellations(asOf: string | null) {
  const rows = [
    { day: '2026-03-01', kind: 'ORDER', reason: 'customer moved abroad', count: 1 },
    { day: '2026-03-03', kind: 'PURCHASE', reason: 'too expensive', count: 2 },
  ].filter((row) => asOf === null || row.day <= asOf.slice(0, 10));
  return { report: 'cancellations', asOf: asOf ?? '2026-03-05T12:00:00.000Z', from: '2026-02-04', to: '2026-03-05', columns: ['day', 'kind', 'reason', 'count'], rows };
}

describe('console reports (Chromium)', () => {
  let projections: Server;
  let console_: ServiceProcess;
  let browser: Browser;
  const asked: Array<{ url: string; authorization?: string }> = [];

  beforeAll(async () => {
    projections = createServer((request: IncomingMessage, response) => {
      asked.push({ url: request.url ?? '', authorization: request.headers.authorization });
      const url = new URL(request.url ?? '/', 'http://stand-in');
      const asOf = url.searchParams.get('asOf');
      if (url.pathname === '/reports/cancellations' && url.searchParams.get('format') === 'csv') {
        const report = cancellations(asOf);
        response.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });
        response.end([report.columns.join(','), ...report.rows.map((row) => report.columns.map((column) => String(row[column as keyof typeof row])).join(','))].join('\r\n') + '\r\n');
      } else if (url.pathname === '/reports/cancellations') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(cancellations(asOf)));
      } else if (url.pathname === '/reports/agent-actions') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ report: 'agent-actions', asOf: '2026-03-05T12:00:00.000Z', from: '2026-02-04', to: '2026-03-05', columns: ['agent', 'role', 'action', 'count'], rows: [{ agent: 'alice', role: 'agent', action: 'OrderCancelled', count: 3 }] }));
      } else {
        response.writeHead(404, { 'content-type': 'application/problem+json' });
        response.end(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'no such report' }));
      }
    });
    await new Promise<void>((resolve) => projections.listen(0, '127.0.0.1', resolve));
    const launching = chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    console_ = launchService('console', await freePort(), { PROJECTIONS_URL: `http://127.0.0.1:${(projections.address() as AddressInfo).port}` });
    await waitForHealth(console_, 60_000, { consumers: false });
    browser = await launching;
  });

  afterAll(async () => {
    await browser?.close();
    await console_?.stop();
    await new Promise((resolve) => projections?.close(resolve));
  });

  it('draws a report with a title and its rows, as of a past day, and downloads it as CSV with the user\'s key', async () => {
    const page = await browser.newPage();
    await page.goto(console_.url);
    await page.getByLabel('API key').fill(devKeys.agent);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
    expect(await page.getByLabel('Report').inputValue()).toBe('cancellations');
    const chart = page.getByRole('img', { name: /Cancellations per day/ });
    await chart.waitFor();
    // the chart says its values in words (its description), and the rows follow as a table
    expect(await page.locator('svg desc').textContent()).toBe('2026-03-01: 1; 2026-03-03: 2');
    const table = page.getByRole('table', { name: /the rows/ });
    expect(await table.getByRole('row').count()).toBe(3);
    await table.getByRole('cell', { name: 'too expensive' }).waitFor();
    if (SCREENSHOTS) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, 'reports.png'), fullPage: true });
    }

    await page.getByLabel('As of').fill('2026-03-02');
    await page.getByRole('cell', { name: 'too expensive' }).waitFor({ state: 'detached' });
    expect(await table.getByRole('row').count()).toBe(2);
    expect(asked.map((request) => request.url)).toContain('/reports/cancellations?asOf=2026-03-02');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toBe('day,kind,reason,count\r\n2026-03-01,ORDER,customer moved abroad,1\r\n');
    expect(download.suggestedFilename()).toBe('cancellations-2026-03-02.csv');
    expect(asked.find((request) => request.url === '/reports/cancellations?asOf=2026-03-02&format=csv')?.authorization).toBe(`Bearer ${devKeys.agent}`);

    await page.getByLabel('Report').selectOption('agent-actions');
    await page.getByRole('img', { name: /Actions per agent/ }).waitFor();
    // no serious or critical accessibility violation (axe, as the console spec scans its pages)
    await page.addScriptTag({ content: readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') });
    const scan = (await page.evaluate('axe.run(document)')) as { violations: Array<{ id: string; impact: string }> };
    expect(scan.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    await page.close();
  });
});
