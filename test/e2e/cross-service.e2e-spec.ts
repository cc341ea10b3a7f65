import { randomUUID } from 'node:crypto';
import { Topics } from '@continuum/contracts';
import { devKeys, eventually, HttpAgent, httpAgent, KafkaProbe, newCustomer, testCard as card } from '@continuum/testing';
import { orderReaches, readDatabases, ServiceFleet, startServices, transactionsOf } from './support/service-processes';

// What crosses service boundaries: COD outcomes reported by fulfillment, a request's correlation id
// reaching every event it caused in another service, a PREPAID card held for QA, and a refund retry
// that survives the payments process being killed.
let fleet: ServiceFleet;
let orders: HttpAgent;
let payments: HttpAgent;
/** publishes as the fulfillment service will, in the envelope every service uses */
let fulfillment: KafkaProbe;
let campaignId: string;
let productId: string;

const order = (orderId: string, status: string) => orderReaches(orders, orderId, status);

beforeAll(async () => {
  fleet = await startServices(['orders', 'payments'], { REFUND_RETRY_DELAY_MS: '3000' });
  orders = httpAgent(fleet.services['orders']!.url);
  payments = httpAgent(fleet.services['payments']!.url);
  fulfillment = new KafkaProbe({ topicPrefix: fleet.topicPrefix, actor: { kind: 'fulfillment-house', id: 'e2e-fulfillment' } });
  const campaign = await orders.post('/campaigns', {
    name: 'Blood Pressure 911',
    currency: 'USD',
    products: [{ sku: 'BP-1', name: 'Blood Pressure 911 - 1 bottle', price: 3999, shippingPrice: 0, billingType: 'STRAIGHT' }],
  }, devKeys.admin);
  campaignId = campaign.body.campaignId;
  productId = campaign.body.products[0].productId;
}, 180_000);

afterAll(async () => {
  await fulfillment?.stop();
  await fleet?.stop();
});

describe('cash on delivery', () => {
  it('waits in COD_PENDING with a "COD" transaction; Mark COD Paid makes the order COMPLETE and the transaction SUCCESS', async () => {
    const placed = await orders.post('/orders', { campaignId, customer: newCustomer(), items: [{ productId, quantity: 1 }], paymentType: 'COD' });
    expect(placed.status).toBe(201);
    await order(placed.body.orderId, 'COD_PENDING');
    const [cod] = await transactionsOf(payments, placed.body.orderId);
    expect(cod).toMatchObject({ type: 'COD', response: 'PENDING', card: 'COD', amount: 3999 });

    await fulfillment.publish(Topics.fulfillmentEvents, `fulfillment-${placed.body.orderId}`, 'CodMarkedPaid', {
      fulfillmentId: `f-${placed.body.orderId}`,
      orderId: placed.body.orderId,
      deliveryConfirmation: 'DC-123',
      date: '2026-11-25',
    });
    await order(placed.body.orderId, 'COMPLETE');
    expect((await payments.get(`/transactions/${cod.transactionId}`)).body).toMatchObject({ response: 'SUCCESS' });
  });

  it('Mark COD Undelivered "Declined" makes the order DECLINED', async () => {
    const placed = await orders.post('/orders', { campaignId, customer: newCustomer(), items: [{ productId, quantity: 1 }], paymentType: 'COD' });
    await order(placed.body.orderId, 'COD_PENDING');
    await fulfillment.publish(Topics.fulfillmentEvents, `fulfillment-${placed.body.orderId}`, 'CodMarkedUndelivered', {
      fulfillmentId: `f-${placed.body.orderId}`,
      orderId: placed.body.orderId,
      status: 'DECLINED',
    });
    await order(placed.body.orderId, 'DECLINED');
  });
});

describe('QA', () => {
  it('holds an order paid with a PREPAID card in PENDING until QA approves it', async () => {
    const placed = await orders.post('/orders', { campaignId, customer: newCustomer(), items: [{ productId, quantity: 1 }], paymentType: 'CARD', card: card('4000000000000077') });
    await order(placed.body.orderId, 'PENDING');
    expect((await orders.post(`/orders/${placed.body.orderId}/qa`, { action: 'APPROVE' })).status).toBe(200);
    await order(placed.body.orderId, 'COMPLETE');
  });
});

describe('correlation', () => {
  it('stamps the request correlation id on the events it caused in both services, with the causing event as causation', async () => {
    const correlationId = `e2e-corr-${randomUUID()}`;
    const placed = await orders
      .post('/orders', { campaignId, customer: newCustomer(), items: [{ productId, quantity: 1 }], paymentType: 'CARD', card: card('4111111111111111') })
      .set('X-Correlation-Id', correlationId);
    expect(placed.headers['x-correlation-id']).toBe(correlationId);
    await order(placed.body.orderId, 'COMPLETE');

    const [orderCommits, paymentCommits] = await readDatabases(fleet, (db) =>
      Promise.all(['orders', 'payments'].map((service) => db(service).collection('commits').find({ correlationId }).toArray())),
    );
    const orderEvents = orderCommits!.flatMap((c: any) => c.events.map((e: any) => ({ ...e, causationId: c.causationId, actor: c.actor })));
    const paymentEvents = paymentCommits!.flatMap((c: any) => c.events.map((e: any) => ({ ...e, causationId: c.causationId })));

    const orderPlaced = orderEvents.find((e) => e.type === 'OrderPlaced');
    expect(orderPlaced).toMatchObject({ causationId: null, actor: { kind: 'agent', id: 'dev-agent' } });
    const approved = paymentEvents.find((e) => e.type === 'PaymentApproved');
    expect(approved?.causationId).toBe(orderPlaced.eventId);
    const completed = orderEvents.find((e) => e.type === 'OrderCompleted');
    expect(completed?.causationId).toBe(approved.eventId);
  });
});

describe('the refund queue survives a crash', () => {
  it('retries a queued refund after the payments process was killed and started again', async () => {
    const placed = await orders.post('/orders', { campaignId, customer: newCustomer(), items: [{ productId, quantity: 1 }], paymentType: 'CARD', card: card('4000000000000259') });
    await order(placed.body.orderId, 'COMPLETE');
    const [charge] = await transactionsOf(payments, placed.body.orderId);
    await payments.post('/settlement-runs', {}, devKeys.admin);
    await eventually(async () => ((await payments.get(`/transactions/${charge.transactionId}`)).body?.settled ? true : undefined), 'settlement');

    const refund = await payments.post(`/transactions/${charge.transactionId}/refund`, {});
    expect(refund.body).toMatchObject({ status: 'QUEUED' });
    // the retry is due 3 s after the failure: kill the process before that, with no chance to clean up
    await fleet.kill('payments');
    await fleet.restart('payments');
    payments = httpAgent(fleet.services['payments']!.url);

    const succeeded = await eventually(async () => {
      const response = await payments.get(`/refunds/${refund.body.refundId}`);
      return response.body?.status === 'SUCCEEDED' ? response.body : undefined;
    }, 'the queued refund to succeed after the restart');
    expect(succeeded.attempts.map((a: { result: string }) => a.result)).toEqual(['FAILED', 'SUCCESS']);
    const refunded = await order(placed.body.orderId, 'REFUNDED');
    expect(refunded.totals.refunded).toBe(3999);
  });
});
