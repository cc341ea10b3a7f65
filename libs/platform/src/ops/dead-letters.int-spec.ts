import { randomUUID } from 'node:crypto';
import { Consumer, Kafka } from 'kafkajs';
import mongoose, { Connection } from 'mongoose';
import pino from 'pino';
import { DomainError, EventEnvelope, MessageRegistry, id, obj } from '@continuum/contracts';
import { eventually } from '@continuum/testing';
import { ConsumerRunner, IncomingMessage, KafkaPublisher, kafkaClient, provisionTopics } from '../kafka';
import { DEAD_LETTER_REPLAYS_COLLECTION, DeadLetters } from './dead-letters';

jest.setTimeout(120_000);

const suffix = randomUUID().slice(0, 8);
const eventsTopic = `it-ops-${suffix}.events.v1`;
const dlqTopic = `it-ops-${suffix}.dlq.v1`;
const testConsumerSettings = { sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 100 };

const registry = new MessageRegistry();
registry.define({ kind: 'event', type: 'OpsParcelShipped', version: 1, topic: eventsTopic, description: 'test', schema: obj({ parcelId: id() }) });

const shipped = (parcelId: string): EventEnvelope => ({
  eventId: randomUUID(),
  type: 'OpsParcelShipped',
  version: 1,
  streamId: `parcel-${parcelId}`,
  streamVersion: 1,
  occurredAt: '2026-03-01T10:00:00.000Z',
  correlationId: randomUUID(),
  causationId: null,
  actor: { kind: 'system', id: 'it' },
  data: { parcelId },
});

