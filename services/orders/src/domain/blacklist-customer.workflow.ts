import { Address, BlacklistEntryType, DomainError } from '@continuum/contracts';
import { BlacklistState } from './blacklist.decider';
import { normaliseBlacklistValue } from './blacklist.policy';
import { CustomerState } from './customer.decider';

/** One value of the customer to blacklist, normalised as a blacklist entry keeps it. */
export interface CustomerBlacklistValue {
  readonly type: BlacklistEntryType;
  readonly value: string;
}

/** A billing address as one ADDRESS entry: every part, so the entry matches that full address. */
const addressValue = (address: Address) => [address.line1, address.line2, address.city, address.state, address.postalCode, address.country].filter(Boolean).join(' ');

/**
 * Step 1, the customer looked up: what blacklisting it adds: its email, its phone (when it has one)
 * and its billing address. An unknown customer is 404; a merged one is refused (CUSTOMER_MERGED,
 * blacklist the survivor).
 */
export function customerBlacklistValues(customerId: string, state: CustomerState): CustomerBlacklistValue[] {
  if (state.status === 'ABSENT') throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${customerId} does not exist`, 'not-found');
  if (state.status === 'MERGED') {
    throw new DomainError('CUSTOMER_MERGED', `Customer ${customerId} was merged into ${state.intoCustomerId}; blacklist that customer`, 'rule', { intoCustomerId: state.intoCustomerId });
  }
  const { customer } = state;
  const raw: Array<[BlacklistEntryType, string | undefined]> = [
    ['EMAIL', customer.email],
    ['PHONE', customer.phone],
    ['ADDRESS', addressValue(customer.billingAddress)],
  ];
  return raw.flatMap(([type, value]) => (value !== undefined && value.trim() !== '' ? [{ type, value: normaliseBlacklistValue(type, value) }] : []));
}

/** Step 2, per value, its entry looked up: add it, or keep the one in force (blacklisting twice adds nothing). */
export function entryToAdd(entry: BlacklistState): boolean {
  return entry.status !== 'ACTIVE';
}
