// Two payments instances behind a balancer, one killed with SIGKILL: card orders keep being taken
// (the card vault answers through the other instance) and are charged once each, by the surviving
// instance, once the dead member's partitions come to it. The balancer is a stand-in written here
// (round robin, the next instance when one refuses the connection), as a load balancer in front of
// the instances would be; orders and both payments instances are real processes on one stack.
import { createServer, request as httpRequest, IncomingMessage, Server } from 'node:http';
import mongoose from 'mongoose';
import { devKeys, eventually, freePort, httpAgent, launchService, newCustomer, ServiceProcess, testCard, testRun, waitForHealth } from '@continuum/testing';

/** A round-robin HTTP balancer over `backends` that tries the next one when a connection fails. */
function balancer(backends: readonly string[]): Promise<{ url: string; server: Server; served: Map<string, number>; failovers: () => number }> {
  let next = 0;
  let failovers = 0;
  const served = new Map<string, number>();
  const forward = (backend: string, incoming: IncomingMessage, body: Buffer): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const outgoing = httpRequest(`${backend}${incoming.url}`, { method: incoming.method, headers: incoming.headers }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) }));
        answer.on('error', reject);
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', async () => {
      const start = next++;
      for (let tried = 0; tried < backends.length; tried++) {
        const backend = backends[(start + tried) % backends.length]!;
        try {
          const answer = await forward(backend, incoming, Buffer.concat(chunks));
          served.set(backend, (served.get(backend) ?? 0) + 1);
          response.writeHead(answer.status, answer.headers);
          response.end(answer.body);
          return;
        } catch {
          // connection refused or reset: this instance is down, try the next one
          failovers++;
        }
      }
      response.writeHead(502).end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server, served, failovers: () => failovers })));
}

const run = testRun('failover');
const common = { KAFKA_TOPIC_PREFIX: run.topicPrefix, QUEUE_PREFIX: run.queuePrefix, LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn' };
const databases = { payments: `${run.database}_payments`, orders: `${run.database}_orders` };

describe('card orders while one payments instance of two is down', () => {
  const started: ServiceProcess[] = [];
  let front: Awaited<ReturnType<typeof balancer>> | undefined;

  afterAll(async () => {
    await Promise.all(started.map((service) => service.stop()));
    await new Promise((resolve) => (front ? front.server.close(resolve) : resolve(undefined)));
    const connection = await mongoose.createConnection(process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017').asPromise();
    for (const database of Object.values(databases)) await connection.useDb(database).dropDatabase().catch(() => undefined);
    await connection.close();
  }, 60_000);

  it('takes card orders through the other instance and charges each once after a SIGKILL of one', async () => {
    const [one, two] = [launchService('payments', await freePort(), { ...common, MONGO_DB: databases.payments }), launchService('payments', await freePort(), { ...common, MONGO_DB: databases.payments })];
    started.push(one!, two!);
    await Promise.all([waitForHealth(one!, 120_000), waitForHealth(two!, 120_000)]);
    front = await balancer([one!.url, two!.url]);
    const ordersProcess = launchService('orders', await freePort(), { ...common, MONGO_DB: databases.orders, CARD_VAULT_URL: front.url });
    started.push(ordersProcess);
    await waitForHealth(ordersProcess, 120_000);
    const orders = httpAgent(ordersProcess.url);
    const payments = httpAgent(two!.url);

    const campaign = await orders
      .post('/campaigns', { name: 'Failover', currency: 'USD', qaRate: 0, products: [{ sku: 'FO-1', name: 'Failover bottle', price: 2999, shippingPrice: 0, billingType: 'STRAIGHT' }] }, devKeys.admin)
      .expect(201);
    const place = () =>
      orders.post('/orders', { campaignId: campaign.body.campaignId, customer: newCustomer(), items: [{ productId: campaign.body.products[0].productId, quantity: 1 }], paymentType: 'CARD', card: testCard() });
    const complete = (orderId: string) =>
      eventually(async () => (await orders.get(`/orders/${orderId}`)).body?.status === 'COMPLETE', `order ${orderId} COMPLETE`, { timeoutMs: 90_000, intervalMs: 250 });

    const before = await place();
    expect(before.status).toBe(201);
    await complete(before.body.orderId);

    one!.process.kill('SIGKILL');
    await eventually(() => one!.process.signalCode === 'SIGKILL', 'payments one killed');
    // every other vault call reaches the dead instance first: the balancer passes it to the live one
    const placed = [];
    for (let i = 0; i < 4; i++) {
      const answer = await place();
      expect(answer.status).toBe(201);
      placed.push(answer.body.orderId as string);
    }
    // charged by the surviving instance (its group takes the dead member's partitions when its session expires)
    for (const orderId of placed) await complete(orderId);
    for (const orderId of [before.body.orderId, ...placed]) {
      const rows = (await payments.get(`/transactions?orderId=${orderId}`).expect(200)).body as { type: string; response: string; amount: number }[];
      expect(rows).toEqual([expect.objectContaining({ type: 'SALE', response: 'SUCCESS', amount: 2999 })]);
    }
    // the dead instance was asked and refused: those vault calls went to the live one
    expect(front.failovers()).toBeGreaterThan(0);
    expect(front.served.get(two!.url)).toBeGreaterThanOrEqual(4);
  }, 300_000);
});
