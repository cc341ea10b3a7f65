import { randomUUID } from 'node:crypto';
import { Consumer, Kafka, logLevel, Producer } from 'kafkajs';
import mongoose, { Connection } from 'mongoose';
import { Actor, defineEvent, EventEnvelope, int, obj, str } from '@continuum/contracts';
import { eventually } from '@continuum/testing';
import { EventStore } from '../event-store';
import { ViewDefinition, ViewStore } from '../views';
import { Lease } from './lease';
import { PublishFn } from './outbox-message';
import { OUTBOX_LEASE_ID, OutboxRelay } from './outbox-relay';

const suffix = randomUUID().slice(0, 8);
const topic = `it-two-relays-${suffix}`;
defineEvent('TrTestParcelScanned', topic, 'test only: a parcel was scanned', obj({ parcel: str(), step: int() }));

const actor: Actor = { kind: 'service', id: 'scanner' };
const meta = { correlationId: 'corr-two-relays', causationId: null, actor };
const scanned = (parcel: string, step: number) => ({ type: 'TrTestParcelScanned', data: { parcel, step } });
const HOUR = 3_600_000;

/** every stream version the view applied, in the order it applied them */
const trailView: ViewDefinition<{ versions: number[] }> = {
  name: `parcel_trail_${suffix}`,
  streamPrefix: 'parcel-',
  initial: () => ({ versions: [] }),
  evolve: (view, event) => ({ versions: [...view.versions, event.streamVersion] }),
};

jest.setTimeout(90_000);

/**
 * Two instances of a service on one database, their clocks two hours apart: each appends with its own
 * clock (so the outbox's `createdAt` order puts one instance's later commits before the other's
 * earlier ones) and runs its own relay and view store, as `Platform` wires them. Whatever the clocks
 * and whichever relay holds the lease, every stream reaches the views and Kafka in stream order.
 */
describe('two relays with skewed clocks (FerretDB + Kafka)', () => {
  let connection: Connection;
  let kafka: Kafka;
  let producer: Producer;
  let consumer: Consumer;
  const received: EventEnvelope[] = [];
  const relays: OutboxRelay[] = [];

  const publish: PublishFn = async (messages) => {
    await producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages: messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers })) }] });
  };

  /** one instance: its clock, its event store and view store, and its relay feeding the views before each publish */
  const instance = (owner: string, offsetMs: number, handed: Array<{ owner: string; event: EventEnvelope }>) => {
    const clock = () => new Date(Date.now() + offsetMs);
    const store = new EventStore(connection, { clock });
    const view = new ViewStore(connection, trailView).keepWrittenDocuments(100);
    let term: number | undefined;
    const relay = new OutboxRelay({
      connection,
      eventStore: store,
      publish,
      owner,
      clock,
      pollIntervalMs: 150,
      leaseMs: 3_000,
      batchSize: 3,
      beforePublish: async (events, round) => {
        if (round.term !== term) view.forgetDocuments();
        term = round.term;
        handed.push(...events.map((event) => ({ owner, event })));
        await view.apply(events);
      },
    });
    relays.push(relay);
    return { store, view, relay };
  };

  beforeAll(async () => {
    connection = await mongoose.createConnection(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017', { dbName: `it_two_relays_${suffix}` }).asPromise();
    await new EventStore(connection).init();
    kafka = new Kafka({ clientId: `it-two-relays-${suffix}`, brokers: [process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
    await admin.disconnect();
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await producer.connect();
    consumer = kafka.consumer({ groupId: `it-two-relays-${suffix}`, allowAutoTopicCreation: false });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void received.push(JSON.parse(String(message.value)) as EventEnvelope) });
    await joined;
  });

  afterAll(async () => {
    await Promise.all(relays.map((relay) => relay.stop()));
    await consumer?.disconnect();
    await producer?.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    await connection?.dropDatabase();
    await connection?.close();
  });

  it('every view and a Kafka consumer see each stream in order, through a backlog and a handover', async () => {
    /** what the relays handed their views, in the order they did, whichever relay it was */
    const handed: Array<{ owner: string; event: EventEnvelope }> = [];
    const ahead = instance('ahead', HOUR, handed);
    const behind = instance('behind', -HOUR, handed);
    const streams = Array.from({ length: 5 }, () => `parcel-${randomUUID()}`);
    const version = new Map(streams.map((id) => [id, 0]));
    /** the next commit of every stream, appended by the instances in turn (some commits of two events) */
    const appendRound = async (round: number) => {
      for (const [index, id] of streams.entries()) {
        const by = (round + index) % 2 === 0 ? ahead : behind;
        const from = version.get(id)!;
        const events = index % 2 === 0 ? [scanned(id, from + 1)] : [scanned(id, from + 1), scanned(id, from + 2)];
        await by.store.append(id, from, events, meta);
        version.set(id, from + events.length);
      }
    };

    // a backlog while no relay runs: the instance behind wrote "earlier" entries for later commits
    for (let round = 0; round < 4; round++) await appendRound(round);
    const entries = await ahead.store.outbox.oldest(100);
    const firstListed = entries.find((entry) => entry.seq > 0)!;
    expect(entries.findIndex((entry) => entry.streamId === firstListed.streamId && entry.seq === 0)).toBeGreaterThan(entries.indexOf(firstListed));

    // the instance ahead takes the lease first (its term looks long to the one behind), then both run
    ahead.relay.start();
    // the lease's expiry is the holder's clock: look at it with the clock of the instance asked about
    const holder = (offsetMs: number) => new Lease(connection, OUTBOX_LEASE_ID, 'observer', 1, () => new Date(Date.now() + offsetMs)).holder();
    await eventually(async () => (await holder(HOUR)) === 'ahead', 'the instance ahead to hold the lease');
    behind.relay.start();
    for (let round = 4; round < 7; round++) await appendRound(round);
    // the holder stops (releasing its term): the instance behind takes over and goes on
    await ahead.relay.stop();
    for (let round = 7; round < 10; round++) await appendRound(round);
    await eventually(async () => (await holder(-HOUR)) === 'behind', 'the instance behind to take over');

    await eventually(async () => (await ahead.store.outbox.count()) === 0, 'the outbox to empty');
    for (const id of streams) {
      const last = version.get(id)!;
      const expected = Array.from({ length: last }, (_, i) => i + 1);
      // the view applied every version once, in order (a gap would have been refused, not passed over)
      expect(await behind.view.get(id)).toEqual({ versions: expected });
      // the relays handed the views the stream in order, across the handover: never a version past the next one
      let applied = 0;
      for (const { event } of handed.filter((h) => h.event.streamId === id)) {
        expect(event.streamVersion).toBeLessThanOrEqual(applied + 1);
        applied = Math.max(applied, event.streamVersion);
      }
      expect(applied).toBe(last);
      // Kafka: every event, each first seen after the one before it
      const onKafka = await eventually(() => {
        const events = received.filter((e) => e.streamId === id);
        return new Set(events.map((e) => e.eventId)).size === last && events;
      }, `stream ${id} on Kafka`);
      let seen = 0;
      for (const event of onKafka) {
        expect(event.streamVersion).toBeLessThanOrEqual(seen + 1);
        seen = Math.max(seen, event.streamVersion);
      }
    }
    // both relays published: the backlog and the first rounds by one, the rest by the other
    expect(handed.some((h) => h.owner === 'ahead')).toBe(true);
    expect(handed.some((h) => h.owner === 'behind')).toBe(true);
  });
});