// Two groups read one topic: `tracking` needs the parcel to be known (a record in `parcels`) and
// refuses the event until it is; `audit` handles every event. A replay after the parcel appears is
// handled by `tracking` once and skipped by `audit`, which had handled it already.
describe('DeadLetters: list, show and replay of an event refused for a missing record (Kafka, FerretDB)', () => {
  let kafka: Kafka;
  let connection: Connection;
  let publisher: KafkaPublisher;
  let tracking: ConsumerRunner;
  let audit: ConsumerRunner;
  let rawReader: Consumer;
  let deadLetters: DeadLetters;
  const handledBy: Record<'tracking' | 'audit', IncomingMessage[]> = { tracking: [], audit: [] };
  const rawRecords: { key: string | null; value: string; headers: Record<string, string> }[] = [];

  beforeAll(async () => {
    kafka = kafkaClient({ clientId: `it-ops-${suffix}`, brokers: ['127.0.0.1:9092'] });
    connection = await mongoose.createConnection(`mongodb://127.0.0.1:27017/it_ops_${suffix.replace(/-/g, '')}`).asPromise();
    await provisionTopics(kafka, [eventsTopic, dlqTopic, `${dlqTopic}-none`]);
    publisher = new KafkaPublisher(kafka);
    await publisher.connect();
    const common = { kafka, connection, publisher, registry, dlqTopic, topics: [eventsTopic], maxAttempts: 2, backoffMs: 50, logger: pino({ level: 'silent' }), ...testConsumerSettings };
    tracking = new ConsumerRunner({
      ...common,
      groupId: `it-ops-${suffix}.tracking`,
      handlers: {
        OpsParcelShipped: async (m) => {
          const parcelId = (m.envelope!.data as { parcelId: string }).parcelId;
          if (!(await connection.collection('parcels').findOne({ _id: parcelId as never }))) throw new DomainError('PARCEL_NOT_FOUND', `no parcel ${parcelId}`, 'not-found');
          handledBy.tracking.push(m);
        },
      },
    });
    audit = new ConsumerRunner({ ...common, groupId: `it-ops-${suffix}.audit`, handlers: { OpsParcelShipped: async (m) => void handledBy.audit.push(m) } });
    rawReader = kafka.consumer({ groupId: `it-ops-${suffix}.raw`, ...testConsumerSettings });
    const joined = new Promise<void>((resolve) => rawReader.on(rawReader.events.GROUP_JOIN, () => resolve()));
    await rawReader.connect();
    await rawReader.subscribe({ topic: eventsTopic, fromBeginning: true });
    await rawReader.run({
      eachMessage: async ({ message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]));
        rawRecords.push({ key: message.key?.toString() ?? null, value: message.value!.toString(), headers });
      },
    });
    await Promise.all([tracking.start(), audit.start(), joined]);
    deadLetters = new DeadLetters({ kafka, connection, dlqTopic, publish: (records) => publisher.publish(records) });
  });

  afterAll(async () => {
    await tracking?.stop();
    await audit?.stop();
    await rawReader?.disconnect();
    await publisher?.disconnect();
    await connection?.dropDatabase();
    await connection?.close();
  });

  it('an empty dead-letter topic lists nothing', async () => {
    const empty = new DeadLetters({ kafka, connection, dlqTopic: `${dlqTopic}-none`, publish: async () => undefined });
    expect(await empty.list()).toEqual([]);
  });

  it('replays the original record with its key, headers and x-replay-count; the refusing group handles it once, the other skips it; the dead letter stays, marked', async () => {
    const event = shipped('p-1');
    await publisher.publish([{ topic: eventsTopic, key: event.streamId, value: JSON.stringify(event), headers: { traceparent: '00-abc-01' } }]);
    await eventually(() => handledBy.audit.some((m) => m.dedupId === event.eventId), 'audit handled it');

    const [entry] = await eventually(async () => {
      const entries = await deadLetters.list();
      return entries.length === 1 ? entries : undefined;
    }, 'the refusal dead-lettered');
    expect(entry).toMatchObject({
      id: `${dlqTopic}:${entry!.partition}:${entry!.offset}`,
      deadLetter: { reason: 'rejected', error: { code: 'PARCEL_NOT_FOUND' }, groupId: `it-ops-${suffix}.tracking`, source: { topic: eventsTopic, key: event.streamId, headers: { traceparent: '00-abc-01' } }, original: JSON.stringify(event) },
      replayed: null,
      notReplayable: null,
    });
    expect(await deadLetters.show(entry!.id)).toEqual(entry);
    await expect(deadLetters.show(`${dlqTopic}:0:424242`)).rejects.toMatchObject({ code: 'DEAD_LETTER_NOT_FOUND', kind: 'not-found' });
    await expect(deadLetters.show('not an id')).rejects.toMatchObject({ code: 'DEAD_LETTER_NOT_FOUND' });

    // the cause removed
    await connection.collection('parcels').insertOne({ _id: 'p-1' as never });
    const result = await deadLetters.replay(entry!.id, { actor: 'admin:ops' });
    expect(result).toMatchObject({ id: entry!.id, topic: eventsTopic, key: event.streamId, replayCount: 1, replays: 1 });
    await eventually(() => handledBy.tracking.length === 1, 'tracking handled the replay');
    expect(handledBy.tracking[0]!.dedupId).toBe(event.eventId);

    const replayed = await eventually(() => rawRecords.find((r) => r.headers['x-dead-letter-id'] === entry!.id), 'replayed record read');
    expect(replayed).toEqual({
      key: event.streamId,
      value: JSON.stringify(event),
      headers: { traceparent: '00-abc-01', 'x-replay-count': '1', 'x-replay-of': `${eventsTopic}:${entry!.deadLetter!.source.partition}:${entry!.deadLetter!.source.offset}`, 'x-dead-letter-id': entry!.id },
    });
    expect(await connection.collection(DEAD_LETTER_REPLAYS_COLLECTION).findOne({ _id: entry!.id as never })).toMatchObject({ replays: 1, replayCount: 1, replayedBy: 'admin:ops', sourceTopic: eventsTopic, dlqTopic });

    // refused a second time; forced, published again and skipped by both groups (the event id)
    await expect(deadLetters.replay(entry!.id, { actor: 'admin:ops' })).rejects.toMatchObject({ code: 'DEAD_LETTER_ALREADY_REPLAYED', kind: 'conflict' });
    expect(await deadLetters.replay(entry!.id, { actor: 'admin:ops', force: true })).toMatchObject({ replays: 2 });
    // same key, same partition: once both groups handled it, the forced replay was read
    const marker = shipped('p-1');
    await publisher.publish([{ topic: eventsTopic, key: marker.streamId, value: JSON.stringify(marker) }]);
    await eventually(() => handledBy.tracking.some((m) => m.dedupId === marker.eventId) && handledBy.audit.some((m) => m.dedupId === marker.eventId), 'marker handled by both groups');
    expect(handledBy.tracking.filter((m) => m.dedupId === event.eventId)).toHaveLength(1);
    expect(handledBy.audit.filter((m) => m.dedupId === event.eventId)).toHaveLength(1);

    const [after] = await deadLetters.list();
    expect(after).toMatchObject({ id: entry!.id, deadLetter: entry!.deadLetter, replayed: { replays: 2, replayedBy: 'admin:ops' } });
    expect(await deadLetters.list()).toHaveLength(1);
  });

  it('replayAll sends only what was not replayed yet and can be, from the topic asked for', async () => {
    const event = shipped('p-2');
    await publisher.publish([{ topic: eventsTopic, key: event.streamId, value: JSON.stringify(event) }]);
    const id2 = (await eventually(async () => (await deadLetters.list()).find((e) => e.deadLetter?.source.key === event.streamId), 'second refusal dead-lettered')).id;
    await connection.collection('parcels').insertOne({ _id: 'p-2' as never });

    expect(await deadLetters.replayAll({ actor: 'cli:ops', sourceTopic: (topic) => topic === 'another.topic' })).toEqual({ replayed: [], skipped: [] });
    const all = await deadLetters.replayAll({ actor: 'cli:ops' });
    expect(all.replayed.map((r) => r.id)).toEqual([id2]);
    await eventually(() => handledBy.tracking.some((m) => m.dedupId === event.eventId), 'tracking handled the second replay');
  });

  it('a dead letter whose group has handled its event since (delivered again after the fix) is not replayable: a replay would be skipped', async () => {
    const event = shipped('p-3');
    const publishEvent = () => publisher.publish([{ topic: eventsTopic, key: event.streamId, value: JSON.stringify(event) }]);
    await publishEvent();
    const entry = await eventually(async () => (await deadLetters.list()).find((e) => e.deadLetter?.source.key === event.streamId), 'third refusal dead-lettered');
    expect(entry.notReplayable).toBeNull();

    await connection.collection('parcels').insertOne({ _id: 'p-3' as never });
    await publishEvent(); // the same event again, as a relay that republished sends it
    await eventually(() => handledBy.tracking.some((m) => m.dedupId === event.eventId), 'tracking handled the redelivery');

    const shown = await eventually(async () => {
      const current = await deadLetters.show(entry.id);
      return current.notReplayable ? current : undefined;
    }, 'the dead letter known as handled');
    expect(shown.notReplayable).toMatch(/has handled this message since/);
    await expect(deadLetters.replay(entry.id, { actor: 'admin:ops' })).rejects.toMatchObject({ code: 'DEAD_LETTER_NOT_REPLAYABLE', kind: 'rule' });
    expect((await deadLetters.replayAll({ actor: 'cli:ops' })).skipped).toEqual([{ id: entry.id, why: shown.notReplayable }]);
    expect(handledBy.tracking.filter((m) => m.dedupId === event.eventId)).toHaveLength(1);
  });
});
