import { AddressInfo } from 'node:net';
import { createServer, IncomingMessage, Server } from 'node:http';
import { consoleServer, consoleSettings } from './console-server';

/** Listens on a free loopback port; resolves with the base URL. */
async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('console settings', () => {
  it('defaults to port 3000 and the five services on their ports', () => {
    const settings = consoleSettings({});
    expect(settings.port).toBe(3000);
    expect(settings.services).toEqual({
      orders: 'http://127.0.0.1:3001',
      payments: 'http://127.0.0.1:3002',
      fulfillment: 'http://127.0.0.1:3003',
      subscriptions: 'http://127.0.0.1:3004',
      projections: 'http://127.0.0.1:3005',
    });
  });

  it('names the variable that is wrong', () => {
    expect(() => consoleSettings({ CONSOLE_PORT: 'x' })).toThrow(/CONSOLE_PORT/);
    expect(() => consoleSettings({ PAYMENTS_URL: 'payments:3002' })).toThrow(/PAYMENTS_URL/);
    expect(() => consoleSettings({ CONSOLE_UPSTREAM_TIMEOUT_MS: '0' })).toThrow(/CONSOLE_UPSTREAM_TIMEOUT_MS/);
    expect(consoleSettings({ ORDERS_URL: 'http://orders:3001/' }).services.orders).toBe('http://orders:3001');
  });
});

describe('console server', () => {
  const seen: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = [];
  let upstream: Server;
  let console_: Server;
  let base: string;

  beforeAll(async () => {
    // a stand-in for one service: answers what it was asked, as JSON
    upstream = createServer(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const status = req.url!.startsWith('/orders/o-9') ? 422 : 200;
      res.writeHead(status, { 'content-type': status === 200 ? 'application/json' : 'application/problem+json', 'x-correlation-id': 'corr-1' });
      res.end(JSON.stringify(status === 200 ? { ok: true } : { status, code: 'REFUND_EXCEEDS_REMAINING', detail: 'Only $10.00 is left to refund.' }));
    });
    const upstreamUrl = await listen(upstream);
    const settings = consoleSettings({ ORDERS_URL: upstreamUrl, PAYMENTS_URL: 'http://127.0.0.1:1', CONSOLE_UPSTREAM_TIMEOUT_MS: '2000' });
    console_ = consoleServer(settings);
    base = await listen(console_);
  });

  afterAll(async () => {
    await new Promise((resolve) => console_.close(resolve));
    await new Promise((resolve) => upstream.close(resolve));
  });

  it('passes a call on to its service with the caller’s key, body and idempotency key, and hands back the answer', async () => {
    const answer = await fetch(`${base}/api/orders/customers/c-1/notes?x=1`, {
      method: 'POST',
      headers: { authorization: 'Bearer dev-agent', 'content-type': 'application/json', 'idempotency-key': 'k-1', cookie: 'secret=1' },
      body: JSON.stringify({ message: 'hello' }),
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-correlation-id')).toBe('corr-1');
    expect(await answer.json()).toEqual({ ok: true });
    const call = seen.at(-1)!;
    expect(call).toMatchObject({ method: 'POST', url: '/customers/c-1/notes?x=1', body: '{"message":"hello"}' });
    expect(call.headers).toMatchObject({ authorization: 'Bearer dev-agent', 'idempotency-key': 'k-1' });
    expect(call.headers.cookie).toBeUndefined();
  });

  it('hands a refusal back as it came (status and problem)', async () => {
    const answer = await fetch(`${base}/api/orders/orders/o-9/cancel`, { method: 'POST', headers: { authorization: 'Bearer dev-agent' } });
    expect(answer.status).toBe(422);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(await answer.json()).toMatchObject({ code: 'REFUND_EXCEEDS_REMAINING' });
  });

  it('answers 502 naming the service when it cannot be reached, and 404 for a service it does not know', async () => {
    const down = await fetch(`${base}/api/payments/transactions`);
    expect(down.status).toBe(502);
    expect(((await down.json()) as { detail: string }).detail).toContain('http://127.0.0.1:1');
    const unknown = await fetch(`${base}/api/ledger/x`);
    expect(unknown.status).toBe(404);
  });

  it('serves the app for every page path, its files, and nothing outside its folder', async () => {
    for (const path of ['/', '/customers/c-1', '/qa']) {
      const page = await fetch(`${base}${path}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
    }
    const script = await fetch(`${base}/app/app.js`);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect((await fetch(`${base}/vendor/preact.js`)).status).toBe(200);
    expect((await fetch(`${base}/app/..%2f..%2fpackage.json`)).status).toBe(404);
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });

  it('serves the new pages as the app, and every module the app imports, page files included', async () => {
    for (const path of ['/ops', '/purchases/p-1', '/customers/c-1/orders/new']) expect(await (await fetch(`${base}${path}`)).text()).toContain('<div id="root">');
    // the app's relative imports, followed from app.js: each one answers as JavaScript (a missing file would break the app in the browser)
    const seenModules = new Set<string>();
    const follow = async (path: string): Promise<void> => {
      if (seenModules.has(path)) return;
      seenModules.add(path);
      const answer = await fetch(`${base}${path}`);
      expect({ path, status: answer.status, type: answer.headers.get('content-type') }).toEqual({ path, status: 200, type: 'text/javascript; charset=utf-8' });
      const source = await answer.text();
      for (const [, relative] of source.matchAll(/^import [^;]+ from '(\.{1,2}\/[^']+)';$/gm)) await follow(new URL(relative!, `http://console${path}`).pathname);
    };
    await follow('/app/app.js');
    expect([...seenModules]).toEqual(expect.arrayContaining(['/app/ui.js', '/app/pages/ops.js', '/app/pages/new-order.js', '/app/pages/purchase.js', '/app/pages/order-extras.js']));
  });

  it('passes a DELETE on (removing a failed job on /ops)', async () => {
    const answer = await fetch(`${base}/api/orders/ops/queues/charges/jobs/7`, { method: 'DELETE', headers: { authorization: 'Bearer dev-admin' } });
    expect(answer.status).toBe(200);
    expect(seen.at(-1)).toMatchObject({ method: 'DELETE', url: '/ops/queues/charges/jobs/7' });
  });
});
