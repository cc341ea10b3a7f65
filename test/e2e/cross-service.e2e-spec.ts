import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import { eventually } from '@continuum/testing';
import { client, ServiceFleet, startServices, transactionsOf } from './support/service-processes';

// What crosses service boundaries: COD outcomes reported by fulfillment, a request's correlation id
// reaching every event it caused in another service, a PREPAID card held for QA, and a refund retry
// that survives the payments process being killed.
const BROKERS = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const MONGO_URL = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';

let fleet: ServiceFleet;
let orders: ReturnType<typeof client>;
let payments: ReturnType<typeof client>;
let kafka: Kafka;
let campaignId: string;
let productId: string;

const address = { line1: '9 Elm St', city: 'Reno', state: 'NV', postalCode: '89501', country: 'US' };
const customer = (tag: string) => ({
  firstName: 'Sam',
  lastName: `Roe-${tag}`,
  email: `sam-${tag}-${randomUUID().slice(0, 6)}@example.test`,
  billingAddress: address,
});
const card = (number: string) => ({ number, expMonth: 1, expYear: 2031, cvv: '999' });

async function order(orderId: string, status: string) {
  return eventually(async () => {
    const response = await orders.get(`/orders/${orderId}`);
    return response.body?.status === status ? response.body : undefined;
  }, `order ${orderId} to be ${status}`);
}

/** Publishes an event as the fulfillment service will, in the envelope every service uses. */
async function publishFulfillmentEvent(type: string, streamId: string, data: Record<string, unknown>) {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const envelope = {
    eventId: randomUUID(),
    type,
    version: 1,
    streamId,
    streamVersion: 1,
    occurredAt: new Date().toISOString(),
    correlationId: randomUUID(),
    causationId: null,
    actor: { kind: 'agent', id: 'e2e-agent' },
    data,
  };
  await producer.send({ topic: `e2e-${fleet.run}.fulfillment.events.v1`, messages: [{ key: streamId, value: JSON.stringify(envelope) }] });
  await producer.disconnect();
}

beforeAll(async () => {
  fleet = await startServices(['orders', 'payments'], { REFUND_RETRY_DELAY_MS: '3000' });
  orders = client(fleet.services['orders']!.url, 'dev-agent');
  payments = client(fleet.services['payments']!.url, 'dev-agent');
  kafka = new Kafka({ clientId: `e2e-${fleet.run}`, brokers: BROKERS, logLevel: logLevel.NOTHING });
  const campaign = await client(fleet.services['orders']!.url, 'dev-admin').post('/campaigns', {
    name: 'Blood Pressure 911',
    currency: 'USD',
    products: [{ sku: 'BP-1', name: 'Blood Pressure 911 - 1 bottle', price: 3999, shippingPrice: 0, billingType: 'STRAIGHT' }],
  });
  campaignId = campaign.body.campaignId;
  productId = campaign.body.products[0].productId;
}, 180_000);

afterAll(async () => {
  await fleet?.stop();
});

describe('seed 003: cash on delivery', () => {
  it('waits in COD_PENDING with a "COD" transaction; Mark COD Paid makes the order COMPLETE and the transaction SUCCESS', async () => {
    const placed = await orders.post('/orders', { campaignId, customer: customer('cod'), items: [{ productId, quantity: 1 }], paymentType: 'COD' });
    expect(placed.status).toBe(201);
    await order(placed.body.orderId, 'COD_PENDING');
    const [cod] = await eventually(async () => {
      const response = await payments.get(`/transactions?orderId=${placed.body.orderId}`);
      return response.body?.length ? response.body : undefined;
    }, 'the COD transaction');
    expect(cod).toMatchObject({ type: 'COD', response: 'PENDING', card: 'COD', amount: 3999 });

    await publishFulfillmentEvent('CodMarkedPaid', `fulfillment-${placed.body.orderId}`, {
      fulfillmentId: `f-${placed.body.orderId}`,
      orderId: placed.body.orderId,
      deliveryConfirmation: 'DC-123',
      date: '2026-11-25',
    });
    await order(placed.body.orderId, 'COMPLETE');
    expect((await payments.get(`/transactions/${cod.transactionId}`)).body).toMatchObject({ response: 'SUCCESS' });
  });

  it('Mark COD Undelivered "Declined" makes the order DECLINED', async () => {
    const placed = await orders.post('/orders', { campaignId, customer: customer('cod-declined'), items: [{ productId, quantity: 1 }], paymentType: 'COD' });
    await order(placed.body.orderId, 'COD_PENDING');
    await publishFulfillmentEvent('CodMarkedUndelivered', `fulfillment-${placed.body.orderId}`, {
      fulfillmentId: `f-${placed.body.orderId}`,
      orderId: placed.body.orderId,
      status: 'DECLINED',
    });
    await order(placed.body.orderId, 'DECLINED');
  });
});

