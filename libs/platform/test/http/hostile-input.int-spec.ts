import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { Body, Controller, Get, HttpCode, Module, Param, Post } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsString, Min } from 'class-validator';
import mongoose, { Connection } from 'mongoose';
import { IsOmittable, PLATFORM_CONNECTION, Roles, configureApp, createLogger, createNestApp, loadPlatformConfig } from '../../src';

/**
 * The shared HTTP bootstrap against hostile input (oversized, malformed and deeply nested bodies; docs/api-limits.md), with a tiny app of
 * two money-moving routes: nothing may reach a handler unless its body was read as JSON.
 */

class RefundDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @IsInt()
  @Min(1)
  amount?: number;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  reason?: string;
}

class NamedDto {
  @ApiProperty()
  @IsString()
  name!: string;
}

/** Every body a handler saw, so a test can tell that a refused request ran nothing. */
const handled: { route: string; body: unknown }[] = [];

@Controller('charges')
class ChargesController {
  @Roles('agent', 'admin')
  @Post(':id/refund')
  @HttpCode(200)
  refund(@Param('id') id: string, @Body() dto: RefundDto) {
    handled.push({ route: 'refund', body: { ...dto } });
    return { id, refunded: dto.amount ?? 'everything that remains' };
  }

  @Roles('admin')
  @Post()
  create(@Body() dto: NamedDto) {
    handled.push({ route: 'create', body: { ...dto } });
    return { name: dto.name };
  }

  @Get(':id')
  read(@Param('id') id: string) {
    return { id };
  }
}

let connection: Connection;

@Module({ controllers: [ChargesController], providers: [{ provide: PLATFORM_CONNECTION, useFactory: () => connection }] })
class ChargesModule {}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  readonly json: () => any;
}

