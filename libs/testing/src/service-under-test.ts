import { DynamicModule, Type } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import { COMMITS_COLLECTION, CommitDocument, configureApp, loadPlatformConfig, Platform, PlatformHttpModule } from '@continuum/platform';
import { HttpAgent, httpAgent } from './http-agent';
import { eventually, EventuallyOptions, TestRun, testRun } from './integration';
import { KafkaProbe, KafkaProbeOptions } from './kafka-probe';

/** A provider of the service replaced for the spec file (a recording gateway, a fake clock). */
export type ProviderOverride =
  | { readonly provide: unknown; readonly useValue: unknown }
  | { readonly provide: unknown; readonly useFactory: (...args: any[]) => unknown; readonly inject?: readonly unknown[] };

/** What one spec file runs its service with; see useServiceUnderTest. */
export interface ServiceUnderTestOptions {
  /** the service's name, as its main.ts gives it to loadPlatformConfig ('orders', 'payments') */
  readonly service: string;
  /** the service's root module */
  readonly module: Type<unknown> | DynamicModule;
  /** names the database (`it_<label>_<id>`); default the service */
  readonly label?: string;
  /** environment beyond the run's names (MONGO_DB, KAFKA_TOPIC_PREFIX, QUEUE_PREFIX, LOG_LEVEL); restored after the file */
  readonly env?: Record<string, string> | ((names: TestRun) => Record<string, string>);
  readonly overrides?: readonly ProviderOverride[];
  /** the BullMQ queues of the app, obliterated after the file */
  readonly queues?: (app: NestExpressApplication) => readonly Queue[];
  /** what the probe reads (logical topic names); by default nothing: it only publishes */
  readonly probe?: Omit<KafkaProbeOptions, 'topicPrefix' | 'wait' | 'brokers'>;
  /** how long waits on outcomes last (the probe's, `handled`) */
  readonly wait?: EventuallyOptions;
  /** runs once before the app first starts (another process to reach, say); the environment it answers is set for the app too */
  readonly beforeStart?: (names: TestRun) => Promise<Record<string, string> | void>;
  /** runs after the file, before the database is dropped (stops what beforeStart started) */
  readonly cleanUp?: () => Promise<void>;
  /** more databases of the run to drop after the file */
  readonly dropDatabases?: (names: TestRun) => readonly string[];
  /** the beforeAll and afterAll timeout (default 120 s: a service process takes a while to start) */
  readonly hookTimeoutMs?: number;
}

