import { foldHistory, HistoryOptions } from './customer-history';
import { changesSearchKeys, queryKeys, rankResults, searchKeys, searchResult } from './customer-search';
import {
  approved,
  completed,
  event,
  journalOf,
  lander,
  orderRefunded,
  placed,
  refundFailed,
  refundJob,
  refundQueued,
  refundRequested,
  refundSucceeded,
  registered,
  settled,
  shipco,
} from './history.fixtures';
import { orderSummary } from './order-summary';

const options: HistoryOptions = { refundRetryDelayMs: 86_400_000 };

/** A card order, paid, settled, then a refund that fails once, is queued and succeeds on the retry. */
function refundStory(customerId = 'cus-1', orderId = 'ord-1', transactionId = 'txn-1') {
  return [
    registered(customerId, '2026-11-28T09:00:00.000Z'),
    placed(orderId, customerId, '2026-11-28T10:00:00.000Z'),
    approved(transactionId, orderId, customerId, '2026-11-28T10:00:01.000Z'),
    completed(orderId, customerId, '2026-11-28T10:00:02.000Z', transactionId),
    settled(transactionId, orderId, customerId, '2026-11-29T10:00:00.000Z'),
    refundRequested(transactionId, orderId, customerId, '2026-12-01T15:00:00.000Z', 'corr-refund'),
    refundFailed(transactionId, orderId, customerId, '2026-12-01T15:00:01.000Z', 'corr-refund'),
    refundQueued(transactionId, orderId, customerId, '2026-12-01T15:00:02.000Z', 'corr-refund'),
    refundSucceeded(transactionId, orderId, customerId, '2026-12-02T15:00:02.000Z'),
    orderRefunded(orderId, customerId, transactionId, '2026-12-02T15:00:03.000Z'),
  ];
}