describe('HTTP bootstrap: hostile input gets a clear 4xx and runs nothing', () => {
  let app: NestExpressApplication;
  let port: number;
  const agent = { Authorization: 'Bearer key-agent' };
  const admin = { Authorization: 'Bearer key-admin' };

  /** A raw request: any method, any headers, a body sent exactly as given (no Content-Type added). */
  const send = (method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: { ...headers, ...(body !== undefined ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
        });
      });
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  const json = { 'Content-Type': 'application/json' };

  beforeAll(async () => {
    connection = await mongoose.createConnection(process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017', { dbName: `it_hostile_${Date.now()}` }).asPromise();
    const config = loadPlatformConfig('hostile-it', { API_KEYS: 'alice:agent:key-agent,ops:admin:key-admin,lander:service:key-service' });
    const options = { config, title: 'Hostile input test', logger: createLogger('hostile-it', 'error', new Writable({ write: (_c, _e, done) => done() })) };
    app = configureApp(await createNestApp(ChargesModule, options), options);
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
  });

  afterAll(async () => {
    await app?.close();
    await connection?.dropDatabase();
    await connection?.close();
  });

  beforeEach(() => {
    handled.length = 0;
  });

  const expectProblem = (answer: Answer, status: number) => {
    expect({ status: answer.status, type: answer.headers['content-type'] }).toEqual({ status, type: expect.stringMatching(/^application\/problem\+json/) });
    expect(answer.json()).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
    expect(answer.headers['x-correlation-id']).toEqual(expect.any(String));
  };

  describe('fault 1: 4xx instead of 500', () => {
    it('a body over 100 KB is 413 problem+json on any route, with or without a key', async () => {
      const big = JSON.stringify({ reason: 'x'.repeat(101 * 1024) });
      expectProblem(await send('POST', '/charges/c-1/refund', json, big), 413);
      expectProblem(await send('POST', '/charges/c-1/refund', { ...json, ...agent }, big), 413);
      expectProblem(await send('POST', '/nowhere', json, big), 413);
      expect(handled).toEqual([]);
    });

    it('JSON nested 2,000 deep is 400 before validation, naming where', async () => {
      const deep = `{"amount":${'['.repeat(2000)}${']'.repeat(2000)}}`;
      const answer = await send('POST', '/charges/c-1/refund', { ...json, ...agent }, deep);
      expectProblem(answer, 400);
      expect(answer.json().errors[0].message).toMatch(/deeper than 16/);
      expect(handled).toEqual([]);
    });

    it('malformed JSON and a top level that is not an object are 400', async () => {
      expectProblem(await send('POST', '/charges/c-1/refund', { ...json, ...agent }, '{"amount":'), 400);
      expectProblem(await send('POST', '/charges/c-1/refund', { ...json, ...agent }, '[{"amount":1}]'), 400);
      expectProblem(await send('POST', '/charges/c-1/refund', { ...json, ...agent }, '"100"'), 400);
      expect(handled).toEqual([]);
    });
  });

  describe('fault 2: a body the server does not read moves no money', () => {
    it.each([
      ['text/plain', { 'Content-Type': 'text/plain' }],
      ['no Content-Type', {}],
      ['a form', { 'Content-Type': 'application/x-www-form-urlencoded' }],
      ['latin-1 JSON', { 'Content-Type': 'application/json; charset=latin1' }],
    ] as [string, Record<string, string>][])('%s with {"amount":100} is 415 and the refund never runs', async (_name, headers) => {
      const answer = await send('POST', '/charges/c-1/refund', { ...headers, ...agent }, headers['Content-Type'] === 'application/x-www-form-urlencoded' ? 'amount=100' : '{"amount":100}');
      expectProblem(answer, 415);
      expect(handled).toEqual([]);
    });

    it('a form-encoded create is 415 too', async () => {
      expectProblem(await send('POST', '/charges', { 'Content-Type': 'application/x-www-form-urlencoded', ...admin }, 'name=x'), 415);
      expect(handled).toEqual([]);
    });

    it('a POST without any body is read as {} and a JSON body as sent', async () => {
      expect((await send('POST', '/charges/c-1/refund', agent)).status).toBe(200);
      expect((await send('POST', '/charges/c-1/refund', { ...json, ...agent }, '{"amount":100}')).json()).toEqual({ id: 'c-1', refunded: 100 });
      expect(handled).toEqual([
        { route: 'refund', body: {} },
        { route: 'refund', body: { amount: 100 } },
      ]);
    });
  });

  describe('fault 4: the contract, not silence', () => {
    it.each(['__proto__', 'constructor', 'prototype'])('a %s field is 400 naming it, nested ones too', async (key) => {
      const top = await send('POST', '/charges', { ...json, ...admin }, `{"name":"a","${key}":{"polluted":true}}`);
      expectProblem(top, 400);
      expect(top.json().errors).toEqual([{ field: key, message: `property ${key} should not exist` }]);
      const nested = await send('POST', '/charges/c-1/refund', { ...json, ...agent }, `{"amount":1,"x":[{"${key}":1}]}`);
      expect(nested.json().errors[0].field).toBe(`x.0.${key}`);
      expect(handled).toEqual([]);
    });

    it('null for an optional field is 400, not "absent"', async () => {
      const answer = await send('POST', '/charges/c-1/refund', { ...json, ...agent }, '{"reason":null}');
      expectProblem(answer, 400);
      expect(answer.json().errors).toEqual([{ field: 'reason', message: 'reason must be a string' }]);
      expect(handled).toEqual([]);
    });

    it('strings with NUL or a right-to-left override are 400 naming the field', async () => {
      for (const bad of ['a\u0000b', 'abc\u202Efdp.exe', 'x\uD800']) {
        const answer = await send('POST', '/charges', { ...json, ...admin }, JSON.stringify({ name: bad }));
        expectProblem(answer, 400);
        expect(answer.json().errors[0].field).toBe('name');
      }
      expect((await send('POST', '/charges', { ...json, ...admin }, JSON.stringify({ name: 'Zoë 李 \u{1F600}\nok' }))).status).toBe(201);
    });

    it('TRACE, or a method the path does not answer, is 405 with Allow; an unknown path stays 404', async () => {
      const trace = await send('TRACE', '/charges/c-1');
      expectProblem(trace, 405);
      expect(trace.headers['allow']).toBe('GET, HEAD');
      const del = await send('DELETE', '/charges/c-1/refund', agent);
      expectProblem(del, 405);
      expect(del.headers['allow']).toBe('POST');
      expectProblem(await send('TRACE', '/nowhere'), 404);
    });

    it('/metrics needs an admin or service key', async () => {
      expectProblem(await send('GET', '/metrics'), 401);
      expectProblem(await send('GET', '/metrics', agent), 403);
      expect((await send('GET', '/metrics', admin)).status).toBe(200);
      expect((await send('GET', '/metrics', { Authorization: 'Bearer key-service' })).status).toBe(200);
      expect((await send('GET', '/health')).status).toBe(200);
    });
  });

  describe('fault 5: the OpenAPI document tells the truth', () => {
    let doc: any;
    beforeAll(async () => {
      doc = (await send('GET', '/docs-json')).json();
    });

    it('the API key is a bearer token, not a JWT', () => {
      expect(doc.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer', description: expect.any(String) });
    });

    it('every operation lists each status it can answer, problems with the problem+json schema', () => {
      const refund = doc.paths['/charges/{id}/refund'].post;
      expect(Object.keys(refund.responses).sort()).toEqual(['200', '400', '401', '403', '404', '409', '413', '415', '422']);
      expect(refund.responses['415'].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
      expect(doc.components.schemas.Problem.required).toEqual(['type', 'title', 'status', 'detail']);
      expect(Object.keys(doc.paths['/charges/{id}'].get.responses).sort()).toEqual(['200', '401', '404']);
      expect(doc.paths['/health'].get.security).toEqual([]);
      expect(Object.keys(doc.paths['/health'].get.responses).sort()).toEqual(['200', '503']);
    });

    it('declares X-Correlation-Id on requests and responses, Idempotency-Key on POSTs, and the roles', () => {
      const refund = doc.paths['/charges/{id}/refund'].post;
      expect(refund.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(['path:id', 'header:X-Correlation-Id', 'header:Idempotency-Key']);
      expect(refund.responses['200'].headers['X-Correlation-Id']).toBeDefined();
      expect(refund['x-roles']).toEqual(['agent', 'admin']);
      expect(refund.description).toContain('Roles: agent, admin.');
      expect(doc.paths['/charges/{id}'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['id', 'X-Correlation-Id']);
      expect(doc.paths['/metrics'].get['x-roles']).toEqual(['admin', 'service']);
    });

    it('a body without required fields is not marked required; request schemas are closed', () => {
      expect(doc.paths['/charges/{id}/refund'].post.requestBody.required).toBe(false);
      expect(doc.paths['/charges'].post.requestBody.required).toBe(true);
      expect(doc.components.schemas.NamedDto.additionalProperties).toBe(false);
    });
  });
});
