import { randomUUID } from 'node:crypto';
import mongoose, { Connection } from 'mongoose';
import { Actor, defineEvent, EventEnvelope, obj, str } from '@continuum/contracts';
import { eventually } from '@continuum/testing';
import { EventStore } from '../event-store';
import { ViewDefinition } from './view-definition';
import { VIEWS_META_COLLECTION, ViewStore } from './view-store';

defineEvent('VgTestParcelRouted', 'vg-test.events.v1', 'test only: a parcel was routed to a depot', obj({ depot: str({ minLength: 1 }) }));

interface Parcel {
  readonly depot: string | null;
  readonly hops: number;
}

const actor: Actor = { kind: 'system', id: 'view-generations-spec' };
const meta = { correlationId: 'corr-vg', causationId: null, actor };
const routed = (depot: string) => ({ type: 'VgTestParcelRouted', data: { depot } });
const depotOf = (event: EventEnvelope): string => (event.data as { depot: string }).depot;

/** version 1 counts hops by one, version 2 by ten: which generation answered shows in every read */
const definitionOf = (name: string, version: 1 | 2): ViewDefinition<Parcel> => ({
  name,
  // each test's streams of their own
  streamPrefix: `parcel-${name}-`,
  version,
  initial: () => ({ depot: null, hops: 0 }),
  evolve: (view, event) => ({ depot: depotOf(event), hops: view.hops + (version === 1 ? 1 : 10) }),
  indexes: { depot: (view) => (view.depot === null ? [] : [view.depot]) },
});

const timing = { checkEveryMs: 200, dropAfterMs: 600 };

jest.setTimeout(60_000);

/**
 * Two instances of a service on one database, each with its own ViewStore of the same view: a
 * rebuild by one builds the next generation while the other keeps answering every read from the
 * current one; both read the rebuilt generation after the switch; nothing is ever emptied in place.
 */
