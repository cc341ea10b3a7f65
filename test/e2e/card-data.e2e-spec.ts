import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import { eventually, waitForGroupJoin } from '@continuum/testing';
import { client, ServiceFleet, startServices, transactionsOf } from './support/service-processes';

// Card data (ARCHITECTURE.md, "Card data"): after a card order is placed over HTTP and through the
// intake topic, charged, settled and refunded, and a PlaceOrder carrying a raw card is refused, the
// card number and cvv are nowhere: not in any collection of either service's database, not on any
// topic (dead letters included), not in Redis, not in a log line. The vault holds the number, sealed.
const BROKERS = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const MONGO_URL = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

const NUMBER = '4111111111111111';
const CVV = '7391';
/** What must not appear: the number, a `cvv` field with a value (a redacted one aside), the cvv as a JSON string. Naming the field is fine. */
const leaks = (text: string): string[] =>
  [text.includes(NUMBER) && 'number', /\\?"cvv\\?"\s*:\s*(?!\\?"\[REDACTED\])/i.test(text) && 'cvv field', new RegExp(`\\\\?"${CVV}\\\\?"`).test(text) && 'cvv value'].filter((x): x is string => Boolean(x));

let fleet: ServiceFleet;
let kafka: Kafka;
const logs: string[] = [];
/** records the spec itself published with a raw card (the refused intake message): the only place the number may be */
const ownRawRecords = new Set<string>();

const address = { line1: '5 Pine Rd', city: 'Tulsa', state: 'OK', postalCode: '74103', country: 'US' };
const customer = (tag: string) => ({ firstName: 'Lee', lastName: `Park-${tag}`, email: `lee-${tag}-${randomUUID().slice(0, 6)}@example.test`, billingAddress: address });
const rawCard = { number: NUMBER, expMonth: 12, expYear: new Date().getUTCFullYear() + 4, cvv: CVV };
const topic = (name: string) => `e2e-${fleet.run}.${name}`;

async function publish(name: string, key: string, value: string): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  await producer.send({ topic: topic(name), messages: [{ key, value }] });
  await producer.disconnect();
}

type KafkaRecord = { topic: string; key: string; value: string; headers: string };

/**
 * Reads every topic of this run from its start, for as long as it runs: `records` fills as they
 * come; `caughtUp()` waits until everything on the topics by then has been read.
 */
async function readEveryTopic(): Promise<{ records: KafkaRecord[]; caughtUp: () => Promise<void>; stop: () => Promise<void> }> {
  const admin = kafka.admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(`e2e-${fleet.run}.`));
  expect(topics).toEqual(expect.arrayContaining([topic('orders.events.v1'), topic('payments.events.v1'), topic('orders.intake.v1'), topic('orders.dlq.v1'), topic('payments.dlq.v1')]));
  const records: KafkaRecord[] = [];
  const seen = new Map<string, number>();
  const consumer = kafka.consumer({ groupId: `e2e-${fleet.run}.card-scan-${randomUUID().slice(0, 6)}`, sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 100 });
  const joined = waitForGroupJoin(consumer);
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic: t, partition, message }) => {
      records.push({ topic: t, key: message.key?.toString() ?? '', value: message.value?.toString() ?? '', headers: JSON.stringify(message.headers ?? {}, (_k, v) => (Buffer.isBuffer(v) ? v.toString() : v)) });
      seen.set(`${t}/${partition}`, Number(message.offset));
    },
  });
  await joined;
  const caughtUp = async () => {
    const ends = new Map<string, number>();
    for (const t of topics) for (const p of await admin.fetchTopicOffsets(t)) if (Number(p.high) > Number(p.low)) ends.set(`${t}/${p.partition}`, Number(p.high) - 1);
    await eventually(() => [...ends].every(([tp, last]) => (seen.get(tp) ?? -1) >= last), 'every topic read to its end', { timeoutMs: 45_000 });
  };
  return {
    records,
    caughtUp,
    stop: async () => {
      await consumer.disconnect();
      await admin.disconnect();
    },
  };
}

/** Every document of every collection of both services' databases, as JSON text per collection. */
async function allDocuments(): Promise<Record<string, string>> {
  const connection = await mongoose.createConnection(MONGO_URL).asPromise();
  const texts: Record<string, string> = {};
  try {
    for (const service of ['orders', 'payments']) {
      const db = connection.useDb(`e2e_${fleet.run}_${service}`).db!;
      for (const { name } of await db.listCollections().toArray()) texts[`${service}.${name}`] = JSON.stringify(await db.collection(name).find({}).toArray());
    }
  } finally {
    await connection.close();
  }
  return texts;
}

