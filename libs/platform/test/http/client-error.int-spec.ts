import { connect, AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { Controller, Get, Module, Query } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { PLATFORM_CONNECTION, RequiresOneOf, Roles, SchemaField, configureApp, createLogger, createNestApp, loadPlatformConfig } from '../../src';

/**
 * What Node's HTTP parser refuses before Express sees a request (headers over its 16 KB limit, a
 * malformed request line or header) is answered as problem+json with a fresh X-Correlation-Id, as
 * every other error is; and a list that needs one of its filters says so in its document and in its 400.
 */

class ThingsQueryDto {
  @SchemaField({ type: 'string', minLength: 1, maxLength: 20 }, { optional: true })
  owner?: string;

  @SchemaField({ type: 'string', enum: ['NEW', 'OLD'] }, { optional: true })
  status?: string;
}

@Controller('things')
class ThingsController {
  @Get()
  @Roles('agent')
  @RequiresOneOf('owner', 'status')
  list(@Query() query: ThingsQueryDto) {
    return [{ owner: query.owner ?? null, status: query.status ?? null }];
  }
}

// no idempotent POSTs here: the store's connection is left out
@Module({ controllers: [ThingsController], providers: [{ provide: PLATFORM_CONNECTION, useValue: null }] })
class ThingsModule {}

interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

describe('HTTP bootstrap: the answers Node gives itself are problem+json too', () => {
  let app: NestExpressApplication;
  let port: number;

  /** Writes `raw` bytes on a fresh connection and reads until the server closes it. */
  const sendRaw = (raw: string): Promise<RawAnswer> =>
    new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('error', reject);
      socket.on('close', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const [head, ...rest] = text.split('\r\n\r\n');
        const [statusLine, ...headerLines] = head.split('\r\n');
        const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
        resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
      });
      socket.write(raw);
    });

  const expectProblem = (answer: RawAnswer, status: number) => {
    expect({ status: answer.status, type: answer.headers['content-type'] }).toEqual({ status, type: 'application/problem+json' });
    expect(JSON.parse(answer.body)).toEqual({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) });
    expect(answer.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.body));
  };

  beforeAll(async () => {
    const config = loadPlatformConfig('client-error-it', { API_KEYS: 'alice:agent:key-agent' });
    const options = { config, title: 'Client error test', logger: createLogger('client-error-it', 'error', new Writable({ write: (_c, _e, done) => done() })) };
    app = configureApp(await createNestApp(ThingsModule, options), options);
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('headers over the server limit are 431 problem+json with an X-Correlation-Id', async () => {
    const answer = await sendRaw(`GET /things?owner=ann HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer key-agent\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`);
    expectProblem(answer, 431);
    expect(answer.headers['connection']).toBe('close');
  });

  it('a malformed request line or header is 400 problem+json, each with a correlation id of its own', async () => {
    const badLine = await sendRaw('THIS IS NOT HTTP\r\n\r\n');
    const badHeader = await sendRaw('GET /things HTTP/1.1\r\nHost: localhost\r\nNo colon here\r\n\r\n');
    expectProblem(badLine, 400);
    expectProblem(badHeader, 400);
    expect(badLine.headers['x-correlation-id']).not.toBe(badHeader.headers['x-correlation-id']);
  });

  it('the server keeps answering well-formed requests after refusing those', async () => {
    const answer = await sendRaw('GET /things?status=NEW HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer key-agent\r\nConnection: close\r\n\r\n');
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('"status":"NEW"');
  });

  it('a list without any of its required filters is 400 problem+json naming each; its document says so', async () => {
    const answer = await sendRaw('GET /things HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer key-agent\r\nX-Correlation-Id: filters-1\r\nConnection: close\r\n\r\n');
    expect({ status: answer.status, type: answer.headers['content-type'], correlation: answer.headers['x-correlation-id'] }).toEqual({
      status: 400,
      type: expect.stringMatching(/^application\/problem\+json/),
      correlation: 'filters-1',
    });
    expect(JSON.parse(answer.body).errors.map((e: { field: string }) => e.field)).toEqual(['owner', 'status']);

    const document = JSON.parse((await sendRaw('GET /docs-json HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n')).body);
    const list = document.paths['/things'].get;
    expect(list['x-requires-one-of']).toEqual(['owner', 'status']);
    expect(list.description).toContain('at least one of the query parameters `owner`, `status`');
    expect(list.parameters.filter((p: { in: string }) => p.in === 'query')).toEqual([
      expect.objectContaining({ name: 'owner', required: false, schema: expect.objectContaining({ minLength: 1, maxLength: 20 }) }),
      expect.objectContaining({ name: 'status', required: false, schema: expect.objectContaining({ enum: ['NEW', 'OLD'] }) }),
    ]);
  });

  it('without a key the filters are not looked at: 401 comes first', async () => {
    const answer = await sendRaw('GET /things HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    expect(answer.status).toBe(401);
  });
});
