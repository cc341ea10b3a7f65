import { randomUUID } from 'node:crypto';
import { Admin, Consumer, Kafka, logLevel, Producer } from 'kafkajs';
import mongoose, { Connection } from 'mongoose';
import { Actor, defineEvent, EventEnvelope, int, obj, str } from '@continuum/contracts';
import { createCommitModel, EventStore } from '../event-store';
import { Lease } from './lease';
import { OutboxMessage, PublishFn } from './outbox-message';
import { OUTBOX_LEASE_ID, OutboxRelay } from './outbox-relay';
import { eventually } from '@continuum/testing';

const suffix = randomUUID().slice(0, 8);
const topic = `it-outbox-${suffix}`;
defineEvent('ObTestParcelScanned', topic, 'test only: a parcel was scanned', obj({ parcel: str(), step: int() }));

const actor: Actor = { kind: 'service', id: 'scanner' };
const scanned = (parcel: string, step: number) => ({ type: 'ObTestParcelScanned', data: { parcel, step } });

interface Received {
  key: string;
  headers: Record<string, string>;
  envelope: EventEnvelope;
}

// jest ignores testTimeout inside a projects entry, so the integration budget is set here
jest.setTimeout(60_000);

describe('OutboxRelay (FerretDB + Kafka)', () => {
  let connection: Connection;
  let store: EventStore;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let consumer: Consumer;
  const received: Received[] = [];
  const relays: OutboxRelay[] = [];
  const commits = () => createCommitModel(connection);
  const leases = () => connection.collection('leases');
  const holder = () => new Lease(connection, OUTBOX_LEASE_ID, 'observer', 1).holder();

  /** the real publisher: an idempotent producer waiting for all in-sync replicas */
  const publish: PublishFn = async (messages) => {
    await producer.sendBatch({
      acks: -1,
      topicMessages: [...new Set(messages.map((m) => m.topic))].map((t) => ({
        topic: t,
        messages: messages.filter((m) => m.topic === t).map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
      })),
    });
  };
  const relay = (extra: Partial<ConstructorParameters<typeof OutboxRelay>[0]> = {}) => {
    const created = new OutboxRelay({ connection, eventStore: store, publish, pollIntervalMs: 200, leaseMs: 3000, ...extra });
    relays.push(created);
    return created;
  };
  const seenFor = (streamId: string) => received.filter((r) => r.key === streamId);
  const unpublished = (streamId: string) => store.outbox.count(streamId);

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017', { dbName: `it_outbox_relay_${suffix}` })
      .asPromise();
    store = new EventStore(connection);
    await store.init();

    kafka = new Kafka({ clientId: `it-outbox-${suffix}`, brokers: [process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'], logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await producer.connect();

    consumer = kafka.consumer({ groupId: `it-outbox-${suffix}`, allowAutoTopicCreation: false });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        received.push({ key: String(message.key), headers, envelope: JSON.parse(String(message.value)) });
      },
    });
    await joined;
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
    await admin?.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin?.disconnect();
    await connection?.dropDatabase();
    await connection?.close();
  });

  it('publishes unpublished commits to the event topic keyed by stream id, in stream order, then marks them', async () => {
    const a = `parcel-${randomUUID()}`;
    const b = `parcel-${randomUUID()}`;
    const meta = { correlationId: 'corr-outbox-1', causationId: 'req-1', actor };
    await store.append(a, 0, [scanned(a, 1), scanned(a, 2)], meta);
    await store.append(b, 0, [scanned(b, 1)], meta);
    await store.append(a, 2, [scanned(a, 3)], meta);

    expect(await relay({ owner: 'drainer' }).drain()).toBe(4);

    const fromA = await eventually(() => seenFor(a).length === 3 && seenFor(a), 'stream a on Kafka');
    await eventually(() => seenFor(b).length === 1, 'stream b on Kafka');
    expect(fromA.map((r) => r.envelope.streamVersion)).toEqual([1, 2, 3]);
    const stored = (await store.readStream(a)).events;
    expect(fromA.map((r) => r.envelope)).toEqual(stored);
    expect(fromA[0].headers).toEqual({ type: 'ObTestParcelScanned', eventId: stored[0].eventId, correlationId: 'corr-outbox-1' });
    expect(fromA[0].envelope).toMatchObject({ correlationId: 'corr-outbox-1', causationId: 'req-1', actor });

    expect(await commits().countDocuments({ streamId: { $in: [a, b] } })).toBe(3);
    expect(await unpublished(a)).toBe(0);
    expect(await unpublished(b)).toBe(0);
    expect(await relay({ owner: 'drainer' }).drain()).toBe(0);
  });

  it('discards the outbox entry of an append that never stored its commit, once it is old enough, and publishes the stream after it', async () => {
    const id = `parcel-${randomUUID()}`;
    const meta = { correlationId: 'corr-orphan', causationId: null, actor };
    // an append that wrote its entry and crashed before its commit
    await store.outbox.add({ _id: `${id}@0`, streamId: id, seq: 0, events: [{ eventId: 'crashed', type: 'ObTestParcelScanned', version: 1, streamVersion: 1, data: {} }] } as never);
    const young = relay({ owner: 'young' });
    expect(await young.drain()).toBe(0);
    expect(await unpublished(id)).toBe(1);
    await young.stop();
    // the next writer at the same version stores its commit: the crashed attempt's entry is told apart by its event id
    await store.append(id, 0, [scanned(id, 1)], meta);
    const after = relay({ owner: 'after' });
    expect(await after.drain()).toBe(1);
    expect(await unpublished(id)).toBe(0);
    await eventually(() => seenFor(id).length === 1, 'the stored commit on Kafka');
    await after.stop();

    const lonely = `parcel-${randomUUID()}`;
    await store.outbox.add({ _id: `${lonely}@0`, streamId: lonely, seq: 0, events: [{ eventId: 'crashed-too', type: 'ObTestParcelScanned', version: 1, streamVersion: 1, data: {} }] } as never);
    const patient = relay({ owner: 'patient' });
    expect(await patient.drain()).toBe(0);
    expect(await unpublished(lonely)).toBe(1);
    await patient.stop();
    expect(await relay({ owner: 'sweeper', orphanAfterMs: 0 }).drain()).toBe(0);
    expect(await unpublished(lonely)).toBe(0);
  });

  it('settles a command once its events are in the views, without waiting for a slow Kafka', async () => {
    const id = `parcel-${randomUUID()}`;
    let releasePublish = (): void => undefined;
    const publishing = new Promise<void>((resolve) => (releasePublish = resolve));
    const viewed: string[] = [];
    const slow = relay({
      owner: 'slow-kafka',
      beforePublish: async (events) => void viewed.push(...events.map((e) => e.streamId)),
      publish: async (messages) => {
        await publishing;
        await publish(messages);
      },
    });
    await store.append(id, 0, [scanned(id, 1)], { correlationId: 'corr-settle', causationId: null, actor });
    // resolves true: this relay holds the lease and put the commit in the views
    expect(await slow.settle(10_000, { streamId: id, version: 1 })).toBe(true);
    expect(viewed).toContain(id);
    // still waiting for Kafka: the entry stays until the publish is done
    expect(await unpublished(id)).toBe(1);
    releasePublish();
    await eventually(async () => (await unpublished(id)) === 0, 'the publish to finish and the entry to go');
  });

  it('hands each round to beforePublish in stream order, and keeps the entries when it fails', async () => {
    const id = `parcel-${randomUUID()}`;
    const meta = { correlationId: 'corr-views', causationId: null, actor };
    await store.append(id, 0, [scanned(id, 1), scanned(id, 2)], meta);
    await store.append(id, 2, [scanned(id, 3)], meta);
    const failing = relay({ owner: 'failing', beforePublish: async () => { throw new Error('view store down'); } });
    await expect(failing.drain()).rejects.toThrow('view store down');
    await failing.stop();
    expect(await unpublished(id)).toBe(2);
    const seen: number[] = [];
    const working = relay({ owner: 'working', beforePublish: async (events) => { seen.push(...events.filter((e) => e.streamId === id).map((e) => e.streamVersion)); } });
    expect(await working.drain()).toBeGreaterThanOrEqual(3);
    expect(seen).toEqual([1, 2, 3]);
    expect(await unpublished(id)).toBe(0);
  });

  it('republishes after a relay published but died before marking, and the consumer still sees stream order', async () => {
    const id = `parcel-${randomUUID()}`;
    const meta = { correlationId: 'corr-crash', causationId: null, actor };
    await store.append(id, 0, [scanned(id, 1), scanned(id, 2)], meta);
    await store.append(id, 2, [scanned(id, 3)], meta);

    let crashes = 0;
    const dying = relay({
      owner: 'dying',
      publish: async (messages: OutboxMessage[]) => {
        await publish(messages);
        crashes++;
        throw new Error('process killed before marking');
      },
    });
    await expect(dying.drain()).rejects.toThrow('process killed before marking');
    expect(crashes).toBe(1);
    expect(await unpublished(id)).toBe(2);
    await eventually(() => seenFor(id).length === 3, 'the first publication');
    await dying.stop();

    relay({ owner: 'restarted' }).start();
    await eventually(async () => (await unpublished(id)) === 0, 'the restarted relay to mark the commits');
    const seen = await eventually(() => seenFor(id).length === 6 && seenFor(id), 'the republication');
    expect(seen.map((r) => r.envelope.streamVersion)).toEqual([1, 2, 3, 1, 2, 3]);
    expect(seen.slice(3).map((r) => r.envelope.eventId)).toEqual(seen.slice(0, 3).map((r) => r.envelope.eventId));
  });

  it('never publishes a later commit of a stream while an earlier one is failing', async () => {
    const id = `parcel-${randomUUID()}`;
    const meta = { correlationId: 'corr-order', causationId: null, actor };
    await store.append(id, 0, [scanned(id, 1)], meta);
    await store.append(id, 1, [scanned(id, 2)], meta);
    const attempts: number[][] = [];
    let failuresLeft = 2;
    const flaky = relay({
      owner: 'flaky',
      batchSize: 1,
      publish: async (messages) => {
        attempts.push(messages.map((m) => (JSON.parse(m.value) as EventEnvelope).streamVersion));
        if (failuresLeft-- > 0) throw new Error('broker unavailable');
        await publish(messages);
      },
    });
    await expect(flaky.drain()).rejects.toThrow('broker unavailable');
    await expect(flaky.drain()).rejects.toThrow('broker unavailable');
    expect(await flaky.drain()).toBe(2);
    expect(attempts).toEqual([[1], [1], [1], [2]]);
    const seen = await eventually(() => seenFor(id).length === 2 && seenFor(id), 'both events');
    expect(seen.map((r) => r.envelope.streamVersion)).toEqual([1, 2]);
  });

  it("publishes each stream in seq order whatever the appending instances' clocks say", async () => {
    // another instance whose clock is an hour behind: its outbox entries look older than this one's
    const behind = new EventStore(connection, { clock: () => new Date(Date.now() - 3_600_000) });
    const id = `parcel-${randomUUID()}`;
    const meta = { correlationId: 'corr-skew', causationId: null, actor };
    await store.append(id, 0, [scanned(id, 1)], meta);
    await behind.append(id, 1, [scanned(id, 2), scanned(id, 3)], meta);
    await store.append(id, 3, [scanned(id, 4)], meta);
    await behind.append(id, 4, [scanned(id, 5)], meta);
    const oldest = await store.outbox.oldest(10);
    // the outbox reads the stream's later commits first
    expect(oldest.filter((entry) => entry.streamId === id).map((entry) => entry.seq)).toEqual([1, 4, 0, 3]);

    const viewed: number[] = [];
    const oneByOne = relay({ owner: 'one-by-one', batchSize: 1, beforePublish: async (events) => void viewed.push(...events.filter((e) => e.streamId === id).map((e) => e.streamVersion)) });
    expect(await oneByOne.drain()).toBeGreaterThanOrEqual(5);
    expect(viewed).toEqual([1, 2, 3, 4, 5]);
    const seen = await eventually(() => seenFor(id).length === 5 && seenFor(id), 'the stream on Kafka');
    expect(seen.map((r) => r.envelope.streamVersion)).toEqual([1, 2, 3, 4, 5]);
    expect(await unpublished(id)).toBe(0);
    await oneByOne.stop();

    // a round that reads a stream's first commit and its third, but not the second in between
    const ahead = new EventStore(connection, { clock: () => new Date(Date.now() + 3_600_000) });
    const gapped = `parcel-${randomUUID()}`;
    await store.append(gapped, 0, [scanned(gapped, 1)], meta);
    await ahead.append(gapped, 1, [scanned(gapped, 2)], meta);
    await behind.append(gapped, 2, [scanned(gapped, 3)], meta);
    expect((await store.outbox.oldest(2)).map((entry) => entry.seq)).toEqual([2, 0]);
    const twoByTwo = relay({ owner: 'two-by-two', batchSize: 2 });
    expect(await twoByTwo.drain()).toBe(3);
    const after = await eventually(() => seenFor(gapped).length === 3 && seenFor(gapped), 'the gapped stream on Kafka');
    expect(after.map((r) => r.envelope.streamVersion)).toEqual([1, 2, 3]);
  });

  it('is woken by an append in the same process without waiting for the poll', async () => {
    const awake = relay({ owner: 'awake', pollIntervalMs: 600_000 });
    awake.start();
    // let the start-up round take the lease and find nothing of ours
    await eventually(async () => (await holder()) === 'awake', 'the lease');
    const id = `parcel-${randomUUID()}`;
    await store.append(id, 0, [scanned(id, 1)], { correlationId: 'corr-wake', causationId: null, actor });
    await eventually(() => seenFor(id).length === 1, 'the woken relay to publish', { timeoutMs: 10_000 });
    await eventually(async () => (await unpublished(id)) === 0, 'the commit to be marked', { timeoutMs: 10_000 });
  });

  it("publishes this process's appends without reading the outbox, unless another instance appended the commit before", async () => {
    const local = relay({ owner: 'local', pollIntervalMs: 600_000 });
    local.start();
    await eventually(async () => (await holder()) === 'local', 'the lease');
    const reads = jest.spyOn(store.outbox, 'oldest');
    try {
      const own = `parcel-${randomUUID()}`;
      await store.append(own, 0, [scanned(own, 1)], { correlationId: 'corr-local', causationId: null, actor });
      await store.append(own, 1, [scanned(own, 2)], { correlationId: 'corr-local', causationId: null, actor });
      await eventually(async () => (await unpublished(own)) === 0, 'the local round to publish and mark');
      await eventually(() => seenFor(own).length === 2, 'both on Kafka');
      expect(seenFor(own).map((r) => r.envelope.streamVersion)).toEqual([1, 2]);
      expect(reads).not.toHaveBeenCalled();

      // another instance (its own store, its appends unseen here) starts a stream; this one continues it
      const shared = `parcel-${randomUUID()}`;
      await new EventStore(connection).append(shared, 0, [scanned(shared, 1)], { correlationId: 'corr-other', causationId: null, actor });
      await store.append(shared, 1, [scanned(shared, 2)], { correlationId: 'corr-local', causationId: null, actor });
      await eventually(() => seenFor(shared).length === 2, 'both commits on Kafka');
      // the local commit could not go first: a full round read the outbox and kept the stream's order
      expect(seenFor(shared).map((r) => r.envelope.streamVersion)).toEqual([1, 2]);
      expect(reads).toHaveBeenCalled();
      await eventually(async () => (await unpublished(shared)) === 0, 'both marked');
    } finally {
      reads.mockRestore();
    }
  });

  it('lets only the lease holder publish, and the other relay takes over when the holder stops', async () => {
    const published = new Map<string, number>();
    const counting = (owner: string): PublishFn => async (messages) => {
      await publish(messages);
      published.set(owner, (published.get(owner) ?? 0) + messages.length);
    };
    const one = relay({ owner: 'relay-one', publish: counting('relay-one') });
    const two = relay({ owner: 'relay-two', publish: counting('relay-two') });
    one.start();
    two.start();
    const firstHolder = await eventually(() => holder(), 'a lease holder');
    const [active, standby] = firstHolder === 'relay-one' ? [one, two] : [two, one];

    const first = `parcel-${randomUUID()}`;
    for (let step = 0; step < 5; step++) {
      await store.append(first, step, [scanned(first, step + 1)], { correlationId: 'corr-lease', causationId: null, actor });
    }
    await eventually(async () => (await unpublished(first)) === 0, 'the holder to publish');
    expect(published.get(standby.owner)).toBeUndefined();
    expect(published.get(active.owner)).toBe(5);
    expect(await standby.drain()).toBe(0);
    // the standby applies nothing: its settle says so, and its caller waits for the holder's views instead
    expect(await standby.settle(1_000, { streamId: first, version: 5 })).toBe(false);

    await active.stop();
    const second = `parcel-${randomUUID()}`;
    await store.append(second, 0, [scanned(second, 1)], { correlationId: 'corr-lease', causationId: null, actor });
    await eventually(async () => (await unpublished(second)) === 0, 'the standby to take over');
    expect(published.get(standby.owner)).toBe(1);
    expect(published.get(active.owner)).toBe(5);
    expect(await holder()).toBe(standby.owner);
  });

  it('takes over a lease only after its crashed holder stopped renewing it', async () => {
    // a holder that crashed without releasing: its term runs out on its own
    const [latest] = await leases().find({ lease: OUTBOX_LEASE_ID }).sort({ term: -1 }).limit(1).toArray();
    const term = ((latest?.term as number | undefined) ?? 0) + 1;
    const ghostExpiry = new Date(Date.now() + 1500);
    await leases().insertOne({ _id: `${OUTBOX_LEASE_ID}:${term}` as never, lease: OUTBOX_LEASE_ID, term, owner: 'crashed', expiresAt: ghostExpiry });
    const id = `parcel-${randomUUID()}`;
    await store.append(id, 0, [scanned(id, 1)], { correlationId: 'corr-ghost', causationId: null, actor });

    const successor = relay({ owner: 'successor' });
    expect(await successor.drain()).toBe(0);
    expect(await unpublished(id)).toBe(1);

    successor.start();
    await eventually(async () => (await unpublished(id)) === 0, 'the successor to take the expired lease');
    expect(await holder()).toBe('successor');
    const [taken] = await leases().find({ lease: OUTBOX_LEASE_ID }).sort({ term: -1 }).limit(1).toArray();
    expect(taken).toMatchObject({ term: term + 1, owner: 'successor' });
    expect((taken.expiresAt as Date).getTime()).toBeGreaterThan(ghostExpiry.getTime());
    expect(seenFor(id).map((r) => r.envelope.streamVersion)).toEqual([1]);
  });
});
