import { devKeys, eventually, HttpAgent, httpAgent, newCustomer } from '@continuum/testing';
import { orderReaches, ServiceFleet, startServices, transactionsOf } from './support/service-processes';

// Cash on delivery across orders, payments and fulfillment as real processes: a COD order's fulfillment is
// created, exported and shipped, and the three COD outcomes move order, transaction and fulfillment.
let fleet: ServiceFleet;
let orders: HttpAgent;
let payments: HttpAgent;
let fulfillment: HttpAgent;
let campaignId: string;
let productId: string;

beforeAll(async () => {
  fleet = await startServices(['orders', 'payments', 'fulfillment']);
  orders = httpAgent(fleet.services['orders']!.url);
  payments = httpAgent(fleet.services['payments']!.url);
  fulfillment = httpAgent(fleet.services['fulfillment']!.url);
  const campaign = await orders.post('/campaigns', {
    name: 'Blood Pressure 911',
    currency: 'USD',
    products: [{ sku: 'BP-1', name: 'Blood Pressure 911 - 1 bottle', price: 3999, shippingPrice: 0, billingType: 'STRAIGHT' }],
  }, devKeys.admin);
  campaignId = campaign.body.campaignId;
  productId = campaign.body.products[0].productId;
}, 180_000);

afterAll(async () => {
  await fleet?.stop();
});

/** A COD order placed through orders, its fulfillment exported and shipped: answers the ids. */
async function shippedCodOrder(): Promise<{ orderId: string; fulfillmentId: string; transactionId: string }> {
  const placed = await orders.post('/orders', { campaignId, customer: newCustomer(), items: [{ productId, quantity: 1 }], paymentType: 'COD' });
  expect(placed.status).toBe(201);
  const orderId = placed.body.orderId as string;
  await orderReaches(orders, orderId, 'COD_PENDING');
  const [held] = await eventually(async () => {
    const list = (await fulfillment.get(`/fulfillments?orderId=${orderId}`)).body;
    return Array.isArray(list) && list.length === 1 ? list : undefined;
  }, 'the COD fulfillment created');
  expect(held).toMatchObject({ status: 'HOLD', cod: { status: 'PENDING', amount: 3999, currency: 'USD' } });
  // the ship-to comes from the customer (orders publishes it on customers.events.v1): retry the export until known
  await eventually(async () => {
    await fulfillment.post('/export-runs', {}, devKeys.admin).expect(200);
    return (await fulfillment.get(`/fulfillments/${held.fulfillmentId}`)).body.status === 'PENDING';
  }, 'the COD fulfillment exported');
  await fulfillment.post(`/fulfillments/${held.fulfillmentId}/ship`, { trackingNumber: '1ZCOD', carrier: 'UPS' }).expect(200);
  const [cod] = await transactionsOf(payments, orderId);
  return { orderId, fulfillmentId: held.fulfillmentId, transactionId: cod.transactionId };
}

const transactionResponse = (transactionId: string, response: string) =>
  eventually(async () => (await payments.get(`/transactions/${transactionId}`)).body.response === response, `transaction ${transactionId} ${response}`);

describe('COD across orders, payments and fulfillment', () => {
  it('Mark COD Paid: fulfillment DELIVERED, transaction SUCCESS, order COMPLETE (and no second fulfillment)', async () => {
    const { orderId, fulfillmentId, transactionId } = await shippedCodOrder();
    const paid = await fulfillment.post(`/fulfillments/${fulfillmentId}/cod/paid`, { deliveryConfirmation: 'DC-123', date: '2026-11-25' }).expect(200);
    expect(paid.body).toMatchObject({ status: 'DELIVERED', cod: { status: 'PAID', deliveryConfirmation: 'DC-123' } });
    await transactionResponse(transactionId, 'SUCCESS');
    await orderReaches(orders, orderId, 'COMPLETE');
    expect((await fulfillment.get(`/fulfillments?orderId=${orderId}`)).body).toHaveLength(1);
  });

  it('Mark COD Undelivered, reattempt: the fulfillment stays pending, a soft decline on the transaction, the order stays COD_PENDING', async () => {
    const { orderId, fulfillmentId, transactionId } = await shippedCodOrder();
    const body = (await fulfillment.post(`/fulfillments/${fulfillmentId}/cod/undelivered`, { status: 'SCHEDULED_FOR_REATTEMPT' }).expect(200)).body;
    expect(body).toMatchObject({ status: 'SHIPPED', cod: { status: 'SCHEDULED_FOR_REATTEMPT' } });
    await transactionResponse(transactionId, 'SOFT_DECLINE');
    expect((await orders.get(`/orders/${orderId}`)).body.status).toBe('COD_PENDING');
  });

  it('Mark COD Undelivered, declined: fulfillment CANCELLED, hard decline, order DECLINED', async () => {
    const { orderId, fulfillmentId, transactionId } = await shippedCodOrder();
    const body = (await fulfillment.post(`/fulfillments/${fulfillmentId}/cod/undelivered`, { status: 'DECLINED' }).expect(200)).body;
    expect(body).toMatchObject({ status: 'CANCELLED' });
    await transactionResponse(transactionId, 'HARD_DECLINE');
    await orderReaches(orders, orderId, 'DECLINED');
  });
});
