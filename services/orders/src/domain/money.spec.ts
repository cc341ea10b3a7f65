import { DomainError } from '@continuum/contracts';
import { assertMinor, linePrice, orderTotal, sumMinor } from './money';

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    return error instanceof DomainError ? error.code : 'not a DomainError';
  }
  return undefined;
};

describe('money (integer minor units)', () => {
  it('prices a line as quantity x unit price', () => {
    expect(linePrice(3, 1999)).toBe(5997);
    expect(linePrice(2, 0)).toBe(0);
  });

  it('totals items + shipping + sales tax - discount', () => {
    expect(orderTotal({ subtotal: 5997, shipping: 495, salesTax: 100, discount: 500 })).toBe(6092);
  });

  it('refuses fractions, negatives and non-numbers', () => {
    expect(codeOf(() => assertMinor(19.99, 'price'))).toBe('INVALID_AMOUNT');
    expect(codeOf(() => assertMinor(-1, 'price'))).toBe('INVALID_AMOUNT');
    expect(codeOf(() => assertMinor(Number.NaN, 'price'))).toBe('INVALID_AMOUNT');
    expect(codeOf(() => linePrice(1.5, 100))).toBe('INVALID_QUANTITY');
    expect(codeOf(() => linePrice(0, 100))).toBe('INVALID_QUANTITY');
    expect(codeOf(() => linePrice(1, 0.5))).toBe('INVALID_AMOUNT');
  });

  it('refuses a discount larger than what it discounts', () => {
    expect(codeOf(() => orderTotal({ subtotal: 100, shipping: 0, salesTax: 0, discount: 101 }))).toBe('INVALID_AMOUNT');
  });

  it('names the offending field in the error details', () => {
    try {
      assertMinor(-5, 'shippingPrice');
      throw new Error('no error');
    } catch (error) {
      expect((error as DomainError).details).toEqual({ field: 'shippingPrice', value: -5 });
    }
  });

  it('sums amounts', () => {
    expect(sumMinor([1, 2, 3])).toBe(6);
    expect(sumMinor([])).toBe(0);
  });
});
