import { randomUUID } from 'node:crypto';
import { placeOrderBodyProperties, Topics } from '@continuum/contracts';
import { devKeys, eventually, newCustomer, testAddress as address } from '@continuum/testing';
import { derivedId } from '@continuum/platform';
import { intakeSeed } from '../src/messaging/intake-seed';
import { useOrdersService, visa } from './orders-harness';

jest.setTimeout(90_000);

/** The orders service's HTTP edge against hostile and contract-breaking input (docs/api-limits.md). */
describe('orders HTTP edge (real stack)', () => {
  const t = useOrdersService();
  let campaignId: string;
  let productId: string;

  beforeAll(async () => {
    ({ campaignId, productIds: [productId] } = await t.createCampaign('Edge campaign', [{ sku: 'E-1', name: 'One', price: 4999, shippingPrice: 599, billingType: 'STRAIGHT' }]));
  });

  const orderBody = (extra: Record<string, unknown> = {}) => ({ campaignId, customer: newCustomer(), items: [{ productId, quantity: 1 }], paymentType: 'EXTERNAL', ...extra });
  const eventCount = async () => (await t.commits()).reduce((n, commit) => n + commit.events.length, 0);
  const problemOf = (res: { status: number; headers: Record<string, string>; body: { status: number } }, status: number) => {
    expect({ status: res.status, type: res.headers['content-type'], body: res.body.status }).toEqual({ status, type: expect.stringMatching(/^application\/problem\+json/), body: status });
  };

  describe('fault 1 and 2: refused before anything runs, and nothing is written', () => {
    it('a 100 KB+ body is 413 even without a key; a form or text body is 415', async () => {
      const before = await eventCount();
      problemOf(await t.http.raw('post', '/orders', null).set('Content-Type', 'application/json').send(JSON.stringify({ note: 'x'.repeat(110_000) })), 413);
      problemOf(await t.http.raw('post', '/blacklist', devKeys.admin).type('form').send({ type: 'EMAIL', value: 'form@example.com' }), 415);
      problemOf(await t.http.raw('post', '/orders').set('Content-Type', 'text/plain').send(JSON.stringify(orderBody())), 415);
      expect(await eventCount()).toBe(before);
    });

    it('JSON nested 2,000 deep is 400 on every route', async () => {
      const deep = `{"items":${'['.repeat(2000)}${']'.repeat(2000)}}`;
      problemOf(await t.http.raw('post', '/orders').set('Content-Type', 'application/json').send(deep), 400);
    });
  });

  describe('fault 3: limits a real business has', () => {
    const fieldsOf = (res: { body: { errors?: { field: string }[] } }) => (res.body.errors ?? []).map((e) => e.field);

    it('a quantity of 1,000,000,000 is 400 naming it; above the campaign limit (default 100) 422 naming it; nothing placed', async () => {
      const before = await eventCount();
      const huge = await t.http.post('/orders', orderBody({ paymentType: 'CARD', card: visa, items: [{ productId, quantity: 1_000_000_000 }] }), devKeys.service);
      problemOf(huge, 400);
      expect(fieldsOf(huge)).toEqual(['items.0.quantity']);
      const overLimit = await t.http.post('/orders', orderBody({ paymentType: 'CARD', card: visa, items: [{ productId, quantity: 101 }] }), devKeys.service);
      problemOf(overLimit, 422);
      expect(overLimit.body).toMatchObject({ code: 'QUANTITY_LIMIT', errors: [{ field: 'items.0.quantity' }] });
      expect(await eventCount()).toBe(before);
    });

    it('a total near 2^53 is 400 (unit price ceiling); above the campaign total limit 422', async () => {
      const near = await t.http.post('/orders', orderBody({ paymentType: 'CARD', card: visa, items: [{ productId, quantity: 1, unitPrice: 2 ** 53 - 1 }] }), devKeys.admin);
      problemOf(near, 400);
      expect(fieldsOf(near)).toEqual(['items.0.unitPrice']);
      const overTotal = await t.http.post('/orders', orderBody({ paymentType: 'CARD', card: visa, items: [{ productId, quantity: 100, unitPrice: 20_000 }] }), devKeys.admin);
      problemOf(overTotal, 422);
      expect(overTotal.body.code).toBe('ORDER_TOTAL_LIMIT');
    });

    it('an upsell over the limits is refused the same way', async () => {
      const placed = await t.http.post('/orders', orderBody({ paymentType: 'CARD', card: visa }), devKeys.service).expect(201);
      problemOf(await t.http.post(`/orders/${placed.body.orderId}/upsells`, { productId, quantity: 1_000_000_000 }, devKeys.service), 400);
      const over = await t.http.post(`/orders/${placed.body.orderId}/upsells`, { productId, quantity: 101 }, devKeys.service);
      problemOf(over, 422);
      expect(over.body).toMatchObject({ code: 'QUANTITY_LIMIT', errors: [{ field: 'quantity' }] });
      const agentPriced = await t.http.post(`/orders/${placed.body.orderId}/upsells`, { productId, quantity: 1, unitPrice: 0 });
      expect(agentPriced.body).toMatchObject({ status: 422, code: 'UNIT_PRICE_NOT_ALLOWED', errors: [{ field: 'unitPrice' }] });
    });

    it('an agent may not set the unit price of a CARD order (422, nothing placed); of an EXTERNAL one it may', async () => {
      const before = await eventCount();
      const refused = await t.http.post('/orders', orderBody({ paymentType: 'CARD', card: visa, items: [{ productId, quantity: 1, unitPrice: 0 }] }));
      problemOf(refused, 422);
      expect(refused.body).toMatchObject({ code: 'UNIT_PRICE_NOT_ALLOWED', errors: [{ field: 'items.0.unitPrice' }] });
      expect(await eventCount()).toBe(before);
      const replacement = await t.http.post('/orders', orderBody({ items: [{ productId, quantity: 1, unitPrice: 0 }] })).expect(201);
      expect((await t.http.get(`/orders/${replacement.body.orderId}`).expect(200)).body.totals.total).toBe(0);
    });

    it('a campaign sets its own limits: agents may price, two units at most', async () => {
      const created = await t.http
        .post(
          '/campaigns',
          {
            name: 'Phone sales',
            currency: 'USD',
            limits: { maxQuantity: 2, maxOrderTotal: 50_000, unitPriceRoles: ['agent', 'admin'] },
            products: [{ sku: 'P-1', name: 'One', price: 4999, shippingPrice: 0, billingType: 'STRAIGHT' }],
          },
          devKeys.admin,
        )
        .expect(201);
      expect(created.body.limits).toEqual({ maxQuantity: 2, maxOrderTotal: 50_000, unitPriceRoles: ['agent', 'admin'] });
      const own = { campaignId: created.body.campaignId, productId: created.body.products[0].productId };
      await t.http.post('/orders', orderBody({ campaignId: own.campaignId, paymentType: 'CARD', card: visa, items: [{ productId: own.productId, quantity: 2, unitPrice: 3999 }] })).expect(201);
      const three = await t.http.post('/orders', orderBody({ campaignId: own.campaignId, paymentType: 'CARD', card: visa, items: [{ productId: own.productId, quantity: 3 }] }));
      expect(three.body).toMatchObject({ status: 422, code: 'QUANTITY_LIMIT' });
      const byService = await t.http.post('/orders', orderBody({ campaignId: own.campaignId, paymentType: 'CARD', card: visa, items: [{ productId: own.productId, quantity: 1, unitPrice: 1 }] }), devKeys.service);
      expect(byService.body).toMatchObject({ status: 422, code: 'UNIT_PRICE_NOT_ALLOWED' });
      problemOf(await t.http.post('/campaigns', { name: 'x', currency: 'USD', limits: { maxQuantity: 0 }, products: [{ sku: 'X', name: 'X', price: 1, shippingPrice: 0, billingType: 'STRAIGHT' }] }, devKeys.admin), 400);
    });

    it('strings have lengths, and country, state and postal code have shapes; nothing reaches customers.events.v1', async () => {
      const before = await eventCount();
      const cases: [Record<string, unknown>, string][] = [
        [{ firstName: 'A'.repeat(10_000) }, 'firstName'],
        [{ billingAddress: { ...address, country: 'US\u0000' } }, 'billingAddress.country'],
        [{ billingAddress: { ...address, country: 'usa' } }, 'billingAddress.country'],
        [{ billingAddress: { ...address, state: 'TX\u202E' } }, 'billingAddress.state'],
        [{ billingAddress: { ...address, state: '<script>' } }, 'billingAddress.state'],
        [{ billingAddress: { ...address, postalCode: '!!!' } }, 'billingAddress.postalCode'],
        [{ phone: 'call me' }, 'phone'],
        [{ lastName: '   ' }, 'lastName'],
      ];
      for (const [change, field] of cases) {
        const res = await t.http.post('/customers', newCustomer(change));
        problemOf(res, 400);
        expect({ field, got: fieldsOf(res) }).toEqual({ field, got: [field] });
      }
      const nested = await t.http.post('/orders', orderBody({ customer: newCustomer({ firstName: 'B'.repeat(101) }) }));
      expect(fieldsOf(nested)).toEqual(['customer.firstName']);
      expect(await eventCount()).toBe(before);
      await t.http.post('/customers', newCustomer({ firstName: 'Zoë', billingAddress: { ...address, state: 'Île-de-France', postalCode: 'SW1A 1AA', country: 'FR' } })).expect(201);
    });
  });

  describe('fault 5: the OpenAPI document tells the truth', () => {
    let doc: any;
    beforeAll(async () => {
      doc = (await t.http.get('/docs-json', null).expect(200)).body;
    });
    const schemaOf = (name: string) => doc.components.schemas[name] ?? { missing: name, have: Object.keys(doc.components.schemas) };

    it('PlaceOrder is validated and documented from the schema the intake message uses', () => {
      const contract = JSON.parse(JSON.stringify(placeOrderBodyProperties()));
      const dto = schemaOf('PlaceOrderDto');
      expect(dto.additionalProperties).toBe(false);
      expect(dto.required).toEqual(['campaignId', 'items', 'paymentType']);
      expect(dto.properties.campaignId).toMatchObject(contract.campaignId);
      expect(dto.properties.items).toMatchObject({ type: 'array', minItems: 1, maxItems: 50 });
      expect(schemaOf('OrderItemDto').properties.quantity).toEqual(contract.items.items.properties.quantity);
      expect(schemaOf('OrderItemDto').properties.unitPrice).toMatchObject({ type: 'integer', minimum: 0, maximum: 100_000_000 });
      expect(schemaOf('AddressDto').properties.country).toMatchObject(contract.shippingAddress.properties.country);
      expect(schemaOf('NewCustomerDto').properties.firstName).toMatchObject(contract.customer.properties.firstName);
    });

    it('every operation has a success response with a schema, problems with problem+json, roles, and X-Correlation-Id', () => {
      for (const [path, item] of Object.entries<any>(doc.paths)) {
        for (const [method, op] of Object.entries<any>(item)) {
          const success = Object.entries<any>(op.responses).filter(([status]) => Number(status) < 300);
          expect({ path, method, success: success.length > 0 && success.every(([, r]) => r.content !== undefined) }).toEqual({ path, method, success: true });
          for (const [status, response] of Object.entries<any>(op.responses)) {
            if (Number(status) >= 400 && !(path === '/health' && status === '503')) expect({ path, status, type: Object.keys(response.content ?? {}) }).toEqual({ path, status, type: ['application/problem+json'] });
          }
          expect(op.parameters.some((p: { name: string }) => p.name === 'X-Correlation-Id')).toBe(true);
          if (path !== '/health') expect({ path, roles: Array.isArray(op['x-roles']) }).toEqual({ path, roles: true });
        }
      }
      expect(Object.keys(doc.paths['/orders'].post.responses).sort()).toEqual(['201', '400', '401', '403', '404', '409', '413', '415', '422', '503']);
      expect(doc.paths['/blacklist'].post['x-roles']).toEqual(['admin']);
    });

    it('links lead from what creates an id to what uses it', () => {
      const links = doc.paths['/orders'].post.responses['201'].links;
      expect(links.GetOrder).toEqual({ operationId: 'OrdersController_get', parameters: { id: '$response.body#/orderId' } });
      const operationIds = Object.values<any>(doc.paths).flatMap((item) => Object.values<any>(item).map((op) => op.operationId));
      for (const [path, item] of Object.entries<any>(doc.paths)) {
        for (const op of Object.values<any>(item)) {
          for (const response of Object.values<any>(op.responses)) {
            for (const link of Object.values<any>(response.links ?? {})) expect({ path, target: operationIds.includes(link.operationId) }).toEqual({ path, target: true });
          }
        }
      }
    });
  });

  describe('fault 4: the contract', () => {
    it('__proto__ and constructor are unknown fields (400), nothing placed', async () => {
      const before = await eventCount();
      for (const key of ['__proto__', 'constructor']) {
        const body = JSON.stringify(orderBody()).replace(/^\{/, `{"${key}":{"isAdmin":true},`);
        const res = await t.http.raw('post', '/orders').set('Content-Type', 'application/json').send(body);
        problemOf(res, 400);
        expect(res.body.errors).toEqual([expect.objectContaining({ field: key })]);
      }
      expect(await eventCount()).toBe(before);
    });

    it('the same blacklist entry twice is 409, also when written differently; removed, it may be added again', async () => {
      const email = `dup-${randomUUID().slice(0, 8)}@example.com`;
      const first = await t.http.post('/blacklist', { type: 'EMAIL', value: email }, devKeys.admin).expect(201);
      const again = await t.http.post('/blacklist', { type: 'EMAIL', value: ` ${email.toUpperCase()} ` }, devKeys.admin);
      problemOf(again, 409);
      expect(again.body.code).toBe('BLACKLIST_ENTRY_EXISTS');
      await t.http.delete(`/blacklist/${first.body.entryId}`, devKeys.admin).expect(200);
      await t.http.post('/blacklist', { type: 'EMAIL', value: email }, devKeys.admin).expect(201);
    });

    it('reason: null is 400 naming reason', async () => {
      const res = await t.http.post('/blacklist', { type: 'EMAIL', value: `n-${randomUUID().slice(0, 6)}@example.com`, reason: null }, devKeys.admin);
      problemOf(res, 400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['reason']);
    });

    it('customerId and customer together are 400, nothing placed', async () => {
      const before = await eventCount();
      const res = await t.http.post('/orders', orderBody({ customerId: randomUUID() }));
      problemOf(res, 400);
      expect(res.body.errors).toEqual([{ field: 'customer', message: 'customer must not be given with customerId' }]);
      expect(await eventCount()).toBe(before);
    });

    it('TRACE is 405 with Allow; /metrics needs an admin or service key', async () => {
      const trace = await t.http.raw('trace', '/orders', null);
      problemOf(trace, 405);
      expect(trace.headers['allow']).toBe('GET, HEAD, POST');
      problemOf(await t.http.get('/metrics', null), 401);
      problemOf(await t.http.get('/metrics'), 403);
      await t.http.get('/metrics', devKeys.service).expect(200);
    });

    it('the intake dead-letters a repeated clientOrderId with a different body, with the reason; the order is unchanged', async () => {
      const clientOrderId = `edge-${randomUUID()}`;
      const message = { type: 'PlaceOrder', source: 'lander', clientOrderId, campaignId, customer: newCustomer(), items: [{ productId, quantity: 1 }], paymentType: 'EXTERNAL' };
      const orderId = derivedId(`order:${intakeSeed('lander', clientOrderId)}`);
      await t.probe.publishRaw(Topics.ordersIntake, clientOrderId, JSON.stringify(message));
      await eventually(async () => (await t.http.get(`/orders/${orderId}`)).status === 200, 'the intake order');
      await t.probe.publishRaw(Topics.ordersIntake, clientOrderId, JSON.stringify({ ...message, items: [{ productId, quantity: 3 }] }));
      const letter = await t.probe.waitForDeadLetter((d) => d.key === clientOrderId, 'the reused clientOrderId dead letter');
      expect(JSON.parse(letter.value)).toMatchObject({ reason: 'rejected', error: { code: 'CLIENT_ORDER_ID_REUSED' } });
      // the same body again is still a replay: no dead letter, no second order
      await t.probe.publishRaw(Topics.ordersIntake, clientOrderId, JSON.stringify(message));
      await t.probe.drain(Topics.ordersIntake);
      expect(t.probe.deadLetters.filter((d) => d.key === clientOrderId)).toHaveLength(1);
      expect(await t.commits({ streamId: `order-${orderId}` })).toHaveLength(1);
      expect((await t.http.get(`/orders/${orderId}`)).body.items).toEqual([expect.objectContaining({ quantity: 1 })]);
    });
  });
});
