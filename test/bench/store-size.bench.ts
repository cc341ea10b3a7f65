/**
 * Size sweep: does the cost of one store operation grow with the number of commits already stored?
 * Prints, never asserts (`npm run bench`, or this file alone with ts-node as run-bench.js does).
 *
 * For each size (BENCH_SIZES, default 1000,10000,50000 commits) the store is first filled up to that
 * size with insertMany of commit documents shaped like EventStore writes them (`_id` =
 * `<streamId>@<seq>`, streams of 5 one-event commits, an idempotency key on each), straight into
 * `commits` and never into the outbox, so the relay does not see them. Then BENCH_OPS (default 200)
 * operations of each kind are timed one at a time and the median is reported:
 * - append to a new stream (the store's own version walk finds nothing, then outbox entry + commit)
 * - append to an existing stream (a seeded 5-commit stream: walk of 5 `_id` lookups, then the insert)
 * - read a 20-event stream (20 commits, 21 `_id` lookups)
 * - relay publish: one commit appended (not timed), then `relay.drain()` timed: lease, outbox read,
 *   commit read, Kafka send (acks=-1), outbox entry removed
 * - idempotent replay: CommandRunner.run with an idempotency key the stream already holds
 * The database `bench_size_<run>` and the Kafka topic are dropped at the end.
 */
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { defineEvent, EventEnvelope, int, obj } from '@continuum/contracts';
import {
  COMMITS_COLLECTION,
  CommandRunner,
  CommitDocument,
  commitId,
  EventStore,
  KafkaPublisher,
  INDEX_CHUNK,
  kafkaClient,
  OutboxRelay,
  provisionTopics,
  ViewDefinition,
  ViewStore,
} from '@continuum/platform';
import { fmt, median, nowMs, percentile, printTable } from './support/stats';

const MONGO_URL = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';
const BROKERS = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const SIZES = (process.env['BENCH_SIZES'] ?? '1000,10000,50000').split(',').map(Number).sort((a, b) => a - b);
const OPS = Number(process.env['BENCH_OPS'] ?? 200);
const COMMITS_PER_SEEDED_STREAM = 5;
const run = randomUUID().slice(0, 8);
const topic = `bench-size-${run}.events`;

defineEvent('BenchSized', topic, 'size-sweep benchmark event', obj({ n: int(), pad: { type: 'string' } }));
type Sized = { type: 'BenchSized'; data: { n: number; pad: string } };
const actor = { kind: 'system' as const, id: 'bench' };
const meta = { correlationId: 'bench-size', causationId: null, actor };
// about the size of a small domain event (an order's items and totals are larger, a status change smaller)
const PAD = 'x'.repeat(200);
const event = (n: number): Sized => ({ type: 'BenchSized', data: { n, pad: PAD } });

/** The seeded stream with this number (its commits are `seed-<i>@0` .. `@4`). */
const seededStream = (i: number) => `seed-${i}`;
const seedKey = (i: number, seq: number) => `bench-consumer:seed-${i}-${seq}`;

/** Commit documents as EventStore.append writes them, one event each. */
function seedCommits(fromStream: number, toStream: number): CommitDocument[] {
  const docs: CommitDocument[] = [];
  const occurredAt = new Date().toISOString();
  for (let i = fromStream; i < toStream; i++) {
    const streamId = seededStream(i);
    for (let seq = 0; seq < COMMITS_PER_SEEDED_STREAM; seq++) {
      docs.push({
        _id: commitId(streamId, seq),
        streamId,
        seq,
        events: [{ eventId: randomUUID(), type: 'BenchSized', version: 1, streamVersion: seq + 1, data: { n: seq, pad: PAD } }],
        occurredAt,
        correlationId: randomUUID(),
        causationId: randomUUID(),
        actor,
        idempotencyKey: seedKey(i, seq),
      });
    }
  }
  return docs;
}

