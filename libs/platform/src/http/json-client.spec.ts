import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { callService, requestJson } from './json-client';

describe('requestJson', () => {
  let server: Server;
  let base: string;
  const seen: Array<{ method?: string; url?: string; headers: Record<string, unknown>; body: string }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body });
        if (req.url === '/slow') return void setTimeout(() => res.end('{}'), 2_000);
        if (req.url === '/text') return void res.end('not json');
        res.statusCode = req.url === '/missing' ? 404 : 201;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ echo: body ? JSON.parse(body) : null }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the body as JSON with the given headers and answers the status and the parsed body', async () => {
    const answer = await requestJson(`${base}/cards`, { method: 'POST', headers: { authorization: 'Bearer k' }, body: { a: 1 } });
    expect(answer).toEqual({ status: 201, body: { echo: { a: 1 } } });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/cards', headers: { authorization: 'Bearer k', 'content-type': 'application/json' } });
    // any status resolves; a body that is no JSON is undefined
    expect(await requestJson(`${base}/missing`)).toEqual({ status: 404, body: { echo: null } });
    expect(await requestJson(`${base}/text`)).toEqual({ status: 200, body: undefined });
  });

  it('rejects when the server does not answer in time or cannot be reached', async () => {
    await expect(requestJson(`${base}/slow`, { timeoutMs: 200 })).rejects.toThrow(/within 200 ms|went silent/);
    await expect(requestJson('http://127.0.0.1:1/nothing', { timeoutMs: 1_000 })).rejects.toThrow();
  });

  it('callService sends the API key and the correlation id, resolves any status, and throws what `unreachable` makes of a failed call', async () => {
    const answer = await callService(`${base}/cards`, { method: 'POST', apiKey: 'svc-key', correlationId: 'corr-1', body: { b: 2 } }, () => new Error('not used'));
    expect(answer).toEqual({ status: 201, body: { echo: { b: 2 } } });
    expect(seen.at(-1)).toMatchObject({ url: '/cards', headers: { authorization: 'Bearer svc-key', 'x-correlation-id': 'corr-1' } });
    expect((await callService(`${base}/missing`, { apiKey: 'k', correlationId: 'c' }, () => new Error('not used'))).status).toBe(404);

    const causes: unknown[] = [];
    const unreachable = (error: unknown) => {
      causes.push(error);
      return new Error('payments cannot be reached');
    };
    await expect(callService(`${base}/slow`, { apiKey: 'k', correlationId: 'c', timeoutMs: 100 }, unreachable)).rejects.toThrow('payments cannot be reached');
    await expect(callService('http://127.0.0.1:1/nothing', { apiKey: 'k', correlationId: 'c' }, unreachable)).rejects.toThrow('payments cannot be reached');
    expect(causes).toHaveLength(2);
    expect(String(causes[0])).toMatch(/within 100 ms|went silent/);
  });
});

