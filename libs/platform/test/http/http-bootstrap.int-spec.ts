import { Writable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Module, Param, Post } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import mongoose, { Connection } from 'mongoose';
import request from 'supertest';
import { Actor, DomainError } from '@continuum/contracts';
import { eventually } from '@continuum/testing';
import {
  CommandContext,
  CurrentActor,
  CurrentContext,
  HEALTH_PROBES,
  HealthProbe,
  IDEMPOTENCY_COLLECTION,
  PLATFORM_CONNECTION,
  Roles,
  configureApp,
  createLogger,
  createNestApp,
  requestHash,
  loadPlatformConfig,
} from '../../src';

jest.setTimeout(30_000);

const MONGO_URL = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';
const dbName = `it_platform_http_${Date.now()}_${randomUUID().slice(0, 8)}`;

class SizeDto {
  @IsInt()
  @Min(1)
  width!: number;
}

class CreateThingDto {
  @IsString()
  name!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => SizeDto)
  size?: SizeDto;
}

/** What the test controller saw, so tests can tell whether a handler ran. */
const seen = { creates: 0, slowRelease: undefined as (() => void) | undefined };
const logLines: Record<string, unknown>[] = [];
const logger = createLogger(
  'http-it',
  'info',
  new Writable({
    write(chunk, _encoding, done) {
      logLines.push(JSON.parse(chunk.toString()));
      done();
    },
  }),
);
let flakyUp = true;

/** Polls until the slow handler is waiting, with a deadline; returns what lets it finish. */
async function slowHandlerStarted(): Promise<() => void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const release = seen.slowRelease;
    if (release) return release;
    if (Date.now() > deadline) throw new Error('the slow handler never started');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

@Controller('things')
class ThingsController {
  @Roles('agent', 'admin')
  @Post()
  create(@Body() dto: CreateThingDto, @CurrentContext() context: CommandContext) {
    seen.creates += 1;
    logger.info({ name: dto.name }, 'creating thing');
    return { id: `thing-${seen.creates}`, name: dto.name, width: dto.size?.width ?? null, context };
  }

  @Post('locked')
  locked(): never {
    throw new DomainError('THING_LOCKED', 'A locked thing cannot change.');
  }

  @Post('slow')
  async slow(@Body() body: { n: number }) {
    await new Promise<void>((resolve) => (seen.slowRelease = resolve));
    return { done: body.n };
  }

  @Get('mine')
  mine(@CurrentActor() actor: Actor) {
    return actor;
  }

  @Roles('admin')
  @Get('admin-report')
  adminReport() {
    return { ok: true };
  }

  @Get(':id')
  find(@Param('id') id: string): never {
    throw new DomainError('THING_NOT_FOUND', `No thing ${id}.`, 'not-found');
  }
}

let connection: Connection;

@Module({
  controllers: [ThingsController],
  providers: [
    { provide: PLATFORM_CONNECTION, useFactory: () => connection },
    {
      provide: HEALTH_PROBES,
      useFactory: (): HealthProbe[] => [
        { name: 'mongo', check: async () => void (await connection.db!.admin().ping()) },
        {
          name: 'flaky',
          check: async () => {
            if (!flakyUp) throw new Error('flaky is unreachable');
          },
        },
      ],
    },
  ],
})
class ThingsModule {}