/** Every value Redis holds under this run's queue prefix (BullMQ jobs and their data). */
async function allRedisValues(): Promise<string> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 3 });
  const parts: string[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `e2e-${fleet.run}*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
        else if (type === 'string') parts.push((await redis.get(key)) ?? '');
        else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
        else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, 0, -1)));
        else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
        else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return parts.join('\n');
}

beforeAll(async () => {
  fleet = await startServices(['orders', 'payments'], { LOG_LEVEL: 'info', SETTLEMENT_DELAY_MS: '600000' });
  for (const service of Object.values(fleet.services)) {
    service.process.stdout!.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
    service.process.stderr!.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  }
  kafka = new Kafka({ clientId: `e2e-${fleet.run}-cards`, brokers: BROKERS, logLevel: logLevel.NOTHING });
}, 180_000);

afterAll(async () => {
  await fleet?.stop();
});

it('keeps the card number and cvv out of every event, topic, dead letter, view, idempotency record, job and log line', async () => {
  // the detector finds the card however deep it is escaped, and lets a redacted one pass
  expect(leaks(JSON.stringify({ original: JSON.stringify({ card: rawCard }) }))).toEqual(['number', 'cvv field', 'cvv value']);
  expect(leaks('{"card":{"number":"[REDACTED]","cvv":"[REDACTED]"},"error":"/card/cvv must NOT have additional properties"}')).toEqual([]);

  const agent = client(fleet.services['orders']!.url, 'dev-agent');
  const orderAdmin = client(fleet.services['orders']!.url, 'dev-admin');
  const payments = client(fleet.services['payments']!.url, 'dev-agent');
  const paymentsService = client(fleet.services['payments']!.url, 'dev-service');
  const campaign = await orderAdmin.post('/campaigns', {
    name: 'Vision 911',
    currency: 'USD',
    products: [{ sku: 'V-1', name: 'Vision 911', price: 3999, shippingPrice: 500, billingType: 'STRAIGHT' }],
  });
  expect(campaign.status).toBe(201);
  const base = { campaignId: campaign.body.campaignId, items: [{ productId: campaign.body.products[0].productId, quantity: 1 }], paymentType: 'CARD' };
  const completed = async (orderId: string) =>
    eventually(async () => ((await agent.get(`/orders/${orderId}`)).body?.status === 'COMPLETE' ? true : undefined), `order ${orderId} COMPLETE`, { timeoutMs: 30_000 });

  // 1. an agent places a card order over HTTP (with an Idempotency-Key); payments charges it, it is settled and refunded
  const placed = await agent.post('/orders', { ...base, customer: customer('http'), card: rawCard }, { 'Idempotency-Key': `cards-${fleet.run}` });
  expect(placed.status).toBe(201);
  await completed(placed.body.orderId);
  const [sale] = await transactionsOf(payments, placed.body.orderId);
  expect(sale).toMatchObject({ type: 'SALE', response: 'SUCCESS', card: 'VISA 1111' });
  expect((await client(fleet.services['payments']!.url, 'dev-admin').post('/settlement-runs', { asOf: new Date(Date.now() + 60_000).toISOString() })).status).toBe(200);
  const refund = await payments.post(`/transactions/${sale.transactionId}/refund`, {});
  expect(refund.body).toMatchObject({ status: 'SUCCEEDED' });

  // 2. an internal service tokenises at the vault and places a card order on the intake topic
  const token = await paymentsService.post('/cards', rawCard);
  expect(token.status).toBe(201);
  const clientOrderId = `lander-${randomUUID()}`;
  await publish('orders.intake.v1', clientOrderId, JSON.stringify({ type: 'PlaceOrder', source: 'lander', clientOrderId, ...base, customer: customer('intake'), card: token.body }));

  // 3. a publisher that sends the raw card instead is refused to the DLQ
  const refusedId = `careless-${randomUUID()}`;
  ownRawRecords.add(`${topic('orders.intake.v1')}/${refusedId}`);
  await publish('orders.intake.v1', refusedId, JSON.stringify({ type: 'PlaceOrder', clientOrderId: refusedId, ...base, customer: customer('raw'), card: rawCard }));

  const scan = await readEveryTopic();
  try {
    const intakeOrderKey = () => scan.records.find((r) => r.topic === topic('orders.events.v1') && r.value.includes('"OrderPlaced"') && r.value.includes(clientOrderId))?.key;
    await eventually(
      () =>
        scan.records.some((r) => r.topic === topic('orders.events.v1') && r.key === intakeOrderKey() && r.value.includes('"OrderCompleted"')) &&
        scan.records.some((r) => r.topic === topic('orders.dlq.v1') && r.key === refusedId),
      'the intake order completed and the refusal dead-lettered',
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    await scan.caughtUp();
  } finally {
    await scan.stop();
  }
  const records = scan.records;

  // what the scan looked at is what it should: tokens on the events, the refusal on the DLQ
  const orderPlaced = records.filter((r) => r.topic === topic('orders.events.v1') && r.value.includes('"OrderPlaced"'));
  expect(orderPlaced).toHaveLength(2);
  for (const r of orderPlaced) expect(JSON.parse(r.value).data.card).toMatchObject({ token: expect.stringMatching(/^tok_/), last4: '1111', bin: '411111' });
  const letter = JSON.parse(records.find((r) => r.topic === topic('orders.dlq.v1') && r.key === refusedId)!.value);
  expect(letter).toMatchObject({ reason: 'schema-invalid', original: expect.stringContaining('[REDACTED]') });

  const leaking = records
    .filter((r) => !ownRawRecords.has(`${r.topic}/${r.key}`))
    .map((r) => ({ where: `${r.topic} key ${r.key}`, leaks: leaks(`${r.key}\n${r.value}\n${r.headers}`) }))
    .filter((r) => r.leaks.length > 0);
  expect(leaking).toEqual([]);

  const documents = await allDocuments();
  expect(Object.keys(documents)).toEqual(expect.arrayContaining(['orders.commits', 'payments.card_vault', 'orders.idempotency_records', 'payments.payments_order_payment_methods']));
  expect(Object.entries(documents).filter(([, text]) => leaks(text).length > 0).map(([collection, text]) => `${collection}: ${leaks(text).join(', ')}`)).toEqual([]);
  // the vault does hold the card, sealed: two tokens (HTTP order, intake publisher), no readable number
  expect(JSON.parse(documents['payments.card_vault']!)).toHaveLength(2);

  expect(leaks(await allRedisValues())).toEqual([]);
  const logText = logs.join('');
  expect(logText).toContain('dead-lettered');
  expect(leaks(logText)).toEqual([]);
}, 240_000);
