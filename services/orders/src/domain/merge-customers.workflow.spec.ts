import { refusal } from '@continuum/testing';
import { CustomerState } from './customer.decider';
import { mergeStart } from './merge-customers.workflow';

const bob = { customerId: 'cu-2', firstName: 'Bob', lastName: 'Lee', email: 'bob@example.com', billingAddress: { line1: '1 Main St', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' }, notes: [], mergedFrom: [] };

describe('merge customers workflow', () => {
  it('given an active other customer, when the merge starts, then it is to be marked as merged', () => {
    expect(mergeStart('cu-1', 'cu-2', { status: 'ACTIVE', customer: bob })).toEqual({ markMerged: true });
  });

  it('given the other already merged into the same survivor (a retried merge), when it starts, then it is not marked again', () => {
    expect(mergeStart('cu-1', 'cu-2', { status: 'MERGED', customer: bob, intoCustomerId: 'cu-1' })).toEqual({ markMerged: false });
  });

  it('given the other merged into someone else, when the merge starts, then CUSTOMER_MERGED is a rule', () => {
    const other: CustomerState = { status: 'MERGED', customer: bob, intoCustomerId: 'cu-3' };
    const error = refusal(() => mergeStart('cu-1', 'cu-2', other));
    expect([error.code, error.kind]).toEqual(['CUSTOMER_MERGED', 'rule']);
  });

  it('given an other customer that was never registered, when the merge starts, then CUSTOMER_NOT_FOUND (404)', () => {
    const error = refusal(() => mergeStart('cu-1', 'cu-2', { status: 'ABSENT' }));
    expect([error.code, error.kind]).toEqual(['CUSTOMER_NOT_FOUND', 'not-found']);
  });
});
