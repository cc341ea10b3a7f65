import { randomUUID } from 'node:crypto';
import { Consumer, Kafka } from 'kafkajs';
import mongoose, { Connection } from 'mongoose';
import pino from 'pino';
import { DomainError, EventEnvelope, MAX_INPUT_RECORD_BYTES, MessageRegistry, id, int, obj } from '@continuum/contracts';
import { ConsumerRunner } from './consumer-runner';
import { DeadLetter } from './dead-letter';
import { IncomingMessage } from './incoming-message';
import { kafkaClient } from './kafka-client';
import { KafkaPublisher } from './kafka-publisher';
import { provisionTopics } from './provision-topics';
import { OVERSIZE_KEPT_CHARS } from './record-size';
import { RetryLaterError } from './retry-backoff';
import { eventually } from '@continuum/testing';

// The project-level testTimeout in jest.config.js is not applied by Jest, so the file sets its own.
jest.setTimeout(60_000);

const suffix = randomUUID().slice(0, 8);
const eventsTopic = `it-kafka-${suffix}.events.v1`;
const intakeTopic = `it-kafka-${suffix}.intake.v1`;
const dlqTopic = `it-kafka-${suffix}.dlq.v1`;
const batchTopic = `it-kafka-${suffix}.batch.v1`;
const groupId = `it-kafka-${suffix}`;
const testConsumerSettings = { sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 100 };

const registry = new MessageRegistry();
registry.define({ kind: 'event', type: 'KbThingCounted', version: 1, topic: eventsTopic, description: 'test', schema: obj({ thingId: id(), count: int() }) });
registry.define({ kind: 'message', type: 'KbDoThing', version: 1, topic: intakeTopic, description: 'test', schema: obj({ type: { const: 'KbDoThing' }, messageId: id(), thingId: id() }) });

const envelope = (type: string, streamId: string, data: Record<string, unknown>, eventId = randomUUID()): EventEnvelope => ({
  eventId,
  type,
  version: 1,
  streamId,
  streamVersion: 1,
  occurredAt: '2024-05-01T10:00:00.000Z',
  correlationId: randomUUID(),
  causationId: null,
  actor: { kind: 'system', id: 'it' },
  data,
});