describe('customer history projector', () => {
  it('folds profile, orders with status and totals, transactions with the card column, refunds and a timeline naming actor and correlation id', () => {
    const history = foldHistory(journalOf('cus-1', refundStory()), options);
    expect(history.customer).toMatchObject({ customerId: 'cus-1', firstName: 'Jane', email: 'Jane@Example.com', phone: '+1 512 555 0100' });
    expect(history.orders).toEqual([expect.objectContaining({ orderId: 'ord-1', status: 'REFUNDED', card: 'VISA 1111', totals: expect.objectContaining({ total: 4999, refunded: 4999 }) })]);
    expect(history.transactions).toEqual([
      expect.objectContaining({ transactionId: 'txn-1', type: 'SALE', response: 'SUCCESS', card: 'VISA 1111', settled: true, refundedAmount: 4999 }),
      expect.objectContaining({ transactionId: 'r-1', type: 'REFUND', response: 'SUCCESS', parentTransactionId: 'txn-1', card: 'VISA 1111', refund: { status: 'SUCCEEDED', attempts: 2, lastFailure: 'gateway declined' } }),
    ]);
    const queued = history.timeline.find((entry) => entry.type === 'RefundQueued');
    expect(queued).toEqual({
      at: '2026-12-01T15:00:02.000Z',
      type: 'RefundQueued',
      summary: 'Refund of $49.99 queued: gateway declined, retry 1 of 3 on Dec 2',
      actor: { kind: 'agent', id: 'alice' },
      correlationId: 'corr-refund',
      source: { service: 'payments', eventId: expect.any(String) },
      orderId: 'ord-1',
    });
    expect(history.timeline.find((entry) => entry.type === 'RefundSucceeded')?.actor).toEqual({ kind: 'scheduled-job', id: refundJob.id });
    expect(history.timeline.find((entry) => entry.type === 'OrderPlaced')).toMatchObject({ summary: 'Order ord-1 placed: 1 item, $49.99 by card VISA 1111', actor: { kind: 'service', id: lander.id }, source: { service: 'orders' } });
    expect(history.timeline.find((entry) => entry.type === 'CustomerRegistered')?.source.service).toBe('orders');
    expect(history.timeline.map((entry) => entry.at)).toEqual([...history.timeline.map((entry) => entry.at)].sort());
  });

  it('a refund queued until its charge settles (the gateway refused it as not settled) names no retry date', () => {
    const story = refundStory().map((e) => (e.type === 'RefundQueued' ? { ...e, data: { ...(e.data as Record<string, unknown>), afterSettlement: true } } : e));
    const history = foldHistory(journalOf('cus-1', story), options);
    expect(history.timeline.find((entry) => entry.type === 'RefundQueued')?.summary).toBe('Refund of $49.99 queued: gateway declined, retry 1 of 3 once the charge settles');
  });

  it('shows "External Payment" and "COD" in the card column', () => {
    const history = foldHistory(
      journalOf('cus-2', [
        registered('cus-2', '2026-11-01T00:00:00.000Z'),
        placed('ord-x', 'cus-2', '2026-11-01T01:00:00.000Z', 'EXTERNAL'),
        event('ExternalPaymentRecorded', 'transaction-t-x', { transactionId: 't-x', orderId: 'ord-x', customerId: 'cus-2', amount: 4999, currency: 'USD', at: '2026-11-01T01:00:01.000Z' }, '2026-11-01T01:00:01.000Z'),
        placed('ord-c', 'cus-2', '2026-11-02T01:00:00.000Z', 'COD'),
        event('CodTransactionOpened', 'transaction-t-c', { transactionId: 't-c', orderId: 'ord-c', customerId: 'cus-2', amount: 4999, currency: 'USD', response: 'PENDING', message: 'Payment marked as COD', at: '2026-11-02T01:00:01.000Z' }, '2026-11-02T01:00:01.000Z'),
      ]),
      options,
    );
    expect(history.orders.map((order) => order.card)).toEqual(['External Payment', 'COD']);
    expect(history.transactions.map((row) => [row.type, row.card, row.response])).toEqual([
      ['EXTERNAL', 'External Payment', 'SUCCESS'],
      ['COD', 'COD', 'PENDING'],
    ]);
  });

  it('changes nothing when an event is delivered twice (the same stream position, even under a new event id)', () => {
    const story = refundStory();
    const once = journalOf('cus-1', story);
    // stored again after the first (a redelivery appended to a later page, a merge moved twice): the first is kept
    const twice = journalOf('cus-1', [...story, story[2]!, { ...story[5]!, eventId: 'republished' }]);
    expect(twice).toEqual(once);
    expect(foldHistory(twice, options)).toEqual(foldHistory(once, options));
  });

  it('converges whatever order the topics deliver in: a payment before its order gives the same view', () => {
    const story = refundStory('cus-3', 'ord-3', 'txn-3');
    const paymentsFirst = [...story.filter((entry) => entry.topic === 'payments.events.v1'), ...story.filter((entry) => entry.topic !== 'payments.events.v1')];
    expect(paymentsFirst[0]!.type).toBe('PaymentApproved');
    expect(foldHistory(journalOf('cus-3', paymentsFirst), options)).toEqual(foldHistory(journalOf('cus-3', story), options));
    expect(foldHistory(journalOf('cus-3', [...story].reverse()), options)).toEqual(foldHistory(journalOf('cus-3', story), options));
  });

  it('shows a cancelled order CANCELLED with the reason the agent gave; a refund that follows keeps it CANCELLED and counts the money returned', () => {
    const agent = { kind: 'agent' as const, id: 'alice' };
    // in stream order: the fixtures number each stream's events as they are made
    const paid = [registered('cus-c', '2026-11-28T09:00:00.000Z'), placed('ord-c', 'cus-c', '2026-11-28T10:00:00.000Z'), approved('txn-c', 'ord-c', 'cus-c', '2026-11-28T10:00:01.000Z'), completed('ord-c', 'cus-c', '2026-11-28T10:00:02.000Z', 'txn-c')];
    const cancelled = event(
      'OrderCancelled',
      'order-ord-c',
      { orderId: 'ord-c', customerId: 'cus-c', paymentType: 'CARD', reason: 'customer changed their mind', fullRefund: true, previousStatus: 'COMPLETE', transactionId: 'txn-c', refundableAmount: 4999 },
      '2026-11-28T11:00:00.000Z',
      { actor: agent },
    );
    const history = foldHistory(journalOf('cus-c', [...paid, cancelled]), options);
    expect(history.orders).toEqual([expect.objectContaining({ orderId: 'ord-c', status: 'CANCELLED', cancelReason: 'customer changed their mind', totals: expect.objectContaining({ refunded: 0 }) })]);
    expect(history.timeline.find((entry) => entry.type === 'OrderCancelled')).toMatchObject({ actor: agent, orderId: 'ord-c' });

    const refunded = foldHistory(journalOf('cus-c', [...paid, cancelled, orderRefunded('ord-c', 'cus-c', 'txn-c', '2026-11-28T11:00:05.000Z')]), options);
    expect(refunded.orders).toEqual([expect.objectContaining({ status: 'CANCELLED', totals: expect.objectContaining({ refunded: 4999 }) })]);
  });

  it('answers as of a moment: before the refund the order is unrefunded and the refund absent', () => {
    const history = foldHistory(journalOf('cus-1', refundStory()), options, '2026-11-30T00:00:00.000Z');
    expect(history.orders).toEqual([expect.objectContaining({ status: 'COMPLETE', totals: expect.objectContaining({ refunded: 0 }) })]);
    expect(history.transactions.map((row) => row.transactionId)).toEqual(['txn-1']);
    expect(history.timeline.map((entry) => entry.type)).not.toContain('RefundRequested');
  });

  it('folds a merged customer into the survivor: the survivor keeps its profile, lists both customers\' orders; as of before the merge, only its own', () => {
    const survivor = [registered('cus-s', '2026-10-01T00:00:00.000Z', { firstName: 'Sam' }), placed('ord-s', 'cus-s', '2026-10-02T00:00:00.000Z')];
    const merged = [registered('cus-m', '2026-10-03T00:00:00.000Z', { firstName: 'Samuel' }), placed('ord-m', 'cus-m', '2026-10-04T00:00:00.000Z')].map((entry) => ({ ...entry, origin: 'cus-m' }));
    const merge = event('CustomersMerged', 'customer-cus-s', { customerId: 'cus-s', fromCustomerId: 'cus-m' }, '2026-10-05T00:00:00.000Z');
    const retired = { ...event('CustomerMergedInto', 'customer-cus-m', { customerId: 'cus-m', intoCustomerId: 'cus-s' }, '2026-10-05T00:00:00.001Z'), origin: 'cus-m' };
    const journal = journalOf('cus-s', [...survivor, ...merged, merge, retired]);
    const history = foldHistory(journal, options);
    expect(history.customer).toMatchObject({ customerId: 'cus-s', firstName: 'Sam', mergedFrom: ['cus-m'] });
    expect(history.orders.map((order) => order.orderId)).toEqual(['ord-s', 'ord-m']);
    expect(history.timeline.find((entry) => entry.type === 'CustomersMerged')?.summary).toBe('Customer cus-m merged into customer cus-s; its records are listed here');
    expect(foldHistory(journal, options, '2026-10-04T12:00:00.000Z').orders.map((order) => order.orderId)).toEqual(['ord-s']);
    // the merged customer is still found by how it was known
    expect(history.mergedCustomers).toEqual([{ customerId: 'cus-m', firstName: 'Samuel', lastName: 'Doe', email: 'Jane@Example.com', phone: '+1 512 555 0100' }]);
    expect(searchKeys(history)).toEqual(expect.arrayContaining(['name:samuel', 'name:sam', 'order:ord-m']));
  });

  it('shows the custom fields of the customer and its orders; a change is a timeline entry naming what changed, who and when', () => {
    const placedWithFields = placed('ord-f', 'cus-f', '2026-11-01T10:00:00.000Z');
    const orderFields = { ...placedWithFields, data: { ...(placedWithFields.data as Record<string, unknown>), customFields: { giftMessage: 'Happy birthday' } } };
    const changedAt = '2026-11-02T09:30:00.000Z';
    const change = event(
      'CustomerCustomFieldsChanged',
      'customer-cus-f',
      { customerId: 'cus-f', set: { tier: 'platinum', channel: 'phone' }, removed: ['source'], by: { kind: 'agent', id: 'alice' }, at: changedAt },
      changedAt,
      { correlationId: 'corr-fields' },
    );
    const story = [registered('cus-f', '2026-11-01T09:00:00.000Z', { customFields: { tier: 'gold', source: 'fair' } }), orderFields, change];
    const history = foldHistory(journalOf('cus-f', story), options);
    expect(history.customer?.customFields).toEqual({ tier: 'platinum', channel: 'phone' });
    expect(history.orders[0]?.customFields).toEqual({ giftMessage: 'Happy birthday' });
    expect(history.timeline.find((entry) => entry.type === 'CustomerCustomFieldsChanged')).toEqual({
      at: changedAt,
      type: 'CustomerCustomFieldsChanged',
      summary: 'Custom fields changed by alice: tier set to "platinum"; channel set to "phone"; source removed',
      actor: { kind: 'agent', id: 'alice' },
      correlationId: 'corr-fields',
      source: { service: 'orders', eventId: expect.any(String) },
      orderId: null,
    });
    // as of before the change, the fields it was registered with
    expect(foldHistory(journalOf('cus-f', story), options, '2026-11-02T00:00:00.000Z').customer?.customFields).toEqual({ tier: 'gold', source: 'fair' });
    // a customer registered before custom fields existed shows none
    expect(foldHistory(journalOf('cus-1', refundStory()), options).customer?.customFields).toEqual({});
  });

  it('lists fulfillments with tracking and purchases with status and next bill date', () => {
    const at = (day: number) => `2026-11-${String(day).padStart(2, '0')}T12:00:00.000Z`;
    const fulfillment = (type: string, data: Record<string, unknown>, day: number) =>
      event(type, 'fulfillment-f-1', { fulfillmentId: 'f-1', orderId: 'ord-1', ...data }, at(day), { actor: shipco, origin: 'cus-1' });
    const history = foldHistory(
      journalOf('cus-1', [
        registered('cus-1', at(1)),
        placed('ord-1', 'cus-1', at(2)),
        fulfillment('FulfillmentCreated', { customerId: 'cus-1', reference: 'ord-1-F1', items: [{ productId: 'p-1', sku: 'SKU-1', name: 'Serum', quantity: 1 }], shippingAddress: null, shippingMethod: 'STANDARD', cod: null, reshipOf: null, at: at(3) }, 3),
        fulfillment('FulfillmentShipped', { trackingNumber: '1Z999', carrier: 'UPS', shippedAt: at(4) }, 4),
        event(
          'PurchaseStarted',
          'purchase-pu-1',
          {
            purchaseId: 'pu-1', customerId: 'cus-1', orderId: 'ord-1', orderItemId: 'oi-1', campaignId: 'c-1', currency: 'USD', orderDate: at(2), billingType: 'RECURRING', trialType: 'STANDARD', trialDays: 14,
            status: 'TRIAL', billingCycle: 1, nextBillDate: '2026-11-16', timeZone: 'UTC', amount: 4999, productId: 'p-1', sku: 'SKU-1', name: 'Serum', quantity: 1, unitPrice: 4499, price: 4499, shippingPrice: 500,
            salesTax: { mode: 'AUTO' }, billingInterval: { unit: 'DAY', count: 30 }, insureShipment: false,
          },
          at(3),
          { actor: { kind: 'system', id: 'purchase-starter' } },
        ),
      ]),
      options,
    );
    expect(history.fulfillments).toEqual([expect.objectContaining({ fulfillmentId: 'f-1', reference: 'ord-1-F1', status: 'SHIPPED', trackingNumber: '1Z999', carrier: 'UPS' })]);
    expect(history.timeline.find((entry) => entry.type === 'FulfillmentShipped')).toMatchObject({ summary: 'Order ord-1 shipped by UPS, tracking 1Z999, on Nov 4', actor: { kind: 'fulfillment-house', id: 'shipco' }, source: { service: 'fulfillment' } });
    expect(history.purchases).toEqual([expect.objectContaining({ purchaseId: 'pu-1', status: 'TRIAL', nextBillDate: '2026-11-16' })]);
    expect(orderSummary(history, 'ord-1')).toMatchObject({ order: { orderId: 'ord-1' }, fulfillments: [{ fulfillmentId: 'f-1' }], purchases: [{ purchaseId: 'pu-1' }] });
    expect(orderSummary(history, 'ord-unknown')).toBeUndefined();
  });
});

