import { randomUUID } from 'node:crypto';
import { Consumer } from 'kafkajs';
import { Topics } from '@continuum/contracts';
import { eventually } from '@continuum/testing';
import { derivedId } from '../src/commands/derived-id';
import { intakeSeed } from '../src/messaging/intake-seed';
import { as, newCustomer, OrdersTestApp, readTopic, startOrdersApp } from './orders-test-app';

jest.setTimeout(90_000);

/** The orders service's HTTP edge against hostile and contract-breaking input (issue 9). */
describe('orders HTTP edge (real stack)', () => {
  let t: OrdersTestApp;
  let dlqReader: Consumer;
  const deadLetters: { key: string | null; value: string }[] = [];
  let campaignId: string;
  let productId: string;

  beforeAll(async () => {
    t = await startOrdersApp();
    dlqReader = await readTopic(t.platform, Topics.ordersDlq, deadLetters);
    const created = await t
      .http()
      .post('/campaigns')
      .set(as.admin)
      .send({ name: 'Edge campaign', currency: 'USD', products: [{ sku: 'E-1', name: 'One', price: 4999, shippingPrice: 599, billingType: 'STRAIGHT' }] })
      .expect(201);
    campaignId = created.body.campaignId;
    productId = created.body.products[0].productId;
  });

  afterAll(async () => {
    await dlqReader?.disconnect();
    await t?.close();
  });

  const orderBody = (extra: Record<string, unknown> = {}) => ({ campaignId, customer: newCustomer(), items: [{ productId, quantity: 1 }], paymentType: 'EXTERNAL', ...extra });
  const eventCount = async () => (await t.commits()).reduce((n, commit) => n + commit.events.length, 0);
  const problemOf = (res: { status: number; headers: Record<string, string>; body: { status: number } }, status: number) => {
    expect({ status: res.status, type: res.headers['content-type'], body: res.body.status }).toEqual({ status, type: expect.stringMatching(/^application\/problem\+json/), body: status });
  };

  describe('fault 1 and 2: refused before anything runs, and nothing is written', () => {
    it('a 100 KB+ body is 413 even without a key; a form or text body is 415', async () => {
      const before = await eventCount();
      problemOf(await t.http().post('/orders').set('Content-Type', 'application/json').send(JSON.stringify({ note: 'x'.repeat(110_000) })), 413);
      problemOf(await t.http().post('/blacklist').set(as.admin).type('form').send({ type: 'EMAIL', value: 'form@example.com' }), 415);
      problemOf(await t.http().post('/orders').set(as.agent).set('Content-Type', 'text/plain').send(JSON.stringify(orderBody())), 415);
      expect(await eventCount()).toBe(before);
    });

    it('JSON nested 2,000 deep is 400 on every route', async () => {
      const deep = `{"items":${'['.repeat(2000)}${']'.repeat(2000)}}`;
      problemOf(await t.http().post('/orders').set(as.agent).set('Content-Type', 'application/json').send(deep), 400);
    });
  });

  describe('fault 4: the contract', () => {
    it('__proto__ and constructor are unknown fields (400), nothing placed', async () => {
      const before = await eventCount();
      for (const key of ['__proto__', 'constructor']) {
        const body = JSON.stringify(orderBody()).replace(/^\{/, `{"${key}":{"isAdmin":true},`);
        const res = await t.http().post('/orders').set(as.agent).set('Content-Type', 'application/json').send(body);
        problemOf(res, 400);
        expect(res.body.errors).toEqual([expect.objectContaining({ field: key })]);
      }
      expect(await eventCount()).toBe(before);
    });

    it('the same blacklist entry twice is 409, also when written differently; removed, it may be added again', async () => {
      const email = `dup-${randomUUID().slice(0, 8)}@example.com`;
      const first = await t.http().post('/blacklist').set(as.admin).send({ type: 'EMAIL', value: email }).expect(201);
      const again = await t.http().post('/blacklist').set(as.admin).send({ type: 'EMAIL', value: ` ${email.toUpperCase()} ` });
      problemOf(again, 409);
      expect(again.body.code).toBe('BLACKLIST_ENTRY_EXISTS');
      await t.http().delete(`/blacklist/${first.body.entryId}`).set(as.admin).expect(200);
      await t.http().post('/blacklist').set(as.admin).send({ type: 'EMAIL', value: email }).expect(201);
    });

    it('reason: null is 400 naming reason', async () => {
      const res = await t.http().post('/blacklist').set(as.admin).send({ type: 'EMAIL', value: `n-${randomUUID().slice(0, 6)}@example.com`, reason: null });
      problemOf(res, 400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['reason']);
    });

    it('customerId and customer together are 400, nothing placed', async () => {
      const before = await eventCount();
      const res = await t.http().post('/orders').set(as.agent).send(orderBody({ customerId: randomUUID() }));
      problemOf(res, 400);
      expect(res.body.errors).toEqual([{ field: 'customer', message: 'customer must not be given with customerId' }]);
      expect(await eventCount()).toBe(before);
    });

    it('TRACE is 405 with Allow; /metrics needs an admin or service key', async () => {
      const trace = await t.http().trace('/orders');
      problemOf(trace, 405);
      expect(trace.headers['allow']).toBe('GET, HEAD, POST');
      problemOf(await t.http().get('/metrics'), 401);
      problemOf(await t.http().get('/metrics').set(as.agent), 403);
      await t.http().get('/metrics').set(as.service).expect(200);
    });

    it('the intake dead-letters a repeated clientOrderId with a different body, with the reason; the order is unchanged', async () => {
      const clientOrderId = `edge-${randomUUID()}`;
      const message = { type: 'PlaceOrder', source: 'lander', clientOrderId, campaignId, customer: newCustomer(), items: [{ productId, quantity: 1 }], paymentType: 'EXTERNAL' };
      const orderId = derivedId(`order:${intakeSeed('lander', clientOrderId)}`);
      await t.publishRaw(Topics.ordersIntake, clientOrderId, JSON.stringify(message));
      await eventually(async () => (await t.http().get(`/orders/${orderId}`).set(as.agent)).status === 200, 'the intake order');
      await t.publishRaw(Topics.ordersIntake, clientOrderId, JSON.stringify({ ...message, items: [{ productId, quantity: 3 }] }));
      const letter = await eventually(() => deadLetters.find((d) => d.key === clientOrderId), 'the reused clientOrderId dead letter');
      expect(JSON.parse(letter.value)).toMatchObject({ reason: 'rejected', error: { code: 'CLIENT_ORDER_ID_REUSED' } });
      // the same body again is still a replay: no dead letter, no second order
      await t.publishRaw(Topics.ordersIntake, clientOrderId, JSON.stringify(message));
      const markerKey = `edge-marker-${randomUUID()}`;
      await t.publishRaw(Topics.ordersIntake, markerKey, 'not json');
      await eventually(() => deadLetters.some((d) => d.key === markerKey), 'the marker dead letter');
      expect(deadLetters.filter((d) => d.key === clientOrderId)).toHaveLength(1);
      expect(await t.commits({ streamId: `order-${orderId}` })).toHaveLength(1);
      expect((await t.http().get(`/orders/${orderId}`).set(as.agent)).body.items).toEqual([expect.objectContaining({ quantity: 1 })]);
    });
  });
});