describe('seed 000: QA', () => {
  it('holds an order paid with a PREPAID card in PENDING until QA approves it', async () => {
    const placed = await orders.post('/orders', { campaignId, customer: customer('prepaid'), items: [{ productId, quantity: 1 }], paymentType: 'CARD', card: card('4000000000000077') });
    await order(placed.body.orderId, 'PENDING');
    expect((await orders.post(`/orders/${placed.body.orderId}/qa`, { action: 'APPROVE' })).status).toBe(200);
    await order(placed.body.orderId, 'COMPLETE');
  });
});

describe('correlation', () => {
  it('stamps the request correlation id on the events it caused in both services, with the causing event as causation', async () => {
    const correlationId = `e2e-corr-${randomUUID()}`;
    const placed = await orders.post(
      '/orders',
      { campaignId, customer: customer('corr'), items: [{ productId, quantity: 1 }], paymentType: 'CARD', card: card('4111111111111111') },
      { 'X-Correlation-Id': correlationId },
    );
    expect(placed.headers.get('x-correlation-id')).toBe(correlationId);
    await order(placed.body.orderId, 'COMPLETE');

    const connection = await mongoose.createConnection(MONGO_URL).asPromise();
    try {
      const commits = (service: string) =>
        connection.useDb(`e2e_${fleet.run}_${service}`).collection('commits').find({ correlationId }).toArray();
      const orderCommits = await commits('orders');
      const paymentCommits = await commits('payments');
      const orderEvents = orderCommits.flatMap((c: any) => c.events.map((e: any) => ({ ...e, causationId: c.causationId, actor: c.actor })));
      const paymentEvents = paymentCommits.flatMap((c: any) => c.events.map((e: any) => ({ ...e, causationId: c.causationId })));

      const orderPlaced = orderEvents.find((e) => e.type === 'OrderPlaced');
      expect(orderPlaced).toMatchObject({ causationId: null, actor: { kind: 'agent', id: 'dev-agent' } });
      const approved = paymentEvents.find((e) => e.type === 'PaymentApproved');
      expect(approved?.causationId).toBe(orderPlaced.eventId);
      const completed = orderEvents.find((e) => e.type === 'OrderCompleted');
      expect(completed?.causationId).toBe(approved.eventId);
    } finally {
      await connection.close();
    }
  });
});

describe('seed 001: the refund queue survives a crash', () => {
  it('retries a queued refund after the payments process was killed and started again', async () => {
    const placed = await orders.post('/orders', { campaignId, customer: customer('crash'), items: [{ productId, quantity: 1 }], paymentType: 'CARD', card: card('4000000000000259') });
    await order(placed.body.orderId, 'COMPLETE');
    const [charge] = await transactionsOf(payments, placed.body.orderId);
    await client(fleet.services['payments']!.url, 'dev-admin').post('/settlement-runs', {});
    await eventually(async () => ((await payments.get(`/transactions/${charge.transactionId}`)).body?.settled ? true : undefined), 'settlement');

    const refund = await payments.post(`/transactions/${charge.transactionId}/refund`, {});
    expect(refund.body).toMatchObject({ status: 'QUEUED' });
    // the retry is due 3 s after the failure: kill the process before that, with no chance to clean up
    await fleet.kill('payments');
    await fleet.restart('payments');
    payments = client(fleet.services['payments']!.url, 'dev-agent');

    const succeeded = await eventually(async () => {
      const response = await payments.get(`/refunds/${refund.body.refundId}`);
      return response.body?.status === 'SUCCEEDED' ? response.body : undefined;
    }, 'the queued refund to succeed after the restart');
    expect(succeeded.attempts.map((a: { result: string }) => a.result)).toEqual(['FAILED', 'SUCCESS']);
    const refunded = await order(placed.body.orderId, 'REFUNDED');
    expect(refunded.totals.refunded).toBe(3999);
  });
});
