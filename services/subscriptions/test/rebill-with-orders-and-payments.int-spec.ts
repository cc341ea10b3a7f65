import { Topics } from '@continuum/contracts';
import { devKeys, eventually, httpAgent, newCustomer, ServiceProcess, startServiceProcess, testAddress, testCard, useServiceUnderTest } from '@continuum/testing';
import { BillingRunQueue, REBILL_RESOLVE_SWEEPER, RebillResolveQueue, RecycleQueue } from '../src/jobs';
import { SubscriptionsModule } from '../src/subscriptions.module';
import { daysFromNow, subscriptionsWait } from './subscriptions-harness';

/**
 * The rebill path end to end with the real orders and payments services as processes on the same
 * topics (each with a database and queues of its own): an order placed through orders' API and
 * charged by payments' test gateway starts the purchase; a billing run's RebillRequested makes
 * orders place the rebill order on the stored card, payments charges it, and the outcome moves the
 * purchase on. The test gateway's cards decide: 4111111111111111 approves every charge,
 * 4000000000000341 approves its first and soft-declines every later one, 4000000000000432 approves its
 * first and times out on every later one (the rebill-resolve sweeper looks every 500 ms at bills in
 * flight for over 8 s, longer than any charge here takes).
 */
describe('subscriptions with the real orders and payments services', () => {
  let orders: ServiceProcess | undefined;
  let payments: ServiceProcess | undefined;
  const sut = useServiceUnderTest({
    service: 'subscriptions',
    module: SubscriptionsModule,
    env: { RECYCLE_DELAYS_MS: '300,300', BILLING_RUN_WAIT_MS: '30000', REBILL_RESOLVE_INTERVAL_MS: '500', REBILL_RESOLVE_AFTER_MS: '8000' },
    queues: (app) => [app.get(RecycleQueue).bullQueue, app.get(BillingRunQueue).bullQueue, app.get(RebillResolveQueue).bullQueue],
    probe: { events: [Topics.subscriptionsEvents, Topics.paymentsEvents], deadLetters: [Topics.subscriptionsDlq, Topics.ordersDlq, Topics.paymentsDlq] },
    wait: subscriptionsWait,
    hookTimeoutMs: 240_000,
    beforeStart: async (names) => {
      const common = { KAFKA_TOPIC_PREFIX: names.topicPrefix, LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn' };
      // a charge that times out is dead-lettered after two gateway calls
      payments = await startServiceProcess('payments', { ...common, MONGO_DB: `${names.database}_payments`, QUEUE_PREFIX: `${names.queuePrefix}-payments`, CHARGE_ATTEMPTS: '2' }, 180_000);
      orders = await startServiceProcess('orders', { ...common, MONGO_DB: `${names.database}_orders`, QUEUE_PREFIX: `${names.queuePrefix}-orders`, CARD_VAULT_URL: payments.url }, 180_000);
      // where subscriptions asks for a rebill order's charge status
      return { PAYMENTS_URL: payments.url };
    },
    cleanUp: async () => {
      await orders?.stop();
      await payments?.stop();
    },
    dropDatabases: (names) => [`${names.database}_payments`, `${names.database}_orders`],
  });
  const ordersApi = () => httpAgent(orders!.url);

  let campaignId = '';
  let productId = '';
  const placeOrder = async (card: string): Promise<string> => {
    const placed = await ordersApi()
      .post('/orders', { campaignId, customer: newCustomer(), items: [{ productId, quantity: 1 }], paymentType: 'CARD', card: testCard(card), shippingAddress: testAddress }, devKeys.agent)
      .expect(201);
    return placed.body.orderId;
  };
  const purchaseOf = (orderId: string) =>
    eventually(
      async () => {
        const list = (await sut.http.get(`/purchases?orderId=${orderId}`).expect(200)).body as { purchaseId: string; status: string; orderId: string }[];
        return list.find((p) => p.orderId === orderId);
      },
      `purchase of ${orderId}`,
      { timeoutMs: 60_000, intervalMs: 250 },
    );
  const purchaseWhen = (purchaseId: string, check: (p: any) => boolean, what: string) =>
    eventually(
      async () => {
        const res = await sut.http.get(`/purchases/${purchaseId}`);
        return res.status === 200 && check(res.body) ? res.body : undefined;
      },
      what,
      { timeoutMs: 60_000, intervalMs: 250 },
    );

  beforeAll(async () => {
    const created = await ordersApi()
      .post(
        '/campaigns',
        {
          name: 'Continuity',
          currency: 'USD',
          products: [{ sku: 'SUB', name: 'Monthly box', price: 499, shippingPrice: 295, billingType: 'RECURRING', trial: { price: 499, days: 3, type: 'STANDARD' }, rebillPrice: 1999, intervalDays: 30 }],
        },
        devKeys.admin,
      )
      .expect(201);
    campaignId = created.body.campaignId;
    productId = created.body.products[0].productId;
  }, 60_000);

  it('an order completes -> TRIAL purchase; its first rebill places a real rebill order, charged (price + shipping + tax) and completed -> ACTIVE in cycle 2', async () => {
    const orderId = await placeOrder('4111111111111111');
    const { purchaseId } = await purchaseOf(orderId);
    // its order date is when orders placed the order (the order's createdAt), not when the charge completed it
    const { createdAt } = (await ordersApi().get(`/orders/${orderId}`, devKeys.agent).expect(200)).body;
    expect((await sut.http.get(`/purchases/${purchaseId}`).expect(200)).body.orderDate).toBe(createdAt);
    await sut.http.patch(`/purchases/${purchaseId}`, { salesTax: { mode: 'CUSTOM', amount: 120 }, merchantId: 'mid-7' }).expect(200);
    const run = await sut.http.post('/billing-runs', { asOf: daysFromNow(3.5) }, devKeys.admin).expect(200);
    expect(run.body).toMatchObject({ requested: 1, billed: 1, declined: 0 });
    const active = await purchaseWhen(purchaseId, (p) => p.status === 'ACTIVE', 'ACTIVE');
    expect(active.billingCycle).toBe(2);
    const rebill = active.transactions.find((tx: { billingCycle: number }) => tx.billingCycle === 2);
    expect(rebill).toMatchObject({ response: 'SUCCESS', amount: 1999 + 295 + 120, card: { last4: '1111' } });
    // the rebill order exists in orders, complete (fulfillment creates its fulfillment from that), and payments has its charge
    const order = await eventually(async () => {
      const res = await ordersApi().get(`/orders/${rebill.orderId}`, devKeys.agent);
      return res.status === 200 && res.body.status === 'COMPLETE' ? res.body : undefined;
    }, 'the rebill order COMPLETE in orders', { timeoutMs: 30_000 });
    expect(order.totals).toMatchObject({ subtotal: 1999, shipping: 295, salesTax: 120, total: 2414 });
    const charges = (await httpAgent(payments!.url).get(`/transactions?orderId=${rebill.orderId}`, devKeys.agent).expect(200)).body;
    expect(charges).toEqual([expect.objectContaining({ type: 'SALE', response: 'SUCCESS', amount: 2414 })]);
    // on the merchant account the agent set
    expect((await sut.probe.waitForEvent('PaymentApproved', { orderId: rebill.orderId })).data).toMatchObject({ purpose: 'REBILL', merchantId: 'mid-7' });
  });

  it('a card that soft-declines its rebills (4000000000000341) enters RECYCLE_BILLING and after the configured retries RECYCLE_FAILED', async () => {
    const orderId = await placeOrder('4000000000000341');
    const { purchaseId } = await purchaseOf(orderId);
    const run = await sut.http.post('/billing-runs', { asOf: daysFromNow(3.5) }, devKeys.admin).expect(200);
    expect(run.body).toMatchObject({ requested: 1, billed: 0, declined: 1 });
    const failed = await purchaseWhen(purchaseId, (p) => p.status === 'RECYCLE_FAILED', 'RECYCLE_FAILED');
    const declines = failed.transactions.filter((tx: { response: string }) => tx.response === 'SOFT_DECLINE');
    // the bill and its two retries, each a rebill order of its own in orders
    expect(declines).toHaveLength(3);
    expect(new Set(declines.map((tx: { orderId: string }) => tx.orderId)).size).toBe(3);
    expect(failed.billingCycle).toBe(1);
  });

  it('a rebill orders refuses (the customer was blacklisted) reaches the purchase: RECYCLE_FAILED, and force bill no longer answers BILL_IN_PROGRESS', async () => {
    const customer = newCustomer();
    const placed = await ordersApi()
      .post('/orders', { campaignId, customer, items: [{ productId, quantity: 1 }], paymentType: 'CARD', card: testCard('4111111111111111'), shippingAddress: testAddress }, devKeys.agent)
      .expect(201);
    const { purchaseId } = await purchaseOf(placed.body.orderId);
    await ordersApi().post('/blacklist', { type: 'EMAIL', value: customer.email, reason: 'chargeback fraud' }, devKeys.admin).expect(201);

    await sut.http.post(`/purchases/${purchaseId}/force-bill`, {}).expect(200);
    const failed = await purchaseWhen(purchaseId, (p) => p.status === 'RECYCLE_FAILED', 'RECYCLE_FAILED after orders refused the rebill');
    expect(failed).toMatchObject({ billingCycle: 1, billing: null });
    expect(failed.history).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'PurchaseRebillNotBilled', summary: expect.stringContaining('BLACKLISTED') })]));
    expect((await sut.http.post(`/purchases/${purchaseId}/force-bill`, {}).expect(422)).body.code).toBe('RECYCLE_FAILED');
    // no rebill order was stored, so nothing was charged
    const orders = (await ordersApi().get(`/orders?customerId=${placed.body.customerId}`, devKeys.agent).expect(200)).body as { orderId: string }[];
    expect(orders.map((o) => o.orderId)).toEqual([placed.body.orderId]);
    expect(sut.probe.events('PaymentApproved').filter((e) => (e.data as { customerId: string }).customerId === placed.body.customerId)).toHaveLength(1);
  });

  it('dead-lettered nothing in any of the three services', () => {
    expect(sut.probe.deadLetters).toEqual([]);
  });
  // after the dead-letter check above: this step dead-letters its rebill charges on purpose (the lost outcome)
  it('a rebill whose charge never gets an answer (4000000000000432) is found NOT_CHARGED by the rebill-resolve sweeper and is due again; an agent resolves the next at once', async () => {
    const orderId = await placeOrder('4000000000000432');
    const { purchaseId } = await purchaseOf(orderId);
    const stuck = async () => {
      const requests = sut.probe.events('PurchaseRebillOrderPlaced', { purchaseId }).length;
      await sut.http.post(`/purchases/${purchaseId}/force-bill`, {}).expect(200);
      const placed = await eventually(() => sut.probe.events('PurchaseRebillOrderPlaced', { purchaseId })[requests], 'the rebill order recorded', { timeoutMs: 30_000 });
      const rebillOrderId = (placed.data as { orderId: string }).orderId;
      // payments gave up on its charge: no PaymentApproved or PaymentDeclined will come for it
      await sut.probe.waitForDeadLetter((letter) => JSON.stringify(letter).includes(rebillOrderId), 'the rebill charge dead-lettered by payments', { timeoutMs: 30_000 });
      return rebillOrderId;
    };

    const first = await stuck();
    const notBilled = await sut.probe.waitForEvent('PurchaseRebillNotBilled', { purchaseId, orderId: first }, { timeoutMs: 30_000 });
    expect(notBilled.actor).toEqual({ kind: 'system', id: REBILL_RESOLVE_SWEEPER });
    expect(notBilled.data).toMatchObject({ outcome: 'NOT_CHARGED', billingCycle: 2 });
    // due again: nothing in flight, still in its trial and cycle 1, so a force bill asks anew
    expect((await sut.http.get(`/purchases/${purchaseId}`).expect(200)).body).toMatchObject({ status: 'TRIAL', billingCycle: 1, billing: null });
    const sweepers = (await sut.http.get('/ops', devKeys.admin).expect(200)).body.sweepers;
    expect(sweepers).toContainEqual(expect.objectContaining({ name: REBILL_RESOLVE_SWEEPER, lastRunAt: expect.any(String), lastResult: expect.objectContaining({ ok: true }) }));

    const second = await stuck();
    const resolved = (await sut.http.post(`/purchases/${purchaseId}/resolve-rebill`, {}).expect(200)).body;
    expect(resolved).toMatchObject({ purchaseId, outcome: 'DUE_AGAIN', orderId: second, chargeStatus: { status: 'NOT_CHARGED', source: 'GATEWAY' }, purchase: { status: 'TRIAL', billing: null } });
    expect((await sut.probe.waitForEvent('PurchaseRebillNotBilled', { purchaseId, orderId: second })).actor).toMatchObject({ kind: 'agent' });
    // nothing left to resolve
    expect((await sut.http.post(`/purchases/${purchaseId}/resolve-rebill`, {}).expect(422)).body.code).toBe('NO_REBILL_IN_FLIGHT');
  });
});
