import { randomUUID } from 'node:crypto';
import mongoose, { Connection } from 'mongoose';
import { Actor, Command, Decider, defineEvent, DomainError, int, obj } from '@continuum/contracts';
import { ConcurrencyError, createCommitModel, EventStore, StreamRead } from '../event-store';
import { toProblem } from '../http/problem';
import { CommandContext } from './command-context';
import { CommandRunner } from './command-runner';

defineEvent('CrTestCounterIncremented', 'cr-test.events.v1', 'test only: a counter went up', obj({ by: int({ minimum: 1 }), total: int() }));

type Increment = Command<'Increment', { by: number; limit?: number }>;
type Incremented = { type: 'CrTestCounterIncremented'; data: { by: number; total: number } };
type Counter = { total: number; increments: number };

let decisions = 0;
const counter: Decider<Increment, Incremented, Counter> = {
  initialState: () => ({ total: 0, increments: 0 }),
  decide: (command, state) => {
    decisions++;
    if (command.data.limit !== undefined && state.total + command.data.by > command.data.limit) {
      throw new DomainError('COUNTER_LIMIT', `the counter may not exceed ${command.data.limit}`);
    }
    return [{ type: 'CrTestCounterIncremented', data: { by: command.data.by, total: state.total + command.data.by } }];
  },
  evolve: (state, event) => ({ total: event.data.total, increments: state.increments + 1 }),
};

const actor: Actor = { kind: 'admin', id: 'admin-1' };
const increment = (by: number, limit?: number): Increment => ({
  type: 'Increment',
  data: limit === undefined ? { by } : { by, limit },
  metadata: { now: '2024-06-01T12:00:00.000Z', actor },
});
const context = (extra: Partial<CommandContext> = {}): CommandContext => ({ correlationId: `corr-${randomUUID()}`, causationId: 'evt-parent', actor, ...extra });
const stream = () => `counter-${randomUUID()}`;

/** Holds the first `parties` stream reads until all of them arrived, so their appends are sure to race. */
class RacingEventStore extends EventStore {
  reads = 0;
  private waiting: (() => void)[] = [];
  constructor(
    connection: Connection,
    private readonly parties: number,
  ) {
    super(connection);
  }
  override async readStream(streamId: string): Promise<StreamRead> {
    const read = await super.readStream(streamId);
    this.reads++;
    if (this.reads <= this.parties) {
      await new Promise<void>((resolve) => {
        this.waiting.push(resolve);
        if (this.waiting.length === this.parties) this.waiting.forEach((release) => release());
      });
    }
    return read;
  }
}

/** Counts the stream reads a runner makes. */
class CountingStore extends EventStore {
  reads = 0;
  override async readStream(streamId: string): Promise<StreamRead> {
    this.reads++;
    return super.readStream(streamId);
  }
}

