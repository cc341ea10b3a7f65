import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { Command, Decider, defineEvent, DomainEvent, obj, str } from '@continuum/contracts';
import { eventually, testRun } from '@continuum/testing';
import { AggregateRunner, CommandContext } from '../commands';
import { loadPlatformConfig } from '../config';
import { createRedisConnection } from '../jobs';
import { kafkaClient } from '../kafka';
import { createLogger } from '../observability';
import { Lease, OUTBOX_LEASE_ID } from '../outbox';
import { Platform, ServiceDescription } from '../service';
import { ViewDefinition, ViewStore } from './index';

const run = testRun('read_your_writes');
const EVENTS = 'ryw.events.v1';
defineEvent('RywTestParcelRouted', EVENTS, 'test only: a parcel was routed to a depot', obj({ depot: str({ minLength: 1 }) }));

type RouteParcel = Command<'RouteParcel', { depot: string }>;
type ParcelRouted = DomainEvent<'RywTestParcelRouted', { depot: string }>;
interface Parcel {
  readonly depot: string | null;
  readonly hops: number;
}
const parcelDecider: Decider<RouteParcel, ParcelRouted, Parcel> = {
  initialState: () => ({ depot: null, hops: 0 }),
  decide: (command) => [{ type: 'RywTestParcelRouted', data: { depot: command.data.depot } }],
  evolve: (state, event) => ({ depot: event.data.depot, hops: state.hops + 1 }),
};
const parcelView: ViewDefinition<Parcel, ParcelRouted> = {
  name: 'parcels',
  streamPrefix: 'parcel-',
  initial: parcelDecider.initialState,
  evolve: (view, event) => parcelDecider.evolve(view, event),
};
const description: ServiceDescription = { service: 'ryw', defaultPort: 0, dlqTopic: 'ryw.dlq.v1', topics: [EVENTS] };
const context: CommandContext = { correlationId: 'corr-ryw', causationId: null, actor: { kind: 'agent', id: 'agent-ryw' } };

jest.setTimeout(60_000);

/** One instance of a service: its own connection, platform (event store, relay, views) and aggregate runner. */
interface Instance {
  readonly platform: Platform;
  readonly view: ViewStore<Parcel, ParcelRouted>;
  readonly parcels: AggregateRunner<RouteParcel, ParcelRouted, Parcel>;
}

/**
 * Read your writes with two instances of a service on one database: only the lease holder's relay
 * applies the views, yet a command answered by either instance is in the views when it answers, so a
 * read that follows on the same instance or the other one sees it.
 */