describe('fulfillment lines changed by upsells', () => {
  it('shows the lines an upsell added before export, and takes a declined one off again', () => {
    const at = (day: number) => `2026-11-${String(day).padStart(2, '0')}T12:00:00.000Z`;
    const fulfillment = (type: string, data: Record<string, unknown>, day: number) =>
      event(type, 'fulfillment-f-1', { fulfillmentId: 'f-1', orderId: 'ord-1', ...data }, at(day), { actor: { kind: 'system', id: 'order-reactions' }, origin: 'cus-1' });
    const serum = { productId: 'p-1', sku: 'SKU-1', name: 'Serum', quantity: 1 };
    const mask = { productId: 'p-2', sku: 'SKU-2', name: 'Mask', quantity: 2 };
    const story = [
      registered('cus-1', at(1)),
      placed('ord-1', 'cus-1', at(2)),
      fulfillment('FulfillmentCreated', { customerId: 'cus-1', reference: 'f-1', items: [serum], shippingAddress: null, shippingMethod: 'STANDARD', cod: null, reshipOf: null, at: at(3) }, 3),
      fulfillment('FulfillmentItemsAdded', { orderItemId: 'up-1', items: [mask], at: at(4) }, 4),
    ];
    const added = foldHistory(journalOf('cus-1', story), options);
    expect(added.fulfillments[0]!.items).toEqual([
      { sku: 'SKU-1', name: 'Serum', quantity: 1 },
      { sku: 'SKU-2', name: 'Mask', quantity: 2 },
    ]);
    expect(added.timeline.find((entry) => entry.type === 'FulfillmentItemsAdded')!.summary).toBe('Upsell up-1 added to fulfillment f-1 before export (2 x Mask)');
    const removed = foldHistory(journalOf('cus-1', [...story, fulfillment('FulfillmentItemsRemoved', { orderItemId: 'up-1', items: [mask], at: at(5) }, 5)]), options);
    expect(removed.fulfillments[0]!.items).toEqual([{ sku: 'SKU-1', name: 'Serum', quantity: 1 }]);
  });
});

