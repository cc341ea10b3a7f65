import { foldHistory, HistoryOptions } from './customer-history';
import { completed, journalOf, placed, registered } from './history.fixtures';
import {
  boundOf,
  hourKey,
  hoursToWalk,
  newerRow,
  orderSearchKeys,
  OrderSearchRow,
  orderSearchRows,
  pageOf,
} from './order-search';

const options: HistoryOptions = { refundRetryDelayMs: 86_400_000 };

const row = (orderId: string, createdAt: string, extra: Partial<OrderSearchRow> = {}): OrderSearchRow => ({
  orderId,
  customerId: 'cus-1',
  customerName: 'Jane Doe',
  email: 'jane@example.com',
  status: 'COMPLETE',
  paymentType: 'CARD',
  total: 4999,
  currency: 'USD',
  createdAt,
  campaignId: 'c-1',
  productIds: ['p-1'],
  seen: 1,
  ...extra,
});

describe('order search rows', () => {
  it('lists each order of the history with the customer profile, its status, total and placing time', () => {
    const entries = [
      registered('cus-1', '2026-11-28T09:00:00.000Z'),
      placed('ord-1', 'cus-1', '2026-11-28T10:00:00.000Z'),
      completed('ord-1', 'cus-1', '2026-11-28T10:00:02.000Z', 'txn-1'),
      placed('ord-2', 'cus-1', '2026-11-29T10:00:00.000Z', 'COD'),
    ];
    const rows = orderSearchRows(foldHistory(journalOf('cus-1', entries), options), entries.length);
    expect(rows.map(({ orderId, status, paymentType, createdAt, seen }) => ({ orderId, status, paymentType, createdAt, seen }))).toEqual([
      { orderId: 'ord-1', status: 'COMPLETE', paymentType: 'CARD', createdAt: '2026-11-28T10:00:00.000Z', seen: 4 },
      { orderId: 'ord-2', status: 'PROCESSING', paymentType: 'COD', createdAt: '2026-11-29T10:00:00.000Z', seen: 4 },
    ]);
    expect(rows[0]).toMatchObject({ customerId: 'cus-1', customerName: expect.any(String), email: expect.stringContaining('@'), campaignId: expect.any(String), productIds: ['p-1'] });
  });

  it('lists no order of a journal without the customer profile', () => {
    const entries = [placed('ord-1', 'cus-1', '2026-11-28T10:00:00.000Z')];
    expect(orderSearchRows(foldHistory(journalOf('cus-1', entries), options), 1)).toEqual([]);
  });

  it('keeps the row folded from more journal entries, and the stored object when nothing changed', () => {
    const stored = row('ord-1', '2026-11-28T10:00:00.000Z', { seen: 5, status: 'REFUNDED' });
    expect(newerRow(stored, { ...stored, seen: 4, status: 'COMPLETE' })).toBe(stored);
    expect(newerRow(stored, { ...stored, seen: 9 })).toBe(stored);
    expect(newerRow(stored, { ...stored, seen: 6, status: 'CANCELLED' })).toMatchObject({ status: 'CANCELLED', seen: 6 });
    expect(newerRow(null, stored)).toBe(stored);
  });
});

