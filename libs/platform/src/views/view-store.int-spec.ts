import { randomUUID } from 'node:crypto';
import mongoose, { Connection } from 'mongoose';
import { Actor, defineEvent, EventEnvelope, obj, str } from '@continuum/contracts';
import { EventStore } from '../event-store';
import { ViewDefinition } from './view-definition';
import { INDEX_CHUNK, ViewGapError, ViewStore } from './view-store';

defineEvent('VsTestParcelRouted', 'vs-test.events.v1', 'test only: a parcel was routed to a depot', obj({ depot: str({ minLength: 1 }) }));

interface Parcel {
  readonly depot: string | null;
  readonly hops: number;
}

const definition: ViewDefinition<Parcel> = {
  name: `parcels_${randomUUID().slice(0, 6)}`,
  streamPrefix: 'parcel-',
  initial: () => ({ depot: null, hops: 0 }),
  evolve: (view, event) => ({ depot: (event.data as { depot: string }).depot, hops: view.hops + 1 }),
  indexes: { depot: (view) => (view.depot === null ? [] : [view.depot]) },
};

const actor: Actor = { kind: 'system', id: 'view-spec' };
const meta = { correlationId: 'corr-view', causationId: null, actor };
const routed = (depot: string) => ({ type: 'VsTestParcelRouted', data: { depot } });

