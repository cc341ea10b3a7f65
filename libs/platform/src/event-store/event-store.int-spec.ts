import { randomUUID } from 'node:crypto';
import mongoose, { Connection } from 'mongoose';
import { Actor, defineEvent, defineMessage, DomainError, int, obj, registry, SchemaValidationError, str } from '@continuum/contracts';
import { AppendResult } from './append.types';
import { commandHash } from './command-hash';
import { createCommitModel } from './commit.schema';
import { ConcurrencyError } from './concurrency.error';
import { commitId, EventStore } from './event-store';

defineEvent('EsTestThingHappened', 'es-test.events.v1', 'test only: something happened', obj({ name: str({ minLength: 1 }), count: int({ minimum: 0 }) }));
defineEvent('EsTestThingRenamed', 'es-test.events.v1', 'test only: renamed, version 1', obj({ title: str() }));
defineEvent('EsTestThingRenamed', 'es-test.events.v1', 'test only: renamed, version 2', obj({ name: str() }), 2);
defineMessage('EsTestPleaseDoThing', 'es-test.intake.v1', 'test only: an integration message, not an event', obj({}));
registry.registerUpcaster({ type: 'EsTestThingRenamed', fromVersion: 1, upcast: (data: { title: string }) => ({ name: data.title }) });

const actor: Actor = { kind: 'agent', id: 'agent-7' };
const meta = { correlationId: 'corr-1', causationId: 'cause-1', actor };
const happened = (name: string, count = 1) => ({ type: 'EsTestThingHappened', data: { name, count } });
const stream = () => `thing-${randomUUID()}`;

