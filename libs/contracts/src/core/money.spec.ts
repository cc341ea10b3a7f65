import { refusal } from '@continuum/testing';
import { assertMinorUnits } from './money';

describe('the money rule (assertMinorUnits)', () => {
  it('answers a whole amount of minor units at or above the minimum', () => {
    expect(assertMinorUnits(0, { field: 'price' })).toBe(0);
    expect(assertMinorUnits(1999, { field: 'price' })).toBe(1999);
    expect(assertMinorUnits(1, { field: 'amount', min: 1 })).toBe(1);
  });

  it.each([19.99, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '100', null, undefined])('refuses %p as INVALID_AMOUNT, a rule', (amount) => {
    const error = refusal(() => assertMinorUnits(amount, { field: 'price' }));
    expect([error.code, error.kind]).toEqual(['INVALID_AMOUNT', 'rule']);
  });

  it('refuses an amount below the minimum it is given', () => {
    expect(refusal(() => assertMinorUnits(0, { field: 'amount', min: 1 })).code).toBe('INVALID_AMOUNT');
  });

  it('names the offending field and the minimum', () => {
    const error = refusal(() => assertMinorUnits(-5, { field: 'salesTax.amount' }));
    expect(error.details).toEqual({ field: 'salesTax.amount', value: -5 });
    expect(error.message).toBe('salesTax.amount must be a whole number of minor units, at least 0');
    expect(refusal(() => assertMinorUnits(0, { field: 'amount', min: 1 })).message).toContain('at least 1');
  });
});
