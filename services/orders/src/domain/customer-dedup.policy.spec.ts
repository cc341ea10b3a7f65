import { findDuplicateCustomer } from './customer-dedup.policy';

const existing = [
  { customerId: 'cu-1', firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com', phone: '+1 (512) 555-0100' },
  { customerId: 'cu-2', firstName: 'Bob', lastName: 'Stone', email: 'bob@example.com' },
];

describe('findDuplicateCustomer', () => {
  it('attaches on the same email and the same first name, ignoring case and spaces', () => {
    const candidate = { firstName: ' ANN ', lastName: 'Other', email: 'Ann@Example.COM ' };
    expect(findDuplicateCustomer(candidate, existing)?.customerId).toBe('cu-1');
  });

  it('attaches on the same phone (digits only) and the same last name', () => {
    const candidate = { firstName: 'Annie', lastName: 'lee', email: 'new@example.com', phone: '1-512-555-0100' };
    expect(findDuplicateCustomer(candidate, existing)?.customerId).toBe('cu-1');
  });

  it('does not attach when contact matches but neither name does', () => {
    expect(findDuplicateCustomer({ firstName: 'Zed', lastName: 'Zulu', email: 'ann@example.com' }, existing)).toBeNull();
  });

  it('does not attach when a name matches but neither email nor phone does', () => {
    expect(findDuplicateCustomer({ firstName: 'Ann', lastName: 'Lee', email: 'other@example.com', phone: '999' }, existing)).toBeNull();
  });

  it('never matches on two missing phones', () => {
    expect(findDuplicateCustomer({ firstName: 'Bob', lastName: 'X', email: 'x@example.com' }, existing)).toBeNull();
    expect(findDuplicateCustomer({ firstName: 'Bob', lastName: 'X', email: 'x@example.com', phone: '' }, [{ ...existing[1], phone: '' }])).toBeNull();
  });

  it('always creates a new customer when dedup is disabled', () => {
    const candidate = { firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com' };
    expect(findDuplicateCustomer(candidate, existing, { disableCustomerDedup: true })).toBeNull();
  });

  it('skips customers that were merged into another one', () => {
    const merged = [{ ...existing[0], mergedInto: 'cu-9' }];
    expect(findDuplicateCustomer({ firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com' }, merged)).toBeNull();
  });
});