describe('order search keys', () => {
  it('lists an order under its customer, its hour and each filter value in that hour', () => {
    const keys = orderSearchKeys(row('ord-1', '2026-11-28T10:15:00.000Z', { productIds: ['p-1', 'p-2'], status: 'PENDING' }));
    expect(keys.sort()).toEqual(
      ['customer:cus-1', 'hour:2026-11-28T10', 'status:PENDING@2026-11-28T10', 'campaign:c-1@2026-11-28T10', 'product:p-1@2026-11-28T10', 'product:p-2@2026-11-28T10', 'payment:CARD@2026-11-28T10'].sort(),
    );
    expect(orderSearchKeys(null)).toEqual([]);
  });

  it('reads the narrowest filter key of the hour: product, then campaign, then status, then payment type', () => {
    const hour = '2026-11-28T10';
    expect(hourKey({ productId: 'p-1', campaignId: 'c-1', status: 'PENDING' }, hour)).toBe('product:p-1@2026-11-28T10');
    expect(hourKey({ campaignId: 'c-1', status: 'PENDING' }, hour)).toBe('campaign:c-1@2026-11-28T10');
    expect(hourKey({ status: 'PENDING', paymentType: 'COD' }, hour)).toBe('status:PENDING@2026-11-28T10');
    expect(hourKey({ paymentType: 'COD' }, hour)).toBe('payment:COD@2026-11-28T10');
    expect(hourKey({}, hour)).toBe('hour:2026-11-28T10');
  });

  it('walks from the hour of `to` (or the cursor, or the newest order) down to the hour of `from` (or the oldest order)', () => {
    const stored = { first: '2026-11-01T00', last: '2026-11-30T23' };
    expect(hoursToWalk({}, stored)).toEqual({ start: '2026-11-30T23', end: '2026-11-01T00' });
    expect(hoursToWalk({ from: '2026-11-10T05:00:00.000Z', to: '2026-11-12T07:59:59.000Z' }, stored)).toEqual({ start: '2026-11-12T07', end: '2026-11-10T05' });
    expect(hoursToWalk({}, stored, row('ord-1', '2026-11-20T03:00:00.000Z'))).toEqual({ start: '2026-11-20T03', end: '2026-11-01T00' });
    expect(hoursToWalk({ to: '2026-10-01T00:00:00.000Z' }, stored)).toBeUndefined();
  });
});

describe('order search pages', () => {
  const rows = [
    row('ord-a', '2026-11-28T10:00:00.000Z'),
    row('ord-b', '2026-11-28T11:00:00.000Z', { status: 'PENDING' }),
    row('ord-c', '2026-11-28T11:00:00.000Z'),
    row('ord-d', '2026-11-29T09:00:00.000Z', { paymentType: 'COD' }),
  ];

  it('answers newest first (same time: by order id, descending), with next when more match', () => {
    expect(pageOf(rows, {}, 2)).toEqual({ items: [expect.objectContaining({ orderId: 'ord-d' }), expect.objectContaining({ orderId: 'ord-c' })], next: 'ord-c' });
    const second = pageOf(rows, {}, 2, rows[2]);
    expect(second.items.map((item) => item.orderId)).toEqual(['ord-b', 'ord-a']);
    expect(second.next).toBeUndefined();
  });

  it('answers only the fields of an item', () => {
    expect(Object.keys(pageOf(rows, {}, 1).items[0]!).sort()).toEqual(['createdAt', 'currency', 'customerId', 'customerName', 'email', 'orderId', 'paymentType', 'status', 'total']);
  });

  it('checks every filter on the rows, placing time bounds inclusive', () => {
    expect(pageOf(rows, { status: 'COMPLETE', paymentType: 'CARD' }, 50).items.map((item) => item.orderId)).toEqual(['ord-c', 'ord-a']);
    expect(pageOf(rows, { from: '2026-11-28T11:00:00.000Z', to: '2026-11-28T11:00:00.000Z' }, 50).items.map((item) => item.orderId)).toEqual(['ord-c', 'ord-b']);
    expect(pageOf(rows, { productId: 'p-2' }, 50).items).toEqual([]);
    expect(pageOf(rows, { campaignId: 'c-1', paymentType: 'COD' }, 50).items.map((item) => item.orderId)).toEqual(['ord-d']);
  });
});

describe('from and to', () => {
  it('takes a date as its first moment for from and its last for to', () => {
    expect(boundOf('2026-03-02', 'from')).toBe('2026-03-02T00:00:00.000Z');
    expect(boundOf('2026-03-02', 'to')).toBe('2026-03-02T23:59:59.999Z');
    expect(boundOf('2026-03-02T10:00:00+02:00', 'from')).toBe('2026-03-02T08:00:00.000Z');
  });

  it('refuses a day the calendar does not have', () => {
    expect(boundOf('2026-02-30', 'from')).toBeUndefined();
    expect(boundOf('2026-13-01', 'to')).toBeUndefined();
  });
});
