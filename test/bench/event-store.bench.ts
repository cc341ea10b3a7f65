/**
 * Event store and outbox figures on the local stack (FerretDB + Kafka). Prints, never asserts:
 *   npm run bench
 * - append: sequential single-event appends to fresh streams, and 8 writers in parallel
 * - append + read: a 20-event stream read and folded
 * - command runner under contention: 4 writers racing on one stream (conflicts retried)
 * - relay: publishing a backlog of commits to Kafka and marking them published
 */
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { defineEvent, int, obj, Topics } from '@continuum/contracts';
import { CommandRunner, EventStore, KafkaPublisher, kafkaClient, OutboxRelay, provisionTopics } from '@continuum/platform';

const MONGO_URL = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';
const BROKERS = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const N = Number(process.env['BENCH_N'] ?? 500);
const run = randomUUID().slice(0, 8);
const topic = `bench-${run}.events`;

defineEvent('BenchTicked', topic, 'benchmark event', obj({ n: int() }));
type Ticked = { type: 'BenchTicked'; data: { n: number } };
const actor = { kind: 'system' as const, id: 'bench' };
const meta = { correlationId: 'bench', causationId: null, actor };

function report(label: string, count: number, ms: number, unit = 'ops') {
  const perSecond = (count / ms) * 1000;
  console.log(`${label.padEnd(52)} ${String(count).padStart(6)} ${unit} in ${ms.toFixed(0).padStart(6)} ms  ${perSecond.toFixed(0).padStart(7)} ${unit}/s  ${(ms / count).toFixed(2)} ms/${unit.replace(/s$/, '')}`);
}

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return [value, Number(process.hrtime.bigint() - start) / 1e6];
}

async function main() {
  const connection = await mongoose.createConnection(MONGO_URL, { dbName: `bench_${run}` }).asPromise();
  // the store itself is measured: no commit cache in this process (a service keeps recent streams in memory)
  const store = new EventStore(connection, { commitCacheStreams: 0 });
  await store.init();
  try {
    const [, sequential] = await time(async () => {
      for (let i = 0; i < N; i++) await store.append(`bench-${i}`, 0, [{ type: 'BenchTicked', data: { n: i } }], meta);
    });
    report('append, sequential, 1 event to a new stream', N, sequential);

    const [, parallel] = await time(async () => {
      await Promise.all(
        Array.from({ length: 8 }, async (_, w) => {
          for (let i = 0; i < N / 8; i++) await store.append(`bench-p${w}-${i}`, 0, [{ type: 'BenchTicked', data: { n: i } }], meta);
        }),
      );
    });
    report('append, 8 writers in parallel', N, parallel);

    for (let v = 0; v < 20; v++) await store.append('bench-long', v, [{ type: 'BenchTicked', data: { n: v } }], meta);
    const reads = Math.max(50, N / 5);
    const [, reading] = await time(async () => {
      for (let i = 0; i < reads; i++) await store.readStream('bench-long');
    });
    report('read a 20-event stream (20 commits)', reads, reading, 'reads');

    const runner = new CommandRunner(store, { maxRetries: 50 });
    const counter = {
      initialState: () => 0,
      evolve: (state: number) => state + 1,
      decide: (_: unknown, state: number): Ticked[] => [{ type: 'BenchTicked', data: { n: state } }],
    };
    const racing = Math.max(40, N / 10);
    const [, contended] = await time(async () => {
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          for (let i = 0; i < racing / 4; i++) {
            await runner.run({ streamId: 'bench-hot', decider: counter as any, command: { type: 'Tick', data: {}, metadata: { now: new Date().toISOString(), actor } } as any, context: meta });
          }
        }),
      );
    });
    report('command runner, 4 writers on one hot stream', racing, contended, 'cmds');

    const kafka = kafkaClient({ clientId: 'bench', brokers: BROKERS });
    await provisionTopics(kafka, [topic], 3);
    const publisher = new KafkaPublisher(kafka);
    await publisher.connect();
    const relay = new OutboxRelay({ connection, eventStore: store, publish: (m) => publisher.publish(m), batchSize: 200 });
    const [published, relaying] = await time(async () => {
      let total = 0;
      for (let n = await relay.drain(); n > 0; n = await relay.drain()) total += n;
      return total;
    });
    report('outbox relay: publish backlog to Kafka + mark', published, relaying, 'events');
    await relay.stop();
    await publisher.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  } finally {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  }
  void Topics;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
