/**
 * `npm run reconcile` against the real store: a small consistent system is written the way the
 * services write it (the platform's EventStore, one database per service; the projections' journal
 * through the platform's ViewStore), reconciled, then made inconsistent one append at a time.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import mongoose, { Connection, mongo } from 'mongoose';
import { EventEnvelope, Topics } from '@continuum/contracts';
import { commitId, EventStore, ViewStore } from '@continuum/platform';
import { testRun } from '@continuum/testing';
import { consistentWorld, FixtureAppend, SERVICES, ServiceName, TOTAL } from './reconcile.fixtures';
import { formatReport } from './reconcile';
import { EventStoreService, reconcileStores, ReconcileTarget } from './reconcile.store';

const MONGO_URL = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';
const root = path.resolve(__dirname, '../..');
const run = testRun('reconcile');
const databaseOf = (service: string) => `${run.database}_${service}`;
const target: ReconcileTarget = {
  databases: Object.fromEntries(SERVICES.map((service) => [service, databaseOf(service)])) as Record<EventStoreService, string>,
  projections: databaseOf('projections'),
};
const actor = { kind: 'service', id: 'reconcile-int-spec' } as const;

type Journal = { customerId: string | null; entries: Array<EventEnvelope & { topic: string; origin: string }> };
/** The projections' journal as its service stores it: one document per customer with its order events. */
const journalDefinition = {
  name: 'customer_journal_g1',
  streamPrefix: 'order-',
  documentId: (event: EventEnvelope) => (event.data as { customerId: string }).customerId,
  initial: (): Journal => ({ customerId: null, entries: [] }),
  evolve: (journal: Journal, event: EventEnvelope): Journal => {
    const customerId = (event.data as { customerId: string }).customerId;
    return { customerId, entries: [...journal.entries, { ...event, topic: Topics.ordersEvents, origin: customerId }] };
  },
};

async function runCli(...args: string[]): Promise<{ code: number; stdout: string }> {
  const cli = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'test/reconcile/reconcile.cli.ts', ...args];
  try {
    const { stdout } = await promisify(execFile)(process.execPath, cli, { cwd: root, env: { ...process.env, MONGO_URL, TS_NODE_PROJECT: path.join(root, 'tsconfig.json') } });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '' };
  }
}

