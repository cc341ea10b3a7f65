import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { devKeys, eventually, HttpAgent, mailsTo, newCustomer, testCard as card } from '@continuum/testing';
import { orderReaches, ServiceFleet, startServices, transactionsOf } from './support/service-processes';

// The customer-service workflows (a free replacement, refund vs void, customer emails, a continuity
// purchase, cash on delivery: docs/<service>.md), end to end: all five services run as real
// processes on the local stack, every step goes through the HTTP APIs (README.md, docs/<service>.md) with the development
// keys (the fulfillment house through its documented topics, with a plain Kafka client), and every
// outcome is read where an agent reads it: the projections service's customer history.
// The workflows run twice: against one process of each service, then against two of each on the
// same databases, topics, queues and consumer groups, every request to a service going to its next
// instance in turn (as a load balancer would), so a read often reaches the instance that did not
// take the write before it.
/** A fulfillment house written from docs/fulfillment-houses.md only: plain JSON over plain kafkajs. */
class FulfillmentHouse {
  readonly requests: any[] = [];
  private readonly kafka: Kafka;
  private readonly consumer;
  private readonly producer;

  constructor(private readonly topicPrefix: string) {
    this.kafka = new Kafka({ clientId: 'e2e-house', brokers: (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','), logLevel: logLevel.NOTHING });
    this.consumer = this.kafka.consumer({ groupId: `e2e-house-${randomUUID().slice(0, 8)}` });
    this.producer = this.kafka.producer();
  }

  async start(): Promise<void> {
    await this.producer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: `${this.topicPrefix}fulfillment.requests.v1`, fromBeginning: true });
    await this.consumer.run({ eachMessage: async ({ message }) => void this.requests.push(JSON.parse(message.value!.toString())) });
  }

  request(orderId: string): Promise<any> {
    return eventually(() => this.requests.find((request) => request.orderId === orderId), `the house to receive the request of order ${orderId}`, { timeoutMs: 30_000 });
  }

  async report(update: Record<string, unknown>): Promise<void> {
    await this.producer.send({ topic: `${this.topicPrefix}fulfillment.updates.v1`, messages: [{ key: String(update['reference']), value: JSON.stringify(update) }] });
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
    await this.producer.disconnect();
  }
}

/**
 * The seed workflows against `instances` processes of each service (started once for them all),
 * every request to a service going to its instances in turn.
 */