describe('ViewStore (FerretDB)', () => {
  let connection: Connection;
  let store: EventStore;
  let view: ViewStore<Parcel>;

  /** appends and returns the stored envelopes, as the relay would hand them over */
  const append = async (streamId: string, version: number, depots: string[]): Promise<EventEnvelope[]> =>
    (await store.append(streamId, version, depots.map(routed), meta)).events;

  beforeAll(async () => {
    connection = await mongoose.createConnection(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017', { dbName: `it_views_${randomUUID().slice(0, 8)}` }).asPromise();
    store = new EventStore(connection);
    await store.init();
    view = new ViewStore(connection, definition);
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('folds events into one document per stream and lists documents by index key', async () => {
    const id = `parcel-${randomUUID()}`;
    const events = await append(id, 0, ['AUS', 'DAL']);
    expect(await view.apply(events)).toBe(2);
    expect(await view.get(id)).toEqual({ depot: 'DAL', hops: 2 });
    expect((await view.findBy('depot', 'DAL')).map((found) => found.id)).toContain(id);
    // the document left AUS: the index no longer lists it there
    expect(await view.idsBy('depot', 'AUS')).not.toContain(id);
  });

  it('loses no update when several stores (two instances, a rebuild) apply to one document at once', async () => {
    // one journal-like document fed from many streams, as the projections' customer journal is
    const tally: ViewDefinition<{ seen: string[] }> = {
      name: `tally_${randomUUID().slice(0, 6)}`,
      streamPrefix: 'parcel-',
      initial: () => ({ seen: [] }),
      evolve: (view, event) => ({ seen: [...view.seen, `${event.streamId}@${event.streamVersion}`] }),
      indexes: { count: (view) => [`n${view.seen.length % 3}`] },
    };
    const writers = [new ViewStore(connection, tally), new ViewStore(connection, tally), new ViewStore(connection, tally).keepWrittenDocuments(100)];
    const streams = await Promise.all(Array.from({ length: 30 }, async () => append(`parcel-${randomUUID()}`, 0, ['AUS', 'DAL'])));
    await Promise.all(streams.map((events, i) => writers[i % writers.length]!.applyAt('one-document', events)));
    const stored = await writers[0]!.get('one-document');
    expect(stored?.seen).toHaveLength(60);
    expect(new Set(stored?.seen).size).toBe(60);
    // applied again through any store: nothing changes (the per-stream versions hold)
    expect(await writers[1]!.applyAt('one-document', streams[0]!)).toBe(0);
    expect(await writers[0]!.idsBy('count', 'n0')).toContain('one-document');
  });

  it('changes nothing when an event is delivered again or an older one arrives after a newer one', async () => {
    const id = `parcel-${randomUUID()}`;
    const [first, second] = [...(await append(id, 0, ['AUS'])), ...(await append(id, 1, ['HOU']))];
    await view.apply([first!, second!]);
    expect(await view.apply([second!])).toBe(0);
    // the stream's first event again: its insert collides with the stored document, which stays as it was
    expect(await view.apply([first!])).toBe(0);
    expect(await view.get(id)).toEqual({ depot: 'HOU', hops: 2 });
    expect(await view.idsBy('depot', 'AUS')).not.toContain(id);
    expect(await view.idsBy('depot', 'HOU')).toContain(id);
  });

  it('lists many documents under one key in bounded chunks, so adding one never rewrites the whole list', async () => {
    const depot = `HUB-${randomUUID().slice(0, 6)}`;
    const entries = connection.collection(`view_${definition.name}__depot`);
    const ids = Array.from({ length: INDEX_CHUNK + 3 }, () => `parcel-${randomUUID()}`);
    for (const id of ids) await view.apply(await append(id, 0, [depot]));
    expect(new Set(await view.idsBy('depot', depot))).toEqual(new Set(ids));
    // the first INDEX_CHUNK ids were sealed into a chunk (with memberships); the head keeps the last 3
    const sealed = await entries.findOne({ _id: `${depot}#s0` as never });
    expect(new Set(sealed?.['ids'] as string[])).toEqual(new Set(ids.slice(0, INDEX_CHUNK)));
    expect(await entries.findOne({ _id: `${depot}|${ids[7]}` as never })).toMatchObject({ kind: 'member', chunk: `${depot}#s0` });
    const full = await entries.findOne({ _id: depot as never });
    expect(full).toMatchObject({ kind: 'head', chunks: [`${depot}#s0`], sealed: 1 });
    expect(new Set(full?.['ids'] as string[])).toEqual(new Set(ids.slice(INDEX_CHUNK)));
    // pages in the order the ids were listed, across the sealed chunk and the head
    expect(await view.idsPage('depot', depot, { limit: 5 })).toEqual(ids.slice(0, 5));
    expect(await view.idsPage('depot', depot, { after: ids[INDEX_CHUNK - 2], limit: 3 })).toEqual(ids.slice(INDEX_CHUNK - 1, INDEX_CHUNK + 2));
    expect(await view.idsPage('depot', depot, { after: ids[INDEX_CHUNK + 1], limit: 50 })).toEqual(ids.slice(INDEX_CHUNK + 2));
    // the latest first: the head's, then the sealed chunk's from its newest back
    expect(await view.latestIds('depot', depot, 2)).toEqual([ids[INDEX_CHUNK + 2], ids[INDEX_CHUNK + 1]]);
    expect(await view.latestIds('depot', depot, 5)).toEqual(ids.slice(INDEX_CHUNK - 2).reverse());
    expect(await view.latestIds('depot', 'no-such-depot', 5)).toEqual([]);

    // one leaves the hub: it is taken off the chunk its membership names, the others stay
    await view.apply(await append(ids[0]!, 1, ['ELSEWHERE']));
    const listed = await view.idsBy('depot', depot);
    expect(listed).toHaveLength(ids.length - 1);
    expect(listed).not.toContain(ids[0]);
    expect(await entries.findOne({ _id: `${depot}|${ids[0]}` as never })).toBeNull();
    // one listed in the head leaves: taken off the head
    await view.apply(await append(ids[INDEX_CHUNK]!, 1, ['ELSEWHERE']));
    expect(await view.idsBy('depot', depot)).not.toContain(ids[INDEX_CHUNK]);

    // the sealed chunk empties: it leaves the key's head
    for (const id of ids.slice(1, INDEX_CHUNK)) await view.apply(await append(id, 1, ['ELSEWHERE']));
    const head = await entries.findOne({ _id: depot as never });
    expect(head?.['chunks']).toEqual([]);
    expect(await entries.findOne({ _id: `${depot}#s0` as never })).toBeNull();
    expect(new Set(await view.idsBy('depot', depot))).toEqual(new Set(ids.slice(INDEX_CHUNK + 1)));
  });

  it('seals a chunk again after a crash half way, and reads a key written in the earlier layout', async () => {
    const entries = connection.collection(`view_${definition.name}__depot`);
    // a head whose seal stopped after the chunk and memberships were written, before the head moved on
    const depot = `HUB-${randomUUID().slice(0, 6)}`;
    const ids = Array.from({ length: INDEX_CHUNK }, () => `parcel-${randomUUID()}`);
    await entries.insertOne({ _id: depot, kind: 'head', chunks: [], ids: ids.slice(0, INDEX_CHUNK - 1) } as never);
    await entries.insertOne({ _id: `${depot}#s0`, kind: 'chunk', ids: ids.slice(0, 5) } as never);
    await entries.insertOne({ _id: `${depot}|${ids[0]}`, kind: 'member', chunk: `${depot}#s0` } as never);
    await view.apply(await append(ids[INDEX_CHUNK - 1]!, 0, [depot]));
    expect(await entries.findOne({ _id: depot as never })).toMatchObject({ chunks: [`${depot}#s0`], ids: [], sealed: 1 });
    expect(((await entries.findOne({ _id: `${depot}#s0` as never }))?.['ids'] as string[]).length).toBe(INDEX_CHUNK);
    expect(new Set(await view.idsBy('depot', depot))).toEqual(new Set(ids));

    // the earlier layout: an open chunk named by the head, no ids in the head
    const old = `HUB-${randomUUID().slice(0, 6)}`;
    const [a, b] = [`parcel-${randomUUID()}`, `parcel-${randomUUID()}`];
    await entries.insertOne({ _id: old, kind: 'head', chunks: [`${old}#0`], open: `${old}#0`, openSize: 1 } as never);
    await entries.insertOne({ _id: `${old}#0`, kind: 'chunk', ids: [a] } as never);
    await entries.insertOne({ _id: `${old}|${a}`, kind: 'member', chunk: `${old}#0` } as never);
    await connection.collection(`view_${definition.name}`).insertOne({ _id: a, view: { depot: old, hops: 1 }, versions: { [a]: 1 } } as never);
    await view.apply(await append(b, 0, [old]));
    expect(new Set(await view.idsBy('depot', old))).toEqual(new Set([a, b]));
    // a moves on (its first event is the one the document already saw): off the old chunk, which empties and leaves
    expect(await view.apply(await append(a, 0, [old, 'ELSEWHERE']))).toBe(1);
    expect(await view.idsBy('depot', old)).toEqual([b]);
    expect((await entries.findOne({ _id: old as never }))?.['chunks']).toEqual([]);

    // the layout before chunks: one document per key with every id inline and no kind; it is a head
    const inline = `HUB-${randomUUID().slice(0, 6)}`;
    const listed = Array.from({ length: INDEX_CHUNK - 1 }, () => `parcel-${randomUUID()}`);
    await entries.insertOne({ _id: inline, ids: listed } as never);
    expect(new Set(await view.idsBy('depot', inline))).toEqual(new Set(listed));
    const added = `parcel-${randomUUID()}`;
    await view.apply(await append(added, 0, [inline]));
    // the key reached INDEX_CHUNK: its ids were sealed into a chunk and it became a head
    expect(await entries.findOne({ _id: inline as never })).toMatchObject({ kind: 'head', ids: [], chunks: [`${inline}#s0`], sealed: 1 });
    expect(new Set(await view.idsBy('depot', inline))).toEqual(new Set([...listed, added]));
  });

  it('applies to the documents it kept without reading them back, and reads again once told to forget them', async () => {
    const kept = new ViewStore(connection, { ...definition, name: `kept_${randomUUID().slice(0, 6)}` }).keepWrittenDocuments(10);
    // the connection hands the store the same collection object (generation 0: `view_<name>`)
    const reads = jest.spyOn(connection.collection(`view_${kept.definition.name}`), 'findOne');
    const id = `parcel-${randomUUID()}`;
    // the stream's first event makes a new document: inserted without looking for it first
    await kept.apply(await append(id, 0, ['AUS']));
    expect(reads).toHaveBeenCalledTimes(0);
    await kept.apply(await append(id, 1, ['DAL']));
    expect(reads).toHaveBeenCalledTimes(0);
    expect(await kept.get(id)).toEqual({ depot: 'DAL', hops: 2 }); // a read of its own

    // someone else wrote the document (another instance while this one had no lease): forget, then read
    await connection.collection(`view_${kept.definition.name}`).updateOne({ _id: id as never }, { $set: { 'view.hops': 10, [`versions.${id}`]: 3 } });
    kept.forgetDocuments();
    await kept.apply(await append(id, 2, ['ELP', 'SAT']));
    expect(reads).toHaveBeenCalledTimes(2);
    // the event at version 3 was already in the document: only version 4 applied, on top of hops 10
    expect(await kept.get(id)).toEqual({ depot: 'SAT', hops: 11 });
    reads.mockRestore();
  });

  it('passes over an event its evolve throws on, tells the caller, and applies the next ones', async () => {
    const failures: string[] = [];
    const fragile = new ViewStore(
      connection,
      { ...definition, name: `fragile_${randomUUID().slice(0, 6)}`, evolve: (v, e) => ((e.data as { depot: string }).depot === 'BAD' ? JSON.parse('{') : definition.evolve(v, e)) },
      (_error, event) => failures.push(event.eventId),
    );
    const id = `parcel-${randomUUID()}`;
    const events = [...(await append(id, 0, ['AUS'])), ...(await append(id, 1, ['BAD'])), ...(await append(id, 2, ['HOU']))];
    await fragile.apply(events);
    expect(failures).toEqual([events[1]!.eventId]);
    expect(await fragile.get(id)).toEqual({ depot: 'HOU', hops: 2 });
    // without a handler the error is the caller's
    await expect(new ViewStore(connection, { ...definition, name: `strict_${randomUUID().slice(0, 6)}`, evolve: () => JSON.parse('{') }).apply(events)).rejects.toThrow(SyntaxError);
  });

  it('applies to a document the caller names (a view keyed by a lookup), removes one from its indexes, and drops the view', async () => {
    const keyed = new ViewStore(connection, { ...definition, name: `keyed_${randomUUID().slice(0, 6)}` });
    const [a, b] = [`parcel-${randomUUID()}`, `parcel-${randomUUID()}`];
    const events = [...(await append(a, 0, ['AUS'])), ...(await append(b, 0, ['AUS', 'DAL']))];
    const account = `account-${randomUUID()}`;
    expect(await keyed.applyAt(account, events)).toBe(3);
    // the same per-stream guard: a redelivery changes nothing
    expect(await keyed.applyAt(account, events)).toBe(0);
    expect(await keyed.get(account)).toEqual({ depot: 'DAL', hops: 3 });
    expect(await keyed.idsBy('depot', 'DAL')).toEqual([account]);
    await keyed.remove(account);
    expect(await keyed.get(account)).toBeUndefined();
    expect(await keyed.idsBy('depot', 'DAL')).toEqual([]);
    await keyed.applyAt(account, events);
    await keyed.drop();
    expect(await keyed.get(account)).toBeUndefined();
    await keyed.drop(); // dropping what is gone is harmless
  });

  it('with everyEvent, takes an event of a stream after a later one (the view keeps positions itself); removes a document only at the revision read', async () => {
    // a journal that holds each stream position once and gives back the same view for one it has
    const positions: ViewDefinition<{ seen: string[] }> = {
      name: `positions_${randomUUID().slice(0, 6)}`,
      streamPrefix: 'parcel-',
      initial: () => ({ seen: [] }),
      evolve: (view, event) => {
        const position = `${event.streamId}@${event.streamVersion}`;
        return view.seen.includes(position) ? view : { seen: [...view.seen, position].sort() };
      },
      indexes: { count: (view) => [`n${view.seen.length}`] },
    };
    const journal = new ViewStore(connection, positions);
    const stream = `parcel-${randomUUID()}`;
    const [first, second] = await append(stream, 0, ['AUS', 'DAL']);
    expect(await journal.applyAt('journal', [second!], { everyEvent: true })).toBe(1);
    // the guard would pass over version 1 now; everyEvent hands it to the view
    expect(await journal.applyAt('journal', [first!], { everyEvent: true })).toBe(1);
    expect(await journal.applyAt('journal', [first!, second!], { everyEvent: true })).toBe(0);
    expect((await journal.get('journal'))?.seen).toEqual([`${stream}@1`, `${stream}@2`]);

    const read = await journal.getWithRevision('journal');
    expect(read).toMatchObject({ view: { seen: [`${stream}@1`, `${stream}@2`] }, rev: expect.any(Number) });
    // another writer changes it after the read: the remove at the old revision takes nothing
    const [third] = await append(stream, 2, ['HOU']);
    await journal.applyAt('journal', [third!], { everyEvent: true });
    expect(await journal.remove('journal', read!.rev)).toBe(false);
    expect((await journal.get('journal'))?.seen).toHaveLength(3);
    const again = await journal.getWithRevision('journal');
    expect(await journal.remove('journal', again!.rev)).toBe(true);
    expect(await journal.get('journal')).toBeUndefined();
    expect(await journal.idsBy('count', 'n3')).toEqual([]);
  });

  it('never passes over a missing event: refuses a gap without an event store, fills it from one', async () => {
    const id = `parcel-${randomUUID()}`;
    const [first] = await append(id, 0, ['AUS']);
    const [second, third] = await append(id, 1, ['DAL', 'HOU']);
    const [fourth] = await append(id, 3, ['ELP']);
    const trail: ViewDefinition<{ versions: number[] }> = {
      name: `trail_${randomUUID().slice(0, 6)}`,
      streamPrefix: 'parcel-',
      initial: () => ({ versions: [] }),
      evolve: (view, event) => ({ versions: [...view.versions, event.streamVersion] }),
    };

    const strict = new ViewStore(connection, trail);
    await strict.apply([first!]);
    const refused = await strict.apply([fourth!]).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ViewGapError);
    expect(refused).toMatchObject({ documentId: id, streamId: id, known: 1, streamVersion: 4 });
    // nothing applied: version 4 was not taken as seen, so the retried round with the missing events applies all three
    expect(await strict.get(id)).toEqual({ versions: [1] });
    expect(await strict.apply([second!, third!, fourth!])).toBe(3);
    expect(await strict.get(id)).toEqual({ versions: [1, 2, 3, 4] });

    // with the event store to read from: the events in between are read and applied first, in order
    const filling = new ViewStore(connection, { ...trail, name: `trail_fill_${randomUUID().slice(0, 6)}` }).keepWrittenDocuments(10).fillGapsFrom(store);
    await filling.apply([first!]);
    expect(await filling.apply([fourth!])).toBe(3);
    expect(await filling.get(id)).toEqual({ versions: [1, 2, 3, 4] });
    // a document that does not exist yet is built from the stream's start
    const late = new ViewStore(connection, { ...trail, name: `trail_late_${randomUUID().slice(0, 6)}` }).fillGapsFrom(store);
    expect(await late.apply([third!])).toBe(3);
    expect(await late.get(id)).toEqual({ versions: [1, 2, 3] });

    // applyAt: the caller routes events (the projections apply some of a stream's events, to several
    // documents), so versions may skip there and no gap is looked for
    const keyed = new ViewStore(connection, { ...trail, name: `trail_keyed_${randomUUID().slice(0, 6)}` });
    expect(await keyed.applyAt('journal-1', [first!, fourth!])).toBe(2);
    expect(await keyed.get('journal-1')).toEqual({ versions: [1, 4] });
  });

  it('tells whether the documents a commit goes to have applied it, for a caller waiting on another applier', async () => {
    const id = `parcel-${randomUUID()}`;
    const events = await append(id, 0, ['AUS', 'DAL']);
    expect(await view.shows(events)).toBe(false);
    await view.apply(events.slice(0, 1));
    expect(await view.shows(events)).toBe(false);
    expect(await view.shows(events.slice(0, 1))).toBe(true);
    await view.apply(events);
    expect(await view.shows(events)).toBe(true);
    // events the view is not built from are nothing to wait for
    expect(await view.shows(await append(`crate-${randomUUID()}`, 0, ['AUS']))).toBe(true);
  });

  it('ignores events of streams it is not built from', async () => {
    const other = `crate-${randomUUID()}`;
    expect(await view.apply(await append(other, 0, ['AUS']))).toBe(0);
    expect(await view.get(other)).toBeUndefined();
  });

  it('builds a new view from history once; a restart refolds nothing (counted reads)', async () => {
    const ids = [`parcel-${randomUUID()}`, `parcel-${randomUUID()}`];
    for (const id of ids) await append(id, 0, ['ELP', 'SAT']);
    const fresh: ViewDefinition<Parcel> = { ...definition, name: `parcels_built_${randomUUID().slice(0, 6)}` };
    let reads = 0;
    const counting = Object.create(store) as EventStore;
    counting.readStream = async (streamId) => {
      reads++;
      return store.readStream(streamId);
    };
    counting.scanStreamIds = async (prefix) => {
      reads++;
      return store.scanStreamIds(prefix);
    };

    const built = new ViewStore(connection, fresh);
    expect(await built.ensureBuilt(counting)).toBeGreaterThanOrEqual(2);
    expect(reads).toBeGreaterThan(2);
    for (const id of ids) expect(await built.get(id)).toEqual({ depot: 'SAT', hops: 2 });

    reads = 0;
    const restarted = new ViewStore(connection, fresh);
    expect(await restarted.ensureBuilt(counting)).toBe(0);
    expect(reads).toBe(0);

    // a new definition version is rebuilt once
    const bumped = new ViewStore(connection, { ...fresh, version: 2, evolve: (v, e) => ({ ...definition.evolve(v, e), hops: v.hops + 10 }) });
    expect(await bumped.ensureBuilt(counting)).toBeGreaterThanOrEqual(2);
    expect(await bumped.get(ids[0]!)).toEqual({ depot: 'SAT', hops: 20 });
  });
});
