import { DomainError } from '@continuum/contracts';
import { CustomerState } from './customer.decider';

/** What a merge did: the survivor, the customer merged into it and the orders moved over. */
export interface MergeResult {
  readonly customerId: string;
  readonly fromCustomerId: string;
  readonly reassignedOrderIds: readonly string[];
}

/**
 * The first decision of merging `fromCustomerId` into `customerId` (the survivor), from the other
 * customer as stored: it must exist (404) and not be merged into someone else (422 CUSTOMER_MERGED).
 * `markMerged`: the other still has to be marked as merged; false when a retried merge got that far.
 * Every step after it (merge on the survivor, the mark, each order's reassignment) is idempotent, so
 * a retried merge finishes what a failed one started.
 */
export function mergeStart(customerId: string, fromCustomerId: string, other: CustomerState): { readonly markMerged: boolean } {
  if (other.status === 'ABSENT') throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${fromCustomerId} does not exist`, 'not-found');
  if (other.status === 'MERGED' && other.intoCustomerId !== customerId) {
    throw new DomainError('CUSTOMER_MERGED', `Customer ${fromCustomerId} was already merged into ${other.intoCustomerId}`, 'rule');
  }
  return { markMerged: other.status === 'ACTIVE' };
}
