import { randomUUID } from 'node:crypto';
import { devKeys, eventually, HttpAgent, httpAgent, mailsTo, newCustomer, testCard as card } from '@continuum/testing';
import { orderReaches, startServices, transactionsOf } from './support/service-processes';

// The seed workflows, driven over HTTP against the orders and payments services running as real
// processes on the local stack (Kafka, FerretDB, Redis, maildev).
const notify = `ops-${randomUUID().slice(0, 8)}@e2e.test`;

let stop: () => Promise<void>;
let orders: HttpAgent;
let ordersAdmin: HttpAgent;
let payments: HttpAgent;
let paymentsAdmin: HttpAgent;
let campaignId: string;
let productId: string;

const orderStatus = (orderId: string, status: string) => orderReaches(orders, orderId, status);
/** An agent places a card order of one unit (or `extra`) for a new customer. */
const placeCardOrder = (number: string, extra: Record<string, unknown> = {}) =>
  orders.post('/orders', { campaignId, customer: newCustomer(), items: [{ productId, quantity: 1 }], paymentType: 'CARD', card: card(number), ...extra });

beforeAll(async () => {
  const started = await startServices(['orders', 'payments'], {
    REFUND_RETRY_DELAY_MS: '400',
    NOTIFY_EMAILS: notify,
  });
  stop = started.stop;
  orders = httpAgent(started.services['orders']!.url);
  ordersAdmin = orders.as(devKeys.admin);
  payments = httpAgent(started.services['payments']!.url);
  paymentsAdmin = payments.as(devKeys.admin);

  const campaign = await ordersAdmin.post('/campaigns', {
    name: 'Nerve Control 911',
    currency: 'USD',
    products: [{ sku: 'NC-1', name: 'Nerve Control 911 - 1 bottle', price: 4999, shippingPrice: 599, billingType: 'STRAIGHT' }],
  });
  expect(campaign.status).toBe(201);
  campaignId = campaign.body.campaignId;
  productId = campaign.body.products[0].productId;
}, 180_000);

afterAll(async () => {
  await stop?.();
});

describe('placing card orders', () => {
  it('an approved card order becomes COMPLETE through Kafka and shows its SALE', async () => {
    const placed = await placeCardOrder('4111111111111111', { items: [{ productId, quantity: 2 }] });
    expect(placed.status).toBe(201);
    const order = await orderStatus(placed.body.orderId, 'COMPLETE');
    expect(order.totals).toMatchObject({ subtotal: 9998, shipping: 599, total: 10597 });

    const transactions = await transactionsOf(payments, placed.body.orderId);
    expect(transactions).toEqual([
      expect.objectContaining({ type: 'SALE', response: 'SUCCESS', amount: 10597, card: 'VISA 1111', settled: false }),
    ]);
  });

  it('a hard decline makes the order DECLINED', async () => {
    const placed = await placeCardOrder('4000000000000002');
    expect(placed.status).toBe(201);
    await orderStatus(placed.body.orderId, 'DECLINED');
  });
});

describe('a free replacement as an External Payment order', () => {
  it('lands in PENDING (QA), shows "External Payment", and approving it makes it COMPLETE', async () => {
    const placed = await orders.post('/orders', {
      campaignId,
      customer: newCustomer(),
      items: [{ productId, quantity: 1, unitPrice: 0 }],
      paymentType: 'EXTERNAL',
    });
    expect(placed.status).toBe(201);
    const pending = await orderStatus(placed.body.orderId, 'PENDING');
    expect(pending.totals.total).toBe(0);
    const transactions = await eventually(async () => {
      const response = await payments.get(`/transactions?orderId=${placed.body.orderId}`);
      return response.body?.length ? response.body : undefined;
    }, 'the external payment record');
    expect(transactions[0]).toMatchObject({ type: 'EXTERNAL', card: 'External Payment' });

    expect((await orders.post(`/orders/${placed.body.orderId}/qa`, { action: 'APPROVE' })).status).toBeLessThan(300);
    await orderStatus(placed.body.orderId, 'COMPLETE');
  });
});

describe('refunds', () => {
  it('a refund from the order voids an unsettled charge and the order shows the refunded amount', async () => {
    const placed = await placeCardOrder('4111111111111111');
    await orderStatus(placed.body.orderId, 'COMPLETE');
    const refund = await payments.post(`/orders/${placed.body.orderId}/refund`, {});
    expect(refund.status).toBe(200);
    expect(refund.body.action).toBe('VOID');
    const order = await orderStatus(placed.body.orderId, 'REFUNDED');
    expect(order.totals.refunded).toBe(5598);
  });

  it('a refund the gateway keeps rejecting is retried three times, abandoned, and Notify Emails hear of it once', async () => {
    const placed = await placeCardOrder('4000000000000119');
    await orderStatus(placed.body.orderId, 'COMPLETE');
    const [charge] = await transactionsOf(payments, placed.body.orderId);
    expect((await paymentsAdmin.post('/settlement-runs', {})).status).toBeLessThan(300);
    await eventually(async () => ((await payments.get(`/transactions/${charge.transactionId}`)).body?.settled ? true : undefined), 'settlement');

    const refund = await payments.post(`/transactions/${charge.transactionId}/refund`, { amount: 2000 });
    expect(refund.body).toMatchObject({ status: 'QUEUED' });
    const abandoned = await eventually(async () => {
      const response = await payments.get(`/refunds/${refund.body.refundId}`);
      return response.body?.status === 'ABANDONED' ? response.body : undefined;
    }, 'the refund to be abandoned');
    expect(abandoned.attempts).toHaveLength(4);

    const mails = await eventually(async () => {
      const mine = await mailsTo(notify);
      return mine.length ? mine : undefined;
    }, 'the Notify Emails message');
    expect(mails).toHaveLength(1);
  });
});

describe('only admins blacklist', () => {
  it('refuses an agent, and a blacklisted email cannot order', async () => {
    const customer = newCustomer();
    expect((await orders.post('/blacklist', { type: 'EMAIL', value: customer.email })).status).toBe(403);
    expect((await ordersAdmin.post('/blacklist', { type: 'EMAIL', value: customer.email, reason: 'chargeback abuse' })).status).toBe(201);
    const placed = await placeCardOrder('4111111111111111', { customer });
    expect(placed.status).toBe(422);
  });
});
