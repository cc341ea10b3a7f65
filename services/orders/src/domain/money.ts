import { DomainError } from '@continuum/contracts';

/** Throws INVALID_AMOUNT unless `amount` is a non-negative safe integer (minor units, e.g. 1999 = $19.99). */
export function assertMinor(amount: number, field: string): number {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new DomainError('INVALID_AMOUNT', `${field} must be a whole, non-negative amount in minor units`, 'rule', { field, value: amount });
  }
  return amount;
}

/** Line price = quantity x unit price; quantity is a whole number of at least 1. */
export function linePrice(quantity: number, unitPrice: number): number {
  if (!Number.isSafeInteger(quantity) || quantity < 1) {
    throw new DomainError('INVALID_QUANTITY', 'quantity must be a whole number of at least 1', 'rule', { field: 'quantity', value: quantity });
  }
  return assertMinor(quantity * assertMinor(unitPrice, 'unitPrice'), 'price');
}

export function sumMinor(amounts: readonly number[]): number {
  return amounts.reduce((total, amount) => total + amount, 0);
}

/** Order total = items + shipping + sales tax - discount; never negative. */
export function orderTotal(parts: { subtotal: number; shipping: number; salesTax: number; discount: number }): number {
  const gross = assertMinor(parts.subtotal, 'subtotal') + assertMinor(parts.shipping, 'shipping') + assertMinor(parts.salesTax, 'salesTax');
  return assertMinor(gross - assertMinor(parts.discount, 'discount'), 'total');
}
