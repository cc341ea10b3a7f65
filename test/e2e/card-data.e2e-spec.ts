import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { Topics } from '@continuum/contracts';
import { devKeys, eventually, httpAgent, KafkaProbe, newCustomer, testCard } from '@continuum/testing';
import { orderReaches, readDatabases, ServiceFleet, startServices, transactionsOf } from './support/service-processes';

// Card data (docs/architecture.md, "Card data"): after a card order is placed over HTTP and through the
// intake topic, charged, exported to the fulfillment houses, settled and refunded, and a PlaceOrder
// carrying a raw card is refused, the card number and cvv are nowhere: not in any collection of any
// of the five services' databases (the customer history included), not on any
// topic (dead letters included), not in Redis, not in a log line. The vault holds the number, sealed.
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

const NUMBER = '4111111111111111';
const CVV = '7391';
/** What must not appear: the number, a `cvv` field with a value (a redacted one aside), the cvv as a JSON string. Naming the field is fine. */
const leaks = (text: string): string[] =>
  [text.includes(NUMBER) && 'number', /\\?"cvv\\?"\s*:\s*(?!\\?"\[REDACTED\])/i.test(text) && 'cvv field', new RegExp(`\\\\?"${CVV}\\\\?"`).test(text) && 'cvv value'].filter((x): x is string => Boolean(x));

let fleet: ServiceFleet;
const logs: string[] = [];
/** records the spec itself published with a raw card (the refused intake message): the only place the number may be */
const ownRawRecords = new Set<string>();

const customer = () => newCustomer({ firstName: 'Lee' });
const rawCard = testCard(NUMBER, { cvv: CVV });

/** Every document of every collection of every service's database, as JSON text per collection. */
function allDocuments(): Promise<Record<string, string>> {
  return readDatabases(fleet, async (db) => {
    const texts: Record<string, string> = {};
    for (const service of Object.keys(fleet.services)) {
      for (const { name } of await db(service).listCollections().toArray()) texts[`${service}.${name}`] = JSON.stringify(await db(service).collection(name).find({}).toArray());
    }
    return texts;
  });
}

/** Every value Redis holds under this run's queue prefix (BullMQ jobs and their data). */
async function allRedisValues(): Promise<string> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 3 });
  const parts: string[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `e2e-${fleet.run}*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
        else if (type === 'string') parts.push((await redis.get(key)) ?? '');
        else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
        else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, 0, -1)));
        else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
        else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return parts.join('\n');
}

beforeAll(async () => {
  fleet = await startServices(['orders', 'payments', 'fulfillment', 'subscriptions', 'projections'], { LOG_LEVEL: 'info', SETTLEMENT_DELAY_MS: '600000' });
  for (const service of Object.values(fleet.services)) {
    service.process.stdout!.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
    service.process.stderr!.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  }
}, 180_000);

afterAll(async () => {
  await fleet?.stop();
});

it('keeps the card number and cvv out of every event, topic, dead letter, view, idempotency record, job and log line', async () => {
  // the detector finds the card however deep it is escaped, and lets a redacted one pass
  expect(leaks(JSON.stringify({ original: JSON.stringify({ card: rawCard }) }))).toEqual(['number', 'cvv field', 'cvv value']);
  expect(leaks('{"card":{"number":"[REDACTED]","cvv":"[REDACTED]"},"error":"/card/cvv must NOT have additional properties"}')).toEqual([]);

  const agent = httpAgent(fleet.services['orders']!.url);
  const payments = httpAgent(fleet.services['payments']!.url);
  const campaign = await agent.post(
    '/campaigns',
    { name: 'Vision 911', currency: 'USD', products: [{ sku: 'V-1', name: 'Vision 911', price: 3999, shippingPrice: 500, billingType: 'STRAIGHT' }] },
    devKeys.admin,
  );
  expect(campaign.status).toBe(201);
  const base = { campaignId: campaign.body.campaignId, items: [{ productId: campaign.body.products[0].productId, quantity: 1 }], paymentType: 'CARD' };
  const completed = (orderId: string) => orderReaches(agent, orderId, 'COMPLETE', { timeoutMs: 30_000 });

  // 1. an agent places a card order over HTTP (with an Idempotency-Key); payments charges it, it is settled and refunded
  const placed = await agent.post('/orders', { ...base, customer: customer(), card: rawCard }).set('Idempotency-Key', `cards-${fleet.run}`);
  expect(placed.status).toBe(201);
  await completed(placed.body.orderId);
  const [sale] = await transactionsOf(payments, placed.body.orderId);
  expect(sale).toMatchObject({ type: 'SALE', response: 'SUCCESS', card: 'VISA 1111' });
  expect((await payments.post('/settlement-runs', { asOf: new Date(Date.now() + 60_000).toISOString() }, devKeys.admin)).status).toBe(200);
  const refund = await payments.post(`/transactions/${sale.transactionId}/refund`, {});
  expect(refund.body).toMatchObject({ status: 'SUCCEEDED' });
  // its fulfillment goes to the houses; the customer history shows the card as brand and last four
  const fulfillment = httpAgent(fleet.services['fulfillment']!.url);
  await eventually(async () => (await fulfillment.get(`/fulfillments?orderId=${placed.body.orderId}`)).body?.length > 0, 'the fulfillment');
  expect((await fulfillment.post('/export-runs', {}, devKeys.admin)).status).toBeLessThan(300);
  const projections = httpAgent(fleet.services['projections']!.url);
  const history = await eventually(async () => {
    const body = (await projections.get(`/customers/${placed.body.customerId}/history`)).body;
    return body?.transactions?.some((t: { card: string }) => t.card === 'VISA 1111') ? body : undefined;
  }, 'the customer history with the charge');
  expect(history.orders.map((o: { orderId: string }) => o.orderId)).toContain(placed.body.orderId);

  const clientOrderId = `lander-${randomUUID()}`;
  const refusedId = `careless-${randomUUID()}`;
  // every topic of this run, read from its start once the publishes below are made
  const scan = new KafkaProbe({ topicPrefix: fleet.topicPrefix, everyTopic: true });
  try {
    // 2. an internal service tokenises at the vault and places a card order on the intake topic
    const token = await payments.post('/cards', rawCard, devKeys.service);
    expect(token.status).toBe(201);
    await scan.publishRaw(Topics.ordersIntake, clientOrderId, JSON.stringify({ type: 'PlaceOrder', source: 'lander', clientOrderId, ...base, customer: customer(), card: token.body }));

    // 3. a publisher that sends the raw card instead is refused to the DLQ
    ownRawRecords.add(`${Topics.ordersIntake}/${refusedId}`);
    await scan.publishRaw(Topics.ordersIntake, refusedId, JSON.stringify({ type: 'PlaceOrder', clientOrderId: refusedId, ...base, customer: customer(), card: rawCard }));

    await scan.start();
    expect(scan.topics).toEqual(expect.arrayContaining([Topics.ordersEvents, Topics.paymentsEvents, Topics.fulfillmentEvents, Topics.fulfillmentRequests, Topics.ordersIntake, Topics.ordersDlq, Topics.paymentsDlq]));
    const intakeOrderKey = () => scan.records.find((r) => r.topic === Topics.ordersEvents && r.value.includes('"OrderPlaced"') && r.value.includes(clientOrderId))?.key;
    await eventually(
      () =>
        scan.records.some((r) => r.topic === Topics.ordersEvents && r.key === intakeOrderKey() && r.value.includes('"OrderCompleted"')) &&
        scan.records.some((r) => r.topic === Topics.ordersDlq && r.key === refusedId),
      'the intake order completed and the refusal dead-lettered',
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    await scan.caughtUp({ timeoutMs: 45_000 });
  } finally {
    await scan.stop();
  }
  const records = scan.records;

  // what the scan looked at is what it should: tokens on the events, the refusal on the DLQ
  const orderPlaced = records.filter((r) => r.topic === Topics.ordersEvents && r.value.includes('"OrderPlaced"'));
  expect(orderPlaced).toHaveLength(2);
  for (const r of orderPlaced) expect(JSON.parse(r.value).data.card).toMatchObject({ token: expect.stringMatching(/^tok_/), last4: '1111', bin: '411111' });
  const letter = JSON.parse(records.find((r) => r.topic === Topics.ordersDlq && r.key === refusedId)!.value);
  expect(letter).toMatchObject({ reason: 'schema-invalid', original: expect.stringContaining('[REDACTED]') });

  const leaking = records
    .filter((r) => !ownRawRecords.has(`${r.topic}/${r.key}`))
    .map((r) => ({ where: `${r.topic} key ${r.key}`, leaks: leaks(`${r.key}\n${r.value}\n${JSON.stringify(r.headers)}`) }))
    .filter((r) => r.leaks.length > 0);
  expect(leaking).toEqual([]);

  const documents = await allDocuments();
  expect(Object.keys(documents)).toEqual(
    expect.arrayContaining(['orders.commits', 'payments.card_vault', 'orders.idempotency_records', 'payments.view_order_payment_methods', 'fulfillment.commits', 'projections.view_customer_journal_g1']),
  );
  expect(Object.entries(documents).filter(([, text]) => leaks(text).length > 0).map(([collection, text]) => `${collection}: ${leaks(text).join(', ')}`)).toEqual([]);
  // the vault does hold the card, sealed: two tokens (HTTP order, intake publisher), no readable number
  expect(JSON.parse(documents['payments.card_vault']!)).toHaveLength(2);

  expect(leaks(await allRedisValues())).toEqual([]);
  const logText = logs.join('');
  expect(logText).toContain('dead-lettered');
  expect(leaks(logText)).toEqual([]);
}, 240_000);
