import { DomainError } from '../core/decider';
import { assertMinorUnits } from '../core/money';
import { linePrice, orderTotal, rebillOrderTotals, sumMinor, totalsOf } from './order-pricing';

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
    expect(codeOf(() => assertMinorUnits(19.99, { field: 'price' }))).toBe('INVALID_AMOUNT');
    expect(codeOf(() => assertMinorUnits(-1, { field: 'price' }))).toBe('INVALID_AMOUNT');
    expect(codeOf(() => assertMinorUnits(Number.NaN, { field: 'price' }))).toBe('INVALID_AMOUNT');
    expect(codeOf(() => linePrice(1.5, 100))).toBe('INVALID_QUANTITY');
    expect(codeOf(() => linePrice(0, 100))).toBe('INVALID_QUANTITY');
    expect(codeOf(() => linePrice(1, 0.5))).toBe('INVALID_AMOUNT');
  });

  it('refuses a discount larger than what it discounts', () => {
    expect(codeOf(() => orderTotal({ subtotal: 100, shipping: 0, salesTax: 0, discount: 101 }))).toBe('INVALID_AMOUNT');
  });

  it('names the offending field in the error details', () => {
    try {
      assertMinorUnits(-5, { field: 'shippingPrice' });
      throw new Error('no error');
    } catch (error) {
      expect((error as DomainError).details).toEqual({ field: 'shippingPrice', value: -5 });
    }
  });

  it('sums amounts', () => {
    expect(sumMinor([1, 2, 3])).toBe(6);
    expect(sumMinor([])).toBe(0);
  });

  it('totals priced lines: subtotal of the prices, shipping of the lines, the sales tax given, no discount', () => {
    expect(totalsOf([{ price: 5997, shippingPrice: 495 }, { price: 1000, shippingPrice: 0 }], 200, 150)).toEqual({
      subtotal: 6997,
      shipping: 495,
      salesTax: 150,
      discount: 0,
      total: 7642,
      refunded: 200,
    });
  });

  it('prices a rebill order as orders places it: quantity x unit price + the purchase shipping + its sales tax', () => {
    expect(rebillOrderTotals({ quantity: 2, unitPrice: 5999, shippingPrice: 295, salesTax: 100 })).toEqual({
      subtotal: 11998,
      shipping: 295,
      salesTax: 100,
      discount: 0,
      total: 12393,
      refunded: 0,
    });
    // a billion-dollar purchase is priced, not refused here: the order limits refuse it
    expect(rebillOrderTotals({ quantity: 1000, unitPrice: 100_000_000, shippingPrice: 0, salesTax: 0 }).total).toBe(100_000_000_000);
    expect(codeOf(() => rebillOrderTotals({ quantity: 0, unitPrice: 1, shippingPrice: 0, salesTax: 0 }))).toBe('INVALID_QUANTITY');
    expect(codeOf(() => rebillOrderTotals({ quantity: 1, unitPrice: 1, shippingPrice: -1, salesTax: 0 }))).toBe('INVALID_AMOUNT');
    expect(codeOf(() => rebillOrderTotals({ quantity: 1, unitPrice: 1, shippingPrice: 0, salesTax: 0.5 }))).toBe('INVALID_AMOUNT');
  });
});