function seedWorkflows(instances: number): void {
  const notify = `ops-${randomUUID().slice(0, 8)}@e2e.test`;

  let fleet: ServiceFleet;
  let orders: HttpAgent;
  let payments: HttpAgent;
  let fulfillment: HttpAgent;
  let subscriptions: HttpAgent;
  let projections: HttpAgent;
  let campaignId: string;
  let productId: string;
  let trialProductId: string;
  let otherTrialProductId: string;
  let house: FulfillmentHouse;

  const admin = (agent: HttpAgent) => agent.as(devKeys.admin);

  /** A test whose failure ends with the last requests to each service (which instance answered what) and the last output of an instance that failed one. */
  const traced =
    <A extends unknown[]>(test: (...args: A) => Promise<void>) =>
    async (...args: A): Promise<void> => {
      try {
        await test(...args);
      } catch (error) {
        if (error instanceof Error && fleet) {
          const last = Object.keys(fleet.instances)
            .flatMap((name) => fleet.agent(name).trail.slice(-8))
            .sort((a, b) => a.at - b.at);
          error.message += `\n\nlast requests (service #instance method path -> status):\n${last.map((r) => `  ${r.service} #${r.instance} ${r.method} ${r.path} -> ${r.status ?? 'no answer'}${r.ms !== undefined ? ` in ${r.ms} ms` : ''}${r.answer ? ` ${r.answer}` : ''}`).join('\n')}`;
          // what an instance that failed a request printed last (its warnings and errors)
          for (const failed of new Set(last.filter((r) => (r.status ?? 500) >= 500).map((r) => fleet.instances[r.service]![r.instance - 1]!))) {
            error.message += `\n\n${failed.name} #${fleet.instances[failed.name]!.indexOf(failed) + 1} printed last:\n${failed.output.join('').split('\n').slice(-12).join('\n')}`;
          }
        }
        throw error;
      }
    };
  const it = Object.assign((name: string, test: () => Promise<void>, timeout?: number) => globalThis.it(name, traced(test), timeout), {
    each:
      <T>(table: readonly T[]) =>
      (name: string, test: (row: T) => Promise<void>, timeout?: number) =>
        globalThis.it.each(table as T[])(name, traced(test), timeout),
  });
  const orderStatus = (orderId: string, status: string) => orderReaches(orders, orderId, status, { timeoutMs: 40_000 });

  /** The customer's history once `ready` holds for it (projections follow the other services within a short lag). */
  function historyOf(customerId: string, ready: (history: any) => unknown, what: string): Promise<any> {
    return eventually(
      async () => {
        const response = await projections.get(`/customers/${customerId}/history`);
        return response.status === 200 && ready(response.body) ? response.body : undefined;
      },
      `history of ${customerId}: ${what}`,
      { timeoutMs: 40_000 },
    );
  }

  /** Every timeline entry names who did it and the request it belongs to. */
  function expectAttributedTimeline(history: any): void {
    expect(history.timeline.length).toBeGreaterThan(0);
    for (const entry of history.timeline) {
      expect(entry).toMatchObject({ at: expect.any(String), summary: expect.any(String), correlationId: expect.any(String) });
      expect(entry.actor).toMatchObject({ kind: expect.any(String), id: expect.any(String) });
      expect(entry.source).toMatchObject({ service: expect.any(String), eventId: expect.any(String) });
    }
  }

  /** Runs an export and answers the fulfillments of `orderId` once they are PENDING (sent to the house). */
  async function exportFulfillmentsOf(orderId: string): Promise<any[]> {
    expect((await admin(fulfillment).post('/export-runs', {})).status).toBeLessThan(300);
    return eventually(
      async () => {
        const list = (await fulfillment.get(`/fulfillments?orderId=${orderId}`)).body;
        return Array.isArray(list) && list.length > 0 && list.every((f: any) => f.status === 'PENDING') ? list : undefined;
      },
      `the fulfillments of ${orderId} to be exported`,
      { timeoutMs: 30_000 },
    );
  }

  /** The fulfillments of `orderId` once one exists. */
  function fulfillmentsOf(orderId: string): Promise<any[]> {
    return eventually(
      async () => {
        const list = (await fulfillment.get(`/fulfillments?orderId=${orderId}`)).body;
        return Array.isArray(list) && list.length > 0 ? list : undefined;
      },
      `a fulfillment of order ${orderId}`,
      { timeoutMs: 30_000 },
    );
  }

  beforeAll(async () => {
    fleet = await startServices(['orders', 'payments', 'fulfillment', 'subscriptions', 'projections'], {
      REFUND_RETRY_DELAY_MS: '400',
      NOTIFY_EMAILS: notify,
      RECYCLE_DELAYS_MS: '300,300',
    }, { instances });
    orders = fleet.agent('orders');
    payments = fleet.agent('payments');
    fulfillment = fleet.agent('fulfillment');
    subscriptions = fleet.agent('subscriptions');
    projections = fleet.agent('projections');
    house = new FulfillmentHouse(fleet.topicPrefix);
    await house.start();

    const campaign = await admin(orders).post('/campaigns', {
      name: 'Nerve Control 911',
      currency: 'USD',
      products: [
        { sku: 'NC-1', name: 'Nerve Control 911 - 1 bottle', price: 4999, shippingPrice: 599, billingType: 'STRAIGHT' },
        { sku: 'NC-TRIAL', name: 'Nerve Control 911 - monthly', price: 499, shippingPrice: 0, billingType: 'RECURRING', trial: { price: 499, days: 14, type: 'STANDARD' }, rebillPrice: 3999, intervalDays: 30 },
        { sku: 'NC-TRIAL-2', name: 'Nerve Control 911 - double', price: 699, shippingPrice: 0, billingType: 'RECURRING', trial: { price: 699, days: 7, type: 'STANDARD' }, rebillPrice: 6999, intervalDays: 30 },
      ],
    });
    expect(campaign.status).toBe(201);
    campaignId = campaign.body.campaignId;
    [productId, trialProductId, otherTrialProductId] = campaign.body.products.map((p: any) => p.productId);
  }, 240_000 * instances);

  afterAll(async () => {
    await house?.stop();
    await fleet?.stop();
  });

  describe('a free replacement', () => {
    it('is found by email, waits in QA unexported, ships once approved, and the history shows "External Payment" and the tracking number', async () => {
      const customer = newCustomer();
      const first = await orders.post('/orders', { campaignId, customer, items: [{ productId, quantity: 1 }], paymentType: 'CARD', card: card('4111111111111111') });
      expect(first.status).toBe(201);
      await orderStatus(first.body.orderId, 'COMPLETE');

      const found = await eventually(async () => {
        const response = await projections.get(`/customers/search?q=${encodeURIComponent(customer.email)}`);
        return response.body?.length ? response.body : undefined;
      }, 'the customer found by email');
      expect(found[0]).toMatchObject({ customerId: first.body.customerId, email: customer.email });

      const replacement = await orders.post('/orders', { campaignId, customerId: found[0].customerId, items: [{ productId, quantity: 2, unitPrice: 0 }], paymentType: 'EXTERNAL' });
      expect(replacement.status).toBe(201);
      const pending = await orderStatus(replacement.body.orderId, 'PENDING');
      expect(pending.totals.total).toBe(0);

      // an order held for QA is never exported
      expect((await admin(fulfillment).post('/export-runs', {})).status).toBeLessThan(300);
      const held = (await fulfillment.get(`/fulfillments?orderId=${replacement.body.orderId}`)).body as any[];
      expect(held.every((f) => f.status === 'HOLD')).toBe(true);
      expect(house.requests.some((r) => r.orderId === replacement.body.orderId)).toBe(false);

      expect((await orders.post(`/orders/${replacement.body.orderId}/qa`, { action: 'APPROVE' })).status).toBeLessThan(300);
      await orderStatus(replacement.body.orderId, 'COMPLETE');
      await fulfillmentsOf(replacement.body.orderId);
      const [exported] = await exportFulfillmentsOf(replacement.body.orderId);
      const request = await house.request(replacement.body.orderId);
      expect(request).toMatchObject({ reference: exported.reference, customerId: first.body.customerId });
      expect(request.items).toEqual([expect.objectContaining({ quantity: 2 })]);
      await house.report({ reference: request.reference, type: 'SHIPPED', trackingNumber: '1Z-E2E-000', carrier: 'UPS', at: new Date().toISOString() });

      const history = await historyOf(
        first.body.customerId,
        (h) => h.fulfillments?.some((f: any) => f.orderId === replacement.body.orderId && f.trackingNumber === '1Z-E2E-000'),
        'the replacement shipped',
      );
      expect(history.transactions.find((t: any) => t.orderId === replacement.body.orderId)).toMatchObject({ type: 'EXTERNAL', card: 'External Payment' });
      expect(history.orders.find((o: any) => o.orderId === replacement.body.orderId)).toMatchObject({ status: 'COMPLETE' });
      expectAttributedTimeline(history);
      expect(history.timeline.some((e: any) => e.actor.kind === 'fulfillment-house')).toBe(true);
      expect(history.timeline.some((e: any) => e.actor.id === 'dev-agent')).toBe(true);
    });
  });

  describe('refund vs void, the refund queue, notes and the blacklist', () => {
    it('voids an unsettled charge; after settlement refuses the void and refunds in parts; the history shows each', async () => {
      const unsettled = await orders.post('/orders', { campaignId, customer: newCustomer(), items: [{ productId, quantity: 1 }], paymentType: 'CARD', card: card('4111111111111111') });
      await orderStatus(unsettled.body.orderId, 'COMPLETE');
      const [sale] = await transactionsOf(payments, unsettled.body.orderId);
      expect((await payments.post(`/transactions/${sale.transactionId}/void`, {})).status).toBe(200);
      await orderStatus(unsettled.body.orderId, 'REFUNDED');

      const settled = await orders.post('/orders', { campaignId, customer: newCustomer(), items: [{ productId, quantity: 1 }], paymentType: 'CARD', card: card('4111111111111111') });
      await orderStatus(settled.body.orderId, 'COMPLETE');
      const [charge] = await transactionsOf(payments, settled.body.orderId);
      expect((await admin(payments).post('/settlement-runs', {})).status).toBeLessThan(300);
      await eventually(async () => (await payments.get(`/transactions/${charge.transactionId}`)).body?.settled === true, 'settlement');
      const refused = await payments.post(`/transactions/${charge.transactionId}/void`, {});
      expect(refused.status).toBe(422);
      expect((await payments.post(`/transactions/${charge.transactionId}/refund`, { amount: 1000 })).body).toMatchObject({ status: 'SUCCEEDED' });
      expect((await payments.post(`/transactions/${charge.transactionId}/refund`, {})).body).toMatchObject({ status: 'SUCCEEDED' });
      // the first part makes the order REFUNDED with 10.00 refunded; the rest brings it to the total
      const refunded = await eventually(async () => {
        const order = (await orders.get(`/orders/${settled.body.orderId}`)).body;
        return order?.status === 'REFUNDED' && order.totals.refunded === order.totals.total ? order : undefined;
      }, 'the order refunded in full');
      expect(refunded.totals.refunded).toBe(5598);

      const history = await historyOf(
        settled.body.customerId,
        (h) => h.orders?.some((o: any) => o.orderId === settled.body.orderId && o.totals?.refunded === refunded.totals.total),
        'the order fully refunded',
      );
      expect(history.timeline.filter((e: any) => /refund/i.test(e.summary)).length).toBeGreaterThanOrEqual(2);
      expectAttributedTimeline(history);
    });

    it('"refund from the order" voids first when it can', async () => {
      const placed = await orders.post('/orders', { campaignId, customer: newCustomer(), items: [{ productId, quantity: 1 }], paymentType: 'CARD', card: card('4111111111111111') });
      await orderStatus(placed.body.orderId, 'COMPLETE');
      const refund = await payments.post(`/orders/${placed.body.orderId}/refund`, {});
      expect(refund.body.action).toBe('VOID');
    });

    it('queues a failing refund, retries it three times, abandons it with one email to Notify Emails, and the timeline tells the story', async () => {
      const placed = await orders.post('/orders', { campaignId, customer: newCustomer(), items: [{ productId, quantity: 1 }], paymentType: 'CARD', card: card('4000000000000119') });
      await orderStatus(placed.body.orderId, 'COMPLETE');
      const [charge] = await transactionsOf(payments, placed.body.orderId);
      await admin(payments).post('/settlement-runs', {});
      await eventually(async () => (await payments.get(`/transactions/${charge.transactionId}`)).body?.settled === true, 'settlement');
      const refund = await payments.post(`/transactions/${charge.transactionId}/refund`, { amount: 2000 });
      expect(refund.body).toMatchObject({ status: 'QUEUED' });
      const abandoned = await eventually(async () => {
        const response = await payments.get(`/refunds/${refund.body.refundId}`);
        return response.body?.status === 'ABANDONED' ? response.body : undefined;
      }, 'the refund abandoned');
      expect(abandoned.attempts).toHaveLength(4);
      const mails = await eventually(async () => ((await mailsTo(notify)).length ? mailsTo(notify) : undefined), 'the Notify Emails message');
      expect(mails).toHaveLength(1);

      const history = await historyOf(placed.body.customerId, (h) => h.timeline?.some((e: any) => /abandon/i.test(e.summary)), 'the abandoned refund');
      expect(history.timeline.some((e: any) => /queued/i.test(e.summary))).toBe(true);
      expectAttributedTimeline(history);
    });

    it('shows a note in the history; an agent cannot blacklist, an admin can, and the next order is refused', async () => {
      const customer = newCustomer();
      const placed = await orders.post('/orders', { campaignId, customer, items: [{ productId, quantity: 1 }], paymentType: 'CARD', card: card('4111111111111111') });
      await orderStatus(placed.body.orderId, 'COMPLETE');
      const note = await orders.post(`/customers/${placed.body.customerId}/notes`, { message: 'Called about a late package; promised a callback.' });
      expect(note.status).toBe(201);
      const history = await historyOf(placed.body.customerId, (h) => h.notes?.some((n: any) => /late package/.test(n.message)), 'the note');
      expect(history.timeline.some((e: any) => e.actor.id === 'dev-agent' && /note/i.test(e.summary))).toBe(true);

      expect((await orders.post('/blacklist', { type: 'EMAIL', value: customer.email })).status).toBe(403);
      expect((await admin(orders).post('/blacklist', { type: 'EMAIL', value: customer.email, reason: 'chargeback abuse' })).status).toBe(201);
      const refused = await orders.post('/orders', { campaignId, customerId: placed.body.customerId, items: [{ productId, quantity: 1 }], paymentType: 'CARD', card: card('4111111111111111') });
      expect(refused.status).toBe(422);
    });
  });

  describe('customer emails', () => {
    it('sends the order confirmation once when the order completes and again on resend-email, and the timeline shows both sends', async () => {
      const customer = newCustomer();
      const placed = await orders.post('/orders', { campaignId, customer, items: [{ productId, quantity: 1 }], paymentType: 'CARD', card: card('4111111111111111') });
      expect(placed.status).toBe(201);
      const { orderId, customerId } = placed.body;
      await orderStatus(orderId, 'COMPLETE');
      const confirmations = async () => (await mailsTo(customer.email)).filter((mail) => mail.subject.includes(orderId));
      await eventually(async () => ((await confirmations()).length >= 1 ? true : undefined), 'the order confirmation email', { timeoutMs: 30_000 });
      // the send is recorded after the email went out: once it is on the timeline, a second send would have been made already
      await historyOf(customerId, (h) => h.timeline?.some((e: any) => e.type === 'OrderConfirmationEmailSent'), 'the confirmation recorded');
      expect(await confirmations()).toHaveLength(1);

      const noRefund = await orders.post(`/orders/${orderId}/resend-email`, { kind: 'REFUND' });
      expect(noRefund.status).toBe(422);
      expect(noRefund.body).toMatchObject({ code: 'NO_REFUND' });
      const unknownKind = await orders.post(`/orders/${orderId}/resend-email`, { kind: 'WELCOME' });
      expect(unknownKind.status).toBe(400);
      expect(JSON.stringify(unknownKind.body)).toContain('kind');

      const resent = await orders.post(`/orders/${orderId}/resend-email`, { kind: 'CONFIRMATION' });
      expect(resent.status).toBe(202);
      expect(resent.body).toEqual({ orderId, kind: 'CONFIRMATION' });
      await eventually(async () => ((await confirmations()).length >= 2 ? true : undefined), 'the resent confirmation email', { timeoutMs: 30_000 });
      const history = await historyOf(customerId, (h) => h.timeline?.filter((e: any) => e.type === 'OrderConfirmationEmailSent').length === 2, 'both sends recorded');
      expect(await confirmations()).toHaveLength(2);
      const sends = history.timeline.filter((e: any) => e.type === 'OrderConfirmationEmailSent');
      expect(sends.map((e: any) => e.summary)).toEqual([expect.stringContaining('the order completed'), expect.stringContaining('a resend was asked for')]);
      expect(sends[1].actor).toMatchObject({ kind: 'agent', id: 'dev-agent' });
      expect(history.timeline.find((e: any) => e.type === 'OrderEmailResendRequested')).toMatchObject({ actor: { kind: 'agent', id: 'dev-agent' }, orderId });
      expectAttributedTimeline(history);
    });
  });

  describe('a continuity purchase', () => {
    it('starts in TRIAL, is ACTIVE after the first rebill, and every agent action shows in its history and the timeline', async () => {
      const placed = await orders.post('/orders', { campaignId, customer: newCustomer(), items: [{ productId: trialProductId, quantity: 1 }], paymentType: 'CARD', card: card('4111111111111111') });
      expect(placed.status).toBe(201);
      await orderStatus(placed.body.orderId, 'COMPLETE');
      const purchase = await eventually(async () => (await subscriptions.get(`/purchases?orderId=${placed.body.orderId}`)).body?.[0], 'the purchase', { timeoutMs: 30_000 });
      expect(purchase).toMatchObject({ status: 'TRIAL', billingCycle: 1, productId: trialProductId });
      const purchaseId = purchase.purchaseId;
      const get = async () => (await subscriptions.get(`/purchases/${purchaseId}`)).body;
      const until = (ready: (p: any) => boolean, what: string) => eventually(async () => ((p) => (ready(p) ? p : undefined))(await get()), what, { timeoutMs: 40_000 });

      // the first rebill is the 2nd successful billing: ACTIVE, cycle 2, a new order
      const run = await admin(subscriptions).post('/billing-runs', { asOf: `${purchase.nextBillDate.slice(0, 10)}T23:59:59.000Z` });
      expect(run.status).toBeLessThan(300);
      await until((p) => p.status === 'ACTIVE' && p.billingCycle === 2, 'ACTIVE in cycle 2');

      expect((await subscriptions.patch(`/purchases/${purchaseId}`, { quantity: 2, unitPrice: 2500 })).status).toBe(200);
      await until((p) => p.quantity === 2 && p.price === 5000, 'quantity 2 at 25.00');
      expect((await subscriptions.patch(`/purchases/${purchaseId}`, { billingType: 'STRAIGHT' })).status).toBeGreaterThanOrEqual(400);

      expect((await subscriptions.post(`/purchases/${purchaseId}/restart-trial`, {})).status).toBeLessThan(300);
      await until((p) => p.status === 'TRIAL', 'the trial restarted');
      expect((await subscriptions.post(`/purchases/${purchaseId}/skip-trial`, {})).status).toBeLessThan(300);
      // skipping the trial bills now: the purchase is ACTIVE again once that rebill is approved
      await until((p) => p.status === 'ACTIVE' && p.history.some((h: any) => /skip/i.test(h.type)), 'the trial skipped and billed');

      expect((await subscriptions.post(`/purchases/${purchaseId}/change-product`, { productId: otherTrialProductId, applyProductDetails: false })).status).toBeLessThan(300);
      await until((p) => p.productId === otherTrialProductId && p.price === 5000, 'the product changed, price kept');
      expect((await subscriptions.post(`/purchases/${purchaseId}/change-product`, { productId: trialProductId, applyProductDetails: true })).status).toBeLessThan(300);
      await until((p) => p.productId === trialProductId && p.price !== 5000, 'the product changed with its details');

      const beforeForce = (await get()).billingCycle;
      expect((await subscriptions.post(`/purchases/${purchaseId}/force-bill`, {})).status).toBeLessThan(300);
      await until((p) => p.billingCycle === beforeForce + 1, 'force bill billed now');

      expect((await subscriptions.post(`/purchases/${purchaseId}/cancel`, { when: 'NOW', reason: 'customer asked' })).status).toBeLessThan(300);
      const cancelled = await until((p) => p.status === 'CANCELLED', 'cancelled');
      for (const history of cancelled.history) expect(history).toMatchObject({ at: expect.any(String), type: expect.any(String), actor: expect.anything() });

      const customerHistory = await historyOf(placed.body.customerId, (h) => h.purchases?.some((p: any) => p.purchaseId === purchaseId && p.status === 'CANCELLED'), 'the purchase cancelled');
      expectAttributedTimeline(customerHistory);
      const actions = ['PurchaseStarted', 'PurchaseBilled', 'PurchaseUpdated', 'PurchaseTrialRestarted', 'PurchaseTrialSkipped', 'PurchaseProductChanged', 'PurchaseCancelled'];
      expect(cancelled.history.map((h: any) => h.type)).toEqual(expect.arrayContaining(actions));
      expect(cancelled.history.filter((h: any) => h.type === 'PurchaseProductChanged')).toHaveLength(2);
      const inTimeline = customerHistory.timeline.filter((e: any) => e.source.service === 'subscriptions').map((e: any) => e.type);
      expect(inTimeline).toEqual(expect.arrayContaining(actions));
      // the agent's actions are the agent's in both places
      expect(cancelled.history.find((h: any) => h.type === 'PurchaseTrialRestarted').actor).toMatchObject({ id: 'dev-agent' });
      expect(customerHistory.timeline.find((e: any) => e.type === 'PurchaseTrialRestarted').actor).toMatchObject({ kind: 'agent', id: 'dev-agent' });
    });
  });

  describe('cash on delivery', () => {
    /** A COD order, exported and shipped by the house; answers its ids. */
    async function shippedCodOrder(): Promise<{ orderId: string; customerId: string; fulfillmentId: string; transactionId: string }> {
      const placed = await orders.post('/orders', { campaignId, customer: newCustomer(), items: [{ productId, quantity: 1 }], paymentType: 'COD' });
      expect(placed.status).toBe(201);
      await orderStatus(placed.body.orderId, 'COD_PENDING');
      const [cod] = await transactionsOf(payments, placed.body.orderId);
      expect(cod).toMatchObject({ type: 'COD', card: 'COD', response: 'PENDING' });
      const [hold] = await fulfillmentsOf(placed.body.orderId);
      expect(hold.status).toBe('HOLD');
      const [exported] = await exportFulfillmentsOf(placed.body.orderId);
      const request = await house.request(placed.body.orderId);
      expect(request.cod).toMatchObject({ amount: 5598, currency: 'USD' });
      await house.report({ reference: exported.reference, type: 'SHIPPED', trackingNumber: `1Z-COD-${placed.body.orderId.slice(0, 6)}`, at: new Date().toISOString() });
      await eventually(async () => (await fulfillment.get(`/fulfillments/${exported.fulfillmentId}`)).body?.status === 'SHIPPED', 'shipped');
      return { orderId: placed.body.orderId, customerId: placed.body.customerId, fulfillmentId: exported.fulfillmentId, transactionId: cod.transactionId };
    }

    it('Mark COD Paid: fulfillment DELIVERED, transaction SUCCESS, order COMPLETE', async () => {
      const cod = await shippedCodOrder();
      expect((await fulfillment.post(`/fulfillments/${cod.fulfillmentId}/cod/paid`, { deliveryConfirmation: 'DC-1001', date: '2026-11-30' })).status).toBeLessThan(300);
      await orderStatus(cod.orderId, 'COMPLETE');
      await eventually(async () => (await payments.get(`/transactions/${cod.transactionId}`)).body?.response === 'SUCCESS', 'the COD transaction SUCCESS');
      expect((await fulfillment.get(`/fulfillments/${cod.fulfillmentId}`)).body.status).toBe('DELIVERED');
      const history = await historyOf(cod.customerId, (h) => h.orders?.some((o: any) => o.orderId === cod.orderId && o.status === 'COMPLETE'), 'the COD order complete');
      expect(history.transactions.find((t: any) => t.orderId === cod.orderId)).toMatchObject({ card: 'COD' });
      expectAttributedTimeline(history);
    });

    it.each(['SCHEDULED_FOR_REATTEMPT', 'SCHEDULED_FOR_PICKUP'])('Mark COD Undelivered %s: order stays COD_PENDING, a soft decline, the fulfillment stays pending', async (status) => {
      const cod = await shippedCodOrder();
      expect((await fulfillment.post(`/fulfillments/${cod.fulfillmentId}/cod/undelivered`, { status })).status).toBeLessThan(300);
      const rows = await eventually(async () => {
        const list = (await payments.get(`/transactions?orderId=${cod.orderId}`)).body as any[];
        return list?.some((t) => t.response === 'SOFT_DECLINE') ? list : undefined;
      }, 'the soft decline');
      expect(rows.some((t) => t.response === 'SOFT_DECLINE')).toBe(true);
      expect((await orders.get(`/orders/${cod.orderId}`)).body.status).toBe('COD_PENDING');
      expect((await fulfillment.get(`/fulfillments/${cod.fulfillmentId}`)).body.status).not.toMatch(/CANCELLED|DELIVERED/);
    });

    it('Mark COD Undelivered DECLINED: order DECLINED, a hard decline, fulfillment CANCELLED', async () => {
      const cod = await shippedCodOrder();
      expect((await fulfillment.post(`/fulfillments/${cod.fulfillmentId}/cod/undelivered`, { status: 'DECLINED' })).status).toBeLessThan(300);
      await orderStatus(cod.orderId, 'DECLINED');
      await eventually(async () => ((await payments.get(`/transactions?orderId=${cod.orderId}`)).body as any[])?.some((t) => t.response === 'HARD_DECLINE'), 'the hard decline');
      await eventually(async () => (await fulfillment.get(`/fulfillments/${cod.fulfillmentId}`)).body?.status === 'CANCELLED', 'the fulfillment cancelled');
    });

    it('a COD-only blacklist entry refuses COD orders and not card orders', async () => {
      const customer = newCustomer();
      expect((await admin(orders).post('/blacklist', { type: 'EMAIL', value: customer.email, codOnly: true, reason: 'refused two COD parcels' })).status).toBe(201);
      const cod = await orders.post('/orders', { campaignId, customer, items: [{ productId, quantity: 1 }], paymentType: 'COD' });
      expect(cod.status).toBe(422);
      const byCard = await orders.post('/orders', { campaignId, customer, items: [{ productId, quantity: 1 }], paymentType: 'CARD', card: card('4111111111111111') });
      expect(byCard.status).toBe(201);
    });
  });

  describe('what a customer-service team asks for beyond the first steps of each workflow', () => {
    /** A customer with an address of its own: blacklisting the customer must not refuse the shared test address. */
    const ownCustomer = (extra: Record<string, unknown> = {}) =>
      newCustomer({ billingAddress: { line1: `${randomUUID().slice(0, 6)} Queue Ln`, city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' }, ...extra });

    it('holds an external order with a discount in the QA queue with its reasons, finds it by search, and approving it takes it off the queue', async () => {
      const customer = ownCustomer();
      const registered = await orders.post('/customers', { ...customer, customFields: { tier: 'gold' } });
      expect(registered.status).toBe(201);
      const placed = await orders.post('/orders', {
        campaignId,
        customerId: registered.body.customerId,
        items: [{ productId, quantity: 1 }],
        paymentType: 'EXTERNAL',
        discount: { amount: 1000, reason: 'goodwill after a late parcel' },
        customFields: { ticket: 'CS-1001' },
      });
      expect(placed.status).toBe(201);
      const { orderId, customerId } = placed.body;
      const pending = await orderStatus(orderId, 'PENDING');
      expect(pending.totals).toMatchObject({ subtotal: 4999, shipping: 599, discount: 1000, total: 4598 });
      expect(pending.customFields).toEqual({ ticket: 'CS-1001' });
      expect((await orders.get(`/customers/${customerId}`)).body.customFields).toEqual({ tier: 'gold' });

      // the QA queue, oldest first, a page at a time: the order is on one of its pages with why it waits
      const inQueue = async (): Promise<any> => {
        let after = '';
        for (let page = 0; page < 20; page++) {
          const list = (await orders.get(`/orders?status=PENDING&campaignId=${campaignId}&limit=50${after}`)).body as any[];
          const found = list.find((o) => o.orderId === orderId);
          if (found || list.length < 50) return found;
          after = `&after=${list[list.length - 1].orderId}`;
        }
        return undefined;
      };
      expect(await inQueue()).toMatchObject({ orderId, status: 'PENDING', qa: { reasons: expect.arrayContaining(['EXTERNAL']) } });

      const found = await eventually(async () => {
        const answer = (await projections.get(`/orders/search?q=${encodeURIComponent(customer.email)}&status=PENDING`)).body;
        return answer?.items?.find((o: any) => o.orderId === orderId);
      }, 'the order found by the customer\'s email and its status');
      expect(found).toMatchObject({ customerId, email: customer.email, status: 'PENDING', paymentType: 'EXTERNAL', total: 4598, currency: 'USD' });

      expect((await orders.post(`/orders/${orderId}/qa`, { action: 'APPROVE' })).status).toBe(200);
      await orderStatus(orderId, 'COMPLETE');
      expect(await inQueue()).toBeUndefined();
      const history = await historyOf(customerId, (h) => h.orders?.some((o: any) => o.orderId === orderId && o.status === 'COMPLETE'), 'the approved order');
      expect(history.timeline.some((e: any) => /goodwill after a late parcel/.test(e.summary))).toBe(true);
      expectAttributedTimeline(history);
    });

    it('falls back to a refund when the void fails at the gateway; the refund waits for the settlement and then succeeds', async () => {
      const placed = await orders.post('/orders', { campaignId, customer: ownCustomer(), items: [{ productId, quantity: 1 }], paymentType: 'CARD', card: card('4000000000000424') });
      expect(placed.status).toBe(201);
      await orderStatus(placed.body.orderId, 'COMPLETE');
      const answer = await payments.post(`/orders/${placed.body.orderId}/refund`, {});
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ action: 'REFUND', status: 'QUEUED', voidFailed: true, amount: 5598 });
      expect((await admin(payments).post('/settlement-runs', { asOf: new Date(Date.now() + 60_000).toISOString() })).status).toBe(200);
      const refund = await eventually(async () => {
        const read = (await payments.get(`/refunds/${answer.body.refundId}`)).body;
        return read?.status === 'SUCCEEDED' ? read : undefined;
      }, 'the queued refund to succeed after the settlement', { timeoutMs: 40_000 });
      expect(refund).toMatchObject({ amount: 5598, status: 'SUCCEEDED' });
      await orderStatus(placed.body.orderId, 'REFUNDED');
    });

    it('moves a next bill date earlier, lists the void of the purchase\'s order among its transactions, and refuses a subscription on COD without a card', async () => {
      const placed = await orders.post('/orders', { campaignId, customer: ownCustomer(), items: [{ productId: trialProductId, quantity: 1 }], paymentType: 'CARD', card: card('4111111111111111') });
      expect(placed.status).toBe(201);
      await orderStatus(placed.body.orderId, 'COMPLETE');
      const purchase = await eventually(async () => (await subscriptions.get(`/purchases?orderId=${placed.body.orderId}`)).body?.[0], 'the purchase', { timeoutMs: 30_000 });
      const earlier = new Date(Date.parse(purchase.nextBillDate) - 5 * 86_400_000).toISOString().slice(0, 10);
      const moved = await subscriptions.patch(`/purchases/${purchase.purchaseId}`, { nextBillDate: earlier });
      expect(moved.status).toBe(200);
      expect(moved.body.nextBillDate.slice(0, 10)).toBe(earlier);

      expect((await payments.post(`/orders/${placed.body.orderId}/refund`, {})).body).toMatchObject({ action: 'VOID' });
      const withVoid = await eventually(async () => {
        const read = (await subscriptions.get(`/purchases/${purchase.purchaseId}`)).body;
        return read?.transactions?.some((t: any) => t.type === 'VOID') ? read : undefined;
      }, 'the void among the purchase\'s transactions');
      expect(withVoid.transactions.find((t: any) => t.type === 'VOID')).toMatchObject({ orderId: placed.body.orderId, response: 'SUCCESS', amount: 499 });

      const codSubscription = await orders.post('/orders', { campaignId, customer: ownCustomer(), items: [{ productId: trialProductId, quantity: 1, subscribe: true }], paymentType: 'COD' });
      expect(codSubscription.status).toBe(422);
      expect(codSubscription.body).toMatchObject({ code: 'SUBSCRIPTION_NEEDS_CARD' });
    });

    it('blacklists a customer\'s email, phone and address in one admin action that the timeline shows, and refuses the customer\'s next order', async () => {
      const customer = ownCustomer({ phone: `+1 512 555 ${String(Math.floor(Math.random() * 9000) + 1000)}` });
      const placed = await orders.post('/orders', { campaignId, customer, items: [{ productId, quantity: 1 }], paymentType: 'CARD', card: card('4111111111111111') });
      expect(placed.status).toBe(201);
      const { customerId } = placed.body;
      expect((await orders.post(`/customers/${customerId}/blacklist`, { reason: 'chargeback abuse' })).status).toBe(403);
      const listed = await admin(orders).post(`/customers/${customerId}/blacklist`, { reason: 'chargeback abuse' });
      expect(listed.status).toBe(201);
      expect(listed.body.entryIds).toHaveLength(3);
      const refused = await orders.post('/orders', { campaignId, customerId, items: [{ productId, quantity: 1 }], paymentType: 'CARD', card: card('4111111111111111') });
      expect(refused.status).toBe(422);
      const history = await historyOf(customerId, (h) => h.timeline?.some((e: any) => e.type === 'CustomerBlacklisted'), 'the blacklisting');
      expect(history.timeline.find((e: any) => e.type === 'CustomerBlacklisted').actor).toMatchObject({ kind: 'admin', id: 'dev-admin' });
    });
  });
}

describe('one instance of each service', () => seedWorkflows(1));
describe('two instances of each service, requests in turn', () => seedWorkflows(2));
