import { randomUUID } from 'node:crypto';
import { IDEMPOTENCY_COLLECTION } from '@continuum/platform';
import { devKeys, newCustomer } from '@continuum/testing';
import { useOrdersService, visa } from './orders-harness';

jest.setTimeout(60_000);

describe('orders HTTP API (real stack)', () => {
  // the orders app and, as a process of its own, the payments service whose card vault it calls
  const t = useOrdersService();
  let campaignId: string;
  let productId: string;
  let subscriptionProductId: string;

  beforeAll(async () => {
    ({
      campaignId,
      productIds: [productId, subscriptionProductId],
    } = await t.createCampaign('Bladder Relief 911', [
      { sku: 'BR-1', name: 'One bottle', price: 3999, shippingPrice: 495, billingType: 'STRAIGHT' },
      { sku: 'BR-SUB', name: 'Monthly', price: 499, shippingPrice: 0, billingType: 'RECURRING', rebillPrice: 5999, intervalDays: 30, trial: { price: 499, days: 14, type: 'STANDARD' } },
    ]));
  });

  const placeOrder = (body: Record<string, unknown>, key: string = devKeys.agent) =>
    t.http.post('/orders', { campaignId, items: [{ productId, quantity: 1 }], paymentType: 'EXTERNAL', ...body }, key);

  it('creates and reads a campaign; agents may not create one', async () => {
    const read = await t.http.get(`/campaigns/${campaignId}`, devKeys.service).expect(200);
    expect(read.body.products.map((p: { sku: string }) => p.sku)).toEqual(['BR-1', 'BR-SUB']);
    await t.http.post('/campaigns', { name: 'x', currency: 'USD', products: [] }).expect(403);
  });

  it('answers bad input with 400 naming the field', async () => {
    const bad = await placeOrder({ customer: newCustomer(), items: [{ productId, quantity: 0 }] }).expect(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain('items.0.quantity');
    const unknownField = await placeOrder({ customer: newCustomer(), surprise: true }).expect(400);
    expect(unknownField.body.errors.map((e: { field: string }) => e.field)).toContain('surprise');
    const noCustomer = await placeOrder({}).expect(400);
    expect(noCustomer.body.errors).toEqual([expect.objectContaining({ field: 'customer' })]);
  });

  it('answers unknown ids with 404', async () => {
    await t.http.get(`/orders/${randomUUID()}`).expect(404);
    await t.http.get(`/customers/${randomUUID()}`).expect(404);
    await t.http.get(`/campaigns/${randomUUID()}`).expect(404);
    await placeOrder({ customerId: randomUUID() }).expect(404);
    await placeOrder({ campaignId: randomUUID(), customer: newCustomer() }).expect(404);
    await t.http.post(`/orders/${randomUUID()}/qa`, { action: 'APPROVE' }).expect(404);
  });

  it('lets only admins blacklist, and refuses a blacklisted email with 422, the rule and no OrderPlaced', async () => {
    const customer = newCustomer();
    await t.http.post('/blacklist', { type: 'EMAIL', value: customer.email }).expect(403);
    const entry = await t.http.post('/blacklist', { type: 'EMAIL', value: customer.email.toUpperCase(), reason: 'chargebacks' }, devKeys.admin).expect(201);
    const listed = await t.http.get('/blacklist').expect(200);
    expect(listed.body).toContainEqual(expect.objectContaining({ entryId: entry.body.entryId, value: customer.email }));

    const placedBefore = (await t.commits({ 'events.type': 'OrderPlaced' })).length;
    const refused = await placeOrder({ customer, paymentType: 'CARD', card: visa }).expect(422);
    expect(refused.body).toMatchObject({ code: 'BLACKLISTED', rule: { entryId: entry.body.entryId, type: 'EMAIL', value: customer.email } });
    expect((await t.commits({ 'events.type': 'OrderPlaced' })).length).toBe(placedBefore);
    expect(await t.commits({ 'events.data.email': customer.email })).toEqual([]);

    await t.http.delete(`/blacklist/${entry.body.entryId}`, devKeys.admin).expect(200);
    await placeOrder({ customer }).expect(201);
  });

  it('places one order for the same Idempotency-Key sent twice', async () => {
    const key = `order-${randomUUID()}`;
    const body = { customer: newCustomer() };
    const first = await placeOrder(body).set('Idempotency-Key', key).expect(201);
    const again = await placeOrder(body).set('Idempotency-Key', key).expect(201);
    expect(again.body).toEqual(first.body);
    expect(first.body).toMatchObject({ status: 'PROCESSING' });
    expect(await t.commits({ streamId: `order-${first.body.orderId}` })).toHaveLength(1);
    expect(await t.commits({ streamId: `customer-${first.body.customerId}` })).toHaveLength(1);
  });

  it('shows an order as its OpenAPI document describes it, and lists a customer orders', async () => {
    const placed = await placeOrder({ customer: newCustomer(), paymentType: 'CARD', card: visa, items: [{ productId, quantity: 2 }] }).expect(201);
    const order = await t.http.get(`/orders/${placed.body.orderId}`, devKeys.service).expect(200);
    expect(order.body).toMatchObject({
      orderId: placed.body.orderId,
      customerId: placed.body.customerId,
      campaignId,
      status: 'PROCESSING',
      paymentType: 'CARD',
      items: [{ productId, quantity: 2, unitPrice: 3999, price: 7998 }],
      totals: { subtotal: 7998, shipping: 495, salesTax: 0, discount: 0, total: 8493, refunded: 0 },
      card: { brand: 'VISA', last4: '1111' },
    });
    expect(typeof order.body.createdAt).toBe('string');
    const [stored] = await t.commits({ streamId: `order-${placed.body.orderId}` });
    expect(JSON.stringify(stored)).not.toContain('"cvv"');
    expect(JSON.stringify(stored)).not.toContain(visa.number);
    expect(stored!.events[0]!.data).toMatchObject({ card: { token: expect.stringMatching(/^tok_/), brand: 'VISA', last4: '1111', bin: '411111' } });
    const list = await t.http.get(`/orders?customerId=${placed.body.customerId}`).expect(200);
    expect(list.body.map((o: { orderId: string }) => o.orderId)).toEqual([placed.body.orderId]);
  });

  it('attaches a second order to the first customer when email and a name match, unless dedup is disabled', async () => {
    const customer = newCustomer({ phone: '+1 512 555 0100' });
    const first = await placeOrder({ customer }).expect(201);
    const sameByPhone = { ...customer, email: `other-${randomUUID().slice(0, 6)}@example.com`, firstName: 'Annie', phone: '1 (512) 555-0100' };
    const second = await placeOrder({ customer: { ...customer, email: customer.email.toUpperCase() } }).expect(201);
    const third = await placeOrder({ customer: sameByPhone }).expect(201);
    const forcedNew = await placeOrder({ customer, disableCustomerDedup: true }).expect(201);
    expect(second.body.customerId).toBe(first.body.customerId);
    expect(third.body.customerId).toBe(first.body.customerId);
    expect(forcedNew.body.customerId).not.toBe(first.body.customerId);
  });

  it('registers, edits and annotates customers; a note has 1..500 characters', async () => {
    const { body } = await t.http.post('/customers', newCustomer()).expect(201);
    await t.http.patch(`/customers/${body.customerId}`, { phone: '512-555-0199' }).expect(200);
    const note = await t.http.post(`/customers/${body.customerId}/notes`, { message: 'Asked for a callback' }).expect(201);
    const tooLong = await t.http.post(`/customers/${body.customerId}/notes`, { message: 'x'.repeat(501) }).expect(400);
    expect(tooLong.body.errors[0].field).toBe('message');
    const customer = await t.http.get(`/customers/${body.customerId}`).expect(200);
    expect(customer.body).toMatchObject({ phone: '512-555-0199', notes: [{ noteId: note.body.noteId, message: 'Asked for a callback', author: { kind: 'agent', id: 'dev-agent' } }] });
    await t.http.post(`/customers/${body.customerId}/notes`, { message: 'no' }, devKeys.service).expect(403);
  });

  it('counts a note 1..500 characters after trimming: blank is 400, surrounding whitespace is not counted or kept', async () => {
    const { body } = await t.http.post('/customers', newCustomer()).expect(201);
    const blank = await t.http.post(`/customers/${body.customerId}/notes`, { message: '   \n ' }).expect(400);
    expect(blank.body.errors.map((e: { field: string }) => e.field)).toEqual(['message']);
    const longest = 'y'.repeat(500);
    await t.http.post(`/customers/${body.customerId}/notes`, { message: `  ${longest}  ` }).expect(201);
    const tooLong = await t.http.post(`/customers/${body.customerId}/notes`, { message: ` ${longest}z ` }).expect(400);
    expect(tooLong.body.errors.map((e: { field: string }) => e.field)).toEqual(['message']);
    const customer = await t.http.get(`/customers/${body.customerId}`).expect(200);
    expect(customer.body.notes.map((n: { message: string }) => n.message)).toEqual([longest]);
  });

  it('merges a customer into another: its orders move to the survivor', async () => {
    const survivor = await t.http.post('/customers', newCustomer()).expect(201);
    const other = await t.http.post('/customers', newCustomer()).expect(201);
    const order = await placeOrder({ customerId: other.body.customerId }).expect(201);
    const merged = await t.http.post(`/customers/${survivor.body.customerId}/merge`, { fromCustomerId: other.body.customerId }).expect(200);
    expect(merged.body.reassignedOrderIds).toEqual([order.body.orderId]);
    const moved = await t.http.get(`/orders/${order.body.orderId}`).expect(200);
    expect(moved.body.customerId).toBe(survivor.body.customerId);
    const gone = await t.http.get(`/customers/${other.body.customerId}`).expect(200);
    expect(gone.body.mergedInto).toBe(survivor.body.customerId);
    const list = await t.http.get(`/orders?customerId=${survivor.body.customerId}`).expect(200);
    expect(list.body.map((o: { orderId: string }) => o.orderId)).toEqual([order.body.orderId]);
    // a retried merge changes nothing
    await t.http.post(`/customers/${survivor.body.customerId}/merge`, { fromCustomerId: other.body.customerId }).expect(200);
    expect(await t.commits({ streamId: `customer-${other.body.customerId}` })).toHaveLength(2);
  });

  it('cancels only with a reason', async () => {
    const placed = await placeOrder({ customer: newCustomer() }).expect(201);
    const missing = await t.http.post(`/orders/${placed.body.orderId}/cancel`, {}).expect(400);
    expect(missing.body.errors[0].field).toBe('reason');
    // a blank reason is bad input (400 naming the field), not a business rule
    const blank = await t.http.post(`/orders/${placed.body.orderId}/cancel`, { reason: ' \t\n ' }).expect(400);
    expect(blank.body.errors).toEqual([{ field: 'reason', message: 'reason must not be blank' }]);
    expect(await t.commits({ streamId: `order-${placed.body.orderId}` })).toHaveLength(1);
    const cancelled = await t.http.post(`/orders/${placed.body.orderId}/cancel`, { reason: 'customer request', fullRefund: true }).expect(200);
    expect(cancelled.body).toMatchObject({ status: 'CANCELLED', cancelReason: 'customer request' });
  });

  it('adds an upsell from the order campaign; a product from elsewhere is refused', async () => {
    const placed = await placeOrder({ customer: newCustomer() }, devKeys.service).expect(201);
    const upsell = await t.http.post(`/orders/${placed.body.orderId}/upsells`, { productId: subscriptionProductId, quantity: 1 }, devKeys.service).expect(201);
    const order = await t.http.get(`/orders/${placed.body.orderId}`).expect(200);
    expect(order.body.items).toHaveLength(2);
    expect(order.body.items[1]).toMatchObject({ orderItemId: upsell.body.orderItemId, productId: subscriptionProductId, price: 499 });
    expect(order.body.totals.total).toBe(3999 + 495 + 499);
    const unknown = await t.http.post(`/orders/${placed.body.orderId}/upsells`, { productId: 'nope', quantity: 1 }, devKeys.service).expect(422);
    expect(unknown.body.code).toBe('UNKNOWN_PRODUCT');
  });

  it('refuses an upsell on a COD order: its amount to collect was fixed when it was placed', async () => {
    const placed = await placeOrder({ customer: newCustomer(), paymentType: 'COD' }, devKeys.service).expect(201);
    const refused = await t.http.post(`/orders/${placed.body.orderId}/upsells`, { productId: subscriptionProductId, quantity: 1 }, devKeys.service).expect(422);
    expect(refused.body.code).toBe('UPSELL_NOT_AVAILABLE_FOR_COD');
    const order = await t.http.get(`/orders/${placed.body.orderId}`).expect(200);
    expect(order.body).toMatchObject({ items: [{ productId }], totals: { total: 3999 + 495 } });
    expect(await t.commits({ streamId: `order-${placed.body.orderId}` })).toHaveLength(1);
  });

  it('refuses QA on an order that is not held for QA, and a rerun of an order that was not declined', async () => {
    const placed = await placeOrder({ customer: newCustomer() }).expect(201);
    expect((await t.http.post(`/orders/${placed.body.orderId}/qa`, { action: 'APPROVE' }).expect(422)).body.code).toBe('ORDER_NOT_IN_QA');
    expect((await t.http.post(`/orders/${placed.body.orderId}/rerun`, {}).expect(422)).body.code).toBe('ORDER_NOT_DECLINED');
  });

  it('takes the brand from the vault, keeps no number in the idempotency record, and answers a card the vault refuses with 400 on card.<field>', async () => {
    const key = `card-${randomUUID()}`;
    const mastercard = { ...visa, number: '2221000000000009', cvv: '8604' };
    const placed = await placeOrder({ customer: newCustomer(), paymentType: 'CARD', card: mastercard }).set('Idempotency-Key', key).expect(201);
    const order = await t.http.get(`/orders/${placed.body.orderId}`).expect(200);
    expect(order.body.card).toMatchObject({ brand: 'MASTERCARD', last4: '0009' });
    const record = await t.platform().connection.db!.collection(IDEMPOTENCY_COLLECTION).findOne({ _id: `dev-agent:${key}` as never });
    expect(record).not.toBeNull();
    // the cvv as a value or a word of its own: its four digits may also occur inside the record's random hex ids
    expect(JSON.stringify(record)).not.toMatch(/2221000000000009|(?<![\w-])8604(?![\w-])/);

    const mistyped = await placeOrder({ customer: newCustomer(), paymentType: 'CARD', card: { ...visa, number: '4111111111111112' } }).expect(400);
    expect(mistyped.body.errors).toEqual([expect.objectContaining({ field: 'card.number' })]);
    expect(JSON.stringify(mistyped.body)).not.toContain('4111111111111112');
    const expired = await placeOrder({ customer: newCustomer(), paymentType: 'CARD', card: { ...visa, expMonth: 1, expYear: 2020 } }).expect(400);
    expect(expired.body.errors).toEqual([expect.objectContaining({ field: 'card.expYear' })]);
  });

  it("sends the shipping method: the one the order names if its campaign offers it, else the campaign's first; another is 422, a malformed one 400", async () => {
    const shipping = await t.createCampaign('Shipping methods', [{ sku: 'SM-1', name: 'One bottle', price: 1000, shippingPrice: 0, billingType: 'STRAIGHT' }], { shippingMethods: [{ code: 'EXPRESS', name: 'Express, 2 days' }, { code: 'STANDARD' }] });
    expect((await t.http.get(`/campaigns/${shipping.campaignId}`, devKeys.service).expect(200)).body.shippingMethods).toEqual([{ code: 'EXPRESS', name: 'Express, 2 days' }, { code: 'STANDARD' }]);
    const order = (body: Record<string, unknown>) => t.http.post('/orders', { campaignId: shipping.campaignId, items: [{ productId: shipping.productIds[0], quantity: 1 }], paymentType: 'EXTERNAL', customer: newCustomer(), ...body });
    const methodOf = async (orderId: string) => {
      const [commit] = await t.commits({ streamId: `order-${orderId}` });
      return (commit!.events.find((e) => e.type === 'OrderPlaced')!.data as { shippingMethod?: string }).shippingMethod;
    };
    expect(await methodOf((await order({ shippingMethod: 'STANDARD' }).expect(201)).body.orderId)).toBe('STANDARD');
    expect(await methodOf((await order({}).expect(201)).body.orderId)).toBe('EXPRESS');
    const refused = await order({ shippingMethod: 'NEXT_DAY' }).expect(422);
    expect(refused.body).toMatchObject({ code: 'SHIPPING_METHOD_NOT_OFFERED' });
    expect(JSON.stringify(refused.body)).toContain('shippingMethod');
    const malformed = await order({ shippingMethod: 'next day' }).expect(400);
    expect(malformed.body.errors.map((e: { field: string }) => e.field)).toContain('shippingMethod');
    const badCampaign = await t.http.post('/campaigns', { name: 'x', currency: 'USD', products: [{ sku: 'X', name: 'X', price: 1, shippingPrice: 0, billingType: 'STRAIGHT' }], shippingMethods: [{ code: 'next day' }] }, devKeys.admin).expect(400);
    expect(badCampaign.body.errors.map((e: { field: string }) => e.field)).toContain('shippingMethods.0.code');
    const twice = await t.http.post('/campaigns', { name: 'x', currency: 'USD', products: [{ sku: 'X', name: 'X', price: 1, shippingPrice: 0, billingType: 'STRAIGHT' }], shippingMethods: [{ code: 'EXPRESS' }, { code: 'EXPRESS' }] }, devKeys.admin).expect(422);
    expect(twice.body).toMatchObject({ code: 'INVALID_SHIPPING_METHODS' });
  });

  it('puts the X-Correlation-Id of the request and the caller on the stored events', async () => {
    const correlationId = `corr-${randomUUID()}`;
    const placed = await placeOrder({ customer: newCustomer() }, devKeys.service).set('X-Correlation-Id', correlationId).expect(201);
    const commits = [...(await t.commits({ streamId: `order-${placed.body.orderId}` })), ...(await t.commits({ streamId: `customer-${placed.body.customerId}` }))];
    expect(commits).toHaveLength(2);
    for (const commit of commits) expect(commit).toMatchObject({ correlationId, actor: { kind: 'service', id: 'dev-service' } });
  });

  // last: it stops the vault
  it('answers 503 problem+json and stores nothing when the card vault is down', async () => {
    await t.vault().stop();
    const customer = newCustomer();
    const down = await placeOrder({ customer, paymentType: 'CARD', card: visa }).expect(503);
    expect(down.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(down.body).toMatchObject({ status: 503, type: 'urn:continuum:problem:card-vault-unavailable', detail: expect.stringContaining('no order was placed') });
    expect(await t.commits({ 'events.data.email': customer.email })).toEqual([]);
    // orders that take no card do not need the vault
    await placeOrder({ customer }).expect(201);
  });
});
