import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import request from 'supertest';
import { createLogger } from '../observability';
import { correlationIdHeaderMiddleware } from './correlation-id.middleware';
import { PlatformRequest, PlatformResponse } from './platform-request';
import { nestLogger, requestLogger } from './request-logging';
import { capturedLog } from '@continuum/testing';

/** A bare HTTP server with the correlation id and access log middlewares, answering `status` (and an actor when asked). */
function serverLoggingTo(level: string, stream: Writable, status: number): Server {
  const log = requestLogger(createLogger('orders', level, stream));
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const platformRequest = req as unknown as PlatformRequest;
    const platformResponse = res as unknown as PlatformResponse;
    correlationIdHeaderMiddleware(platformRequest, platformResponse, () =>
      log(platformRequest, platformResponse, () => {
        if (req.headers['x-act-as']) platformRequest.platformContext!.actor = { kind: 'agent', id: String(req.headers['x-act-as']) };
        res.statusCode = status;
        res.end('{}');
      }),
    );
  });
}

/** The access line, once the response finished (supertest resolves on the response; the line follows on 'finish'). */
async function accessLine(lines: Record<string, unknown>[]): Promise<Record<string, unknown>> {
  for (let tick = 0; tick < 50 && lines.length === 0; tick += 1) await new Promise((resolve) => setImmediate(resolve));
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('requestLogger (pino-http over the service logger)', () => {
  it('writes one line per answered request with the correlation id, the actor, method, url, status and time', async () => {
    const { lines, stream } = capturedLog();
    await request(serverLoggingTo('info', stream, 201)).post('/orders?page=2').set('X-Correlation-Id', 'corr-9').set('X-Act-As', 'alice').expect(201);
    const line = await accessLine(lines);
    expect(line).toMatchObject({
      level: 'info',
      service: 'orders',
      msg: 'request completed',
      correlationId: 'corr-9',
      actor: { kind: 'agent', id: 'alice' },
      req: { id: 'corr-9', method: 'POST', url: '/orders?page=2' },
      res: { statusCode: 201 },
      responseTime: expect.any(Number),
    });
  });

  it('never writes a header (no Authorization, no API key) nor card data in the url', async () => {
    const { lines, stream } = capturedLog();
    await request(serverLoggingTo('info', stream, 200))
      .get('/cards/4111111111111111?page=2&CVV=7391&number=4000%200000&status=OPEN')
      .set('Authorization', 'Bearer key-alice')
      .set('X-Api-Key', 'key-bob')
      .expect(200);
    const line = await accessLine(lines);
    expect(JSON.stringify(line)).not.toMatch(/key-alice|key-bob|4111111111111111|7391|4000|headers/i);
    expect(line).toMatchObject({ req: { url: '/cards/[REDACTED]?page=2&CVV=[REDACTED]&number=[REDACTED]&status=OPEN' } });
  });

  it('a server error is an error line, without a made-up error of its own', async () => {
    const { lines, stream } = capturedLog();
    await request(serverLoggingTo('info', stream, 503)).get('/health').expect(503);
    const line = await accessLine(lines);
    expect(line).toMatchObject({ level: 'error', msg: 'request errored', res: { statusCode: 503 }, correlationId: expect.any(String) });
    expect(line).not.toHaveProperty('err');
  });

  it('LOG_LEVEL silent writes nothing', async () => {
    const { lines, stream } = capturedLog();
    await request(serverLoggingTo('silent', stream, 200)).get('/orders').expect(200);
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual([]);
  });
});

describe('nestLogger (nestjs-pino over the service logger)', () => {
  it("writes Nest's own messages as JSON with their context, and an error with its stack", () => {
    const { lines, stream } = capturedLog();
    const logger = nestLogger(createLogger('orders', 'info', stream));
    logger.log('Mapped {/orders, POST} route', 'RouterExplorer');
    logger.error('boom', 'Error: boom\n    at handler (orders.ts:1:1)', 'ExceptionsHandler');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', service: 'orders', msg: 'Mapped {/orders, POST} route', context: 'RouterExplorer' }),
      expect.objectContaining({ level: 'error', service: 'orders', context: 'ExceptionsHandler', err: expect.objectContaining({ message: 'boom', stack: 'Error: boom\n    at handler (orders.ts:1:1)' }) }),
    ]);
  });
});