describe('CommandRunner (FerretDB)', () => {
  let connection: Connection;
  let store: EventStore;
  let runner: CommandRunner;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017', { dbName: `it_command_runner_${randomUUID().slice(0, 8)}` })
      .asPromise();
    store = new EventStore(connection);
    await store.init();
    runner = new CommandRunner(store);
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('loads, decides and appends, returning the stored events and the state after them', async () => {
    const id = stream();
    await runner.run({ streamId: id, decider: counter, command: increment(2), context: context() });
    const result = await runner.run({ streamId: id, decider: counter, command: increment(5), context: context() });

    expect(result.replayed).toBe(false);
    expect(result.version).toBe(2);
    expect(result.state).toEqual({ total: 7, increments: 2 });
    expect(result.events.map((e) => [e.streamVersion, e.data])).toEqual([[2, { by: 5, total: 7 }]]);
    expect(await runner.load(id, counter)).toEqual({ state: { total: 7, increments: 2 }, version: 2 });
  });

  it('puts the correlation id, causation id and actor of the context on the stored events', async () => {
    const id = stream();
    const ctx = context({ correlationId: 'corr-request-42', causationId: 'evt-99', actor: { kind: 'fulfillment-house', id: 'fh-3' } });
    const result = await runner.run({ streamId: id, decider: counter, command: increment(1), context: ctx });

    const [stored] = (await store.readStream(id)).events;
    for (const envelope of [stored, result.events[0]]) {
      expect(envelope).toMatchObject({
        correlationId: 'corr-request-42',
        causationId: 'evt-99',
        actor: { kind: 'fulfillment-house', id: 'fh-3' },
        occurredAt: '2024-06-01T12:00:00.000Z',
      });
    }
  });

  it('lets a DomainError through unchanged and stores nothing', async () => {
    const id = stream();
    await runner.run({ streamId: id, decider: counter, command: increment(3), context: context() });
    const failure = runner.run({ streamId: id, decider: counter, command: increment(3, 5), context: context() });
    await expect(failure).rejects.toBeInstanceOf(DomainError);
    await expect(failure).rejects.toMatchObject({ code: 'COUNTER_LIMIT', kind: 'rule' });
    expect((await store.readStream(id)).version).toBe(1);
  });

  it('answers a repeated idempotency key from the first run without deciding again', async () => {
    const id = stream();
    const key = `http:${randomUUID()}`;
    const first = await runner.run({ streamId: id, decider: counter, command: increment(4), context: context({ idempotencyKey: key }) });
    await runner.run({ streamId: id, decider: counter, command: increment(1), context: context() });
    const before = decisions;
    const again = await runner.run({ streamId: id, decider: counter, command: increment(4), context: context({ idempotencyKey: key }) });

    expect(decisions).toBe(before);
    expect(again).toEqual({ ...first, replayed: true });
    expect(again.state).toEqual({ total: 4, increments: 1 });
    expect(await createCommitModel(connection).countDocuments({ idempotencyKey: key })).toBe(1);
    expect((await store.readStream(id)).version).toBe(2);
  });

  describe('an idempotency key belongs to one command', () => {
    it('replays the same command (type and data) decided at another time by another actor', async () => {
      const id = stream();
      const key = `http:${randomUUID()}`;
      const first = await runner.run({ streamId: id, decider: counter, command: increment(4, 10), context: context({ idempotencyKey: key }) });
      const later: Increment = { ...increment(4, 10), metadata: { now: '2024-06-02T08:00:00.000Z', actor: { kind: 'agent', id: 'agent-2' } } };
      const again = await runner.run({ streamId: id, decider: counter, command: later, context: context({ idempotencyKey: key }) });

      expect(again).toEqual({ ...first, replayed: true });
      expect((await store.readStream(id)).version).toBe(1);
    });

    it('refuses the key for a different command with IDEMPOTENCY_KEY_REUSED (422), deciding and appending nothing, on the one read it makes anyway', async () => {
      const id = stream();
      const key = `http:${randomUUID()}`;
      await runner.run({ streamId: id, decider: counter, command: increment(4), context: context({ idempotencyKey: key }) });
      const counting = new CountingStore(connection);
      const before = decisions;

      const reused = new CommandRunner(counting).run({ streamId: id, decider: counter, command: increment(5), context: context({ idempotencyKey: key }) });
      await expect(reused).rejects.toBeInstanceOf(DomainError);
      const error = (await reused.catch((e: unknown) => e)) as DomainError;
      expect(error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', kind: 'rule', details: { field: 'idempotencyKey', idempotencyKey: key, streamId: id } });
      expect(toProblem(error)).toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
      expect(counting.reads).toBe(1);
      expect(decisions).toBe(before);
      expect((await store.readStream(id)).events.map((e) => e.data)).toEqual([{ by: 4, total: 4 }]);
      // the refusal is about the key: the same command under a key of its own runs
      const own = await runner.run({ streamId: id, decider: counter, command: increment(5), context: context({ idempotencyKey: `${key}:second` }) });
      expect(own).toMatchObject({ replayed: false, state: { total: 9 } });
    });

    it('replays a commit stored before hashes were kept (no hash): it matches any command', async () => {
      const id = stream();
      const key = `http:${randomUUID()}`;
      // as an earlier version appended it: the key without a hash
      const old = await store.append(id, 0, [{ type: 'CrTestCounterIncremented', data: { by: 3, total: 3 } }], { correlationId: 'corr-old', causationId: null, actor, idempotencyKey: key });
      expect(await createCommitModel(connection).findOne({ streamId: id }).lean()).not.toHaveProperty('commandHash');

      const again = await new CommandRunner(new EventStore(connection)).run({ streamId: id, decider: counter, command: increment(7), context: context({ idempotencyKey: key }) });
      expect(again).toMatchObject({ replayed: true, version: 1, state: { total: 3 } });
      expect(again.events.map((e) => e.eventId)).toEqual(old.events.map((e) => e.eventId));
      expect((await store.readStream(id)).version).toBe(1);
    });

    it('stores the hash of the command with its key', async () => {
      const id = stream();
      const key = `http:${randomUUID()}`;
      await runner.run({ streamId: id, decider: counter, command: increment(2), context: context({ idempotencyKey: key }) });
      await runner.run({ streamId: id, decider: counter, command: increment(2), context: context() });
      const stored = await createCommitModel(connection).find({ streamId: id }).sort({ seq: 1 }).lean();
      expect(stored[0]!.commandHash).toMatch(/^[0-9a-f]{64}$/);
      // no key, nothing to answer for
      expect(stored[1]).not.toHaveProperty('commandHash');
    });
  });

  it('retries after a conflict so two runners racing on one stream both succeed with contiguous versions', async () => {
    const id = stream();
    const racing = new RacingEventStore(connection, 2);
    const [a, b] = await Promise.all([
      new CommandRunner(racing).run({ streamId: id, decider: counter, command: increment(1), context: context() }),
      new CommandRunner(racing).run({ streamId: id, decider: counter, command: increment(10), context: context() }),
    ]);

    // both read version 0; the loser read again after its ConcurrencyError
    expect(racing.reads).toBe(3);
    expect([a.version, b.version].sort()).toEqual([1, 2]);
    const read = await store.readStream(id);
    expect(read.events.map((e) => e.streamVersion)).toEqual([1, 2]);
    expect(read.events[1].data).toMatchObject({ total: 11 });
    expect((a.version === 2 ? a : b).state).toEqual({ total: 11, increments: 2 });
  });

  it('settles many concurrent commands on one stream without losing any', async () => {
    const id = stream();
    const busy = new CommandRunner(store, { maxRetries: 20 });
    const results = await Promise.all([1, 2, 3, 4, 5].map((by) => busy.run({ streamId: id, decider: counter, command: increment(by), context: context() })));
    expect(results.map((r) => r.version).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(await runner.load(id, counter)).toEqual({ state: { total: 15, increments: 5 }, version: 5 });
  });

  it('rethrows the ConcurrencyError once its retries are used up', async () => {
    const id = stream();
    const racing = new RacingEventStore(connection, 2);
    const outcomes = await Promise.allSettled([
      new CommandRunner(racing, { maxRetries: 0 }).run({ streamId: id, decider: counter, command: increment(1), context: context() }),
      new CommandRunner(racing, { maxRetries: 0 }).run({ streamId: id, decider: counter, command: increment(2), context: context() }),
    ]);
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0].reason).toBeInstanceOf(ConcurrencyError);
    expect((await store.readStream(id)).version).toBe(1);
  });

  describe('plan (a reaction in one read and one append)', () => {
    it('reads once, decides every planned command on the state the one before left, and appends them as one commit', async () => {
      const id = stream();
      await runner.run({ streamId: id, decider: counter, command: increment(2), context: context() });
      const counting = new CountingStore(connection);
      const seen: number[] = [];
      const result = await new CommandRunner(counting).plan({
        streamId: id,
        decider: counter,
        plan: (state) => {
          seen.push(state.total);
          return [increment(3), increment(4)];
        },
        context: context(),
      });
      expect(seen).toEqual([2]);
      expect(counting.reads).toBe(1);
      expect(result.events.map((e) => e.data)).toEqual([
        { by: 3, total: 5 },
        { by: 4, total: 9 },
      ]);
      expect(result).toMatchObject({ state: { total: 9, increments: 3 }, version: 3, replayed: false, commands: [increment(3), increment(4)] });
      const commits = await connection.collection('commits').find({ streamId: id }).toArray();
      expect(commits.map((c) => (c.events as unknown[]).length)).toEqual([1, 2]);
    });

    it('appends nothing when the plan is empty, and answers the stored state', async () => {
      const id = stream();
      await runner.run({ streamId: id, decider: counter, command: increment(6), context: context() });
      const result = await runner.plan({ streamId: id, decider: counter, plan: () => [], context: context() });
      expect(result).toMatchObject({ events: [], state: { total: 6 }, version: 1, commands: [] });
      expect((await store.readStream(id)).version).toBe(1);
    });

    it('answers a repeated idempotency key from the earlier commit without planning again', async () => {
      const id = stream();
      const key = `reaction:${randomUUID()}`;
      let plans = 0;
      const plan = () => {
        plans++;
        return [increment(1)];
      };
      const first = await runner.plan({ streamId: id, decider: counter, plan, context: context({ idempotencyKey: key }) });
      const again = await runner.plan({ streamId: id, decider: counter, plan, context: context({ idempotencyKey: key }) });
      expect(plans).toBe(1);
      expect(again).toMatchObject({ replayed: true, version: first.version, commands: [] });
      expect(again.events.map((e) => e.eventId)).toEqual(first.events.map((e) => e.eventId));
      expect((await store.readStream(id)).version).toBe(1);
    });

    it('plans again on the newer state after a concurrent append, so the racing reactions both land', async () => {
      const id = stream();
      const racing = new RacingEventStore(connection, 2);
      const planned: number[] = [];
      const react = (by: number) =>
        new CommandRunner(racing).plan({
          streamId: id,
          decider: counter,
          plan: (state) => {
            planned.push(state.total);
            return [increment(by)];
          },
          context: context(),
        });
      await Promise.all([react(1), react(10)]);
      const read = await store.readStream(id);
      expect(read.version).toBe(2);
      expect(planned).toHaveLength(3);
      expect(planned.slice(0, 2)).toEqual([0, 0]);
      expect([1, 10]).toContain(planned[2]);
    });
  });

  describe('deciding on what this process already knows', () => {
    it('decides on a stream it has cached without reading it, and on a newer commit elsewhere collides, reads and decides again', async () => {
      const counting = new CountingStore(connection);
      const cached = new CommandRunner(counting);
      const id = stream();
      await cached.run({ streamId: id, decider: counter, command: increment(1), context: context() });
      counting.reads = 0;
      await cached.run({ streamId: id, decider: counter, command: increment(2), context: context() });
      expect(counting.reads).toBe(0);

      // another instance (its own store and cache) moves the stream on
      await new CommandRunner(new EventStore(connection)).run({ streamId: id, decider: counter, command: increment(10), context: context() });
      const after = await cached.run({ streamId: id, decider: counter, command: increment(100), context: context() });
      expect(counting.reads).toBe(1);
      expect(after).toMatchObject({ version: 4, state: { total: 113, increments: 4 } });
      expect((await store.readStream(id)).events.map((e) => (e.data as { total: number }).total)).toEqual([1, 3, 13, 113]);
    });

    it('decides a refusal or a no-op again on a read, since a stale cache must not answer them', async () => {
      const counting = new CountingStore(connection);
      const cached = new CommandRunner(counting);
      const id = stream();
      await cached.run({ streamId: id, decider: counter, command: increment(5), context: context() });
      await new CommandRunner(new EventStore(connection)).run({ streamId: id, decider: counter, command: increment(5), context: context() });
      counting.reads = 0;
      // the cache says 5, so 5 more fits a limit of 10; the store says 10
      await expect(cached.run({ streamId: id, decider: counter, command: increment(5, 10), context: context() })).rejects.toMatchObject({ code: 'COUNTER_LIMIT' });
      expect(counting.reads).toBe(1);
      // a plan that finds nothing to do on the cached state (10 since that read) is asked again on the stored one
      await new CommandRunner(new EventStore(connection)).run({ streamId: id, decider: counter, command: increment(1), context: context() });
      const seen: number[] = [];
      const planned = await cached.plan({ streamId: id, decider: counter, plan: (state) => (seen.push(state.total), state.total < 11 ? [] : [increment(1)]), context: context() });
      expect(seen).toEqual([10, 11]);
      expect(planned.events).toHaveLength(1);
      expect(planned.state.total).toBe(12);
    });

    it('tries a command that starts its stream on an empty stream without reading, and reads when the stream exists after all', async () => {
      const counting = new CountingStore(connection);
      const fresh = new CommandRunner(counting);
      const id = stream();
      await fresh.run({ streamId: id, decider: counter, command: increment(3), context: context(), assumeNew: true });
      expect(counting.reads).toBe(0);
      expect((await store.readStream(id)).version).toBe(1);

      // a stream this process has not seen: the first commit id collides, the command is decided on a read
      const existing = stream();
      await runner.run({ streamId: existing, decider: counter, command: increment(7), context: context() });
      const other = new CountingStore(connection);
      const result = await new CommandRunner(other).run({ streamId: existing, decider: counter, command: increment(1), context: context(), assumeNew: true });
      expect(other.reads).toBe(1);
      expect(result).toMatchObject({ version: 2, state: { total: 8 } });
      // and a repeated idempotency key is still answered from the stored commit
      const keyed = stream();
      const first = await runner.run({ streamId: keyed, decider: counter, command: increment(4), context: context({ idempotencyKey: 'once' }) });
      const again = await new CommandRunner(new EventStore(connection)).run({ streamId: keyed, decider: counter, command: increment(4), context: context({ idempotencyKey: 'once' }), assumeNew: true });
      expect(again).toMatchObject({ replayed: true, version: first.version });
      expect((await store.readStream(keyed)).version).toBe(1);
    });
  });
});
