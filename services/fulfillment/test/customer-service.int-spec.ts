import { randomUUID } from 'node:crypto';
import { FULFILLMENT_CANCEL_REQUEST_MESSAGE, Topics, registry } from '@continuum/contracts';
import { eventually } from '@continuum/testing';
import { CampaignLimitsView } from '../src/views';
import { fulfillmentWait, newOrderId, orderSnapshot, useFulfillmentService } from './fulfillment-harness';

jest.setTimeout(90_000);

// What a customer-service agent does with a fulfillment: reship the right products, mark COD only
// once the package shipped, and cancel one the house already holds (the house is told).
describe('fulfillment: reship with corrected items, COD after shipping, house cancel requests (Kafka, FerretDB, Redis)', () => {
  const sut = useFulfillmentService();
  const { http, probe, app } = sut;

  const serum = { orderItemId: 'oi-1', productId: 'p-1', sku: 'SKU-1', name: 'Serum', quantity: 2, unitPrice: 1000, price: 2000, shippingPrice: 0, billingType: 'STRAIGHT' };
  const cream = { orderItemId: 'oi-2', productId: 'p-2', sku: 'SKU-2', name: 'Cream', quantity: 1, unitPrice: 3000, price: 3000, shippingPrice: 0, billingType: 'STRAIGHT' };

  /** A campaign allowing 3 units of a product per line, as orders announces it. */
  async function campaignWithLimit(): Promise<string> {
    const campaignId = `camp-${randomUUID().slice(0, 8)}`;
    const product = (p: typeof serum) => ({ productId: p.productId, sku: p.sku, name: p.name, price: p.unitPrice, shippingPrice: 0, billingType: 'STRAIGHT' });
    await probe.publish(Topics.ordersEvents, `campaign-${campaignId}`, 'CampaignCreated', {
      campaignId,
      name: 'Serum and cream',
      currency: 'USD',
      qaRate: 0,
      skipQaForExternal: true,
      products: [product(serum), product(cream)],
      limits: { maxQuantity: 3 },
    });
    await eventually(async () => (await app().get(CampaignLimitsView).limits(campaignId))?.maxQuantity === 3, 'campaign limits known to fulfillment', fulfillmentWait);
    return campaignId;
  }

  /** A shipped fulfillment of an order of serum and cream in that campaign. */
  async function shippedOrderOfTwo(campaignId: string) {
    const orderId = newOrderId();
    const customerId = await sut.registerCustomer();
    await probe.publish(Topics.ordersEvents, `order-${orderId}`, 'OrderCompleted', { ...orderSnapshot(orderId, customerId), campaignId, items: [serum, cream] });
    const held = await sut.fulfillmentWhen(`${orderId}-F1`, (f) => f.status === 'HOLD', `fulfillment of ${orderId} in HOLD`);
    await sut.exportRun();
    await http.post(`/fulfillments/${held.fulfillmentId}/ship`, { trackingNumber: '1ZWRONG', carrier: 'UPS' }).expect(200);
    return held;
  }

  it("reships the corrected product instead of the original lines; the house gets a request for exactly those", async () => {
    const original = await shippedOrderOfTwo(await campaignWithLimit());
    const reship = (await http.post(`/fulfillments/${original.fulfillmentId}/reship`, { items: [{ sku: 'SKU-2', quantity: 3 }] }).expect(201)).body;
    expect(reship).toEqual({ fulfillmentId: `${original.fulfillmentId}-R1`, reference: `${original.reference}-R1` });
    expect(await sut.fulfillment(reship.fulfillmentId)).toMatchObject({ status: 'HOLD', reshipOf: original.fulfillmentId, items: [{ sku: 'SKU-2', name: 'Cream', quantity: 3 }] });
    await sut.exportRun();
    await eventually(() => sut.requestsFor(reship.reference).length === 1, 'the reship request published', fulfillmentWait);
    expect(sut.requestsFor(reship.reference)[0]).toMatchObject({ items: [{ sku: 'SKU-2', name: 'Cream', quantity: 3 }] });
    // without items, a reship ships the original lines
    const plain = (await http.post(`/fulfillments/${original.fulfillmentId}/reship`, {}).expect(201)).body;
    expect(((await http.get(`/fulfillments/${plain.fulfillmentId}`).expect(200)).body.items as Array<{ sku: string }>).map((i) => i.sku)).toEqual(['SKU-1', 'SKU-2']);
  });

  it("refuses a line that is not one of the order's products or is over the campaign's limit (422 naming the field) and stores nothing", async () => {
    const original = await shippedOrderOfTwo(await campaignWithLimit());
    const unknown = await http.post(`/fulfillments/${original.fulfillmentId}/reship`, { items: [{ sku: 'SKU-1', quantity: 1 }, { sku: 'SKU-9', quantity: 1 }] }).expect(422);
    expect(unknown.body).toMatchObject({ code: 'PRODUCT_NOT_IN_ORDER', errors: [{ field: 'items.1.sku' }] });
    const tooMany = await http.post(`/fulfillments/${original.fulfillmentId}/reship`, { items: [{ sku: 'SKU-1', quantity: 4 }] }).expect(422);
    expect(tooMany.body).toMatchObject({ code: 'QUANTITY_LIMIT', errors: [{ field: 'items.0.quantity' }] });
    const none = await http.post(`/fulfillments/${original.fulfillmentId}/reship`, { items: [{ sku: 'SKU-1', quantity: 0 }] }).expect(422);
    expect(none.body).toMatchObject({ code: 'INVALID_QUANTITY', errors: [{ field: 'items.0.quantity' }] });
    await http.post(`/fulfillments/${original.fulfillmentId}/reship`, { items: [{ sku: 'SKU-1' }] }).expect(400);
    expect((await sut.fulfillment(original.fulfillmentId)).reships).toEqual([]);
    expect(await sut.storedEvents(original.fulfillmentId, 'FulfillmentReshipped')).toBe(0);
  });

  it('refuses COD paid and undelivered with 422 NOT_SHIPPED until the fulfillment has SHIPPED', async () => {
    const held = await sut.orderThatShips({ type: 'OrderAwaitingCod', paymentType: 'COD', total: 3000 });
    const paidEarly = await http.post(`/fulfillments/${held.fulfillmentId}/cod/paid`, { deliveryConfirmation: 'DC-1', date: '2026-03-05' }).expect(422);
    expect(paidEarly.body).toMatchObject({ code: 'NOT_SHIPPED' });
    await sut.exportRun();
    await sut.fulfillmentWhen(held.fulfillmentId, (f) => f.status === 'PENDING', 'PENDING');
    const undeliveredEarly = await http.post(`/fulfillments/${held.fulfillmentId}/cod/undelivered`, { status: 'SCHEDULED_FOR_REATTEMPT' }).expect(422);
    expect(undeliveredEarly.body).toMatchObject({ code: 'NOT_SHIPPED' });
    expect(await sut.storedEvents(held.fulfillmentId, 'CodMarkedUndelivered')).toBe(0);
    await http.post(`/fulfillments/${held.fulfillmentId}/ship`, { trackingNumber: '1ZCOD' }).expect(200);
    expect((await http.post(`/fulfillments/${held.fulfillmentId}/cod/paid`, { deliveryConfirmation: 'DC-1', date: '2026-03-05' }).expect(200)).body).toMatchObject({
      status: 'DELIVERED',
      cod: { status: 'PAID' },
    });
  });

  it('cancelling a fulfillment the house holds sends the house a cancel request with its reference; one still in HOLD sends none', async () => {
    const held = await sut.orderThatShips();
    await http.post(`/fulfillments/${held.fulfillmentId}/cancel`, { reason: 'customer asked' }).expect(200);
    const exported = await sut.orderThatShips();
    await sut.exportRun();
    await sut.fulfillmentWhen(exported.fulfillmentId, (f) => f.status === 'PENDING', 'PENDING');
    // the order's cancel reaches the exported one
    await probe.publish(Topics.ordersEvents, `order-${exported.orderId}`, 'OrderCancelled', {
      orderId: exported.orderId,
      customerId: 'cus-x',
      paymentType: 'CARD',
      reason: 'duplicate order',
      fullRefund: true,
      previousStatus: 'COMPLETE',
      refundableAmount: 5000,
    });
    await eventually(() => sut.requestsFor(exported.reference).some((m) => m['type'] === FULFILLMENT_CANCEL_REQUEST_MESSAGE), 'the cancel request published', fulfillmentWait);
    const cancel = sut.requestsFor(exported.reference).find((m) => m['type'] === FULFILLMENT_CANCEL_REQUEST_MESSAGE)!;
    expect(cancel).toEqual({ type: FULFILLMENT_CANCEL_REQUEST_MESSAGE, reference: exported.reference, orderId: exported.orderId, reason: 'order cancelled: duplicate order', at: expect.any(String) });
    expect(() => registry.validate(FULFILLMENT_CANCEL_REQUEST_MESSAGE, 1, cancel)).not.toThrow();
    const record = probe.records.find((r) => r.topic === Topics.fulfillmentRequests && r.key === exported.reference && JSON.parse(r.value).type === FULFILLMENT_CANCEL_REQUEST_MESSAGE);
    expect(record?.headers?.['type']).toBe(FULFILLMENT_CANCEL_REQUEST_MESSAGE);
    // the one cancelled in HOLD was never sent, so the house hears nothing of it
    await probe.caughtUp();
    expect(sut.requestsFor(held.reference)).toEqual([]);
  });
});
