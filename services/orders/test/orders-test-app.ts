import { randomUUID } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Consumer } from 'kafkajs';
import request from 'supertest';
import { CardInput, EventEnvelope, registry, TokenisedCard } from '@continuum/contracts';
import { ServiceProcess, startServiceProcess, testRun, waitForGroupJoin } from '@continuum/testing';
import { COMMITS_COLLECTION, CommitDocument, configureApp, createNestApp, loadPlatformConfig, Platform } from '@continuum/platform';
import { OrdersModule } from '../src/orders.module';

/** Bearer headers of the local stack's development keys. */
export const as = {
  agent: { Authorization: 'Bearer dev-agent' },
  admin: { Authorization: 'Bearer dev-admin' },
  service: { Authorization: 'Bearer dev-service' },
};

export const address = { line1: '1 Main St', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' };

/** A new customer body with a unique email. */
export const newCustomer = (extra: Record<string, unknown> = {}) => ({
  firstName: 'Ann',
  lastName: `Lee-${randomUUID().slice(0, 6)}`,
  email: `ann-${randomUUID().slice(0, 8)}@example.com`,
  billingAddress: address,
  ...extra,
});

/** A card as a client sends it to POST /orders (orders exchanges it for a token at the vault). */
export const visa: CardInput = { number: '4111111111111111', expMonth: 12, expYear: 2030, cvv: '123' };

/** The orders service on the real stack with its own database, topic prefix and queue prefix. */
export interface OrdersTestApp {
  readonly app: NestExpressApplication;
  readonly platform: Platform;
  readonly http: () => ReturnType<typeof request>;
  readonly commits: (filter?: Record<string, unknown>) => Promise<CommitDocument[]>;
  /** publishes an envelope as another service's relay would (key = its stream id) */
  readonly publishEvent: (topic: string, envelope: EventEnvelope) => Promise<void>;
  readonly publishRaw: (topic: string, key: string, value: string) => Promise<void>;
  /** the real payments service the app tokenises cards at (CARD_VAULT_URL), as a process of its own */
  readonly vault: ServiceProcess;
  /** tokenises `card` at the vault as an internal publisher of orders.intake.v1 does before it sends a card order */
  readonly tokenise: (card?: CardInput) => Promise<TokenisedCard>;
  readonly close: () => Promise<void>;
}

/**
 * The orders app in-process, and the payments service as a child process for its card vault:
 * services never import each other, so POST /orders reaches the real vault over HTTP. The payments
 * process has a database and topic prefix of its own, so it charges nothing the spec places.
 * Starting it takes a few seconds more; give beforeAll time (the specs allow 120 s).
 */
export async function startOrdersApp(): Promise<OrdersTestApp> {
  const run = testRun('orders');
  const vaultDb = `${run.database}_vault`;
  const vault = await startServiceProcess('payments', {
    MONGO_DB: vaultDb,
    KAFKA_TOPIC_PREFIX: `${run.topicPrefix}vault.`,
    QUEUE_PREFIX: `${run.queuePrefix}-vault`,
    KAFKA_PARTITIONS: '1',
    LOG_LEVEL: 'warn',
  });
  process.env['CARD_VAULT_URL'] = vault.url;
  process.env['MONGO_DB'] = run.database;
  process.env['KAFKA_TOPIC_PREFIX'] = run.topicPrefix;
  process.env['QUEUE_PREFIX'] = run.queuePrefix;
  // one partition: events published one after another are handled in that order, so a later marker proves an earlier event was handled
  process.env['KAFKA_PARTITIONS'] = '1';
  process.env['LOG_LEVEL'] = process.env['LOG_LEVEL'] ?? 'warn';
  const config = loadPlatformConfig('orders', process.env, { port: 0 });
  // @nestjs/testing is not installed; createNestApp builds the same application (body parser off, /health, /metrics)
  let app: NestExpressApplication;
  try {
    app = await createNestApp(OrdersModule, { config, title: 'Continuum orders (test)' });
    configureApp(app, { config, title: 'Continuum orders (test)' });
    await app.init();
  } catch (error) {
    await vault.stop();
    throw error;
  }
  const platform = app.get(Platform);
  const commitsCollection = platform.connection.collection<CommitDocument>(COMMITS_COLLECTION);
  return {
    app,
    platform,
    http: () => request(app.getHttpServer()),
    commits: (filter = {}) => commitsCollection.find(filter).sort({ streamId: 1, seq: 1 }).toArray() as Promise<CommitDocument[]>,
    publishEvent: (topic, envelope) => platform.publisher.publish([{ topic: platform.topic(topic), key: envelope.streamId, value: JSON.stringify(envelope) }]),
    publishRaw: (topic, key, value) => platform.publisher.publish([{ topic: platform.topic(topic), key, value }]),
    vault,
    tokenise: async (card = visa) => {
      const response = await fetch(`${vault.url}/cards`, {
        method: 'POST',
        headers: { authorization: 'Bearer dev-service', 'content-type': 'application/json' },
        body: JSON.stringify(card),
      });
      if (response.status !== 201) throw new Error(`POST /cards answered ${response.status} ${await response.text()}`);
      return (await response.json()) as TokenisedCard;
    },
    close: async () => {
      await vault.stop();
      await platform.connection.useDb(vaultDb).dropDatabase().catch(() => undefined);
      await platform.connection.dropDatabase().catch(() => undefined);
      await app.close();
    },
  };
}

/** Reads a topic from its start with its own group; resolves once the group has joined. */
export async function readTopic(platform: Platform, topic: string, sink: { key: string | null; value: string }[]): Promise<Consumer> {
  const consumer = platform.kafka.consumer({ groupId: `${platform.topic('reader')}-${randomUUID().slice(0, 6)}`, sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 100 });
  const joined = waitForGroupJoin(consumer);
  await consumer.connect();
  await consumer.subscribe({ topics: [platform.topic(topic)], fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void sink.push({ key: message.key?.toString() ?? null, value: message.value?.toString() ?? '' }) });
  await joined;
  return consumer;
}

/** An envelope as a producing service stores and publishes it. */
export function envelopeOf<D>(type: string, streamId: string, data: D, correlationId = randomUUID()): EventEnvelope<string, D> {
  return {
    eventId: randomUUID(),
    type,
    // the current schema version, as a service that runs this code publishes it
    version: registry.has(type) ? registry.current(type).version : 1,
    streamId,
    streamVersion: 1,
    occurredAt: new Date().toISOString(),
    correlationId,
    causationId: null,
    actor: { kind: 'agent', id: 'dev-agent' },
    data,
  };
}