/** One spec file's service: started in beforeAll on the run's own names, purged and closed in afterAll. */
export interface ServiceUnderTest {
  readonly names: TestRun;
  /** reads the topics of `options.probe` from their start and publishes as other services do; started after the app */
  readonly probe: KafkaProbe;
  /** requests to the app, as the development agent unless a call names another key */
  readonly http: HttpAgent;
  /** the running app; only inside tests and hooks */
  app(): NestExpressApplication;
  platform(): Platform;
  /** the stored commits that match `filter`, by stream and position */
  commits(filter?: Record<string, unknown>): Promise<CommitDocument[]>;
  /** waits until consumer group `group` (its name within the service) has recorded event `eventId` as handled */
  handled(group: string, eventId: string): Promise<void>;
  /** closes the app, keeping its database, queues and topics (as a process that stops) */
  stop(): Promise<void>;
  /** starts the app again on the same names, with `env` added */
  start(env?: Record<string, string>): Promise<void>;
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Registers beforeAll and afterAll that run `module` in-process for the calling spec file, as its
 * main.ts would (validation, problem+json, API keys, OpenAPI, /health and /metrics; not listening:
 * requests go through supertest), on names of its own: database, topic prefix and queue prefix.
 * Call it at the top of the describe (or the file); the service's own helpers build on what it answers.
 *
 *   const sut = useServiceUnderTest({ service: 'payments', module: PaymentsModule, probe: { events: [Topics.paymentsEvents] } });
 *   it('...', async () => { await sut.http.post('/settlement-runs', {}, devKeys.admin).expect(200); });
 */
export function useServiceUnderTest(options: ServiceUnderTestOptions): ServiceUnderTest {
  const names = testRun(options.label ?? options.service);
  const wait = options.wait ?? {};
  const probe = new KafkaProbe({ ...options.probe, topicPrefix: names.topicPrefix, wait });
  const previousEnv = new Map<string, string | undefined>();
  let started: NestExpressApplication | undefined;

  const setEnv = (vars: Record<string, string>) => {
    for (const [name, value] of Object.entries(vars)) {
      if (!previousEnv.has(name)) previousEnv.set(name, process.env[name]);
      process.env[name] = value;
    }
  };
  const restoreEnv = () => {
    for (const [name, value] of previousEnv) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    previousEnv.clear();
  };

  const app = (): NestExpressApplication => {
    if (!started) throw new Error(`the ${options.service} app runs only inside tests and hooks`);
    return started;
  };
  const platform = () => app().get(Platform);

  const start = async (env: Record<string, string> = {}) => {
    setEnv(env);
    const builder = Test.createTestingModule({ imports: [options.module, PlatformHttpModule] });
    for (const override of options.overrides ?? []) {
      const overriding = builder.overrideProvider(override.provide);
      if ('useValue' in override) overriding.useValue(override.useValue);
      else overriding.useFactory({ factory: override.useFactory, inject: [...(override.inject ?? [])] as never[] });
    }
    const moduleRef = await builder.compile();
    const created = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: ['error'] });
    try {
      configureApp(created, { config: loadPlatformConfig(options.service, process.env, { port: 0 }), title: `Continuum ${options.service} (test)` });
      await created.init();
      // the app's consumer groups join after init (a service listens before they have): a spec starts with them joined
      await created.get(Platform).consumersJoined();
    } catch (error) {
      await created.close().catch(() => undefined);
      throw error;
    }
    started = created;
  };

  const stop = async () => {
    const running = started;
    started = undefined;
    await running?.close();
  };

  beforeAll(async () => {
    const env = typeof options.env === 'function' ? options.env(names) : (options.env ?? {});
    setEnv({ MONGO_DB: names.database, KAFKA_TOPIC_PREFIX: names.topicPrefix, QUEUE_PREFIX: names.queuePrefix, LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn', ...env });
    const more = await options.beforeStart?.(names);
    if (more) setEnv(more);
    await start();
    await probe.start();
  }, options.hookTimeoutMs ?? 120_000);

  afterAll(async () => {
    // every step runs even when one before it failed: the first failure is reported at the end
    const failures: unknown[] = [];
    const attempt = async (step: () => Promise<unknown> | undefined) => {
      try {
        await step();
      } catch (error) {
        failures.push(error);
      }
    };
    await attempt(() => probe.stop());
    await attempt(() => options.cleanUp?.());
    const running = started;
    if (running) {
      await attempt(async () => {
        for (const queue of options.queues?.(running) ?? []) await queue.obliterate({ force: true });
      });
      const connection = running.get(Platform).connection;
      for (const database of options.dropDatabases?.(names) ?? []) await attempt(() => connection.useDb(database).dropDatabase());
      await attempt(() => connection.dropDatabase());
    }
    await attempt(stop);
    restoreEnv();
    if (failures.length > 0) throw failures[0];
  }, options.hookTimeoutMs ?? 120_000);

  return {
    names,
    probe,
    http: httpAgent(() => app().getHttpServer()),
    app,
    platform,
    commits: (filter = {}) =>
      platform().connection.collection<CommitDocument>(COMMITS_COLLECTION).find(filter).sort({ streamId: 1, seq: 1 }).toArray() as Promise<CommitDocument[]>,
    async handled(group, eventId) {
      const collection = platform().connection.db!.collection<{ _id: string }>('handled_events');
      const id = new RegExp(`${escapeRegex(group)}:${escapeRegex(eventId)}$`);
      await eventually(async () => (await collection.countDocuments({ _id: { $regex: id } })) > 0, `${group} handled ${eventId}`, wait);
    },
    stop,
    start,
  };
}