describe('npm run reconcile (real store)', () => {
  const connections = new Map<string, Connection>();
  const stores = new Map<ServiceName, EventStore>();
  const versions = new Map<string, number>();
  let journal: ViewStore<Journal>;
  let client: mongo.MongoClient;

  /** One append as a service makes it: at the stream's end, validated by the store's registry. */
  async function append(service: ServiceName, { streamId, events }: FixtureAppend): Promise<void> {
    const result = await stores.get(service)!.append(streamId, versions.get(streamId) ?? 0, events, { correlationId: `corr-${run.id}`, causationId: null, actor });
    versions.set(streamId, result.toVersion);
    if (service === 'orders') await journal.apply(result.events);
  }

  beforeAll(async () => {
    for (const service of [...SERVICES, 'projections']) {
      connections.set(service, await mongoose.createConnection(MONGO_URL, { dbName: databaseOf(service) }).asPromise());
    }
    for (const service of SERVICES) {
      const store = new EventStore(connections.get(service)!);
      await store.init();
      stores.set(service, store);
    }
    journal = new ViewStore(connections.get('projections')!, journalDefinition);
    const world = consistentWorld('it');
    for (const service of SERVICES) for (const commit of world[service]) await append(service, commit);
    client = await new mongo.MongoClient(MONGO_URL).connect();
  });

  afterAll(async () => {
    await client?.close();
    for (const connection of connections.values()) {
      await connection.dropDatabase().catch(() => undefined);
      await connection.close();
    }
  });

  it('finds nothing to report in a consistent system and exits 0', async () => {
    const { report, notes, read } = await reconcileStores(client, target);
    expect(report).toEqual({ ordersChecked: 8, disagreements: [], historyChecked: true, orders: {} });
    expect(notes).toEqual([]);
    expect(read.journals).toBe(7);

    // a store pointed at an empty database is named: its absence would otherwise read as disagreements
    const elsewhere = await reconcileStores(client, { ...target, databases: { ...target.databases, fulfillment: databaseOf('nothing') } });
    expect(elsewhere.notes).toEqual([`fulfillment: no commits in ${databaseOf('nothing')}.commits`]);
    expect(elsewhere.report.disagreements.map((d) => d.code)).toEqual(Array(7).fill('MISSING_FULFILLMENT'));

    const cli = await runCli('--db-prefix', `${run.database}_`);
    expect(cli).toEqual({ code: 0, stdout: expect.stringMatching(/\n?8 orders checked, 0 disagreements\n$/) });
  });

  it('reports a refund above its charge with the order id and code, and exits 1', async () => {
    const refund = { transactionId: 'it-card-charge-1', orderId: 'it-card', customerId: 'cu-it-card', refundId: 'rf-too-much', amount: TOTAL + 100, currency: 'USD', at: '2026-01-06T10:00:00.000Z' };
    await append('payments', {
      streamId: 'transaction-it-card-charge-1',
      events: [
        { type: 'RefundRequested', data: refund },
        { type: 'RefundSucceeded', data: { ...refund, attempt: 1, gatewayTransactionId: null, message: 'Refunded', refundedTotal: TOTAL + 100, fullyRefunded: true, autoCancel: false } },
      ],
    });

    const { report } = await reconcileStores(client, target);
    expect(report.disagreements.map((d) => [d.orderId, d.code])).toEqual([
      ['it-card', 'ORDER_REFUNDED_NE_PAYMENTS'],
      ['it-card', 'REFUNDS_EXCEED_CHARGE'],
    ]);
    expect(formatReport(report)).toContain('order it-card (CARD COMPLETE, total 5499, refunded 0)\n  ORDER_REFUNDED_NE_PAYMENTS: order refunded 0 but payments refunded and voided 5599\n  REFUNDS_EXCEED_CHARGE: transaction it-card-charge-1 charged 5499 but 5599 went back');

    const json = await runCli('--json', ...SERVICES.flatMap((service) => ['--db', `${service}=${databaseOf(service)}`]), '--db', `projections=${databaseOf('projections')}`);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ordersChecked: 8,
      disagreements: 2,
      historyChecked: true,
      orders: [{ orderId: 'it-card', disagreements: [{ code: 'ORDER_REFUNDED_NE_PAYMENTS' }, { code: 'REFUNDS_EXCEED_CHARGE', details: { refunded: TOTAL + 100 } }] }],
    });
  });

  it('reads a stored old event version through its upcaster (a version 1 upsell approval pays no order)', async () => {
    const orderId = 'it-v1';
    const world = consistentWorld('v1');
    for (const service of SERVICES) {
      for (const commit of world[service].filter((c) => JSON.stringify(c.events).includes('"v1-card"'))) {
        await append(service, { ...commit, streamId: commit.streamId.replace('v1-card', orderId), events: JSON.parse(JSON.stringify(commit.events).replaceAll('v1-card', orderId)) });
      }
    }
    // the charge as a version 1 PaymentApproved (no purpose) of an upsell transaction, written before the field existed
    const payments = connections.get('payments')!.collection('commits');
    const original = await payments.findOne({ _id: commitId(`transaction-${orderId}-charge-1`, 0) as never });
    const event = (original!['events'] as Array<{ data: Record<string, unknown> }>)[0]!;
    const { purpose: _purpose, ...v1 } = event.data;
    await payments.deleteMany({ streamId: `transaction-${orderId}-charge-1` });
    await payments.insertOne({
      ...original,
      _id: commitId(`transaction-${orderId}-upsell-oi-9`, 0),
      streamId: `transaction-${orderId}-upsell-oi-9`,
      events: [{ ...event, version: 1, data: { ...v1, transactionId: `${orderId}-upsell-oi-9` } }],
    } as never);

    const { report } = await reconcileStores(client, target);
    expect(report.disagreements.filter((d) => d.orderId === orderId).map((d) => d.code)).toEqual(['COMPLETED_WITHOUT_CHARGE']);
  });
});
