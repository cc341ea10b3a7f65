// A service killed with SIGKILL leaves a member in each of its consumer groups that holds the group
// until its session expires (30 s). Its restart answers HTTP before that: the platform listens once
// the store, event store, views and relay are ready, and the groups join behind it. Asserted as an
// order of events (HTTP answered while /health still listed a group as joining), never a time bound;
// the times are printed. Also: an event published while it was down is handled once the groups
// join, and one handled before the kill is not handled again.
import mongoose from 'mongoose';
import { Topics } from '@continuum/contracts';
import { devKeys, eventually, freePort, KafkaProbe, launchService, ServiceProcess, testCard, testRun, waitForHealth } from '@continuum/testing';

type Health = { status: string; checks: Record<string, string>; consumers?: Record<string, string> };

const run = testRun('recovery');
const env = {
  MONGO_DB: run.database,
  KAFKA_TOPIC_PREFIX: run.topicPrefix,
  QUEUE_PREFIX: run.queuePrefix,
  KAFKA_PARTITIONS: '1',
  LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn',
};

async function call(service: ServiceProcess, method: string, path: string, key?: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${service.url}${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json().catch(() => undefined) };
}

const health = async (service: ServiceProcess): Promise<{ status: number; body: Health }> => call(service, 'GET', '/health');
const notRunning = (report: Health): string[] => Object.entries(report.consumers ?? {}).filter(([, state]) => state !== 'running').map(([group]) => group);
const rowsOf = async (service: ServiceProcess, orderId: string) => (await call(service, 'GET', `/transactions?orderId=${orderId}`, devKeys.agent)).body as unknown[];

/** A COD OrderPlaced as orders publishes it: payments opens a COD transaction for it. */
function codOrderPlaced(orderId: string) {
  const total = 2500;
  return {
    orderId,
    customerId: `cus-${orderId}`,
    campaignId: 'camp-1',
    currency: 'USD',
    paymentType: 'COD',
    items: [{ orderItemId: 'oi-1', productId: 'p-1', sku: 'SKU-1', name: 'Serum', quantity: 1, unitPrice: total, price: total, shippingPrice: 0, billingType: 'STRAIGHT' }],
    totals: { subtotal: total, shipping: 0, salesTax: 0, discount: 0, total, refunded: 0 },
    qa: { required: false, reasons: [] },
    placedAt: new Date().toISOString(),
  };
}

describe('a service killed with SIGKILL answers HTTP before its consumer groups join again', () => {
  const probe = new KafkaProbe({ topicPrefix: run.topicPrefix });
  let payments: ServiceProcess | undefined;

  afterAll(async () => {
    await payments?.stop();
    await probe.stop();
    const connection = await mongoose.createConnection(process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017').asPromise();
    await connection.useDb(run.database).dropDatabase().catch(() => undefined);
    await connection.close();
  }, 60_000);

  it('payments: /health, a read and the card vault answer while a group is still joining; the groups then join and lose nothing', async () => {
    const port = await freePort();
    payments = launchService('payments', port, env);
    await waitForHealth(payments, 120_000);
    // every group has joined: the members the kill leaves behind hold them
    const before = await eventually(async () => {
      const answer = await health(payments!);
      return answer.status === 200 && Object.keys(answer.body.consumers ?? {}).length > 0 && notRunning(answer.body).length === 0 && answer.body;
    }, 'payments consumer groups running', { timeoutMs: 60_000, intervalMs: 200 });
    const handledBefore = `ord-${run.id}-a`;
    await probe.publish(Topics.ordersEvents, handledBefore, 'OrderPlaced', codOrderPlaced(handledBefore));
    const rowsBefore = await eventually(async () => {
      const rows = await rowsOf(payments!, handledBefore);
      return rows.length > 0 && rows;
    }, 'the COD transaction of the order placed before the kill', { timeoutMs: 30_000, intervalMs: 200 });

    payments.process.kill('SIGKILL');
    await eventually(() => payments!.process.signalCode === 'SIGKILL', 'payments killed');
    const killedAt = Date.now();
    const placedWhileDown = `ord-${run.id}-b`;
    await probe.publish(Topics.ordersEvents, placedWhileDown, 'OrderPlaced', codOrderPlaced(placedWhileDown));

    payments = launchService('payments', port, env);
    const first = await eventually(
      async () => {
        try {
          return await health(payments!);
        } catch {
          return undefined; // not listening yet
        }
      },
      'payments answering /health after its restart',
      { timeoutMs: 120_000, intervalMs: 100 },
    );
    const answeredAt = Date.now();
    expect(first.status).toBe(200);
    expect(first.body.checks).toMatchObject({ service: 'up', mongodb: 'up' });
    expect(first.body.status).toBe('degraded');
    // the same groups as before the kill, and at least one still held by the dead member
    expect(Object.keys(first.body.consumers ?? {}).sort()).toEqual(Object.keys(before.consumers ?? {}).sort());
    expect(notRunning(first.body).length).toBeGreaterThan(0);

    // a read and a command (the card vault every card order needs) answer while a group is still joining
    expect(await rowsOf(payments, handledBefore)).toEqual(rowsBefore);
    const token = await call(payments, 'POST', '/cards', devKeys.service, testCard());
    expect(token.status).toBe(201);
    const after = await health(payments);
    expect(notRunning(after.body).length).toBeGreaterThan(0);

    const joined = await eventually(
      async () => {
        const answer = await health(payments!);
        return notRunning(answer.body).length === 0 && answer;
      },
      'payments consumer groups running again',
      { timeoutMs: 90_000, intervalMs: 200 },
    );
    const joinedAt = Date.now();
    expect(joined.body.status).toBe('ok');
    // what was published while it was down is handled; what was handled before the kill is not handled again
    await eventually(async () => (await rowsOf(payments!, placedWhileDown)).length > 0, 'the COD transaction of the order placed while payments was down', { timeoutMs: 30_000 });
    expect(await rowsOf(payments, handledBefore)).toEqual(rowsBefore);
    console.log(
      `payments after SIGKILL: HTTP answered ${((answeredAt - killedAt) / 1000).toFixed(1)} s after the kill, its consumer groups ran again after ${((joinedAt - killedAt) / 1000).toFixed(1)} s`,
    );
  }, 240_000);
});