describe('view generations: a rebuild never empties a view another instance serves (FerretDB)', () => {
  let connection: Connection;
  let store: EventStore;
  /** per stream: its last stored version */
  const streams = new Map<string, number>();

  const append = async (streamId: string, depots: string[]): Promise<EventEnvelope[]> => {
    const { events } = await store.append(streamId, streams.get(streamId) ?? 0, depots.map(routed), meta);
    streams.set(streamId, events.at(-1)!.streamVersion);
    return events;
  };

  /**
   * Reads every stream's document through `readers` until `during` settles; returns the reads that
   * found nothing (a document missing, or one no commit moves unlisted from its depot) and how many
   * reads were made. (A document being moved is briefly listed under its new key only: by design,
   * index entries are written before the document.)
   */
  const readThroughout = async (readers: ViewStore<Parcel>[], ids: readonly string[], during: Promise<unknown>, moving: readonly string[] = []) => {
    let settled = false;
    const missing: string[] = [];
    let reads = 0;
    const reading = (async () => {
      while (!settled) {
        for (const reader of readers) {
          for (const id of ids) {
            const found = await reader.get(id);
            reads++;
            if (found === undefined) missing.push(`${reader.definition.version}:${id}`);
            else if (!moving.includes(id) && !(await reader.idsBy('depot', found.depot!)).includes(id)) missing.push(`${reader.definition.version}:${id} in ${found.depot}`);
          }
        }
      }
    })();
    try {
      await during;
    } finally {
      settled = true;
      await reading;
    }
    return { missing, reads };
  };

  beforeAll(async () => {
    connection = await mongoose.createConnection(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017', { dbName: `it_view_gen_${randomUUID().slice(0, 8)}` }).asPromise();
    store = new EventStore(connection);
    await store.init();
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('rolling deploy: a new version builds the next generation while the old instance answers and applies; both switch, the old generation goes', async () => {
    const name = `parcels_${randomUUID().slice(0, 6)}`;
    const ids = Array.from({ length: 25 }, () => `parcel-${name}-${randomUUID()}`);
    for (const id of ids) await append(id, ['AUS', 'DAL']);

    // the instance serving today: version 1, built into generation 0 (the unsuffixed collections)
    const serving = new ViewStore(connection, definitionOf(name, 1)).switchTiming(timing).keepWrittenDocuments(100);
    expect(await serving.ensureBuilt(store)).toBe(ids.length);
    expect(await connection.collection(`view_${name}`).countDocuments()).toBe(ids.length);
    // a second instance of the same version starting does nothing
    expect(await new ViewStore(connection, definitionOf(name, 1)).ensureBuilt(store)).toBe(0);

    // the new instance (version 2) starts while the serving one's relay keeps applying new commits
    const starting = new ViewStore(connection, definitionOf(name, 2)).switchTiming(timing).keepWrittenDocuments(100);
    const moved = ids.slice(0, 5);
    const relaying = (async () => {
      for (const [round, id] of moved.entries()) {
        await serving.apply(await append(id, [`HUB${round}`]));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const built = Promise.all([starting.ensureBuilt(store), relaying]);
    const { missing, reads } = await readThroughout([serving], ids, built, moved);
    expect(missing).toEqual([]);
    expect(reads).toBeGreaterThan(ids.length);
    expect((await built)[0]).toBe(ids.length);

    // the switch is recorded; both instances read the rebuilt generation, with what was applied meanwhile
    expect(await connection.collection(VIEWS_META_COLLECTION).findOne({ _id: `${name}@g1` as never })).toMatchObject({ view: name, generation: 1, version: 2 });
    for (const [round, id] of moved.entries()) expect(await starting.get(id)).toEqual({ depot: `HUB${round}`, hops: 30 });
    expect(await starting.get(ids[10]!)).toEqual({ depot: 'DAL', hops: 20 });
    await eventually(async () => (await serving.get(ids[10]!))?.hops === 20, 'the serving instance reading the new generation');
    for (const [round, id] of moved.entries()) expect(await serving.get(id)).toEqual({ depot: `HUB${round}`, hops: 30 });

    // the relay applies to the new generation now, and the old one is dropped after the grace period
    await starting.apply(await append(ids[10]!, ['ELP']));
    expect(await serving.get(ids[10]!)).toEqual({ depot: 'ELP', hops: 30 });
    expect(await connection.collection(`view_${name}__g1`).countDocuments()).toBe(ids.length);
    await eventually(async () => (await connection.collection(`view_${name}`).countDocuments()) === 0, 'generation 0 dropped');
    expect((await serving.findBy('depot', 'ELP')).map((found) => found.id)).toEqual([ids[10]]);

    // an instance of either version starting now does nothing (the old version does not rebuild backwards)
    expect(await new ViewStore(connection, definitionOf(name, 2)).ensureBuilt(store)).toBe(0);
    expect(await new ViewStore(connection, definitionOf(name, 1)).ensureBuilt(store)).toBe(0);
    expect(await connection.collection(`view_${name}__g1`).countDocuments()).toBe(ids.length);
  });

  it('a rebuild on demand replaces a damaged generation while another instance reads every document; both switch', async () => {
    const name = `parcels_${randomUUID().slice(0, 6)}`;
    const ids = Array.from({ length: 20 }, () => `parcel-${name}-${randomUUID()}`);
    for (const id of ids) await append(id, ['SAT']);
    const reader = new ViewStore(connection, definitionOf(name, 1)).switchTiming(timing);
    const rebuilder = new ViewStore(connection, definitionOf(name, 1)).switchTiming(timing);
    await rebuilder.ensureBuilt(store);
    // a view bug left one document wrong: the rebuild is what fixes it
    await connection.collection(`view_${name}`).updateOne({ _id: ids[0] as never }, { $set: { 'view.hops': 99 } });
    expect(await reader.get(ids[0]!)).toEqual({ depot: 'SAT', hops: 99 });

    const rebuilt = rebuilder.rebuild(store);
    const { missing } = await readThroughout([reader, rebuilder], ids, rebuilt);
    expect(missing).toEqual([]);
    expect(await rebuilt).toBe(ids.length);
    expect(await rebuilder.get(ids[0]!)).toEqual({ depot: 'SAT', hops: 1 });
    await eventually(async () => (await reader.get(ids[0]!))?.hops === 1, 'the reader on the rebuilt generation');

    // a second rebuild goes on to generation 2, and the reader follows again
    await rebuilder.rebuild(store);
    await eventually(async () => (await connection.collection(`view_${name}__g1`).countDocuments()) === 0, 'generation 1 dropped');
    for (const id of ids) expect(await reader.get(id)).toEqual({ depot: 'SAT', hops: 1 });
    expect(new Set(await reader.idsBy('depot', 'SAT'))).toEqual(new Set(ids));
    expect(await connection.collection(`view_${name}__g2`).countDocuments()).toBe(ids.length);
  });
});
