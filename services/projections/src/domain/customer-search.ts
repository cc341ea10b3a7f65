import { Topics } from '@continuum/contracts';
import { CustomerHistory } from './customer-history';

/** One answer of `GET /customers/search` (docs/projections.md). */
export interface SearchResult {
  readonly customerId: string;
  readonly name: string;
  readonly email: string;
  readonly phone: string | null;
  readonly lastOrderAt: string | null;
}

/** Name prefixes are indexed from this many characters to NAME_PREFIX_MAX (longer queries are checked on the documents). */
export const NAME_PREFIX_MIN = 2;
export const NAME_PREFIX_MAX = 12;

export const normalizeEmail = (email: string) => email.trim().toLowerCase();
/** Digits only, so "+1 (512) 555-0100" and "15125550100" are the same phone. */
export const normalizePhone = (phone: string) => phone.replace(/\D/g, '');
/** The keys of a phone: all its digits and, with a country code, the last ten ("5125550100" finds "+1 512 555 0100"). */
const phoneKeys = (phone: string): string[] => {
  const digits = normalizePhone(phone);
  if (digits.length === 0) return [];
  return digits.length > 10 ? [`phone:${digits}`, `phone:${digits.slice(-10)}`] : [`phone:${digits}`];
};
const normalizeName = (name: string) => name.trim().toLowerCase().replace(/\s+/g, ' ');

const prefixes = (text: string): string[] => {
  const out: string[] = [];
  for (let length = NAME_PREFIX_MIN; length <= Math.min(text.length, NAME_PREFIX_MAX); length++) out.push(text.slice(0, length));
  return out;
};

/**
 * The keys a customer is found under: `email:`, `phone:`, `order:`, `last4:` (every card it paid
 * or tried to pay with) and `name:` prefixes of the first name, the last name and the full name;
 * also the email, phone and name of each customer merged into it.
 */
export function searchKeys(history: CustomerHistory): string[] {
  const customer = history.customer;
  if (!customer) return [];
  const keys = new Set<string>();
  for (const person of [customer, ...history.mergedCustomers]) {
    keys.add(`email:${normalizeEmail(person.email)}`);
    for (const key of phoneKeys(person.phone ?? '')) keys.add(key);
    const first = normalizeName(person.firstName);
    const last = normalizeName(person.lastName);
    for (const name of [first, last, `${first} ${last}`]) for (const prefix of prefixes(name)) keys.add(`name:${prefix}`);
  }
  for (const order of history.orders) keys.add(`order:${order.orderId}`);
  for (const row of history.transactions) {
    const last4 = /\b(\d{4})$/.exec(row.card)?.[1];
    if (last4) keys.add(`last4:${last4}`);
  }
  return [...keys];
}

/**
 * Whether an event of `topic` can change a customer's search keys: they come from the profile
 * (customers), the orders (orders) and the cards charged (payments), never from fulfillments or
 * purchases, so the projection refreshes a customer's search entry only after events of those three.
 */
export const changesSearchKeys = (topic: string): boolean => topic === Topics.customersEvents || topic === Topics.ordersEvents || topic === Topics.paymentsEvents;

/** How the search lists a customer. */
export function searchResult(history: CustomerHistory): SearchResult | undefined {
  const customer = history.customer;
  if (!customer) return undefined;
  const lastOrderAt = history.orders.reduce<string | null>((latest, order) => (latest === null || order.placedAt > latest ? order.placedAt : latest), null);
  return { customerId: customer.customerId, name: `${customer.firstName} ${customer.lastName}`, email: customer.email, phone: customer.phone, lastOrderAt };
}

/**
 * The index keys a query is looked up under: an email, a card's last four, a phone (7+ digits), an
 * order id and a name prefix. Whatever the query is, each key is one index read.
 */
export function queryKeys(query: string): string[] {
  const q = query.trim();
  if (q.length === 0) return [];
  const keys: string[] = [];
  if (q.includes('@')) return [`email:${normalizeEmail(q)}`];
  if (/^\d{4}$/.test(q)) keys.push(`last4:${q}`);
  const digits = normalizePhone(q);
  if (/^[\d\s()+.-]+$/.test(q) && digits.length >= 7) keys.push(...phoneKeys(q));
  keys.push(`order:${q}`);
  const name = normalizeName(q);
  if (name.length >= NAME_PREFIX_MIN) keys.push(`name:${name.slice(0, NAME_PREFIX_MAX)}`);
  return keys;
}

/**
 * A customer's search entry (one document of the search view): the keys it is found under, the
 * answer the search gives for it, and the names a query longer than an indexed prefix is checked
 * against, all folded from `entries` journal entries. A search reads it and nothing else.
 */
export interface SearchEntry {
  readonly entries: number;
  readonly keys: readonly string[];
  readonly result: SearchResult;
  /** first, last and "first last", normalized, of the customer and of each customer merged into it */
  readonly names: readonly string[];
}

/** The search entry of a history folded from `entries` journal entries; undefined before its profile. */
export function searchEntryOf(history: CustomerHistory, entries: number): SearchEntry | undefined {
  const result = searchResult(history);
  if (!result || !history.customer) return undefined;
  const names = new Set<string>();
  for (const person of [history.customer, ...history.mergedCustomers]) {
    for (const name of [person.firstName, person.lastName, `${person.firstName} ${person.lastName}`]) names.add(normalizeName(name));
  }
  return { entries, keys: searchKeys(history), result, names: [...names] };
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((item) => b.includes(item));
const sameResult = (a: SearchResult, b: SearchResult) =>
  a.customerId === b.customerId && a.name === b.name && a.email === b.email && a.phone === b.phone && a.lastOrderAt === b.lastOrderAt;

/**
 * The entry to keep: the stored one when the new one is folded from no more journal entries (two
 * instances refreshing one customer) or changes nothing a search reads, so an event that changes
 * none of it writes nothing.
 */
export function newerSearchEntry(stored: SearchEntry | null, next: SearchEntry | undefined): SearchEntry | null {
  if (!next) return stored;
  if (stored === null) return next;
  if (stored.entries >= next.entries) return stored;
  const same = sameList(stored.keys, next.keys) && sameList(stored.names ?? [], next.names) && stored.result !== undefined && sameResult(stored.result, next.result);
  return same ? stored : next;
}

/** Whether a listed customer really matches (a name longer than the indexed prefix is checked here). */
export function matchesEntry(entry: SearchEntry, query: string): boolean {
  const keys = new Set(entry.keys);
  if (queryKeys(query).some((key) => keys.has(key) && !key.startsWith('name:'))) return true;
  const name = normalizeName(query);
  if (name.length < NAME_PREFIX_MIN) return false;
  return entry.names.some((candidate) => candidate.startsWith(name));
}

/** Most recent order first; customers without orders last, by name. */
export function rankResults(results: readonly SearchResult[]): SearchResult[] {
  return [...results].sort((a, b) => {
    if (a.lastOrderAt !== b.lastOrderAt) {
      if (a.lastOrderAt === null) return 1;
      if (b.lastOrderAt === null) return -1;
      return b.lastOrderAt.localeCompare(a.lastOrderAt);
    }
    return a.name.localeCompare(b.name) || a.customerId.localeCompare(b.customerId);
  });
}
