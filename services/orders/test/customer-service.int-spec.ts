import { randomUUID } from 'node:crypto';
import { Topics } from '@continuum/contracts';
import { devKeys, eventEnvelope, eventually, newCustomer } from '@continuum/testing';
import { useOrdersService, visa } from './orders-harness';

jest.setTimeout(120_000);

describe('orders for customer service: the QA queue, discounts, subscriptions on request (real stack)', () => {
  const t = useOrdersService();
  let campaignId: string;
  let otherCampaignId: string;
  let productId: string;
  let subscriptionId: string;

  beforeAll(async () => {
    ({
      campaignId,
      productIds: [productId, subscriptionId],
    } = await t.createCampaign('Customer service', [
      { sku: 'CS-1', name: 'One', price: 2500, shippingPrice: 500, billingType: 'STRAIGHT' },
      { sku: 'CS-SUB', name: 'Monthly', price: 499, shippingPrice: 0, billingType: 'RECURRING', rebillPrice: 5999, intervalDays: 30, trial: { price: 499, days: 14, type: 'STANDARD' } },
    ]));
    ({ campaignId: otherCampaignId } = await t.createCampaign('Other', [{ sku: 'OT-1', name: 'Other', price: 1000, shippingPrice: 0, billingType: 'STRAIGHT' }]));
  });

  const place = async (body: Record<string, unknown>, key: string = devKeys.agent) =>
    (await t.http.post('/orders', { campaignId, customer: newCustomer(), items: [{ productId, quantity: 1 }], paymentType: 'EXTERNAL', ...body }, key).expect(201)).body as {
      orderId: string;
      customerId: string;
    };
  /** Plays payments: the external payment of the order is recorded, so orders holds it for QA. */
  const recordExternal = async (order: { orderId: string; customerId: string }) => {
    const transactionId = randomUUID();
    await t.probe.publishEnvelope(
      Topics.paymentsEvents,
      eventEnvelope('ExternalPaymentRecorded', `transaction-${transactionId}`, { transactionId, orderId: order.orderId, customerId: order.customerId, amount: 0, currency: 'USD', at: new Date().toISOString() }),
    );
    await eventually(async () => (await t.http.get(`/orders/${order.orderId}`).expect(200)).body.status === 'PENDING', `order ${order.orderId} PENDING`);
  };
  const queue = async (query: string) => (await t.http.get(`/orders?${query}`).expect(200)).body as Array<{ orderId: string; status: string; qa: { reasons: string[] } }>;

  it('lists the orders held for QA in the order they reached it, paged, per campaign, with their reasons; a decided one leaves', async () => {
    const held = [];
    for (let n = 0; n < 3; n += 1) {
      const order = await place({ forceQa: n === 0 });
      await recordExternal(order);
      held.push(order.orderId);
    }
    const elsewhere = await place({ campaignId: otherCampaignId, items: [{ productId: (await t.http.get(`/campaigns/${otherCampaignId}`).expect(200)).body.products[0].productId, quantity: 1 }] });
    await recordExternal(elsewhere);

    const first = await queue(`status=PENDING&campaignId=${campaignId}&limit=2`);
    expect(first.map((o) => o.orderId)).toEqual(held.slice(0, 2));
    expect(first[0]).toMatchObject({ status: 'PENDING', qa: { reasons: ['FORCED', 'EXTERNAL'] } });
    expect(first[1]!.qa.reasons).toEqual(['EXTERNAL']);
    const second = await queue(`status=PENDING&campaignId=${campaignId}&limit=2&after=${first[1]!.orderId}`);
    expect(second.map((o) => o.orderId)).toEqual([held[2]]);
    expect((await queue('status=PENDING')).map((o) => o.orderId)).toEqual([...held, elsewhere.orderId]);

    await t.http.post(`/orders/${held[0]}/qa`, { action: 'APPROVE' }).expect(200);
    expect((await queue(`status=PENDING&campaignId=${campaignId}`)).map((o) => o.orderId)).toEqual(held.slice(1));
    expect((await queue(`status=COMPLETE&campaignId=${campaignId}`)).map((o) => o.orderId)).toEqual([held[0]]);
    // the customer's orders are listed as before
    expect((await queue(`customerId=${elsewhere.customerId}`)).map((o) => o.orderId)).toEqual([elsewhere.orderId]);
  });

  it('answers a bad status, limit or a missing filter with 400 naming the field', async () => {
    const fieldsOf = async (query: string) => ((await t.http.get(`/orders?${query}`).expect(400)).body.errors as Array<{ field: string }>).map((e) => e.field);
    expect(await fieldsOf('status=HELD')).toContain('status');
    expect(await fieldsOf('status=PENDING&limit=0')).toContain('limit');
    expect(await fieldsOf('status=PENDING&limit=201')).toContain('limit');
    expect(await fieldsOf('status=PENDING&limit=ten')).toContain('limit');
    expect(await fieldsOf('')).toEqual(['customerId', 'status']);
    // both: the customer's orders in that status
    expect(await queue('customerId=nobody&status=PENDING')).toEqual([]);
    await t.http.get('/orders?status=PENDING&limit=200').expect(200);
  });

  it('takes an agent\'s discount off the total with its reason on OrderPlaced; more than subtotal plus shipping is 422 naming discount.amount', async () => {
    const order = await place({ paymentType: 'CARD', card: visa, items: [{ productId, quantity: 2 }], discount: { amount: 1200, reason: 'late delivery last time' } });
    const read = await t.http.get(`/orders/${order.orderId}`).expect(200);
    expect(read.body.totals).toMatchObject({ subtotal: 5000, shipping: 500, discount: 1200, total: 4300 });
    const placed = await t.probe.waitForEvent('OrderPlaced', { orderId: order.orderId });
    expect(placed.data).toMatchObject({ discountReason: 'late delivery last time', totals: { discount: 1200, total: 4300 } });

    const tooMuch = await t.http.post('/orders', { campaignId, customer: newCustomer(), items: [{ productId, quantity: 1 }], paymentType: 'EXTERNAL', discount: { amount: 3001, reason: 'x' } }).expect(422);
    expect(tooMuch.body).toMatchObject({ code: 'DISCOUNT_EXCEEDS_TOTAL', errors: [{ field: 'discount.amount' }] });
    const byService = await t.http.post('/orders', { campaignId, customer: newCustomer(), items: [{ productId, quantity: 1 }], paymentType: 'EXTERNAL', discount: { amount: 100, reason: 'x' } }, devKeys.service).expect(422);
    expect(byService.body.code).toBe('DISCOUNT_NOT_ALLOWED');
    const negative = await t.http.post('/orders', { campaignId, customer: newCustomer(), items: [{ productId, quantity: 1 }], paymentType: 'EXTERNAL', discount: { amount: -5, reason: 'x' } }).expect(400);
    expect(negative.body.errors.map((e: { field: string }) => e.field)).toContain('discount.amount');
  });

  it('an EXTERNAL order subscribes a recurring line only when asked and the customer has a card on file', async () => {
    const recurring = (subscribe?: boolean) => [{ productId: subscriptionId, quantity: 1, ...(subscribe !== undefined ? { subscribe } : {}) }];
    const noCard = await t.http.post('/orders', { campaignId, customer: newCustomer(), items: recurring(true), paymentType: 'EXTERNAL' }).expect(422);
    expect(noCard.body).toMatchObject({ code: 'SUBSCRIPTION_NEEDS_CARD', errors: [{ field: 'items.0.subscribe' }] });

    const unasked = await place({ items: recurring() });
    expect(((await t.probe.waitForEvent('OrderPlaced', { orderId: unasked.orderId })).data as { items: unknown[] }).items[0]).toMatchObject({ subscribe: false });

    const byCard = await place({ paymentType: 'CARD', card: visa, items: recurring() });
    expect(((await t.probe.waitForEvent('OrderPlaced', { orderId: byCard.orderId })).data as { items: unknown[] }).items[0]).toMatchObject({ subscribe: true });
    const asked = await place({ customer: undefined, customerId: byCard.customerId, items: recurring(true) });
    expect(((await t.probe.waitForEvent('OrderPlaced', { orderId: asked.orderId })).data as { items: unknown[] }).items[0]).toMatchObject({ subscribe: true });
  });

  it('an admin blacklists a customer: entries for its email, phone and billing address, one CustomerBlacklisted naming them, and its next order refused', async () => {
    const customer = { ...newCustomer(), phone: '+1 512 555 0199' };
    const { customerId } = (await t.http.post('/customers', customer).expect(201)).body as { customerId: string };
    await t.http.post(`/customers/${customerId}/blacklist`, { reason: 'chargebacks' }).expect(403);
    const blank = await t.http.post(`/customers/${customerId}/blacklist`, { reason: '' }, devKeys.admin).expect(400);
    expect(blank.body.errors.map((e: { field: string }) => e.field)).toContain('reason');
    await t.http.post(`/customers/${randomUUID()}/blacklist`, { reason: 'chargebacks' }, devKeys.admin).expect(404);

    const { entryIds } = (await t.http.post(`/customers/${customerId}/blacklist`, { reason: 'chargebacks', codOnly: false }, devKeys.admin).expect(201)).body as { entryIds: string[] };
    expect(entryIds).toHaveLength(3);
    const listed = (await t.http.get('/blacklist').expect(200)).body as Array<{ entryId: string; type: string; reason?: string }>;
    expect(listed.filter((e) => entryIds.includes(e.entryId)).map((e) => [e.type, e.reason]).sort()).toEqual(
      [
        ['EMAIL', 'chargebacks'],
        ['PHONE', 'chargebacks'],
        ['ADDRESS', 'chargebacks'],
      ].sort(),
    );
    const [recorded, ...more] = await t.commits({ streamId: `customer-${customerId}`, 'events.type': 'CustomerBlacklisted' });
    expect(more).toEqual([]);
    expect(recorded).toMatchObject({ actor: { kind: 'admin' }, events: [{ type: 'CustomerBlacklisted', data: { customerId, codOnly: false, reason: 'chargebacks' } }] });
    expect((recorded!['events'] as unknown as Array<{ data: { entries: Array<{ entryId: string }> } }>)[0]!.data.entries.map((e) => e.entryId)).toEqual(entryIds);

    // blacklisting again adds nothing new: the same entries, in force already
    const again = (await t.http.post(`/customers/${customerId}/blacklist`, { reason: 'again' }, devKeys.admin).expect(201)).body as { entryIds: string[] };
    expect(again.entryIds).toEqual(entryIds);
    const refused = await t.http.post('/orders', { campaignId, customerId, items: [{ productId, quantity: 1 }], paymentType: 'EXTERNAL' }).expect(422);
    expect(refused.body.code).toBe('BLACKLISTED');
  });

  it('keeps custom fields on customers and orders: POST, PATCH merging by name ("" or null removes), GET; 21 fields or a long name is 400 naming the field and stores nothing', async () => {
    const fields = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`field${i}`, 'x']));
    const longName = 'n'.repeat(41);
    const named = (body: { errors: Array<{ field: string }> }) => body.errors.map((e) => e.field);

    const tooMany = await t.http.post('/customers', { ...newCustomer(), customFields: fields(21) }).expect(400);
    expect(tooMany.body.errors).toEqual([{ field: 'customFields', message: 'at most 20 custom fields (21 given)' }]);
    expect(named((await t.http.post('/customers', { ...newCustomer(), customFields: { [longName]: 'x' } }).expect(400)).body)).toEqual([`customFields.${longName}`]);
    expect(named((await t.http.post('/customers', { ...newCustomer(), customFields: ['x'] }).expect(400)).body)).toEqual(['customFields']);
    const longOrder = await t.http.post('/orders', { campaignId, customer: newCustomer(), items: [{ productId, quantity: 1 }], paymentType: 'EXTERNAL', customFields: { tier: 'v'.repeat(501) } }).expect(400);
    expect(named(longOrder.body)).toEqual(['customFields.tier']);

    // an address of its own: the test above blacklists the shared test address
    const customer = newCustomer({ billingAddress: { line1: '7 Custom Fields Rd', city: 'Austin', state: 'TX', postalCode: '78702', country: 'US' } });
    const { customerId } = (await t.http.post('/customers', { ...customer, customFields: { tier: 'gold', source: 'fair', blank: '' } }).expect(201)).body as { customerId: string };
    expect((await t.http.get(`/customers/${customerId}`).expect(200)).body.customFields).toEqual({ tier: 'gold', source: 'fair' });
    const patched = await t.http.patch(`/customers/${customerId}`, { customFields: { tier: 'platinum', source: null, channel: 'phone' } }).expect(200);
    expect(patched.body.customFields).toEqual({ tier: 'platinum', channel: 'phone' });
    expect((await t.http.get(`/customers/${customerId}`).expect(200)).body.customFields).toEqual({ tier: 'platinum', channel: 'phone' });
    const [changed] = await t.commits({ streamId: `customer-${customerId}`, 'events.type': 'CustomerCustomFieldsChanged' });
    expect(changed).toMatchObject({ actor: { kind: 'agent' }, events: [{ data: { customerId, set: { tier: 'platinum', channel: 'phone' }, removed: ['source'], by: { kind: 'agent' } } }] });

    expect(named((await t.http.patch(`/customers/${customerId}`, { lastName: 'Changed', customFields: { tier: 5 } }).expect(400)).body)).toEqual(['customFields.tier']);
    expect((await t.http.get(`/customers/${customerId}`).expect(200)).body).toMatchObject({ lastName: customer.lastName, customFields: { tier: 'platinum', channel: 'phone' } });
    // the limit of 20 applies to the merged result: 18 more on 2 is 20, one more is refused and changes nothing
    await t.http.patch(`/customers/${customerId}`, { customFields: fields(18) }).expect(200);
    const over = await t.http.patch(`/customers/${customerId}`, { customFields: { extra: 'y' } }).expect(422);
    expect(over.body).toMatchObject({ code: 'TOO_MANY_CUSTOM_FIELDS', errors: [{ field: 'customFields' }] });
    expect(Object.keys((await t.http.get(`/customers/${customerId}`).expect(200)).body.customFields)).toHaveLength(20);

    const order = await place({ customer: undefined, customerId, customFields: { giftMessage: 'Happy birthday' } });
    expect((await t.http.get(`/orders/${order.orderId}`).expect(200)).body.customFields).toEqual({ giftMessage: 'Happy birthday' });
    expect((await t.probe.waitForEvent('OrderPlaced', { orderId: order.orderId })).data).toMatchObject({ customFields: { giftMessage: 'Happy birthday' } });
  });
});
