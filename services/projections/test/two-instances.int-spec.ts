// Two projections instances on one database, one set of topics and one consumer group per
// generation, started at the same moment: their consumers split the partitions, so the events of
// one customer (on its customer, order, transaction and fulfillment streams) are applied by both at
// once. Every customer's history must hold each of its events once and read the same on both
// instances; a rebuild started on one while the other serves must never make either answer 404.
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { EventEnvelope } from '@continuum/contracts';
import { devKeys, eventually, freePort, httpAgent, HttpAgent, KafkaProbe, launchService, ServiceProcess, testRun, waitForHealth } from '@continuum/testing';
import { approved, completed, event, placed, registered } from '../src/domain/history.fixtures';
import { JournalEntry } from '../src/domain';

const run = testRun('projections-two');
const env = {
  MONGO_DB: run.database,
  KAFKA_TOPIC_PREFIX: run.topicPrefix,
  QUEUE_PREFIX: run.queuePrefix,
  LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn',
  // each instance re-reads the live generation every 0.5 s; a replaced one is dropped 3 s after the switch
  PROJECTION_META_CHECK_MS: '500',
  PROJECTION_DROP_AFTER_MS: '3000',
  REBUILD_POLL_MS: '250',
};
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const CUSTOMERS = 30;

describe('two projections instances', () => {
  const started: ServiceProcess[] = [];
  let instances: HttpAgent[] = [];
  const probe = new KafkaProbe({ topicPrefix: run.topicPrefix });
  let connection: mongoose.Connection;
  /** per customer whose history it is (the survivor for the merged pair): the event ids it must show */
  const expected = new Map<string, Set<string>>();
  const customers: string[] = [];
  /** every event published, as published */
  const everyEvent: EventEnvelope[] = [];
  let survivor = '';
  let merged = '';

  beforeAll(async () => {
    // both at once: neither waits for the other's start (a fresh database, no marker yet)
    const [one, two] = await Promise.all([freePort(), freePort()]).then(([a, b]) => [launchService('projections', a, env), launchService('projections', b, env)]);
    started.push(one!, two!);
    await Promise.all([waitForHealth(one!, 120_000), waitForHealth(two!, 120_000)]);
    instances = [httpAgent(one!.url), httpAgent(two!.url)];
    connection = await mongoose.createConnection(process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017', { dbName: run.database }).asPromise();
  }, 180_000);

  afterAll(async () => {
    await Promise.all(started.map((service) => service.stop()));
    await probe.stop();
    await connection?.dropDatabase().catch(() => undefined);
    await connection?.close();
  }, 60_000);

  /** Publishes entries in order (one stream's events in stream order), each under a new event id; notes whose history shows it. */
  const publish = async (holder: string, ...entries: JournalEntry[]): Promise<EventEnvelope[]> => {
    const sent: EventEnvelope[] = [];
    for (const { topic, origin: _origin, ...envelope } of entries) {
      const published = { ...envelope, eventId: randomUUID() };
      await probe.publishEnvelope(topic, published);
      (expected.get(holder) ?? expected.set(holder, new Set()).get(holder)!).add(published.eventId);
      sent.push(published);
      everyEvent.push(published);
    }
    return sent;
  };

  const historyOn = async (agent: HttpAgent, customerId: string) => {
    const answer = await agent.get(`/customers/${customerId}/history`);
    return answer.status === 200 ? answer.body : undefined;
  };

  const fulfillment = (type: 'FulfillmentShipped' | 'FulfillmentDelivered', fulfillmentId: string, orderId: string, at: string) =>
    event(
      type,
      `fulfillment-${fulfillmentId}`,
      type === 'FulfillmentShipped' ? { fulfillmentId, orderId, trackingNumber: `1Z${fulfillmentId.slice(-6)}`, carrier: 'UPS', shippedAt: at } : { fulfillmentId, orderId, deliveredAt: at },
      at,
    );

  it('split the partitions and show every event of every customer once, the same history on both instances', async () => {
    const plans = Array.from({ length: CUSTOMERS }, (_, index) => ({ index, customerId: `cus-${run.id}-${index}`, orderId: `ord-${run.id}-${index}`, transactionId: `txn-${run.id}-${index}`, early: `ful-${run.id}-${index}-a`, later: `ful-${run.id}-${index}-b` }));
    customers.push(...plans.map((plan) => plan.customerId));
    [survivor, merged] = [plans[0]!.customerId, plans[1]!.customerId];
    const holderOf = (customerId: string) => (customerId === merged ? survivor : customerId);

    // first: for every third customer, fulfillment events that name only the order, before anything
    // names the order's customer: they wait, parked, until it is known
    const parking = plans.filter((plan) => plan.index % 3 === 0);
    await Promise.all(
      parking.map((plan) => publish(holderOf(plan.customerId), fulfillment('FulfillmentShipped', plan.early, plan.orderId, minutesAgo(30)), fulfillment('FulfillmentDelivered', plan.early, plan.orderId, minutesAgo(29)))),
    );
    const routes = connection.collection('projection_routes_g1');
    await eventually(
      async () => ((await routes.countDocuments({ _id: { $in: parking.map((plan) => `parked:${plan.orderId}`) } } as never)) === parking.length ? true : undefined),
      'the early fulfillment events to be parked under their orders',
      { timeoutMs: 90_000, intervalMs: 250 },
    );

    // then every customer's streams at once: customer, order, transaction and fulfillment streams land
    // on different partitions, so on both instances, applying to one journal at the same time
    await Promise.all(
      plans.map(async (plan) => {
        const holder = holderOf(plan.customerId);
        const customerStream = [registered(plan.customerId, minutesAgo(60), { firstName: `Pat${plan.index}`, email: `${plan.customerId}@example.com` })];
        await Promise.all([
          publish(holder, ...customerStream),
          publish(holder, placed(plan.orderId, plan.customerId, minutesAgo(50)), completed(plan.orderId, plan.customerId, minutesAgo(40), plan.transactionId)),
          publish(holder, approved(plan.transactionId, plan.orderId, plan.customerId, minutesAgo(45))),
          publish(
            holder,
            event(
              'FulfillmentCreated',
              `fulfillment-${plan.later}`,
              { fulfillmentId: plan.later, orderId: plan.orderId, customerId: plan.customerId, reference: `${plan.orderId}-F2`, items: [{ productId: 'p-1', sku: 'SKU-1', name: 'Serum', quantity: 1 }], shippingAddress: null, shippingMethod: 'STANDARD', cod: null, reshipOf: null, at: minutesAgo(35) },
              minutesAgo(35),
            ),
            // names no customer: it goes to its stream's owner
            fulfillment('FulfillmentShipped', plan.later, plan.orderId, minutesAgo(34)),
          ),
        ]);
      }),
    );
    // one merge, while the merged customer's other streams are still being applied; then a charge
    // that names the merged customer, which lands on the survivor
    await Promise.all([
      publish(survivor, event('CustomersMerged', `customer-${survivor}`, { customerId: survivor, fromCustomerId: merged }, minutesAgo(20))),
      publish(survivor, event('CustomerMergedInto', `customer-${merged}`, { customerId: merged, intoCustomerId: survivor }, minutesAgo(20))),
    ]);
    const lateTransaction = `txn-${run.id}-late`;
    await publish(survivor, approved(lateTransaction, `ord-${run.id}-1`, merged, minutesAgo(10)));

    const holders = [...expected.keys()];
    expect(holders).toHaveLength(CUSTOMERS - 1);
    for (const holder of holders) {
      const wanted = [...expected.get(holder)!].sort();
      const shown = await eventually(
        async () => {
          const histories = await Promise.all(instances.map((agent) => historyOn(agent, holder)));
          const ids = histories.map((history) => (history ? history.timeline.map((entry: { source: { eventId: string } }) => entry.source.eventId).sort() : []));
          return ids.every((list) => JSON.stringify(list) === JSON.stringify(wanted)) ? histories : undefined;
        },
        `the history of ${holder} with its ${wanted.length} events on both instances`,
        { timeoutMs: 120_000, intervalMs: 250 },
      );
      // each event once, and the two instances answer the same history
      expect(shown[0].timeline).toHaveLength(wanted.length);
      expect(shown[1]).toEqual(shown[0]);
    }
    // nothing stays parked once the orders' customers are known
    expect(await routes.countDocuments({ _id: { $regex: '^parked:' } } as never)).toBe(0);
    const survivorHistory = await historyOn(instances[1]!, merged);
    expect(survivorHistory).toMatchObject({ requestedId: merged, mergedInto: survivor, customer: expect.objectContaining({ customerId: survivor }) });
    expect(survivorHistory.orders.map((order: { orderId: string }) => order.orderId).sort()).toEqual([`ord-${run.id}-0`, `ord-${run.id}-1`]);
    // the merged customer's journal moved into the survivor's: its pages are gone, its head names the survivor
    expect(await connection.collection('view_customer_journal_g1').countDocuments({ _id: { $regex: `^page:${merged}:` } } as never)).toBe(0);
    expect(await connection.collection('view_customer_journal_g1').findOne({ _id: `head:${merged}` } as never)).toMatchObject({ mergedInto: survivor });
  }, 300_000);

  it('counts each event once in the reports: both instances (splitting the reports\' partitions) answer the same report, the one the events make', async () => {
    // the customer-service actions per agent: what the published events that were an agent's own requests count
    const counts = new Map<string, number>();
    const agentActions = everyEvent.filter((each) => (each.actor.kind === 'agent' || each.actor.kind === 'admin') && each.causationId === null);
    for (const sent of agentActions) {
      const key = JSON.stringify([sent.actor.id, sent.actor.kind, sent.type]);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const wanted = [...counts].map(([key, count]) => {
      const [agent, role, action] = JSON.parse(key) as [string, string, string];
      return { agent, role, action, count };
    });
    const sorted = (rows: Array<Record<string, unknown>>) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(wanted.find((row) => row.action === 'CustomerRegistered')).toMatchObject({ count: CUSTOMERS });
    const reports = await eventually(
      async () => {
        const answers = await Promise.all(instances.map(async (agent) => (await agent.get('/reports/agent-actions', devKeys.admin).expect(200)).body));
        return answers.every((answer) => JSON.stringify(sorted(answer.rows)) === JSON.stringify(sorted(wanted))) ? answers : undefined;
      },
      'the agent-actions report to count every agent action once on both instances',
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(sorted(reports[1].rows)).toEqual(sorted(reports[0].rows));
    // a bucket keeps one read position per partition, not one per stream; buckets are UTC days of the
    // events' times (minutes ago: just after midnight UTC, yesterday's)
    for (const day of new Set(agentActions.map((sent) => sent.occurredAt.slice(0, 10)))) {
      const bucket = await connection.collection('report_buckets').findOne({ _id: `agent-actions@${day}` } as never);
      // (five event topics of KAFKA_PARTITIONS, 3 by default, partitions each)
      expect(bucket?.['counted'].length).toBeGreaterThan(0);
      expect(bucket?.['counted'].length).toBeLessThanOrEqual(5 * 3);
    }
  }, 120_000);

  it('rebuilds on one instance while the other serves: neither answers 404 for a known customer during or after the switch', async () => {
    const before = new Map<string, unknown>();
    for (const customerId of customers) before.set(customerId, await historyOn(instances[0]!, customerId));
    const [builder, follower] = instances as [HttpAgent, HttpAgent];
    const misses: string[] = [];
    let reading = true;
    let rounds = 0;
    // both instances are read without pause until the old generation is gone and a few rounds after
    const reader = (async () => {
      while (reading) {
        for (const [index, agent] of instances.entries()) {
          for (const customerId of customers) {
            const answer = await agent.get(`/customers/${customerId}/history`);
            if (answer.status !== 200) misses.push(`instance ${index + 1}: ${customerId} answered ${answer.status}`);
          }
        }
        rounds++;
      }
    })();
    try {
      const startedRebuild = (await builder.post('/rebuilds', { view: 'customer-history' }, devKeys.admin).expect(202)).body;
      expect(startedRebuild).toMatchObject({ status: 'RUNNING', generation: 2 });
      // the other instance answers the running rebuild rather than starting another
      expect((await follower.post('/rebuilds', { view: 'customer-history' }, devKeys.admin).expect(202)).body).toMatchObject({ rebuildId: startedRebuild.rebuildId });
      // the progress is stored: either instance answers it
      const done = await eventually(
        async () => {
          const progress = (await follower.get(`/rebuilds/${startedRebuild.rebuildId}`, devKeys.admin).expect(200)).body;
          return progress.status !== 'RUNNING' ? progress : undefined;
        },
        'the rebuild to switch',
        { timeoutMs: 120_000, intervalMs: 250 },
      );
      expect(done).toMatchObject({ status: 'SWITCHED', generation: 2, lag: 0 });
      // the replaced generation goes after the grace period; reads go on past it
      await eventually(
        async () => ((await connection.db!.listCollections({ name: 'view_customer_journal_g1' }).toArray()).length === 0 ? true : undefined),
        'generation 1 to be dropped',
        { timeoutMs: 60_000, intervalMs: 250 },
      );
      const after = rounds;
      await eventually(async () => (rounds >= after + 3 ? true : undefined), 'three more rounds of reads on both instances', { timeoutMs: 60_000, intervalMs: 100 });
    } finally {
      reading = false;
      await reader;
    }
    expect(misses).toEqual([]);
    // both answer from the new generation, the same histories as before
    for (const customerId of customers) {
      for (const agent of instances) expect(await historyOn(agent, customerId)).toEqual(before.get(customerId));
    }
    expect((await builder.get(`/rebuilds/${(await connection.collection('rebuilds').findOne({}))!._id}`, devKeys.admin).expect(200)).body).toMatchObject({ status: 'SWITCHED' });
  }, 300_000);

  it('a starting instance leaves alone a generation another live instance is building; one whose builder stopped renewing it is dropped', async () => {
    // a rebuild in progress on an instance this spec does not run: its marker renewed just now
    const meta = connection.collection('projection_meta');
    const building = connection.collection('view_customer_journal_g9');
    const rebuildId = `rebuild-${run.id}-elsewhere`;
    await building.insertOne({ _id: 'cus-being-built', view: { customerId: 'cus-being-built', entries: [] }, versions: {}, rev: 1 } as never);
    await connection.collection('rebuilds').insertOne({ _id: rebuildId, view: 'customer-history', status: 'RUNNING', generation: 9, eventsReplayed: 0, lag: null, startedAt: new Date().toISOString(), switchedAt: null, error: null } as never);
    await meta.updateOne({ _id: 'customer-projection' } as never, { $set: { building: { generation: 9, rebuildId, owner: 'another-instance', heartbeatAt: new Date() } } });
    const third = launchService('projections', await freePort(), env);
    started.push(third);
    await waitForHealth(third, 120_000);
    // its start read the marker (a fresh heartbeat): the generation being built is untouched
    const progress = await httpAgent(third.url).get(`/rebuilds/${rebuildId}`, devKeys.admin).expect(200);
    expect(progress.body).toMatchObject({ status: 'RUNNING', generation: 9 });
    expect(await building.countDocuments({})).toBe(1);
    expect(await httpAgent(third.url).post('/rebuilds', { view: 'customer-history' }, devKeys.admin).expect(202)).toMatchObject({ body: expect.objectContaining({ rebuildId }) });

    // its builder stops renewing the marker: an instance drops it and says so in the progress
    await meta.updateOne({ _id: 'customer-projection' } as never, { $set: { 'building.heartbeatAt': new Date(Date.now() - 3_600_000) } });
    const failed = await eventually(
      async () => {
        const answer = (await instances[1]!.get(`/rebuilds/${rebuildId}`, devKeys.admin).expect(200)).body;
        return answer.status === 'FAILED' ? answer : undefined;
      },
      'the stale rebuild to be dropped',
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(failed.error).toMatch(/stopped/);
    expect(await building.countDocuments({})).toBe(0);
    expect((await meta.findOne({ _id: 'customer-projection' } as never))).toMatchObject({ live: 2, building: null });
    // and the live view never moved
    for (const customerId of customers.slice(0, 5)) await instances[0]!.get(`/customers/${customerId}/history`).expect(200);
  }, 300_000);
});
