import { hourOf, OrderSearchItem, OrderSearchRow, OrderStatus, PaymentType } from '@continuum/contracts';
import { CustomerHistory } from './customer-history';

export { hourOf, orderSearchKeys } from '@continuum/contracts';
export type { OrderSearchItem, OrderSearchRow } from '@continuum/contracts';

/** What a search asks for; every field optional but the page size. */
export interface OrderSearchFilter {
  readonly status?: OrderStatus;
  readonly campaignId?: string;
  readonly productId?: string;
  readonly paymentType?: PaymentType;
  /** inclusive bounds on `createdAt` (ISO date-times) */
  readonly from?: string;
  readonly to?: string;
}

/**
 * The rows of every order in a customer's history, as the search lists them: the customer is the
 * journal's (after a merge, the survivor), the name and email its profile's.
 */
export function orderSearchRows(history: CustomerHistory, seen: number): OrderSearchRow[] {
  const customer = history.customer;
  if (!customer) return [];
  return history.orders.map((order) => ({
    orderId: order.orderId,
    customerId: customer.customerId,
    customerName: `${customer.firstName} ${customer.lastName}`,
    email: customer.email,
    status: order.status,
    paymentType: order.paymentType,
    total: order.totals.total,
    currency: order.currency,
    createdAt: new Date(order.placedAt).toISOString(),
    campaignId: order.campaignId,
    productIds: [...new Set(order.items.map((item) => item.productId))].sort(),
    seen,
  }));
}

/** The row to keep: the stored one when the new one was folded from fewer entries or changes nothing. */
export function newerRow(stored: OrderSearchRow | null, next: OrderSearchRow): OrderSearchRow | null {
  if (stored === null) return next;
  if (next.seen < stored.seen) return stored;
  const { seen: _storedSeen, ...storedFields } = stored;
  const { seen: _nextSeen, ...nextFields } = next;
  return JSON.stringify(storedFields) === JSON.stringify(nextFields) ? stored : next;
}

/** The hour after / before `hour`. */
const stepHour = (hour: string, by: number): string => new Date(Date.parse(`${hour}:00:00Z`) + by * 3_600_000).toISOString().slice(0, 13);

/**
 * The one key a search reads in `hour`: the narrowest filter it has (a product, then a campaign,
 * then a status, then a payment type), else every order of the hour. The other filters are checked
 * on the documents.
 */
export function hourKey(filter: OrderSearchFilter, hour: string): string {
  if (filter.productId !== undefined) return `product:${filter.productId}@${hour}`;
  if (filter.campaignId !== undefined) return `campaign:${filter.campaignId}@${hour}`;
  if (filter.status !== undefined) return `status:${filter.status}@${hour}`;
  if (filter.paymentType !== undefined) return `payment:${filter.paymentType}@${hour}`;
  return `hour:${hour}`;
}

/** Whether a row meets every filter. */
export function matchesFilter(row: OrderSearchRow, filter: OrderSearchFilter): boolean {
  if (filter.status !== undefined && row.status !== filter.status) return false;
  if (filter.campaignId !== undefined && row.campaignId !== filter.campaignId) return false;
  if (filter.productId !== undefined && !row.productIds.includes(filter.productId)) return false;
  if (filter.paymentType !== undefined && row.paymentType !== filter.paymentType) return false;
  if (filter.from !== undefined && row.createdAt < filter.from) return false;
  if (filter.to !== undefined && row.createdAt > filter.to) return false;
  return true;
}

/** Newest first: by placing time, then by order id (both descending), so pages never overlap. */
export const newestFirst = (a: OrderSearchItem, b: OrderSearchItem): number => b.createdAt.localeCompare(a.createdAt) || b.orderId.localeCompare(a.orderId);

/** True for a row that comes after `cursor` (the last row of the previous page) newest first. */
export const comesAfter = (row: OrderSearchItem, cursor: OrderSearchItem | undefined): boolean => cursor === undefined || newestFirst(cursor, row) < 0;

/**
 * The hours a search walks, newest first: from the hour of `to` (else the newest order's), or of
 * the cursor when it is older, down to the hour of `from` (else the oldest order's).
 */
export function hoursToWalk(filter: OrderSearchFilter, stored: { readonly first: string; readonly last: string }, cursor?: OrderSearchItem): { start: string; end: string } | undefined {
  let start = filter.to !== undefined && hourOf(filter.to) < stored.last ? hourOf(filter.to) : stored.last;
  if (cursor !== undefined && hourOf(cursor.createdAt) < start) start = hourOf(cursor.createdAt);
  const end = filter.from !== undefined && hourOf(filter.from) > stored.first ? hourOf(filter.from) : stored.first;
  return start < end ? undefined : { start, end };
}

export const previousHour = (hour: string): string => stepHour(hour, -1);

/** The item of a row (what the search answers: no filter-only fields). */
export const itemOf = ({ orderId, customerId, customerName, email, status, paymentType, total, currency, createdAt }: OrderSearchRow): OrderSearchItem => ({
  orderId,
  customerId,
  customerName,
  email,
  status,
  paymentType,
  total,
  currency,
  createdAt,
});

/** One page: at most `limit` rows newest first after the cursor, and `next` when more may follow. */
export function pageOf(rows: readonly OrderSearchRow[], filter: OrderSearchFilter, limit: number, cursor?: OrderSearchItem): { items: OrderSearchItem[]; next?: string } {
  const matching = rows.filter((row) => matchesFilter(row, filter) && comesAfter(row, cursor)).sort(newestFirst);
  const items = matching.slice(0, limit).map(itemOf);
  return matching.length > limit ? { items, next: items[items.length - 1]!.orderId } : { items };
}

/**
 * A `from` or `to` as the moment it bounds (ISO, UTC): a date is its first moment for `from` and
 * its last for `to`; undefined for a day or time the calendar does not have (`2026-02-30`).
 */
export function boundOf(value: string, side: 'from' | 'to'): string | undefined {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const at = Date.parse(dateOnly ? `${value}T${side === 'from' ? '00:00:00.000' : '23:59:59.999'}Z` : value);
  if (Number.isNaN(at)) return undefined;
  const iso = new Date(at).toISOString();
  // Date.parse rolls "2026-02-30" over to March 2: the day must come back as written
  return iso.slice(0, 10) === value.slice(0, 10) || !dateOnly ? iso : undefined;
}
