import { Topics } from '@continuum/contracts';
import { devKeys, eventually } from '@continuum/testing';
import { OrderFactsView } from '../src/views';
import { austin, fulfillmentWait, newOrderId, orderSnapshot, useFulfillmentService } from './fulfillment-harness';

jest.setTimeout(90_000);

// The fulfillment service on the real stack (Kafka, FerretDB, Redis); orders, payments and customers
// are played by the probe, publishing their events as those services do.
describe('fulfillment flows (Kafka, FerretDB, Redis)', () => {
  const sut = useFulfillmentService();
  const { http, probe } = sut;

  it("exports a completed order's fulfillment once across two overlapping export runs, with the request on fulfillment.requests.v1", async () => {
    const created = await sut.orderThatShips();
    const runs = await Promise.all([sut.exportRun(), sut.exportRun()]);
    // the first fulfillment of this file: the two runs together export exactly one
    expect(runs.reduce((a, b) => a + b, 0)).toBe(1);
    const pending = await sut.fulfillmentWhen(created.fulfillmentId, (f) => f.status === 'PENDING', 'PENDING');
    expect(pending.exportAttempts).toBe(1);
    expect(await sut.storedEvents(created.fulfillmentId, 'FulfillmentExported')).toBe(1);

    await eventually(() => sut.requestsFor(created.reference).length > 0, 'request published', fulfillmentWait);
    await probe.caughtUp();
    const requests = sut.requestsFor(created.reference);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toEqual({
      reference: created.reference,
      orderId: created.orderId,
      customerId: expect.any(String),
      items: [{ sku: 'SKU-1', name: 'Serum', quantity: 2 }],
      shipTo: { name: 'Ann Lee', address: austin },
      shippingMethod: 'STANDARD',
      attempt: 1,
    });
    // a third run finds nothing of it left to export
    await sut.exportRun();
    expect(await sut.storedEvents(created.fulfillmentId, 'FulfillmentExported')).toBe(1);
  });

  it('lists by order and by status from the view', async () => {
    const created = await sut.orderThatShips();
    const byOrder = (await http.get(`/fulfillments?orderId=${created.orderId}`).expect(200)).body;
    expect(byOrder.map((f: { fulfillmentId: string }) => f.fulfillmentId)).toEqual([created.fulfillmentId]);
    const held = (await http.get('/fulfillments?status=HOLD').expect(200)).body;
    expect(held.map((f: { fulfillmentId: string }) => f.fulfillmentId)).toContain(created.fulfillmentId);
    // a status list is paged: limit 1..200, after = the last fulfillmentId of the page before
    const next = await sut.orderThatShips();
    const page = async (query: string) => ((await http.get(`/fulfillments?status=HOLD&${query}`).expect(200)).body as Array<{ fulfillmentId: string }>).map((f) => f.fulfillmentId);
    expect(await page(`limit=1&after=${created.fulfillmentId}`)).toEqual([next.fulfillmentId]);
    expect(await page(`limit=5&after=${next.fulfillmentId}`)).toEqual([]);
    const all = await page('limit=200');
    expect(all.indexOf(next.fulfillmentId)).toBe(all.indexOf(created.fulfillmentId) + 1);
    for (const limit of ['0', '201', 'ten']) {
      const refused = await http.get(`/fulfillments?status=HOLD&limit=${limit}`).expect(400);
      expect((refused.body.errors as Array<{ field: string }>).map((e) => e.field)).toContain('limit');
    }
    await http.get('/fulfillments').expect(400);
    await http.get('/fulfillments/nope-F1').expect(404);
  });

  it('takes a house update over HTTP with the fulfillment-house key; ship a cancelled fulfillment is 422', async () => {
    const created = await sut.orderThatShips();
    await sut.exportRun();
    const update = { reference: created.reference, type: 'SHIPPED', trackingNumber: '1ZHTTP', carrier: 'UPS', at: '2026-03-02T10:00:00Z' };
    await http.post('/fulfillment-updates', update, devKeys.agent).expect(403);
    const shipped = (await http.post('/fulfillment-updates', update, devKeys['fulfillment-house']).expect(200)).body;
    expect(shipped).toMatchObject({ status: 'SHIPPED', trackingNumber: '1ZHTTP', carrier: 'UPS' });
    await http.post('/fulfillment-updates', { reference: created.reference, type: 'SHIPPED', at: '2026-03-02T10:00:00Z' }, devKeys['fulfillment-house']).expect(422);
    await http.post('/fulfillment-updates', { ...update, reference: 'unknown-ref' }, devKeys['fulfillment-house']).expect(404);

    const other = await sut.orderThatShips();
    await http.post(`/fulfillments/${other.fulfillmentId}/cancel`, { reason: 'customer asked' }).expect(200);
    const refused = await http.post(`/fulfillments/${other.fulfillmentId}/ship`, { trackingNumber: '1Z1' }).expect(422);
    expect(refused.body).toMatchObject({ code: 'FULFILLMENT_CANCELLED' });
    // after shipping, cancel is refused
    await http.post(`/fulfillments/${created.fulfillmentId}/cancel`, { reason: 'too late' }).expect(422);
  });

  it('reship is refused before export; after it reached the house it is a new fulfillment with the -R1 suffix, exported in turn', async () => {
    const created = await sut.orderThatShips();
    const early = await http.post(`/fulfillments/${created.fulfillmentId}/reship`).expect(422);
    expect(early.body).toMatchObject({ code: 'RESHIP_BEFORE_EXPORT' });
    await sut.exportRun();
    await http.post(`/fulfillments/${created.fulfillmentId}/ship`, { trackingNumber: '1ZLOST', carrier: 'UPS' }).expect(200);
    const reship = (await http.post(`/fulfillments/${created.fulfillmentId}/reship`).expect(201)).body;
    expect(reship).toEqual({ fulfillmentId: `${created.fulfillmentId}-R1`, reference: `${created.reference}-R1` });
    expect(await sut.fulfillment(reship.fulfillmentId)).toMatchObject({ status: 'HOLD', orderId: created.orderId, reshipOf: created.fulfillmentId });
    expect((await sut.fulfillment(created.fulfillmentId)).reships).toEqual([reship.fulfillmentId]);
    await sut.exportRun();
    await eventually(() => sut.requestsFor(reship.reference).length === 1, 'reship request published', fulfillmentWait);
    const second = (await http.post(`/fulfillments/${created.fulfillmentId}/reship`).expect(201)).body;
    expect(second.reference).toBe(`${created.reference}-R2`);
  });

  it('RMA then return: RMA_PENDING -> RETURNED', async () => {
    const created = await sut.orderThatShips();
    await sut.exportRun();
    await http.post(`/fulfillments/${created.fulfillmentId}/rma`, { rmaNumber: 'RMA-1' }).expect(422); // not shipped yet
    await http.post(`/fulfillments/${created.fulfillmentId}/ship`, { trackingNumber: '1ZRMA' }).expect(200);
    await http.post(`/fulfillments/${created.fulfillmentId}/deliver`, {}).expect(200);
    expect((await http.post(`/fulfillments/${created.fulfillmentId}/rma`, { rmaNumber: 'RMA-1' }).expect(200)).body).toMatchObject({ status: 'RMA_PENDING' });
    expect((await http.post(`/fulfillments/${created.fulfillmentId}/return`, {}).expect(200)).body).toMatchObject({ status: 'RETURNED' });
  });

  describe('cash on delivery: the fulfillment side of the three outcomes', () => {
    async function codShipped() {
      const created = await sut.orderThatShips({ type: 'OrderAwaitingCod', paymentType: 'COD', total: 3000 });
      expect(created.cod).toEqual({ status: 'PENDING', amount: 3000, currency: 'USD' });
      await sut.exportRun();
      await eventually(() => sut.requestsFor(created.reference).length === 1, 'COD request published', fulfillmentWait);
      expect(sut.requestsFor(created.reference)[0]).toMatchObject({ cod: { amount: 3000, currency: 'USD' } });
      await http.post(`/fulfillments/${created.fulfillmentId}/ship`, { trackingNumber: '1ZCOD' }).expect(200);
      return created;
    }

    it('Mark COD Paid: DELIVERED, and CodMarkedPaid tells payments (SUCCESS) and so orders (COMPLETE); a COMPLETE order makes no second fulfillment', async () => {
      const created = await codShipped();
      const paid = (await http.post(`/fulfillments/${created.fulfillmentId}/cod/paid`, { deliveryConfirmation: 'DC-77', date: '2026-03-05' }).expect(200)).body;
      expect(paid).toMatchObject({ status: 'DELIVERED', cod: { status: 'PAID', deliveryConfirmation: 'DC-77' } });
      await probe.waitForEvent('CodMarkedPaid', { orderId: created.orderId, deliveryConfirmation: 'DC-77' });
      // orders then completes the order (payments' CodPaymentReceived): no new fulfillment
      const completed = await probe.publish(Topics.ordersEvents, `order-${created.orderId}`, 'OrderCompleted', orderSnapshot(created.orderId, 'cus-x', 'COD', 3000));
      await sut.handled('order-reactions', completed.eventId);
      expect((await http.get(`/fulfillments?orderId=${created.orderId}`).expect(200)).body).toHaveLength(1);
    });

    it('Mark COD Undelivered, reattempt or pickup: the fulfillment stays pending (payments records a soft decline)', async () => {
      const created = await codShipped();
      for (const status of ['SCHEDULED_FOR_REATTEMPT', 'SCHEDULED_FOR_PICKUP']) {
        const body = (await http.post(`/fulfillments/${created.fulfillmentId}/cod/undelivered`, { status }).expect(200)).body;
        expect(body).toMatchObject({ status: 'SHIPPED', cod: { status } });
        await probe.waitForEvent('CodMarkedUndelivered', { orderId: created.orderId, status });
      }
    });

    it('Mark COD Undelivered, declined: the fulfillment is CANCELLED (payments: hard decline, orders: DECLINED)', async () => {
      const created = await codShipped();
      const body = (await http.post(`/fulfillments/${created.fulfillmentId}/cod/undelivered`, { status: 'DECLINED' }).expect(200)).body;
      expect(body).toMatchObject({ status: 'CANCELLED', cod: { status: 'DECLINED' } });
      await probe.waitForEvent('CodMarkedUndelivered', { orderId: created.orderId, status: 'DECLINED' });
      await http.post(`/fulfillments/${created.fulfillmentId}/cod/paid`, { deliveryConfirmation: 'DC-1', date: '2026-03-05' }).expect(422);
    });
  });

  it('an order cancelled before shipping cancels its fulfillment', async () => {
    const created = await sut.orderThatShips();
    await probe.publish(Topics.ordersEvents, `order-${created.orderId}`, 'OrderCancelled', {
      orderId: created.orderId,
      customerId: 'cus-x',
      paymentType: 'CARD',
      reason: 'customer request',
      fullRefund: true,
      previousStatus: 'COMPLETE',
      refundableAmount: 5000,
    });
    await sut.fulfillmentWhen(created.fulfillmentId, (f) => f.status === 'CANCELLED', 'cancelled by the order');
  });

  it('a void with auto-cancel cancels the unshipped fulfillment; one without leaves it', async () => {
    const voided = (orderId: string, autoCancel: boolean) => ({
      transactionId: `${orderId}-charge-1`,
      orderId,
      customerId: 'cus-x',
      voidId: `${orderId}-charge-1-void`,
      amount: 5000,
      currency: 'USD',
      gatewayTransactionId: 'gw-v',
      message: 'Voided',
      autoCancel,
      at: new Date().toISOString(),
    });
    const kept = await sut.orderThatShips();
    const event = await probe.publish(Topics.paymentsEvents, `transaction-${kept.orderId}-charge-1`, 'ChargeVoided', voided(kept.orderId, false));
    await sut.handled('order-reactions', event.eventId);
    expect((await sut.fulfillment(kept.fulfillmentId)).status).toBe('HOLD');
    const created = await sut.orderThatShips();
    await probe.publish(Topics.paymentsEvents, `transaction-${created.orderId}-charge-1`, 'ChargeVoided', voided(created.orderId, true));
    await sut.fulfillmentWhen(created.fulfillmentId, (f) => f.status === 'CANCELLED', 'cancelled by the void');
  });

  it('an order paid with a test card on a live gateway stays HOLD through export runs', async () => {
    const orderId = newOrderId();
    const customerId = await sut.registerCustomer();
    await probe.publish(Topics.paymentsEvents, `transaction-${orderId}-charge-1`, 'PaymentApproved', {
      transactionId: `${orderId}-charge-1`,
      orderId,
      customerId,
      type: 'SALE',
      amount: 4999,
      currency: 'USD',
      card: { token: 'tok_test', brand: 'VISA', last4: '1111', bin: '411111' },
      merchantId: 'm-1',
      gatewayTransactionId: 'gw-1',
      message: 'Approved',
      rerunOf: null,
      at: new Date().toISOString(),
      response: 'SUCCESS',
      prepaid: false,
      testCardOnLiveGateway: true,
      purpose: 'ORDER',
    });
    await eventually(async () => (await sut.app().get(OrderFactsView).order(orderId)).testCardOnLiveGateway || undefined, 'test card on a live gateway known to fulfillment', fulfillmentWait);
    await probe.publish(Topics.ordersEvents, `order-${orderId}`, 'OrderCompleted', orderSnapshot(orderId, customerId));
    await sut.fulfillmentWhen(`${orderId}-F1`, (f) => f.status === 'HOLD', 'HOLD');
    await sut.exportRun();
    expect((await sut.fulfillment(`${orderId}-F1`)).status).toBe('HOLD');
  });

  it('an upsell before export joins the fulfillment and its request; one after export ships on its own, and its decline cancels that', async () => {
    const orderId = newOrderId();
    const customerId = await sut.registerCustomer();
    await probe.publish(Topics.ordersEvents, `order-${orderId}`, 'OrderCompleted', { ...orderSnapshot(orderId, customerId), shippingMethod: 'EXPRESS' });
    await sut.fulfillmentWhen(`${orderId}-F1`, (f) => f.status === 'HOLD', 'HOLD');
    const upsell = (orderItemId: string) => ({
      orderId,
      customerId,
      currency: 'USD',
      paymentType: 'CARD',
      orderItemId,
      item: { orderItemId, productId: 'p-2', sku: 'SKU-2', name: 'Mask', quantity: 1, unitPrice: 900, price: 900, shippingPrice: 0, billingType: 'STRAIGHT' },
      amount: 900,
      newTotals: { subtotal: 5900, shipping: 0, salesTax: 0, discount: 0, total: 5900, refunded: 0 },
    });
    const serum = { sku: 'SKU-1', name: 'Serum', quantity: 2 };
    const mask = { sku: 'SKU-2', name: 'Mask', quantity: 1 };
    await probe.publish(Topics.ordersEvents, `order-${orderId}`, 'UpsellAdded', upsell('up-1'));
    await sut.fulfillmentWhen(`${orderId}-F1`, (f) => f.items.length === 2, 'the upsell in the HOLD fulfillment');
    await sut.exportRun();
    await eventually(() => sut.requestsFor(`${orderId}-F1`).length > 0, 'request published', fulfillmentWait);
    expect(sut.requestsFor(`${orderId}-F1`)[0]).toMatchObject({ items: [serum, mask], shippingMethod: 'EXPRESS' });

    await probe.publish(Topics.ordersEvents, `order-${orderId}`, 'UpsellAdded', upsell('up-2'));
    const own = await sut.fulfillmentWhen(`${orderId}-U-up-2`, (f) => f.status === 'HOLD', 'the late upsell on its own');
    expect(own).toMatchObject({ orderId, reference: `${orderId}-U-up-2`, items: [{ productId: 'p-2', ...mask }], shippingMethod: 'EXPRESS' });
    expect(await sut.fulfillment(`${orderId}-F1`)).toMatchObject({ status: 'PENDING', items: [expect.objectContaining(serum), expect.objectContaining(mask)] });
    await probe.publish(Topics.ordersEvents, `order-${orderId}`, 'UpsellDeclined', {
      orderId,
      customerId,
      orderItemId: 'up-2',
      transactionId: `${orderId}-upsell-up-2`,
      amount: 900,
      newTotals: { subtotal: 5900, shipping: 0, salesTax: 0, discount: 0, total: 5900, refunded: 0 },
    });
    await sut.fulfillmentWhen(`${orderId}-U-up-2`, (f) => f.status === 'CANCELLED', 'the declined upsell cancelled');
  });

  it('serves the dashboard of its export queue to admins only', async () => {
    await http.get('/queues').expect(403);
    const queues = await http.get('/queues/api/queues', devKeys.admin).expect(200);
    expect(queues.body.queues.map((q: { name: string }) => q.name)).toEqual(['fulfillment-exports']);
    await http.get('/queues', null).expect(401);
  });
});
