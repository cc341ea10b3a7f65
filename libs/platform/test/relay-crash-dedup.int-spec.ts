import { randomUUID } from 'node:crypto';
import mongoose, { Connection } from 'mongoose';
import { Kafka } from 'kafkajs';
import { defineEvent, int, obj } from '@continuum/contracts';
import { ConsumerRunner, EventStore, IncomingMessage, kafkaClient, KafkaPublisher, OutboxMessage, OutboxRelay, provisionTopics } from '../src';
import { eventually } from '@continuum/testing';

// The end-to-end guarantee of the relay and the consumers: a relay that publishes and dies before marking the
// commits published makes the restarted relay publish them again (at-least-once), and a consumer
// group still runs its handler once per event (deduplicated by event id), in stream order.
const MONGO_URL = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';
const BROKERS = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const run = randomUUID().slice(0, 8);
const topic = `it-${run}.parcels.v1`;
const dlq = `it-${run}.parcels.dlq.v1`;
defineEvent('RelayDedupParcelScanned', topic, 'test event', obj({ n: int() }));

let connection: Connection;
let kafka: Kafka;
let publisher: KafkaPublisher;
let consumer: ConsumerRunner;
const relays: OutboxRelay[] = [];
const handled: { eventId: string; n: number }[] = [];

beforeAll(async () => {
  connection = await mongoose.createConnection(MONGO_URL, { dbName: `it_relay_dedup_${run}` }).asPromise();
  kafka = kafkaClient({ clientId: `it-${run}`, brokers: BROKERS });
  await provisionTopics(kafka, [topic, dlq], 1);
  publisher = new KafkaPublisher(kafka);
  await publisher.connect();
  consumer = new ConsumerRunner({
    kafka,
    connection,
    publisher,
    groupId: `it-${run}.dedup`,
    topics: [topic],
    dlqTopic: dlq,
    handlers: {
      RelayDedupParcelScanned: async (message: IncomingMessage) => {
        handled.push({ eventId: message.envelope!.eventId, n: (message.envelope!.data as { n: number }).n });
      },
    },
    sessionTimeout: 6000,
    heartbeatInterval: 500,
    maxWaitTimeInMs: 100,
  });
  await consumer.start();
}, 60_000);

afterAll(async () => {
  for (const relay of relays) await relay.stop();
  await consumer?.stop();
  await publisher?.disconnect();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic, dlq] }).catch(() => undefined);
  await admin.disconnect();
  await connection?.dropDatabase();
  await connection?.close();
});

it('runs the handler once per event although a crashed relay published them twice', async () => {
  const store = new EventStore(connection);
  await store.init();
  const streamId = `parcel-${randomUUID()}`;
  const meta = { correlationId: `corr-${run}`, causationId: null, actor: { kind: 'system' as const, id: 'it' } };
  await store.append(streamId, 0, [{ type: 'RelayDedupParcelScanned', data: { n: 1 } }, { type: 'RelayDedupParcelScanned', data: { n: 2 } }], meta);
  await store.append(streamId, 2, [{ type: 'RelayDedupParcelScanned', data: { n: 3 } }], meta);

  const dying = new OutboxRelay({
    connection,
    eventStore: store,
    owner: 'dying',
    publish: async (messages: OutboxMessage[]) => {
      await publisher.publish(messages);
      throw new Error('process killed before marking');
    },
  });
  relays.push(dying);
  await expect(dying.drain()).rejects.toThrow('process killed before marking');
  await dying.stop();

  const restarted = new OutboxRelay({ connection, eventStore: store, owner: 'restarted', publish: (messages) => publisher.publish(messages) });
  relays.push(restarted);
  expect(await restarted.drain()).toBe(3);

  // all six deliveries reached the topic ...
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(6);
  // ... and the consumer has read past all of them, handling each event once, in order
  await eventually(async () => {
    const committed = await kafka.admin();
    await committed.connect();
    try {
      const [group] = await committed.fetchOffsets({ groupId: `it-${run}.dedup`, topics: [topic] });
      return group!.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0) === 6;
    } finally {
      await committed.disconnect();
    }
  }, 'the consumer group to commit all six offsets', { timeoutMs: 30_000 });
  expect(handled.map((h) => h.n)).toEqual([1, 2, 3]);
  expect(new Set(handled.map((h) => h.eventId)).size).toBe(3);
});