describe('customer search entries', () => {
  const history = foldHistory(journalOf('cus-1', refundStory()), options);

  it('lists a customer under its email, phone, order ids, card last four and name prefixes', () => {
    const keys = searchKeys(history);
    expect(keys).toEqual(expect.arrayContaining(['email:jane@example.com', 'phone:15125550100', 'order:ord-1', 'last4:1111', 'name:ja', 'name:jane', 'name:do', 'name:jane doe']));
    expect(searchResult(history)).toEqual({ customerId: 'cus-1', name: 'Jane Doe', email: 'Jane@Example.com', phone: '+1 512 555 0100', lastOrderAt: '2026-11-28T10:00:00.000Z' });
  });

  it('turns each kind of query into the keys it is found under', () => {
    expect(queryKeys(' JANE@example.com ')).toEqual(['email:jane@example.com']);
    expect(queryKeys('1111')).toEqual(['last4:1111', 'order:1111', 'name:1111']);
    expect(queryKeys('+1 (512) 555-0100')).toEqual(expect.arrayContaining(['phone:15125550100', 'phone:5125550100']));
    expect(searchKeys(history)).toContain('phone:5125550100'); // the number without its country code finds it too
    expect(queryKeys('512 555 0100')).toContain('phone:5125550100');
    expect(queryKeys('ord-1')).toEqual(['order:ord-1', 'name:ord-1']);
    expect(queryKeys('Jan')).toContain('name:jan');
    expect(keysFound(queryKeys('Jan'))).toBe(true);
  });

  it('takes its keys from customers\', orders\' and payments\' events only: fulfillments and purchases change none', () => {
    const at = (day: number) => `2026-11-${String(day).padStart(2, '0')}T12:00:00.000Z`;
    const story = [
      ...refundStory('cus-k', 'ord-k', 'txn-k'),
      event('FulfillmentCreated', 'fulfillment-f-k', { fulfillmentId: 'f-k', orderId: 'ord-k', customerId: 'cus-k', reference: 'ord-k-F1', items: [{ productId: 'p-1', sku: 'SKU-1', name: 'Serum', quantity: 1 }], shippingAddress: null, shippingMethod: 'STANDARD', cod: null, reshipOf: null, at: at(3) }, at(3), { origin: 'cus-k' }),
      event('FulfillmentShipped', 'fulfillment-f-k', { fulfillmentId: 'f-k', orderId: 'ord-k', trackingNumber: '1Z999', carrier: 'UPS', shippedAt: at(4) }, at(4), { origin: 'cus-k' }),
      event('PurchaseCancelled', 'purchase-pu-k', { purchaseId: 'pu-k', customerId: 'cus-k', reason: 'too expensive', source: 'AGENT', previousStatus: 'TRIAL', billingCycle: 1 }, at(5)),
    ];
    const keysOf = (entries: typeof story) => searchKeys(foldHistory(journalOf('cus-k', entries), options)).sort();
    const withoutSkipped = story.filter((entry) => changesSearchKeys(entry.topic));
    expect(withoutSkipped.length).toBeLessThan(story.length);
    expect(keysOf(withoutSkipped)).toEqual(keysOf(story));
    // while a payment's card is a key of its own
    expect(keysOf(story.filter((entry) => entry.topic !== 'payments.events.v1'))).not.toContain('last4:1111');
  });

  it('ranks by the last order, customers without orders last', () => {
    const ranked = rankResults([
      { customerId: 'a', name: 'A', email: 'a@x', phone: null, lastOrderAt: null },
      { customerId: 'b', name: 'B', email: 'b@x', phone: null, lastOrderAt: '2026-01-01T00:00:00.000Z' },
      { customerId: 'c', name: 'C', email: 'c@x', phone: null, lastOrderAt: '2026-02-01T00:00:00.000Z' },
    ]);
    expect(ranked.map((result) => result.customerId)).toEqual(['c', 'b', 'a']);
  });

  function keysFound(keys: string[]): boolean {
    const listed = new Set(searchKeys(history));
    return keys.some((key) => listed.has(key));
  }
});