describe('read your writes on every instance (FerretDB + Kafka)', () => {
  const instances: Instance[] = [];
  let observer: mongoose.Connection;
  const holder = () => new Lease(observer, OUTBOX_LEASE_ID, 'observer', 1).holder();

  const start = async (): Promise<Instance> => {
    const env = { MONGO_DB: run.database, KAFKA_TOPIC_PREFIX: run.topicPrefix, LOG_LEVEL: 'silent' };
    const config = loadPlatformConfig(description.service, env);
    const connection = await mongoose.createConnection(config.mongoUrl, { dbName: config.mongoDb }).asPromise();
    const kafka = kafkaClient({ clientId: `it-ryw-${run.id}`, brokers: [...config.kafkaBrokers] });
    const platform = new Platform(description, config, connection, kafka, createRedisConnection(config.redisUrl), createLogger('ryw', 'silent'), env);
    const view = platform.view(parcelView);
    const parcels = new AggregateRunner(platform.commands, { decider: parcelDecider, streamId: (id) => `parcel-${id}` });
    await platform.start();
    const instance = { platform, view, parcels };
    instances.push(instance);
    return instance;
  };
  const route = (on: Instance, id: string, depot: string) => on.parcels.run(id, { type: 'RouteParcel', data: { depot } }, context);

  beforeAll(async () => {
    observer = await mongoose.createConnection(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017', { dbName: run.database }).asPromise();
  });

  afterAll(async () => {
    for (const instance of instances.splice(0)) await instance.platform.stop().catch(() => undefined);
    const admin = kafkaClient({ clientId: `it-ryw-${run.id}-admin`, brokers: [process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'] }).admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(run.topicPrefix));
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
    await observer.dropDatabase();
    await observer.close();
  });

  it('answers a command on the instance without the lease once its views show it; reads on both instances see it', async () => {
    const holding = await start();
    await eventually(async () => (await holder()) === holding.platform.relay.owner, 'the first instance to hold the lease');
    const other = await start();

    for (let round = 0; round < 3; round++) {
      const id = randomUUID();
      const placed = await route(other, id, 'AUS');
      expect(placed.state).toEqual({ depot: 'AUS', hops: 1 });
      // no waiting: the answer came after the holder's relay put the commit in the views
      expect(await other.view.get(`parcel-${id}`)).toEqual({ depot: 'AUS', hops: 1 });
      expect(await holding.view.get(`parcel-${id}`)).toEqual({ depot: 'AUS', hops: 1 });

      // the stream goes on through the holder, then through the other instance again
      await route(holding, id, 'DAL');
      expect(await other.view.get(`parcel-${id}`)).toEqual({ depot: 'DAL', hops: 2 });
      await route(other, id, 'HOU');
      expect(await other.view.get(`parcel-${id}`)).toEqual({ depot: 'HOU', hops: 3 });
      expect(await holding.view.get(`parcel-${id}`)).toEqual({ depot: 'HOU', hops: 3 });
    }
    // the other instance never applied a view itself: the lease stayed where it was
    expect(await holder()).toBe(holding.platform.relay.owner);
  });

  it('answers with its views current when the lease holder died without giving the lease up', async () => {
    const [holding, other] = instances as [Instance, Instance];
    // the holder is killed: it stops, and a term it took just before dying runs on for a second
    instances.splice(instances.indexOf(holding), 1);
    await holding.platform.stop();
    const leases = observer.collection('leases');
    const [latest] = await leases.find({ lease: OUTBOX_LEASE_ID }).sort({ term: -1 }).limit(1).toArray();
    const term = ((latest?.['term'] as number | undefined) ?? 0) + 1;
    await leases.insertOne({ _id: `${OUTBOX_LEASE_ID}:${term}` as never, lease: OUTBOX_LEASE_ID, term, owner: 'killed', expiresAt: new Date(Date.now() + 1_000) });

    const id = randomUUID();
    await route(other, id, 'ELP');
    // the survivor took the lease over once the dead term ran out, and applied the commit before answering
    expect(await other.view.get(`parcel-${id}`)).toEqual({ depot: 'ELP', hops: 1 });
    expect(await holder()).toBe(other.platform.relay.owner);
  });

  it('rebuilds a view on demand on one instance while commands go through the other: reads on both never miss, then both read the rebuilt generation', async () => {
    const [holding] = instances as [Instance];
    const rebuilding = await start();
    for (const instance of [holding, rebuilding]) instance.view.switchTiming({ checkEveryMs: 200, dropAfterMs: 500 });
    const ids: string[] = [];
    for (let n = 0; n < 10; n++) {
      ids.push(randomUUID());
      await route(holding, ids[n]!, 'AUS');
    }

    let rebuilt = false;
    const missing: string[] = [];
    const reading = (async () => {
      while (!rebuilt) for (const instance of [holding, rebuilding]) for (const id of ids) if ((await instance.view.get(`parcel-${id}`)) === undefined) missing.push(id);
    })();
    const rebuild = rebuilding.platform.rebuildView('parcels');
    // commands go on meanwhile through the lease holder, whose relay applies to the generation it serves
    const during = randomUUID();
    await route(holding, during, 'DAL');
    await route(holding, ids[0]!, 'DAL');
    const folded = await rebuild.finally(() => (rebuilt = true));
    await reading;
    expect(missing).toEqual([]);
    expect(folded).toBeGreaterThanOrEqual(ids.length + 1);

    // the rebuilt generation is current and has what was committed during the rebuild
    expect(await observer.collection('views_meta').findOne({ _id: 'parcels@g1' as never })).toMatchObject({ view: 'parcels', generation: 1 });
    const rebuiltDocuments = observer.collection('view_parcels__g1');
    expect(await rebuiltDocuments.findOne({ _id: `parcel-${during}` as never })).toMatchObject({ view: { depot: 'DAL', hops: 1 } });
    expect(await rebuiltDocuments.findOne({ _id: `parcel-${ids[0]}` as never })).toMatchObject({ view: { depot: 'DAL', hops: 2 } });

    // a command through either instance now goes to the rebuilt generation, and both read it there
    const after = randomUUID();
    await route(rebuilding, after, 'HOU');
    expect(await holding.view.get(`parcel-${after}`)).toEqual({ depot: 'HOU', hops: 1 });
    expect(await rebuiltDocuments.findOne({ _id: `parcel-${after}` as never })).toMatchObject({ view: { depot: 'HOU', hops: 1 } });
    await route(holding, after, 'ELP');
    expect(await rebuilding.view.get(`parcel-${after}`)).toEqual({ depot: 'ELP', hops: 2 });
    // the old generation is dropped after the grace period; nothing reads it any more
    await eventually(async () => (await observer.collection('view_parcels').countDocuments()) === 0, 'generation 0 dropped');
    for (const id of ids) expect(await holding.view.get(`parcel-${id}`)).toMatchObject({ hops: id === ids[0] ? 2 : 1 });
  });
});