describe('ConsumerRunner (Kafka + FerretDB)', () => {
  let kafka: Kafka;
  let connection: Connection;
  let publisher: KafkaPublisher;
  let runner: ConsumerRunner;
  let messageRunner: ConsumerRunner;
  let dlqReader: Consumer;
  const deadLetters: { key: string | null; letter: DeadLetter }[] = [];
  const calls: IncomingMessage[] = [];
  const callsFor = (dedupId: string) => calls.filter((c) => c.dedupId === dedupId);
  const lettersFrom = (key: string) => deadLetters.filter((d) => d.key === key);

  const publish = (key: string, value: string) => publisher.publish([{ topic: eventsTopic, key, value }]);
  const publishEvent = (e: EventEnvelope) => publish(e.streamId, JSON.stringify(e));
  /** A later event on the same key lands on the same partition: once it is handled, everything before it was processed. */
  const handledMarker = async (streamId: string) => {
    const marker = envelope('KbThingCounted', streamId, { thingId: 'marker', count: 0 });
    await publishEvent(marker);
    await eventually(() => callsFor(marker.eventId).length === 1, `marker on ${streamId}`);
  };

  beforeAll(async () => {
    kafka = kafkaClient({ clientId: `it-kafka-${suffix}`, brokers: ['127.0.0.1:9092'] });
    connection = await mongoose.createConnection(`mongodb://127.0.0.1:27017/it_kafka_${suffix.replace(/-/g, '')}`).asPromise();
    await provisionTopics(kafka, [eventsTopic, intakeTopic, dlqTopic, batchTopic]);
    publisher = new KafkaPublisher(kafka);
    await publisher.connect();

    const failuresLeft = new Map<string, number>();
    const heldUntil = new Map<string, number>();
    const record = async (m: IncomingMessage) => {
      calls.push(m);
    };
    const common = { kafka, connection, publisher, registry, dlqTopic, maxAttempts: 3, backoffMs: 50, logger: pino({ level: 'silent' }), ...testConsumerSettings };
    runner = new ConsumerRunner({
      ...common,
      groupId,
      topics: [eventsTopic],
      handlers: {
        KbThingCounted: record,
        KbFlaky: async (m) => {
          await record(m);
          const left = failuresLeft.get(m.dedupId) ?? 2;
          failuresLeft.set(m.dedupId, left - 1);
          if (left > 0) throw new Error('database briefly unavailable');
        },
        KbBroken: async (m) => {
          await record(m);
          throw new Error('always broken');
        },
        KbRefused: async (m) => {
          await record(m);
          throw new DomainError('THING_CLOSED', 'The thing is closed.');
        },
        // work another process holds for 600 ms after the first call, then finishes; the refusal says
        // until when the holder may have it, as payments' REFUND_IN_PROGRESS does
        KbHeldElsewhere: async (m) => {
          await record(m);
          const until = heldUntil.get(m.dedupId) ?? Date.now() + 600;
          heldUntil.set(m.dedupId, until);
          if (Date.now() < until) throw new DomainError('THING_HELD', 'held by another process', 'conflict', { retryUntil: new Date(until + 5_000).toISOString() });
        },
        KbBusy: async (m) => {
          await record(m);
          const left = failuresLeft.get(m.dedupId) ?? 1;
          failuresLeft.set(m.dedupId, left - 1);
          if (left > 0) throw new DomainError('THING_BUSY', 'Another change to the thing is in progress.', 'conflict');
        },
      },
    });
    messageRunner = new ConsumerRunner({ ...common, groupId: `${groupId}-intake`, topics: [intakeTopic], parse: 'message', handlers: { KbDoThing: record } });

    dlqReader = kafka.consumer({ groupId: `${groupId}-dlq-reader`, ...testConsumerSettings });
    const dlqJoined = new Promise<void>((resolve) => dlqReader.on(dlqReader.events.GROUP_JOIN, () => resolve()));
    await dlqReader.connect();
    await dlqReader.subscribe({ topic: dlqTopic, fromBeginning: true });
    await dlqReader.run({
      eachMessage: async ({ message }) => {
        deadLetters.push({ key: message.key?.toString() ?? null, letter: JSON.parse(message.value!.toString()) });
      },
    });
    await Promise.all([runner.start(), messageRunner.start(), dlqJoined]);
  });

  afterAll(async () => {
    await runner?.stop();
    await messageRunner?.stop();
    await dlqReader?.disconnect();
    await publisher?.disconnect();
    await connection?.dropDatabase();
    await connection?.close();
  });

  it('runs the handler once for an event, and not again when the same event is republished', async () => {
    const event = envelope('KbThingCounted', 'stream-dup', { thingId: 't-1', count: 1 });
    await publishEvent(event);
    await eventually(() => callsFor(event.eventId).length === 1, 'first delivery');

    await publishEvent(event); // what a relay that crashed before marking the commit published does
    await handledMarker('stream-dup');

    expect(callsFor(event.eventId)).toHaveLength(1);
    expect(callsFor(event.eventId)[0]).toMatchObject({ type: 'KbThingCounted', topic: eventsTopic, key: 'stream-dup', envelope: event });
    const mark = await connection.collection('handled_events').findOne({ _id: `${groupId}:${event.eventId}` as any });
    expect(mark).toMatchObject({ groupId, type: 'KbThingCounted' });
  });

  it('dead-letters a value that is not JSON with the original, and handles the next message on the partition', async () => {
    await publish('stream-poison-json', '{"eventId": oops');
    const next = envelope('KbThingCounted', 'stream-poison-json', { thingId: 't-2', count: 2 });
    await publishEvent(next);

    const [dead] = await eventually(() => lettersFrom('stream-poison-json').length > 0 && lettersFrom('stream-poison-json'), 'dead letter');
    expect(dead.letter).toMatchObject({
      reason: 'invalid-json',
      error: { name: 'SyntaxError' },
      attempts: 0,
      groupId,
      source: { topic: eventsTopic, key: 'stream-poison-json' },
      original: '{"eventId": oops',
    });
    await eventually(() => callsFor(next.eventId).length === 1, 'the message after the poison one');
  });

  it('dead-letters a schema-invalid event without calling its handler, and handles the next one', async () => {
    const invalid = envelope('KbThingCounted', 'stream-poison-schema', { thingId: 't-3', count: 'three' });
    await publishEvent(invalid);
    const next = envelope('KbThingCounted', 'stream-poison-schema', { thingId: 't-3', count: 3 });
    await publishEvent(next);

    const [dead] = await eventually(() => lettersFrom('stream-poison-schema').length > 0 && lettersFrom('stream-poison-schema'), 'dead letter');
    expect(dead.letter.reason).toBe('schema-invalid');
    expect(dead.letter.error.message).toContain('/count');
    expect(JSON.parse(dead.letter.original!)).toEqual(invalid);
    await eventually(() => callsFor(next.eventId).length === 1, 'the message after the invalid one');
    expect(callsFor(invalid.eventId)).toHaveLength(0);
  });

  it('dead-letters an envelope that breaks the envelope schema', async () => {
    const { correlationId: _dropped, ...withoutCorrelation } = envelope('KbThingCounted', 'stream-bad-envelope', { thingId: 't-4', count: 4 });
    await publish('stream-bad-envelope', JSON.stringify(withoutCorrelation));

    const [dead] = await eventually(() => lettersFrom('stream-bad-envelope').length > 0 && lettersFrom('stream-bad-envelope'), 'dead letter');
    expect(dead.letter.reason).toBe('schema-invalid');
    expect(dead.letter.error.message).toContain('/correlationId');
  });

  it('retries a handler that fails twice and records it handled once', async () => {
    const flaky = envelope('KbFlaky', 'stream-flaky', { whatever: true });
    await publishEvent(flaky);

    await eventually(() => callsFor(flaky.eventId).length === 3, 'three attempts');
    await handledMarker('stream-flaky');
    expect(callsFor(flaky.eventId)).toHaveLength(3);
    expect(await connection.collection('handled_events').countDocuments({ _id: `${groupId}:${flaky.eventId}` as any })).toBe(1);
    expect(lettersFrom('stream-flaky')).toHaveLength(0);
  });

  it('dead-letters a handler that always fails after maxAttempts, and the partition moves on', async () => {
    const broken = envelope('KbBroken', 'stream-broken', {});
    await publishEvent(broken);

    const [dead] = await eventually(() => lettersFrom('stream-broken').length > 0 && lettersFrom('stream-broken'), 'dead letter');
    expect(dead.letter).toMatchObject({ reason: 'failed', attempts: 3, error: { name: 'Error', message: 'always broken' } });
    expect(JSON.parse(dead.letter.original!)).toEqual(broken);
    expect(callsFor(broken.eventId)).toHaveLength(3);
    await handledMarker('stream-broken');
    expect(await connection.collection('handled_events').countDocuments({ _id: `${groupId}:${broken.eventId}` as any })).toBe(0);
  });

  it('dead-letters a refused command (DomainError) at once with reason rejected', async () => {
    const refused = envelope('KbRefused', 'stream-refused', {});
    await publishEvent(refused);

    const [dead] = await eventually(() => lettersFrom('stream-refused').length > 0 && lettersFrom('stream-refused'), 'dead letter');
    expect(dead.letter).toMatchObject({ reason: 'rejected', attempts: 1, error: { name: 'DomainError', code: 'THING_CLOSED' } });
    expect(callsFor(refused.eventId)).toHaveLength(1);
  });

  it('retries a conflict (DomainError kind conflict) instead of dead-lettering it', async () => {
    const busy = envelope('KbBusy', 'stream-busy', {});
    await publishEvent(busy);
    await handledMarker('stream-busy');
    expect(callsFor(busy.eventId)).toHaveLength(2);
    expect(lettersFrom('stream-busy')).toHaveLength(0);
    expect(await connection.collection('handled_events').countDocuments({ _id: `${groupId}:${busy.eventId}` as any })).toBe(1);
  });

  it('retries work held elsewhere (a conflict with retryUntil, a RetryLaterError) past maxAttempts without a dead letter; a stop during the wait leaves the message to the next runner of the group', async () => {
    const held = envelope('KbHeldElsewhere', 'stream-waits', {});
    await publishEvent(held);
    await handledMarker('stream-waits');
    // more calls than maxAttempts (3, 50 ms apart and doubling): only the wait's end let it through
    expect(callsFor(held.eventId).length).toBeGreaterThan(3);
    expect(lettersFrom('stream-waits')).toHaveLength(0);
    expect(await connection.collection('handled_events').countDocuments({ _id: `${groupId}:${held.eventId}` as any })).toBe(1);

    const group = `${groupId}-waits`;
    const stuck = envelope('KbHeldElsewhere', 'stream-waits-stop', {});
    const tries: string[] = [];
    let holderGone = false;
    const make = () =>
      new ConsumerRunner({
        kafka, connection, publisher, registry, dlqTopic, logger: pino({ level: 'silent' }), ...testConsumerSettings,
        groupId: group,
        topics: [eventsTopic],
        maxAttempts: 2,
        backoffMs: 50,
        maxBackoffMs: 200,
        handlers: {
          KbThingCounted: async () => undefined,
          KbHeldElsewhere: async (m) => {
            tries.push(m.dedupId);
            if (m.dedupId === stuck.eventId && !holderGone) throw new RetryLaterError('held by another process', new Date(Date.now() + 60_000));
          },
        },
      });
    const waiting = make();
    await waiting.start();
    await publishEvent(stuck);
    await eventually(() => tries.filter((id) => id === stuck.eventId).length >= 3, 'the wait under way');
    await waiting.stop();
    expect(await connection.collection('handled_events').countDocuments({ _id: `${group}:${stuck.eventId}` as any })).toBe(0);
    holderGone = true;
    const next = make();
    await next.start();
    try {
      await eventually(async () => (await connection.collection('handled_events').countDocuments({ _id: `${group}:${stuck.eventId}` as any })) === 1, 'handled by the next runner');
    } finally {
      await next.stop();
    }
    expect(lettersFrom('stream-waits-stop')).toHaveLength(0);
  });

  it('holds a message for work held elsewhere at most maxHeldMs from its first failure, even when its time moves with every try; then spends attempts and dead-letters it', async () => {
    const group = `${groupId}-held-cap`;
    const forever = envelope('KbHeldElsewhere', 'stream-held-cap', {});
    const tries: number[] = [];
    const runner = new ConsumerRunner({
      kafka, connection, publisher, registry, dlqTopic, logger: pino({ level: 'silent' }), ...testConsumerSettings,
      groupId: group,
      topics: [eventsTopic],
      maxAttempts: 2,
      backoffMs: 50,
      maxBackoffMs: 100,
      maxHeldMs: 1_000,
      handlers: {
        KbThingCounted: async () => undefined,
        KbHeldElsewhere: async (m) => {
          if (m.dedupId !== forever.eventId) return;
          tries.push(Date.now());
          throw new RetryLaterError('held by a holder that never lets go', new Date(Date.now() + 60_000));
        },
      },
    });
    await runner.start();
    try {
      await publishEvent(forever);
      const [dead] = await eventually(() => lettersFrom('stream-held-cap').length > 0 && lettersFrom('stream-held-cap'), 'dead letter');
      expect(dead.letter).toMatchObject({ reason: 'failed', error: { name: 'RetryLaterError' } });
      // retried without spending attempts for about maxHeldMs, not given up after maxAttempts at once
      expect(tries.length).toBeGreaterThan(2);
      expect(tries[tries.length - 1]! - tries[0]!).toBeGreaterThanOrEqual(1_000);
    } finally {
      await runner.stop();
    }
  });

  it('with dedup off, hands a redelivered event to its handler again and records nothing in handled_events (for handlers idempotent by themselves)', async () => {
    const seen: string[] = [];
    const plain = new ConsumerRunner({
      kafka, connection, publisher, registry, dlqTopic, logger: pino({ level: 'silent' }), ...testConsumerSettings,
      groupId: `${groupId}-nodedup`,
      topics: [eventsTopic],
      dedup: false,
      handlers: { KbThingCounted: async (m) => void seen.push(m.dedupId) },
    });
    await plain.start();
    try {
      const event = envelope('KbThingCounted', 'stream-nodedup', { thingId: 't-2', count: 1 });
      await publishEvent(event);
      await publishEvent(event);
      await eventually(() => seen.filter((id) => id === event.eventId).length === 2, 'both deliveries');
      expect(await connection.collection('handled_events').countDocuments({ _id: `${groupId}-nodedup:${event.eventId}` as any })).toBe(0);
    } finally {
      await plain.stop();
    }
  });

  it('commits the offsets of handled messages on its interval and when it stops, so the next runner of the group starts after them', async () => {
    const group = `${groupId}-commits`;
    const seen: string[] = [];
    const make = (commitIntervalMs: number) =>
      new ConsumerRunner({
        kafka, connection, publisher, registry, dlqTopic, logger: pino({ level: 'silent' }), ...testConsumerSettings,
        groupId: group,
        topics: [eventsTopic],
        dedup: false,
        commitIntervalMs,
        handlers: { KbThingCounted: async (m) => void seen.push(m.dedupId) },
      });
    const admin = kafka.admin();
    await admin.connect();
    const times = (id: string) => seen.filter((s) => s === id).length;
    try {
      // on the interval: once the group handled everything, its committed offsets reach the end of every partition
      const timed = make(200);
      await timed.start();
      const a = envelope('KbThingCounted', 'stream-commits', { thingId: 't-c', count: 1 });
      await publishEvent(a);
      await eventually(() => times(a.eventId) === 1, 'a handled');
      const ends = new Map((await admin.fetchTopicOffsets(eventsTopic)).map((p) => [p.partition, p.high]));
      await eventually(async () => {
        const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [eventsTopic] });
        return offsets!.partitions.every((p) => p.offset === ends.get(p.partition));
      }, 'offsets committed without a stop');
      await timed.stop();

      // on stop: a runner whose interval never comes commits as it stops, and the next one starts after
      const stopping = make(600_000);
      await stopping.start();
      const b = envelope('KbThingCounted', 'stream-commits', { thingId: 't-c', count: 2 });
      await publishEvent(b);
      await eventually(() => times(b.eventId) === 1, 'b handled');
      await stopping.stop();
      const next = make(600_000);
      await next.start();
      const c = envelope('KbThingCounted', 'stream-commits', { thingId: 't-c', count: 3 });
      await publishEvent(c);
      await eventually(() => times(c.eventId) === 1, 'c handled by the next runner');
      await next.stop();
      // dedup is off: a message delivered again would show here
      expect([times(a.eventId), times(b.eventId)]).toEqual([1, 1]);
    } finally {
      await admin.disconnect();
    }
  });

  it('skips event types without a handler and keeps going', async () => {
    const unknown = envelope('KbSomethingElse', 'stream-skip', { any: 'thing' });
    await publishEvent(unknown);
    await handledMarker('stream-skip');
    expect(callsFor(unknown.eventId)).toHaveLength(0);
    expect(lettersFrom('stream-skip')).toHaveLength(0);
  });

  it("skips an event whose type header names a type without a handler, without parsing it; a handled type's header changes nothing", async () => {
    // not JSON: parsed, it would be dead-lettered
    await publisher.publish([{ topic: eventsTopic, key: 'stream-header-skip', value: 'not json', headers: { type: 'KbSomethingElse' } }]);
    const counted = envelope('KbThingCounted', 'stream-header-skip', { thingId: 't-h', count: 1 });
    await publisher.publish([{ topic: eventsTopic, key: counted.streamId, value: JSON.stringify(counted), headers: { type: counted.type, eventId: counted.eventId } }]);
    await eventually(() => callsFor(counted.eventId).length === 1, 'the handled event after the skipped one');
    // the same bytes without the header are parsed and dead-lettered: once that letter is in, the first would have been too
    await publish('stream-header-skip', 'not json either');
    await eventually(() => lettersFrom('stream-header-skip').length > 0, 'the dead letter of the record without a header');
    expect(lettersFrom('stream-header-skip').map((d) => d.letter.original)).toEqual(['not json either']);
    expect(callsFor(counted.eventId)).toHaveLength(1);
  });

  it('validates integration messages as a whole and deduplicates them by messageId', async () => {
    const message = { type: 'KbDoThing', messageId: `m-${suffix}`, thingId: 't-9' };
    await publisher.publish([{ topic: intakeTopic, key: 't-9', value: JSON.stringify(message) }]);
    await publisher.publish([{ topic: intakeTopic, key: 't-9', value: JSON.stringify(message) }]);
    await publisher.publish([{ topic: intakeTopic, key: 't-9', value: JSON.stringify({ type: 'KbDoThing', thingId: 't-9' }) }]);

    const [dead] = await eventually(() => lettersFrom('t-9').length > 0 && lettersFrom('t-9'), 'dead letter for the message without messageId');
    expect(dead.letter).toMatchObject({ reason: 'schema-invalid', groupId: `${groupId}-intake`, source: { topic: intakeTopic } });
    // The invalid one came last on the partition, so both copies before it were processed.
    expect(callsFor(`m-${suffix}`)).toHaveLength(1);
    expect(callsFor(`m-${suffix}`)[0].message).toEqual(message);
  });

  it('dead-letters an integration message over MAX_INPUT_RECORD_BYTES (headers counted) before parsing it; our own events have no such limit', async () => {
    const filler = 'x'.repeat(MAX_INPUT_RECORD_BYTES - 200);
    const fits = { type: 'KbDoThing', messageId: `big-ok-${suffix}`, thingId: filler.slice(0, 1000) };
    // a value under the limit whose headers take it over: the whole record counts
    await publisher.publish([{ topic: intakeTopic, key: 't-big', value: JSON.stringify({ type: 'KbDoThing', messageId: `big-${suffix}`, thingId: filler }), headers: { pad: 'p'.repeat(400) } }]);
    await publisher.publish([{ topic: intakeTopic, key: 't-big', value: JSON.stringify(fits) }]);
    await eventually(() => callsFor(`big-ok-${suffix}`).length === 1, 'the message after the oversize one handled');
    expect(callsFor(`big-${suffix}`)).toHaveLength(0);
    const [dead] = await eventually(() => lettersFrom('t-big').length > 0 && lettersFrom('t-big'), 'dead letter of the oversize message');
    expect(dead.letter).toMatchObject({ reason: 'schema-invalid', attempts: 0, error: { code: 'RECORD_TOO_LARGE', name: 'RecordTooLargeError' } });
    expect(dead.letter.original).toHaveLength(OVERSIZE_KEPT_CHARS);

    const large = envelope('KbThingCounted', 'stream-large', { thingId: 'y'.repeat(MAX_INPUT_RECORD_BYTES * 2), count: 1 });
    await publishEvent(large);
    await handledMarker('stream-large');
    expect(callsFor(large.eventId)).toHaveLength(1);
    expect(lettersFrom('stream-large')).toHaveLength(0);
  });

  it('in batch mode hands a batch over in offset order; a poison record is dead-lettered alone and the rest of its batch applied', async () => {
    const key = 'stream-batch';
    const batches: string[][] = [];
    const applied: { dedupId: string; via: 'batch' | 'one' }[] = [];
    const poison = (m: IncomingMessage) => (m.envelope?.data as { thingId?: string } | undefined)?.thingId === 'poison';
    const batchRunner = new ConsumerRunner({
      kafka, connection, publisher, registry, dlqTopic, logger: pino({ level: 'silent' }), ...testConsumerSettings,
      groupId: `${groupId}-batch`,
      topics: [batchTopic],
      maxAttempts: 2,
      backoffMs: 20,
      batchHandler: async (messages) => {
        batches.push(messages.map((m) => m.dedupId));
        if (messages.some(poison)) throw new Error('cannot apply the poison record');
        for (const m of messages) applied.push({ dedupId: m.dedupId, via: 'batch' });
      },
      handlers: {
        KbThingCounted: async (m) => {
          if (poison(m)) throw new Error('cannot apply the poison record');
          applied.push({ dedupId: m.dedupId, via: 'one' });
        },
      },
    });
    const counted = (thingId: string) => envelope('KbThingCounted', key, { thingId, count: 1 });
    const [a, b, bad, c] = [counted('t-a'), counted('t-b'), counted('poison'), counted('t-c')];
    // published before the runner starts, in one request: one batch of one partition
    await publisher.publish([
      ...[a, b, bad].map((e) => ({ topic: batchTopic, key, value: JSON.stringify(e) })),
      { topic: batchTopic, key, value: '{"not json' },
      { topic: batchTopic, key, value: JSON.stringify(c) },
    ]);
    const lettersOfBatch = () => deadLetters.filter((d) => d.key === key && d.letter.source.topic === batchTopic);
    await batchRunner.start();
    try {
      await eventually(() => applied.length === 3 && lettersOfBatch().length === 2, 'the batch handled');
      // the first batch: every decodable record in offset order (the one that is not JSON was dead-lettered, not handed over)
      expect(batches[0]).toEqual([a.eventId, b.eventId, bad.eventId, c.eventId]);
      // it kept failing, so each message went on its own: the poison one dead-lettered alone
      expect(applied).toEqual([a, b, c].map((e) => ({ dedupId: e.eventId, via: 'one' })));
      expect(lettersOfBatch().map((d) => d.letter.reason).sort()).toEqual(['failed', 'invalid-json']);
      const failed = lettersOfBatch().find((d) => d.letter.reason === 'failed')!;
      expect(JSON.parse(failed.letter.original!)).toEqual(bad);

      // a batch without poison is applied as a batch, each message once (dedup on, so a republished one is skipped)
      const [d, e] = [counted('t-d'), counted('t-e')];
      await publisher.publish([d, e, a].map((each) => ({ topic: batchTopic, key, value: JSON.stringify(each) })));
      await eventually(() => applied.length === 5, 'the second batch');
      expect(applied.slice(3)).toEqual([d, e].map((each) => ({ dedupId: each.eventId, via: 'batch' })));
      expect(batches.at(-1)).toEqual([d.eventId, e.eventId]);
      expect(await connection.collection('handled_events').countDocuments({ _id: { $in: [a, b, c, d, e].map((each) => `${groupId}-batch:${each.eventId}`) } as any })).toBe(5);
    } finally {
      await batchRunner.stop();
    }
  });

  it('says where it is (idle, joining, running, stopped); a stop while its group joins ends the start at once, and once the join completes its member leaves and handles nothing', async () => {
    const deps = { kafka, connection, publisher, registry, dlqTopic, topics: [eventsTopic], handlers: {}, logger: pino({ level: 'silent' }), ...testConsumerSettings };
    const joins = new ConsumerRunner({ ...deps, groupId: `${groupId}-state` });
    expect(joins.state).toBe('idle');
    const started = joins.start();
    expect(joins.state).toBe('joining');
    await started;
    expect(joins.state).toBe('running');
    await joins.stop();
    expect(joins.state).toBe('stopped');

    // a member stuck in a handler (no heartbeat, 10 s session) holds the group's rebalance, as a
    // killed instance's member does: the runner keeps joining until it is stopped; its stop then
    // waits for the join to complete (when that session has expired) and leaves the group, so no
    // member of a stopped runner stays in the group fetching
    const heldGroup = `${groupId}-held`;
    let release = (): void => undefined;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    let holding = false;
    const heldCalls: IncomingMessage[] = [];
    const admin = kafka.admin();
    const holder = kafka.consumer({ groupId: heldGroup, sessionTimeout: 10_000, heartbeatInterval: 500, maxWaitTimeInMs: 100 });
    const held = new ConsumerRunner({ ...deps, groupId: heldGroup, handlers: { KbThingCounted: async (m) => void heldCalls.push(m) } });
    try {
      await admin.connect();
      await holder.connect();
      await holder.subscribe({ topics: [eventsTopic], fromBeginning: true });
      await holder.run({
        autoCommit: false,
        eachMessage: async () => {
          holding = true;
          await stuck;
        },
      });
      await publishEvent(envelope('KbThingCounted', 'stream-held', { thingId: 't-held', count: 1 }));
      await eventually(() => holding, 'the first member stuck in its handler');
      const starting = held.start();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(held.state).toBe('joining');
      const stopping = held.stop();
      await expect(starting).resolves.toBeUndefined();
      await stopping;
      expect(held.state).toBe('stopped');
      const leaving = holder.disconnect();
      release();
      await leaving;

      const members = async () => {
        const [group] = (await admin.describeGroups([heldGroup])).groups;
        return group!.state === 'Empty' && group!.members.length === 0;
      };
      await eventually(members, 'the held group empty once its members left');
      // an event the stopped runner's group would read: a live group handled it, the held group stays empty and handled nothing
      await handledMarker('stream-held');
      expect(await members()).toBe(true);
      expect(heldCalls).toEqual([]);
    } finally {
      release();
      await held.stop();
      await holder.disconnect();
      await admin.disconnect();
    }
  });
});