/** Times `fn` once per op; returns the samples in ms. */
async function sample(ops: number, fn: (i: number) => Promise<unknown>, untimed?: (i: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < ops; i++) {
    if (untimed) await untimed(i);
    const start = nowMs();
    await fn(i);
    samples.push(nowMs() - start);
  }
  return samples;
}

const OPERATIONS = ['append, new stream', 'append, existing 5-commit stream', 'read a 20-event stream', 'relay: drain 1 commit to Kafka', 'idempotent replay (runner, same key)'] as const;
/**
 * Not the event store, but on the relay's path: what ViewStore.apply costs for a new document when
 * the view already holds N documents (N = the size). Listed under a key of its own (an order's id),
 * or under one key every document shares (the transactions view lists unsettled charges so).
 */
const VIEW_OPERATIONS = ['view apply, new doc, key of its own', 'view apply, new doc, key listing all N docs'] as const;
type Operation = (typeof OPERATIONS)[number] | (typeof VIEW_OPERATIONS)[number];

interface Viewed {
  streamId: string;
}
const ownKeyView: ViewDefinition<Viewed> = {
  name: 'bench_own',
  streamPrefix: 'viewed-',
  initial: () => ({ streamId: '' }),
  evolve: (_, e) => ({ streamId: e.streamId }),
  indexes: { own: (v) => (v.streamId ? [v.streamId] : []) },
};
const sharedKeyView: ViewDefinition<Viewed> = { ...ownKeyView, name: 'bench_shared', indexes: { shared: (v) => (v.streamId ? ['all'] : []) } };
const envelope = (streamId: string): EventEnvelope => ({
  eventId: randomUUID(),
  type: 'BenchSized',
  version: 1,
  streamId,
  streamVersion: 1,
  occurredAt: new Date().toISOString(),
  correlationId: 'bench-size',
  causationId: null,
  actor,
  data: { n: 1, pad: PAD },
});

