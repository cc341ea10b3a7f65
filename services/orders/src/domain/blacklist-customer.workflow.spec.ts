import { refusal } from '@continuum/testing';
import { customerBlacklistValues, entryToAdd } from './blacklist-customer.workflow';
import { CustomerState } from './customer.decider';

const billingAddress = { line1: '1 Main St.', line2: 'Apt 4', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' };
const customer = { customerId: 'cu-1', firstName: 'Ann', lastName: 'Lee', email: 'Ann@Example.com', phone: '+1 (512) 555-0100', billingAddress, notes: [], mergedFrom: [] };
const active: CustomerState = { status: 'ACTIVE', customer };

describe('blacklist customer workflow', () => {
  it('given a customer, then its email, phone and billing address are blacklisted, normalised as entries keep them', () => {
    expect(customerBlacklistValues('cu-1', active)).toEqual([
      { type: 'EMAIL', value: 'ann@example.com' },
      { type: 'PHONE', value: '15125550100' },
      { type: 'ADDRESS', value: '1 main st apt 4 austin tx 78701 us' },
    ]);
  });

  it('given a customer without a phone, then only its email and billing address', () => {
    const { phone: _phone, ...noPhone } = customer;
    expect(customerBlacklistValues('cu-1', { status: 'ACTIVE', customer: noPhone }).map((v) => v.type)).toEqual(['EMAIL', 'ADDRESS']);
  });

  it('given no customer, then 404; given a merged one, then it is refused naming the survivor', () => {
    expect(refusal(() => customerBlacklistValues('cu-x', { status: 'ABSENT' }))).toMatchObject({ code: 'CUSTOMER_NOT_FOUND', kind: 'not-found' });
    expect(refusal(() => customerBlacklistValues('cu-1', { status: 'MERGED', customer, intoCustomerId: 'cu-9' }))).toMatchObject({ code: 'CUSTOMER_MERGED', details: { intoCustomerId: 'cu-9' } });
  });

  it('given an entry in force for a value, then it is kept and not added again; a removed or absent one is added', () => {
    const entry = { entryId: 'b-1', type: 'EMAIL' as const, value: 'ann@example.com', codOnly: false };
    expect(entryToAdd({ status: 'ACTIVE', entry })).toBe(false);
    expect(entryToAdd({ status: 'REMOVED', entry })).toBe(true);
    expect(entryToAdd({ status: 'ABSENT' })).toBe(true);
  });
});