describe('EventStore (FerretDB)', () => {
  let connection: Connection;
  let store: EventStore;
  const commits = () => createCommitModel(connection);

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017', { dbName: `it_event_store_${randomUUID().slice(0, 8)}` })
      .asPromise();
    store = new EventStore(connection, { clock: () => new Date('2024-05-01T10:00:00.000Z') });
    await store.init();
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('creates the unique stream/seq index and no global idempotency index (keys belong to their stream)', async () => {
    const indexes = await commits().collection.indexes();
    const byName = new Map(indexes.map((index) => [index.name, index]));
    expect(byName.get('stream_seq_unique')).toMatchObject({ key: { streamId: 1, seq: 1 }, unique: true });
    expect(byName.has('idempotency_key_unique')).toBe(false);
    expect(byName.has('outbox')).toBe(false);
  });

  it('drops the global idempotency index an earlier version created', async () => {
    await commits().collection.createIndex({ idempotencyKey: 1 }, { unique: true, name: 'idempotency_key_unique' });
    await store.init();
    expect((await commits().collection.indexes()).map((index) => index.name)).not.toContain('idempotency_key_unique');
  });

  it('keeps an entry in the outbox for every stored commit until it is published', async () => {
    const id = stream();
    await store.append(id, 0, [happened('a')], meta);
    await store.append(id, 1, [happened('b')], meta);
    expect(await store.outbox.count(id)).toBe(2);
    // a lost race leaves no entry behind
    await expect(store.append(id, 1, [happened('late')], meta)).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await store.outbox.count(id)).toBe(2);
  });

  it('appends one commit per append and reads the stream back in order with its metadata', async () => {
    const id = stream();
    const first = await store.append(id, 0, [happened('a'), happened('b', 2)], meta);
    const second = await store.append(id, 2, [happened('c', 3)], { ...meta, causationId: null, occurredAt: '2024-05-02T00:00:00.000Z' });

    expect(first).toMatchObject({ streamId: id, fromVersion: 0, toVersion: 2, replayed: false });
    expect(second).toMatchObject({ fromVersion: 2, toVersion: 3, replayed: false });

    const read = await store.readStream(id);
    expect(read.version).toBe(3);
    expect(read.events.map((e) => [e.streamVersion, e.data])).toEqual([
      [1, { name: 'a', count: 1 }],
      [2, { name: 'b', count: 2 }],
      [3, { name: 'c', count: 3 }],
    ]);
    expect(read.events[0]).toEqual({
      eventId: first.events[0].eventId,
      type: 'EsTestThingHappened',
      version: 1,
      streamId: id,
      streamVersion: 1,
      occurredAt: '2024-05-01T10:00:00.000Z',
      correlationId: 'corr-1',
      causationId: 'cause-1',
      actor,
      data: { name: 'a', count: 1 },
    });
    expect(read.events[2]).toMatchObject({ causationId: null, occurredAt: '2024-05-02T00:00:00.000Z' });
    expect(new Set(read.events.map((e) => e.eventId)).size).toBe(3);

    const stored = await commits().find({ streamId: id }).sort({ seq: 1 }).lean();
    expect(stored.map((c) => [c._id, c.seq, c.events.length, c.idempotencyKey])).toEqual([
      [`${id}@0`, 0, 2, undefined],
      [`${id}@2`, 2, 1, undefined],
    ]);
  });

  it('reads an empty stream as version 0', async () => {
    expect(await store.readStream(stream())).toMatchObject({ events: [], version: 0 });
  });

  it('lets exactly one of two concurrent appends at the same version win; the other gets ConcurrencyError', async () => {
    const id = stream();
    const outcomes = await Promise.allSettled([
      store.append(id, 0, [happened('left')], meta),
      store.append(id, 0, [happened('right')], meta),
    ]);
    const won = outcomes.filter((o): o is PromiseFulfilledResult<AppendResult> => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0].reason).toBeInstanceOf(ConcurrencyError);
    expect(lost[0].reason).toMatchObject({ streamId: id, expectedVersion: 0 });

    const read = await store.readStream(id);
    expect(read.version).toBe(1);
    expect(read.events[0].eventId).toBe(won[0].value.events[0].eventId);
  });

  it('refuses a stale expected version', async () => {
    const id = stream();
    await store.append(id, 0, [happened('a'), happened('b')], meta);
    await expect(store.append(id, 0, [happened('late')], meta)).rejects.toBeInstanceOf(ConcurrencyError);
    // version 1 lies inside the first commit: no commit starts there, yet it is stale
    await expect(store.append(id, 1, [happened('late')], meta)).rejects.toMatchObject({ name: 'ConcurrencyError', streamId: id, expectedVersion: 1 });
    // a version past the end would leave a gap
    await expect(store.append(id, 5, [happened('early')], meta)).rejects.toBeInstanceOf(ConcurrencyError);
    expect((await store.readStream(id)).version).toBe(2);
    expect(await commits().countDocuments({ streamId: id })).toBe(1);
  });

  it('answers a repeated idempotency key with the first result and appends nothing', async () => {
    const id = stream();
    const key = `req-${randomUUID()}`;
    const first = await store.append(id, 0, [happened('once')], { ...meta, idempotencyKey: key });
    const again = await store.append(id, 0, [happened('twice')], { ...meta, idempotencyKey: key });
    // the stream moved on: the repeat still replays rather than appending at the new version
    const later = await store.append(id, 1, [happened('thrice')], { ...meta, idempotencyKey: key });

    expect(first.replayed).toBe(false);
    for (const replay of [again, later]) {
      expect(replay).toEqual({ ...first, replayed: true });
    }
    expect(await commits().countDocuments({ idempotencyKey: key })).toBe(1);
    expect((await store.readStream(id)).events.map((e) => e.data)).toEqual([{ name: 'once', count: 1 }]);
    const read = await store.readStream(id);
    expect(read.appendWithKey(key)).toEqual({ ...first, replayed: true });
    expect(read.appendWithKey(`missing-${randomUUID()}`)).toBeNull();
  });

  it('scopes idempotency keys by stream: the same key on another stream appends there', async () => {
    const key = `req-${randomUUID()}`;
    const [one, two] = [stream(), stream()];
    const first = await store.append(one, 0, [happened('one')], { ...meta, idempotencyKey: key });
    const second = await store.append(two, 0, [happened('two')], { ...meta, idempotencyKey: key });
    expect(first.replayed).toBe(false);
    expect(second.replayed).toBe(false);
    expect((await store.readStream(two)).events.map((e) => e.data)).toEqual([{ name: 'two', count: 1 }]);
  });

  describe('the command an idempotency key was given for', () => {
    const rename = (name: string) => commandHash([{ type: 'RenameThing', data: { name, tags: ['a', 'b'] } }]);

    it('stores the command hash with the key and replays a repeat of the same command', async () => {
      const id = stream();
      const key = `req-${randomUUID()}`;
      const first = await store.append(id, 0, [happened('once')], { ...meta, idempotencyKey: key, commandHash: rename('once') });
      const again = await store.append(id, 1, [happened('once')], { ...meta, idempotencyKey: key, commandHash: rename('once') });

      expect(again).toEqual({ ...first, replayed: true });
      expect(await commits().findOne({ streamId: id }).lean()).toMatchObject({ idempotencyKey: key, commandHash: rename('once') });
      expect((await store.readStream(id)).appendWithKey(key, rename('once'))).toEqual({ ...first, replayed: true });
    });

    it('refuses the key for another command (IDEMPOTENCY_KEY_REUSED, a rule: 422) and appends nothing', async () => {
      const id = stream();
      const key = `req-${randomUUID()}`;
      await store.append(id, 0, [happened('once')], { ...meta, idempotencyKey: key, commandHash: rename('once') });

      const reused = store.append(id, 1, [happened('other')], { ...meta, idempotencyKey: key, commandHash: rename('other') });
      await expect(reused).rejects.toBeInstanceOf(DomainError);
      await expect(reused).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', kind: 'rule', details: { field: 'idempotencyKey', streamId: id, idempotencyKey: key } });
      expect(() => store.readStreamCached(id)!.appendWithKey(key, rename('other'))).toThrow(expect.objectContaining({ code: 'IDEMPOTENCY_KEY_REUSED' }));
      expect((await store.readStream(id)).events.map((e) => e.data)).toEqual([{ name: 'once', count: 1 }]);
    });

    it('refuses a twin that lost the race with the same key for another command', async () => {
      const id = stream();
      const key = `req-${randomUUID()}`;
      await store.append(id, 0, [happened('a')], { ...meta, idempotencyKey: key, commandHash: rename('a') });
      // the twin read the stream before the first append and collides on the commit id
      const twin = store.append(id, 0, [happened('b')], { ...meta, idempotencyKey: key, commandHash: rename('b') }, { atStreamEnd: true });
      await expect(twin).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
      expect(await commits().countDocuments({ streamId: id })).toBe(1);
    });

    it('takes a commit stored without a hash (before hashes were kept) as the same command: it replays', async () => {
      const id = stream();
      const key = `req-${randomUUID()}`;
      const first = await store.append(id, 0, [happened('old')], { ...meta, idempotencyKey: key });
      expect(await commits().findOne({ streamId: id }).lean()).not.toHaveProperty('commandHash');

      const again = await store.append(id, 1, [happened('new')], { ...meta, idempotencyKey: key, commandHash: rename('new') });
      expect(again).toEqual({ ...first, replayed: true });
      expect((await store.readStream(id)).version).toBe(1);
    });

    it('hashes type and data only, whatever the order of their fields', () => {
      expect(commandHash([{ type: 'T', data: { a: 1, b: { c: [1, 2], d: 'x' } } }])).toBe(commandHash([{ type: 'T', data: { b: { d: 'x', c: [1, 2] }, a: 1, e: undefined } }]));
      expect(commandHash([{ type: 'T', data: { a: 1 } }])).not.toBe(commandHash([{ type: 'U', data: { a: 1 } }]));
      expect(commandHash([{ type: 'T', data: { a: 1 } }])).not.toBe(commandHash([{ type: 'T', data: { a: 2 } }]));
      expect(commandHash([{ type: 'T', data: { c: [1, 2] } }])).not.toBe(commandHash([{ type: 'T', data: { c: [2, 1] } }]));
      expect(commandHash([{ type: 'T', data: {} }])).toMatch(/^[0-9a-f]{64}$/);
    });
  });

  it('stores one commit when the same idempotency key arrives twice at once', async () => {
    const id = stream();
    const key = `req-${randomUUID()}`;
    const [a, b] = await Promise.all([
      store.append(id, 0, [happened('a')], { ...meta, idempotencyKey: key }),
      store.append(id, 0, [happened('a')], { ...meta, idempotencyKey: key }),
    ]);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    expect(a.events.map((e) => e.eventId)).toEqual(b.events.map((e) => e.eventId));
    expect(await commits().countDocuments({ streamId: id })).toBe(1);
  });

  it('refuses invalid event data and unknown types and stores nothing', async () => {
    const id = stream();
    const invalid = store.append(id, 0, [happened('ok'), { type: 'EsTestThingHappened', data: { name: '', count: -1 } }], meta);
    await expect(invalid).rejects.toBeInstanceOf(SchemaValidationError);
    await expect(invalid).rejects.toThrow(/count/);
    await expect(store.append(id, 0, [{ type: 'EsTestThingHappened', data: { name: 'x', count: 1, extra: true } }], meta)).rejects.toBeInstanceOf(
      SchemaValidationError,
    );
    await expect(store.append(id, 0, [{ type: 'EsTestNoSuchEvent', data: {} }], meta)).rejects.toBeInstanceOf(SchemaValidationError);
    await expect(store.append(id, 0, [{ type: 'EsTestPleaseDoThing', data: {} }], meta)).rejects.toBeInstanceOf(SchemaValidationError);
    expect(await commits().countDocuments({ streamId: id })).toBe(0);
  });

  it('writes events at the current schema version and upcasts old versions when reading', async () => {
    const id = stream();
    // a commit written while EsTestThingRenamed was at version 1
    await commits().collection.insertOne({
      _id: commitId(id, 0),
      streamId: id,
      seq: 0,
      events: [{ eventId: 'old-1', type: 'EsTestThingRenamed', version: 1, streamVersion: 1, data: { title: 'Old name' } }],
      occurredAt: '2023-01-01T00:00:00.000Z',
      correlationId: 'c',
      causationId: null,
      actor,
    } as never);
    const appended = await store.append(id, 1, [{ type: 'EsTestThingRenamed', data: { name: 'New name' } }], meta);
    expect(appended.events[0].version).toBe(2);
    await expect(store.append(id, 2, [{ type: 'EsTestThingRenamed', data: { title: 'v1 shape' } }], meta)).rejects.toBeInstanceOf(SchemaValidationError);

    const read = await store.readStream(id);
    expect(read.events.map((e) => [e.version, e.data])).toEqual([
      [2, { name: 'Old name' }],
      [2, { name: 'New name' }],
    ]);
  });

  it('does not write for an empty append and reports the version unchanged', async () => {
    const id = stream();
    await store.append(id, 0, [happened('a')], meta);
    expect(await store.append(id, 1, [], meta)).toEqual({ streamId: id, events: [], fromVersion: 1, toVersion: 1, replayed: false });
    expect(await store.append(id, 0, [], meta)).toMatchObject({ fromVersion: 1, toVersion: 1 });
    expect(await commits().countDocuments({ streamId: id })).toBe(1);
  });

  it('tells append listeners about new appends but not about replays or failures', async () => {
    const seen: AppendResult[] = [];
    const off = store.onAppended((result) => seen.push(result));
    const id = stream();
    const key = `req-${randomUUID()}`;
    const first = await store.append(id, 0, [happened('a')], { ...meta, idempotencyKey: key });
    await store.append(id, 0, [happened('a')], { ...meta, idempotencyKey: key });
    await expect(store.append(id, 0, [happened('b')], meta)).rejects.toBeInstanceOf(ConcurrencyError);
    off();
    await store.append(id, 1, [happened('c')], meta);
    expect(seen).toEqual([first]);
  });

  describe('the commit cache', () => {
    /** a second connection to the same database whose finds on `commits` are counted */
    let counted: Connection;
    let finds = 0;
    beforeAll(async () => {
      counted = await mongoose.createConnection(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017', { dbName: connection.name, monitorCommands: true }).asPromise();
      counted.getClient().on('commandStarted', (event) => {
        if (event.commandName === 'find' && event.command['find'] === 'commits') finds++;
      });
    });
    afterAll(async () => {
      await counted.close();
    });
    const findsDuring = async (work: () => Promise<unknown>) => {
      const before = finds;
      await work();
      return finds - before;
    };

    it('reads a stream it has read or appended from where its cache ends: one lookup, whatever the length', async () => {
      const cached = new EventStore(counted);
      const id = stream();
      for (let i = 0; i < 5; i++) await cached.append(id, i, [happened(`n${i}`)], meta, { atStreamEnd: true });
      expect(await findsDuring(() => cached.readStream(id))).toBe(1);
      const read = await cached.readStream(id);
      expect(read.version).toBe(5);
      expect(read.events.map((e) => (e.data as { name: string }).name)).toEqual(['n0', 'n1', 'n2', 'n3', 'n4']);
      // the relay's lookup of a commit this process appended costs nothing
      expect(await findsDuring(() => cached.commit(commitId(id, 4)))).toBe(0);

      const uncached = new EventStore(counted, { commitCacheStreams: 0 });
      expect(await findsDuring(() => uncached.readStream(id))).toBe(6);
      expect(await findsDuring(() => uncached.readStream(id))).toBe(6);
    });

    it('sees what another instance appended after its cache was filled', async () => {
      const mine = new EventStore(counted);
      const theirs = new EventStore(connection);
      const id = stream();
      await mine.append(id, 0, [happened('mine')], meta);
      await theirs.append(id, 1, [happened('theirs')], meta);
      const read = await mine.readStream(id);
      expect(read.version).toBe(2);
      expect(read.events.map((e) => (e.data as { name: string }).name)).toEqual(['mine', 'theirs']);
      await expect(mine.append(id, 1, [happened('stale')], meta)).rejects.toBeInstanceOf(ConcurrencyError);
    });

    it('hands each reader its own copy: changing a read event does not change the next read', async () => {
      const cached = new EventStore(counted);
      const id = stream();
      await cached.append(id, 0, [happened('original')], meta);
      const first = await cached.readStream(id);
      (first.events[0]!.data as { name: string }).name = 'changed by a reader';
      expect(((await cached.readStream(id)).events[0]!.data as { name: string }).name).toBe('original');
    });

    it('keeps at most commitCacheStreams streams, dropping the least recently used', async () => {
      const small = new EventStore(counted, { commitCacheStreams: 2 });
      const [a, b, c] = [stream(), stream(), stream()];
      for (const id of [a, b, c]) await small.append(id, 0, [happened(id)], meta);
      // a was pushed out by c; b and c are cached
      expect(await findsDuring(() => small.readStream(a))).toBe(2);
      expect(await findsDuring(() => small.readStream(c))).toBe(1);
    });
  });
});