describe('HTTP bootstrap against the real MongoDB', () => {
  let app: NestExpressApplication;
  const config = loadPlatformConfig('http-it', {
    API_KEYS: 'alice:agent:key-alice,ops:admin:key-ops,shipco:fulfillment-house:key-shipco',
  });
  const agent = { Authorization: 'Bearer key-alice' };

  beforeAll(async () => {
    connection = await mongoose.createConnection(MONGO_URL, { dbName }).asPromise();
    const options = { config, title: 'HTTP test', description: 'throwaway', logger };
    app = configureApp(await createNestApp(ThingsModule, options), options);
    await app.init();
  });

  afterAll(async () => {
    seen.slowRelease?.();
    await app?.close();
    await connection?.dropDatabase();
    await connection?.close();
  });

  describe('validation', () => {
    it('answers an unknown field with a 400 problem naming it', async () => {
      const res = await request(app.getHttpServer()).post('/things').set(agent).send({ name: 'a', colour: 'red' });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 400, title: 'Bad Request', errors: [{ field: 'colour', message: 'property colour should not exist' }] });
    });

    it('names nested bad fields by dotted path', async () => {
      const res = await request(app.getHttpServer()).post('/things').set(agent).send({ name: 5, size: { width: 0 } });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'name', message: 'name must be a string' },
          { field: 'size.width', message: 'width must not be less than 1' },
        ]),
      );
    });
  });

  describe('API keys', () => {
    it('401 without a key and with an unknown key', async () => {
      const missing = await request(app.getHttpServer()).get('/things/mine');
      expect(missing.status).toBe(401);
      expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
      const unknown = await request(app.getHttpServer()).get('/things/mine').set('Authorization', 'Bearer dev-agent');
      expect(unknown.status).toBe(401);
    });

    it('403 for a known key whose role is not allowed', async () => {
      const res = await request(app.getHttpServer()).post('/things').set('Authorization', 'Bearer key-shipco').send({ name: 'a' });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ status: 403, title: 'Forbidden' });
      expect(seen.creates).toBe(0);
    });

    it('makes the key user the actor', async () => {
      const res = await request(app.getHttpServer()).get('/things/mine').set('Authorization', 'Bearer key-shipco');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ kind: 'fulfillment-house', id: 'shipco' });
      const admin = await request(app.getHttpServer()).get('/things/admin-report').set(agent);
      expect(admin.status).toBe(403);
      const allowed = await request(app.getHttpServer()).get('/things/admin-report').set('Authorization', 'Bearer key-ops');
      expect(allowed.status).toBe(200);
    });
  });

  describe('domain errors', () => {
    it('a broken rule is a 422 problem with its code', async () => {
      const res = await request(app.getHttpServer()).post('/things/locked').set(agent).send({});
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toEqual({
        type: 'urn:continuum:problem:thing-locked',
        title: 'Unprocessable Entity',
        status: 422,
        detail: 'A locked thing cannot change.',
        code: 'THING_LOCKED',
      });
    });

    it('not-found is a 404 problem', async () => {
      const res = await request(app.getHttpServer()).get('/things/t-9').set(agent);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ status: 404, code: 'THING_NOT_FOUND', detail: 'No thing t-9.' });
    });
  });

  describe('correlation id', () => {
    it('echoes a given id, carries it into the command context and onto log lines', async () => {
      const res = await request(app.getHttpServer()).post('/things').set(agent).set('X-Correlation-Id', 'corr-echo-1').send({ name: 'traced' });
      expect(res.status).toBe(201);
      expect(res.headers['x-correlation-id']).toBe('corr-echo-1');
      expect(res.body.context).toEqual({ correlationId: 'corr-echo-1', causationId: null, actor: { kind: 'agent', id: 'alice' } });
      expect(logLines).toContainEqual(expect.objectContaining({ msg: 'creating thing', name: 'traced', correlationId: 'corr-echo-1', service: 'http-it' }));
    });

    it("the request's access line carries the id and the actor, and no credential", async () => {
      const res = await request(app.getHttpServer()).get('/things/mine').set(agent).set('X-Correlation-Id', 'corr-access-1');
      expect(res.status).toBe(200);
      const line = await eventually(() => logLines.find((l) => l['msg'] === 'request completed' && l['correlationId'] === 'corr-access-1'), 'the access line');
      expect(line).toMatchObject({ service: 'http-it', actor: { kind: 'agent', id: 'alice' }, req: { id: 'corr-access-1', method: 'GET', url: '/things/mine' }, res: { statusCode: 200 } });
      expect(JSON.stringify(logLines)).not.toContain('key-alice');
    });

    it('generates one when absent or invalid', async () => {
      const absent = await request(app.getHttpServer()).get('/things/mine').set(agent);
      expect(absent.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
      const invalid = await request(app.getHttpServer()).get('/things/mine').set(agent).set('X-Correlation-Id', 'bad id with spaces');
      expect(invalid.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(invalid.headers['x-correlation-id']).not.toBe(absent.headers['x-correlation-id']);
    });
  });

  describe('Idempotency-Key', () => {
    it('runs the handler once and replays the same answer', async () => {
      const before = seen.creates;
      const first = await request(app.getHttpServer()).post('/things').set(agent).set('Idempotency-Key', 'idem-1').send({ name: 'once' });
      const second = await request(app.getHttpServer()).post('/things').set(agent).set('Idempotency-Key', 'idem-1').send({ name: 'once' });
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(second.body).toEqual(first.body);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(seen.creates).toBe(before + 1);
      expect(first.body.context.idempotencyKey).toBe('alice:idem-1');
      const record = await connection.collection(IDEMPOTENCY_COLLECTION).findOne({ _id: 'alice:idem-1' as never });
      expect(record).toMatchObject({ status: 'done', response: { statusCode: 201 } });
    });

    it('the same key with another body is a 422 problem and runs nothing', async () => {
      await request(app.getHttpServer()).post('/things').set(agent).set('Idempotency-Key', 'idem-2').send({ name: 'first' }).expect(201);
      const before = seen.creates;
      const res = await request(app.getHttpServer()).post('/things').set(agent).set('Idempotency-Key', 'idem-2').send({ name: 'other' });
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(seen.creates).toBe(before);
    });

    it('keys are per user: another user with the same key runs the handler', async () => {
      await request(app.getHttpServer()).post('/things').set(agent).set('Idempotency-Key', 'idem-3').send({ name: 'x' }).expect(201);
      const before = seen.creates;
      const res = await request(app.getHttpServer()).post('/things').set('Authorization', 'Bearer key-ops').set('Idempotency-Key', 'idem-3').send({ name: 'x' });
      expect(res.status).toBe(201);
      expect(seen.creates).toBe(before + 1);
    });

    it('a repeat while the first is still running is a 409', async () => {
      seen.slowRelease = undefined;
      const first = request(app.getHttpServer()).post('/things/slow').set(agent).set('Idempotency-Key', 'idem-slow').send({ n: 1 });
      const firstDone = first.then((res) => res);
      const release = await slowHandlerStarted();
      const repeat = await request(app.getHttpServer()).post('/things/slow').set(agent).set('Idempotency-Key', 'idem-slow').send({ n: 1 });
      expect(repeat.status).toBe(409);
      release();
      expect((await firstDone).body).toEqual({ done: 1 });
      const replay = await request(app.getHttpServer()).post('/things/slow').set(agent).set('Idempotency-Key', 'idem-slow').send({ n: 1 });
      expect(replay.status).toBe(201);
      expect(replay.body).toEqual({ done: 1 });
    });

    it('a pending record older than 30 s is taken over and the request runs', async () => {
      await connection.collection(IDEMPOTENCY_COLLECTION).insertOne({
        _id: 'alice:idem-stale' as never,
        requestHash: requestHash('POST', '/things', { name: 'stale' }),
        status: 'pending',
        createdAt: new Date(Date.now() - 60_000),
      });
      const before = seen.creates;
      const res = await request(app.getHttpServer()).post('/things').set(agent).set('Idempotency-Key', 'idem-stale').send({ name: 'stale' });
      expect(res.status).toBe(201);
      expect(seen.creates).toBe(before + 1);
      const record = await connection.collection(IDEMPOTENCY_COLLECTION).findOne({ _id: 'alice:idem-stale' as never });
      expect(record).toMatchObject({ status: 'done' });
    });

    it('a failed request releases its key so it can be retried', async () => {
      await request(app.getHttpServer()).post('/things/locked').set(agent).set('Idempotency-Key', 'idem-fail').send({}).expect(422);
      const record = await connection.collection(IDEMPOTENCY_COLLECTION).findOne({ _id: 'alice:idem-fail' as never });
      expect(record).toBeNull();
    });
  });

  describe('health, metrics, docs', () => {
    it('/health is public and 200 with every probe up', async () => {
      flakyUp = true;
      const res = await request(app.getHttpServer()).get('/health');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok', checks: { mongo: 'up', flaky: 'up' } });
    });

    it('/health is 503 naming the failing probe', async () => {
      flakyUp = false;
      const res = await request(app.getHttpServer()).get('/health');
      flakyUp = true;
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ status: 'down', checks: { mongo: 'up', flaky: 'down' }, errors: { flaky: 'flaky is unreachable' } });
    });

    it('/metrics is Prometheus text with the request counter by route, for admin keys', async () => {
      await request(app.getHttpServer()).get('/things/mine').set(agent).expect(200);
      await request(app.getHttpServer()).get('/metrics').expect(401);
      const res = await request(app.getHttpServer()).get('/metrics').set('Authorization', 'Bearer key-ops');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).toMatch(/http_requests_total\{method="GET",route="\/things\/mine",status="200"\} \d+/);
      expect(res.text).toMatch(/http_requests_total\{method="POST",route="\/things",status="400"\} \d+/);
      expect(res.text).toContain('process_cpu_user_seconds_total');
    });

    it('/docs-json is an OpenAPI document listing the test routes with bearer auth', async () => {
      const res = await request(app.getHttpServer()).get('/docs-json');
      expect(res.status).toBe(200);
      expect(res.body.openapi).toMatch(/^3\./);
      expect(res.body.info).toMatchObject({ title: 'HTTP test', description: 'throwaway' });
      expect(res.body.paths['/things'].post).toBeDefined();
      expect(res.body.paths['/health'].get).toBeDefined();
      expect(res.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(res.body.paths['/things'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CreateThingDto' });
    });

    it('/docs serves the UI without a key', async () => {
      const res = await request(app.getHttpServer()).get('/docs').redirects(1);
      expect(res.status).toBe(200);
      expect(res.text).toContain('swagger');
    });
  });
});
