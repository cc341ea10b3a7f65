/** The fields dedup compares. */
export interface DedupCandidate {
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly phone?: string;
}

/** An existing customer as the lookup returns it; `mergedInto` customers are never attached to. */
export interface DedupRecord extends DedupCandidate {
  readonly customerId: string;
  readonly mergedInto?: string;
}

export interface DedupOptions {
  /** the client asked for a new customer whatever matches */
  readonly disableCustomerDedup?: boolean;
}

const text = (value: string | undefined) => (value ?? '').trim().toLowerCase();
const digits = (value: string | undefined) => (value ?? '').replace(/\D/g, '');
const same = (a: string, b: string) => a !== '' && a === b;

/**
 * Order-import dedup: the existing customer a new order attaches to, or null for a new customer.
 * A match needs (email OR phone) AND (first OR last name); case-insensitive, trimmed, phones by
 * digits. The first match in `existing` wins, so pass them in the order you prefer (e.g. newest first).
 *
 *   findDuplicateCustomer({ firstName: 'Ann', lastName: 'Lee', email: 'ANN@x.com' }, customers)
 */
export function findDuplicateCustomer<T extends DedupRecord>(
  candidate: DedupCandidate,
  existing: readonly T[],
  options: DedupOptions = {},
): T | null {
  if (options.disableCustomerDedup) return null;
  const matches = (record: T) => {
    const contact = same(text(candidate.email), text(record.email)) || same(digits(candidate.phone), digits(record.phone));
    const name = same(text(candidate.firstName), text(record.firstName)) || same(text(candidate.lastName), text(record.lastName));
    return contact && name;
  };
  return existing.find((record) => record.mergedInto === undefined && matches(record)) ?? null;
}