async function main() {
  const connection = await mongoose.createConnection(MONGO_URL, { dbName: `bench_size_${run}` }).asPromise();
  const kafka = kafkaClient({ clientId: `bench-size-${run}`, brokers: BROKERS });
  // the store itself is measured: no commit cache in this process (a service keeps recent streams in memory)
  const store = new EventStore(connection, { commitCacheStreams: 0 });
  await store.init();
  await provisionTopics(kafka, [topic], 3);
  const publisher = new KafkaPublisher(kafka);
  await publisher.connect();
  // a long lease: the bench idles between timed drains longer than a term, and a holder near the end of its term steps aside
  const relay = new OutboxRelay({ connection, eventStore: store, publish: (m) => publisher.publish(m), batchSize: 200, leaseMs: 600_000 });
  const runner = new CommandRunner(store);
  const counter = {
    initialState: () => 0,
    evolve: (state: number) => state + 1,
    decide: (_: unknown, state: number): Sized[] => [event(state)],
  };
  const commits = connection.collection<CommitDocument>(COMMITS_COLLECTION);
  const results = new Map<Operation, Map<number, number[]>>([...OPERATIONS, ...VIEW_OPERATIONS].map((op) => [op, new Map()]));
  const ownView = new ViewStore(connection, ownKeyView);
  const sharedView = new ViewStore(connection, sharedKeyView);
  let viewDocs = 0;
  const seededAt = new Map<number, { commits: number; seedMs: number }>();
  let seededStreams = 0;
  /** the next seeded stream to append to, and the versions of those appended to already */
  let nextExisting = 0;
  const versions = new Map<string, number>();
  const drainAll = async () => {
    while ((await relay.drain()) > 0);
  };

  try {
    // a first pass at the smallest size warms the JIT, the connection pool and the producer; its figures are dropped
    const passes = [{ size: SIZES[0]!, warm: true }, ...SIZES.map((size) => ({ size, warm: false }))];
    for (const { size, warm } of passes) {
      const label = warm ? 'warm' : String(size);
      const ops = warm ? Math.min(50, OPS) : OPS;
      // -- seed up to `size` commits (the streams seeded for smaller sizes stay)
      const wantStreams = Math.ceil(size / COMMITS_PER_SEEDED_STREAM);
      const seedStart = nowMs();
      for (let from = seededStreams; from < wantStreams; from += 200) {
        await commits.insertMany(seedCommits(from, Math.min(wantStreams, from + 200)) as never[], { ordered: false });
      }
      seededStreams = Math.max(seededStreams, wantStreams);
      const total = await commits.estimatedDocumentCount();
      if (!warm) seededAt.set(size, { commits: total, seedMs: nowMs() - seedStart });
      if ((await store.outbox.count()) !== 0) throw new Error('seeded commits must not be in the outbox');
      console.log(`[store-size] ${total} commits stored (seeding took ${fmt((nowMs() - seedStart) / 1000)} s); ${warm ? 'warming up' : `timing ${ops} ops of each kind`}`);
      const record = (op: Operation, samples: number[]) => {
        if (!warm) results.get(op)!.set(size, samples);
      };

      record('append, new stream', await sample(ops, (i) => store.append(`new-${label}-${i}`, 0, [event(i)], meta)));
      await drainAll();

      // a seeded stream (5 commits unless it was used before): the store walks its commits to check the version, then inserts
      record(
        'append, existing 5-commit stream',
        await sample(ops, async (i) => {
          const streamId = seededStream(nextExisting++ % seededStreams);
          const version = versions.get(streamId) ?? COMMITS_PER_SEEDED_STREAM;
          await store.append(streamId, version, [event(i)], meta);
          versions.set(streamId, version + 1);
        }),
      );
      await drainAll();

      const long = `long-${label}`;
      for (let v = 0; v < 20; v++) await store.append(long, v, [event(v)], meta);
      await drainAll();
      record('read a 20-event stream', await sample(ops, () => store.readStream(long)));

      record(
        'relay: drain 1 commit to Kafka',
        await sample(
          ops,
          async () => {
            const published = await relay.drain();
            if (published !== 1) throw new Error(`the relay should have published exactly one event, published ${published} (outbox: ${await store.outbox.count()})`);
          },
          (i) => store.append(`relayed-${label}-${i}`, 0, [event(i)], meta),
        ),
      );

      // a key the stream holds: the runner's read of the stream finds it and nothing is appended
      const replayed = `replay-${label}`;
      const command = { type: 'Tick', data: {}, metadata: { now: new Date().toISOString(), actor } };
      for (let v = 0; v < 4; v++) await runner.run({ streamId: replayed, decider: counter as never, command: command as never, context: meta });
      await runner.run({ streamId: replayed, decider: counter as never, command: command as never, context: { ...meta, idempotencyKey: 'bench:replayed' } });
      await drainAll();
      record(
        'idempotent replay (runner, same key)',
        await sample(ops, async () => {
          const result = await runner.run({ streamId: replayed, decider: counter as never, command: command as never, context: { ...meta, idempotencyKey: 'bench:replayed' } });
          if (!result.replayed) throw new Error('expected a replay');
        }),
      );

      // -- views: N documents (one per seeded view stream), then new documents applied one at a time
      const viewDoc = (i: number) => ({ _id: `viewed-seed-${i}`, view: { streamId: `viewed-seed-${i}` }, versions: { [`viewed-seed-${i}`]: 1 } });
      for (let from = viewDocs; from < size; from += 1000) {
        const docs = Array.from({ length: Math.min(1000, size - from) }, (_, k) => viewDoc(from + k));
        await connection.collection('view_bench_own').insertMany(docs as never[]);
        await connection.collection('view_bench_own__own').insertMany(docs.map((d) => ({ _id: d._id, ids: [d._id] })) as never[]);
        await connection.collection('view_bench_shared').insertMany(docs as never[]);
      }
      viewDocs = Math.max(viewDocs, size);
      // the shared key as ViewStore leaves it after listing every document one by one: sealed chunks
      // of INDEX_CHUNK ids with a membership per id, the rest in the head
      const everyDoc = Array.from({ length: viewDocs }, (_, i) => `viewed-seed-${i}`);
      const shared = connection.collection('view_bench_shared__shared');
      await shared.deleteMany({});
      const sealedCount = Math.floor(everyDoc.length / INDEX_CHUNK);
      const chunkIds = Array.from({ length: sealedCount }, (_, n) => `all#s${n}`);
      for (let from = 0; from < sealedCount; from += 100) {
        const batch = chunkIds.slice(from, from + 100);
        await shared.insertMany(batch.map((id, k) => ({ _id: id, kind: 'chunk', ids: everyDoc.slice((from + k) * INDEX_CHUNK, (from + k + 1) * INDEX_CHUNK) })) as never[]);
        await shared.insertMany(
          batch.flatMap((chunk, k) => everyDoc.slice((from + k) * INDEX_CHUNK, (from + k + 1) * INDEX_CHUNK).map((id) => ({ _id: `all|${id}`, kind: 'member', chunk }))) as never[],
        );
      }
      await shared.insertOne({ _id: 'all', kind: 'head', chunks: chunkIds, sealed: sealedCount, ids: everyDoc.slice(sealedCount * INDEX_CHUNK) } as never);
      record('view apply, new doc, key of its own', await sample(ops, (i) => ownView.apply([envelope(`viewed-${label}-${i}`)])));
      // slow by design at large N: fewer ops
      record('view apply, new doc, key listing all N docs', await sample(Math.min(ops, 30), (i) => sharedView.apply([envelope(`viewed-${label}-${i}`)])));
    }

    console.log('');
    console.log(`Store size sweep: ms per operation, median of ${OPS} (p95 in brackets); FerretDB at ${MONGO_URL}, Kafka ${BROKERS.join(',')}`);
    const first = SIZES[0]!;
    const last = SIZES[SIZES.length - 1]!;
    printTable(
      ['operation', ...SIZES.map((s) => `${seededAt.get(s)!.commits} commits`), `${last / 1000}k/${first / 1000}k`],
      OPERATIONS.map((op) => {
        const bySize = results.get(op)!;
        const cells = SIZES.map((s) => `${fmt(median(bySize.get(s)!))} (${fmt(percentile(bySize.get(s)!, 0.95))})`);
        const ratio = median(bySize.get(last)!) / median(bySize.get(first)!);
        return [op, ...cells, `${ratio.toFixed(2)}x`];
      }),
    );
    const worst = Math.max(...OPERATIONS.map((op) => median(results.get(op)!.get(last)!) / median(results.get(op)!.get(first)!)));
    console.log(`target: every event store operation at ${last} within 1.5x of ${first}: ${worst <= 1.5 ? 'met' : 'NOT met'} (worst ${worst.toFixed(2)}x)`);
    console.log('');
    console.log(`Views (ViewStore.apply of one new document, as the relay does before publishing): ms, median (p95) of ${OPS} (30 for the shared key)`);
    printTable(
      ['operation', ...SIZES.map((s) => `${s} docs`), `${last / 1000}k/${first / 1000}k`],
      VIEW_OPERATIONS.map((op) => {
        const bySize = results.get(op)!;
        const cells = SIZES.map((s) => `${fmt(median(bySize.get(s)!))} (${fmt(percentile(bySize.get(s)!, 0.95))})`);
        return [op, ...cells, `${(median(bySize.get(last)!) / median(bySize.get(first)!)).toFixed(2)}x`];
      }),
    );
  } finally {
    await relay.stop().catch(() => undefined);
    await publisher.disconnect().catch(() => undefined);
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
