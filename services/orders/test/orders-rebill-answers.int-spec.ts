import { randomUUID } from 'node:crypto';
import { EventEnvelope, Topics } from '@continuum/contracts';
import { devKeys, eventEnvelope, eventually, newCustomer, republished, testAddress as address } from '@continuum/testing';
import { derivedId } from '@continuum/platform';
import { useOrdersService, visa } from './orders-harness';

jest.setTimeout(90_000);

/**
 * Every RebillRequested is answered: a rebill order orders refuses is RebillRefused on
 * orders.events.v1, not a dead letter; a request asked again whose rebill order ended in QA is told how
 * it ended (RebillOrderReported). Payments is played by the probe.
 */
describe('orders answers every rebill request (real stack)', () => {
  const t = useOrdersService();
  let campaignId: string;
  let productId: string;

  beforeAll(async () => {
    ({ campaignId, productIds: [productId] } = await t.createCampaign('Rebill answers', [
      { sku: 'RA-1', name: 'Monthly', price: 2500, shippingPrice: 500, billingType: 'RECURRING', rebillPrice: 1999, intervalDays: 30 },
    ]));
  });

  const place = async (body: Record<string, unknown>) =>
    (await t.http.post('/orders', { campaignId, customer: newCustomer(), items: [{ productId, quantity: 1 }], shippingAddress: address, ...body }).expect(201)).body as { orderId: string; customerId: string };
  const rebillRequest = (original: { orderId: string; customerId: string }, purchaseId: string, extra: Record<string, unknown> = {}) =>
    eventEnvelope('RebillRequested', `purchase-${purchaseId}`, {
      purchaseId,
      customerId: original.customerId,
      originalOrderId: original.orderId,
      campaignId,
      productId,
      quantity: 1,
      unitPrice: 1999,
      shippingPrice: 299,
      billingCycle: 2,
      attempt: 0,
      ...extra,
    });
  const answersOf = (purchaseId: string, type: string) => t.probe.published.filter((e: EventEnvelope) => e.type === type && (e.data as { purchaseId: string }).purchaseId === purchaseId);

  it('a rebill order a rule refuses is answered with RebillRefused (once, whatever redelivers the request), not dead-lettered; no order is stored', async () => {
    const original = await place({ paymentType: 'CARD', card: visa });
    const purchaseId = randomUUID();
    const request = rebillRequest(original, purchaseId, { quantity: 101 });
    await t.probe.publishEnvelope(Topics.subscriptionsEvents, request);
    await t.probe.publishEnvelope(Topics.subscriptionsEvents, republished(request));
    const orderId = derivedId(`order:rebill:${purchaseId}:2`);
    const refused = await t.probe.waitForEvent('RebillRefused', { purchaseId });
    expect(refused).toMatchObject({
      streamId: `rebill-answer-${orderId}`,
      correlationId: request.correlationId,
      causationId: request.eventId,
      data: { purchaseId, customerId: original.customerId, originalOrderId: original.orderId, billingCycle: 2, attempt: 0, orderId, code: 'QUANTITY_LIMIT', field: 'items.0.quantity' },
    });
    // the same request again (asked again by subscriptions): nothing new
    await t.probe.publishEnvelope(Topics.subscriptionsEvents, rebillRequest(original, purchaseId, { quantity: 101 }));
    await t.probe.drain(Topics.subscriptionsEvents);
    await t.probe.caughtUp();
    expect(answersOf(purchaseId, 'RebillRefused')).toHaveLength(1);
    await t.http.get(`/orders/${orderId}`).expect(404);
    expect(t.probe.deadLetters.filter((d) => d.key === `purchase-${purchaseId}`)).toEqual([]);
  });

  it("a blacklisted customer's rebill is refused with BLACKLISTED", async () => {
    const customer = newCustomer();
    const original = (await t.http.post('/orders', { campaignId, customer, items: [{ productId, quantity: 1 }], paymentType: 'CARD', card: visa, shippingAddress: address }).expect(201)).body;
    await t.http.post('/blacklist', { type: 'EMAIL', value: customer.email, reason: 'fraud' }, devKeys.admin).expect(201);
    const purchaseId = randomUUID();
    await t.probe.publishEnvelope(Topics.subscriptionsEvents, rebillRequest(original, purchaseId));
    expect((await t.probe.waitForEvent('RebillRefused', { purchaseId })).data).toMatchObject({ code: 'BLACKLISTED', reason: expect.stringContaining('blacklist') });
  });

  it('a request asked again whose EXTERNAL rebill order QA declined is told DECLINED; the order is not placed twice', async () => {
    const original = await place({ paymentType: 'EXTERNAL' });
    const purchaseId = randomUUID();
    await t.probe.publishEnvelope(Topics.subscriptionsEvents, rebillRequest(original, purchaseId));
    const orderId = derivedId(`order:rebill:${purchaseId}:2`);
    await eventually(async () => (await t.http.get(`/orders/${orderId}`)).status === 200, 'the rebill order');
    const transactionId = randomUUID();
    await t.probe.publishEnvelope(
      Topics.paymentsEvents,
      eventEnvelope('ExternalPaymentRecorded', `transaction-${transactionId}`, { transactionId, orderId, customerId: original.customerId, amount: 2298, currency: 'USD', at: new Date().toISOString() }),
    );
    await eventually(async () => (await t.http.get(`/orders/${orderId}`)).body.status === 'PENDING', 'the rebill order held for QA');
    await t.http.post(`/orders/${orderId}/qa`, { action: 'DECLINE' }).expect(200);

    await t.probe.publishEnvelope(Topics.subscriptionsEvents, rebillRequest(original, purchaseId));
    const reported = await t.probe.waitForEvent('RebillOrderReported', { purchaseId });
    expect(reported).toMatchObject({ streamId: `rebill-answer-${orderId}`, data: { orderId, status: 'DECLINED', paymentType: 'EXTERNAL', billingCycle: 2, attempt: 0, currency: 'USD' } });
    expect(t.probe.published.filter((e: EventEnvelope) => e.type === 'OrderPlaced' && (e.data as { orderId: string }).orderId === orderId)).toHaveLength(1);
  });
});
