import { eventually } from '@continuum/testing';
import { card, completed, event, item, registered } from '../src/domain/history.fixtures';
import { uid, useProjectionsService } from './projections-harness';

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/** An order placed on `campaignId` with one line of `productId`, paid by `paymentType`. */
const placedOn = (orderId: string, customerId: string, at: string, campaignId: string, productId = 'p-1', paymentType = 'CARD') =>
  event(
    'OrderPlaced',
    `order-${orderId}`,
    {
      orderId,
      customerId,
      campaignId,
      currency: 'USD',
      paymentType,
      items: [{ ...item, productId }],
      totals: { subtotal: 4499, shipping: 500, salesTax: 0, discount: 0, total: 4999, refunded: 0 },
      ...(paymentType === 'CARD' ? { card } : {}),
      qa: { required: false, reasons: [] },
      placedAt: at,
    },
    at,
  );

/** GET /orders/search on the real stack: the order-search view fed by the projection from Kafka, read from FerretDB. */
describe('order search (Kafka, FerretDB)', () => {
  const { http, publish } = useProjectionsService();

  const search = async (query: string) => (await http.get(`/orders/search?${query}`).expect(200)).body;
  const ids = (answer: { items: Array<{ orderId: string }> }) => answer.items.map((found) => found.orderId);

  it('finds orders by campaign, product, status, payment type, placing time and customer text, newest first, paged by after', async () => {
    const campaignId = uid('camp');
    const productId = uid('prod');
    const [jane, john] = [uid('cus'), uid('cus')];
    const janeEmail = `${jane}@example.com`;
    const [o1, o2, o3, o4, o5] = [uid('ord'), uid('ord'), uid('ord'), uid('ord'), uid('ord')];
    const at = { o1: minutesAgo(300), o2: minutesAgo(240), o3: minutesAgo(180), o4: minutesAgo(120), o5: minutesAgo(60) };
    await publish(
      registered(jane, minutesAgo(400), { email: janeEmail, firstName: 'Janet', lastName: 'Search' }),
      registered(john, minutesAgo(400), { email: `${john}@example.com`, firstName: 'John', lastName: 'Other' }),
      placedOn(o1, jane, at.o1, campaignId),
      placedOn(o2, john, at.o2, campaignId, productId),
      placedOn(o3, jane, at.o3, campaignId, 'p-1', 'COD'),
      placedOn(o4, john, at.o4, campaignId),
      placedOn(o5, jane, at.o5, campaignId, productId),
      completed(o1, jane, minutesAgo(299), uid('txn')),
    );
    const all = await eventually(
      async () => {
        const answer = (await http.get(`/orders/search?campaignId=${campaignId}`)).body;
        return answer?.items?.length === 5 && answer.items.find((found: any) => found.orderId === o1)?.status === 'COMPLETE' ? answer : undefined;
      },
      'the five orders in the order search',
      { timeoutMs: 30_000 },
    );
    expect(ids(all)).toEqual([o5, o4, o3, o2, o1]);
    expect(all.next).toBeUndefined();
    expect(all.items[0]).toEqual({ orderId: o5, customerId: jane, customerName: 'Janet Search', email: janeEmail, status: 'PROCESSING', paymentType: 'CARD', total: 4999, currency: 'USD', createdAt: at.o5 });

    expect(ids(await search(`campaignId=${campaignId}&status=COMPLETE`))).toEqual([o1]);
    expect(ids(await search(`productId=${productId}`))).toEqual([o5, o2]);
    expect(ids(await search(`campaignId=${campaignId}&paymentType=COD`))).toEqual([o3]);
    expect(ids(await search(`campaignId=${campaignId}&from=${encodeURIComponent(minutesAgo(30))}`))).toEqual([]);
    expect(ids(await search(`campaignId=${campaignId}&from=${encodeURIComponent(at.o3)}&to=${encodeURIComponent(at.o4)}`))).toEqual([o4, o3]);
    // q as in the customer search: the orders of the customers it finds
    expect(ids(await search(`q=${encodeURIComponent(janeEmail)}`))).toEqual([o5, o3, o1]);
    expect(ids(await search(`q=janet%20sea&campaignId=${campaignId}&paymentType=CARD`))).toEqual([o5, o1]);

    // pages of 2: each page's `next` is the `after` of the following one; together they are every order once
    const first = await search(`campaignId=${campaignId}&limit=2`);
    expect(ids(first)).toEqual([o5, o4]);
    expect(first.next).toBe(o4);
    const second = await search(`campaignId=${campaignId}&limit=2&after=${first.next}`);
    expect(ids(second)).toEqual([o3, o2]);
    const third = await search(`campaignId=${campaignId}&limit=2&after=${second.next}`);
    expect(ids(third)).toEqual([o1]);
    expect(third.next).toBeUndefined();
  });

  it('keeps each order current: a status change moves it between status filters, a profile change renames every order of the customer', async () => {
    const campaignId = uid('camp');
    const customerId = uid('cus');
    const orderId = uid('ord');
    await publish(registered(customerId, minutesAgo(50), { firstName: 'Ann', lastName: 'Before' }), placedOn(orderId, customerId, minutesAgo(40), campaignId));
    await eventually(async () => ids((await http.get(`/orders/search?campaignId=${campaignId}&status=PROCESSING`)).body).length === 1, 'the order listed as PROCESSING', { timeoutMs: 30_000 });
    await publish(
      event('OrderCancelled', `order-${orderId}`, { orderId, customerId, paymentType: 'CARD', reason: 'customer changed their mind', fullRefund: false, cancelPurchases: 'NOW', previousStatus: 'PROCESSING', refundableAmount: 0 }, minutesAgo(5)),
      event('CustomerUpdated', `customer-${customerId}`, { customerId, changes: { lastName: 'After', email: `${customerId}@example.org` } }, minutesAgo(4)),
    );
    const cancelled = await eventually(
      async () => {
        const answer = (await http.get(`/orders/search?campaignId=${campaignId}&status=CANCELLED`)).body;
        return answer.items[0]?.customerName === 'Ann After' ? answer : undefined;
      },
      'the order listed as CANCELLED under the new name',
      { timeoutMs: 30_000 },
    );
    expect(cancelled.items).toEqual([expect.objectContaining({ orderId, status: 'CANCELLED', email: `${customerId}@example.org` })]);
    expect(ids(await search(`campaignId=${campaignId}&status=PROCESSING`))).toEqual([]);
  });

  it('answers 400 naming the field for a bad status, limit, date, range or an unknown parameter, and 422 for an unknown cursor', async () => {
    const cases: Array<[string, string]> = [
      ['status=SHIPPED', 'status'],
      ['paymentType=CHEQUE', 'paymentType'],
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=ten', 'limit'],
      ['from=2026-02-30', 'from'],
      ['to=yesterday', 'to'],
      ['from=2026-03-02&to=2026-03-01', 'from'],
      ['colour=red', 'colour'],
      [`q=${'x'.repeat(201)}`, 'q'],
    ];
    for (const [query, field] of cases) {
      const answer = await http.get(`/orders/search?${query}`).expect(400);
      expect({ query, fields: answer.body.errors.map((error: { field: string }) => error.field) }).toEqual({ query, fields: [field] });
    }
    expect((await http.get('/orders/search?limit=200').expect(200)).body.items.length).toBeLessThanOrEqual(200);
    // a well-formed cursor that names no order the search knows breaks a rule of the search: 422 naming it
    const unknown = await http.get(`/orders/search?after=${uid('ord')}`).expect(422);
    expect(unknown.body).toMatchObject({ code: 'UNKNOWN_CURSOR', errors: [expect.objectContaining({ field: 'after' })] });
  });
});
