import { DomainError } from '../core/decider';
import { assertMinorUnits } from '../core/money';
import { OrderTotals } from './order.events';

/**
 * How an order is priced, in integer minor units (1999 = $19.99). Orders prices every order with it;
 * subscriptions prices the next rebill order with it (`rebillOrderTotals`) before accepting a change
 * to a purchase, so both services compute the same total for the same terms.
 */

/** Line price = quantity x unit price; quantity is a whole number of at least 1. */
export function linePrice(quantity: number, unitPrice: number): number {
  if (!Number.isSafeInteger(quantity) || quantity < 1) {
    throw new DomainError('INVALID_QUANTITY', 'quantity must be a whole number of at least 1', 'rule', { field: 'quantity', value: quantity });
  }
  return assertMinorUnits(quantity * assertMinorUnits(unitPrice, { field: 'unitPrice' }), { field: 'price' });
}

export function sumMinor(amounts: readonly number[]): number {
  return amounts.reduce((total, amount) => total + amount, 0);
}

/** Order total = items + shipping + sales tax - discount; never negative. */
export function orderTotal(parts: { subtotal: number; shipping: number; salesTax: number; discount: number }): number {
  const gross = assertMinorUnits(parts.subtotal, { field: 'subtotal' }) + assertMinorUnits(parts.shipping, { field: 'shipping' }) + assertMinorUnits(parts.salesTax, { field: 'salesTax' });
  return assertMinorUnits(gross - assertMinorUnits(parts.discount, { field: 'discount' }), { field: 'total' });
}

/** A priced line, as far as the totals are concerned. */
export interface PricedLine {
  /** quantity x unit price */
  readonly price: number;
  readonly shippingPrice: number;
}

/**
 * Totals of priced lines; sales tax is 0 but a rebill's (which the purchase gives), discount 0 but
 * the one an agent gave the order when placing it (kept when upsells change the lines).
 */
export function totalsOf(items: readonly PricedLine[], refunded = 0, salesTax = 0, discount = 0): OrderTotals {
  const subtotal = sumMinor(items.map((item) => item.price));
  const shipping = sumMinor(items.map((item) => item.shippingPrice));
  return { subtotal, shipping, salesTax, discount, total: orderTotal({ subtotal, shipping, salesTax, discount }), refunded };
}

/** What a purchase bills on its next rebill: the terms RebillRequested carries to orders. */
export interface RebillTerms {
  readonly quantity: number;
  readonly unitPrice: number;
  readonly shippingPrice: number;
  /** this bill's sales tax in minor units (0 when none) */
  readonly salesTax: number;
}

/**
 * The totals of the rebill order orders places for these terms: one line of quantity x unit price,
 * the purchase's own shipping price (never the catalog's) and the purchase's sales tax, no discount.
 *
 *   rebillOrderTotals({ quantity: 2, unitPrice: 5999, shippingPrice: 295, salesTax: 100 }).total // 12393
 */
export function rebillOrderTotals(terms: RebillTerms): OrderTotals {
  const price = linePrice(terms.quantity, terms.unitPrice);
  return totalsOf([{ price, shippingPrice: assertMinorUnits(terms.shippingPrice, { field: 'shippingPrice' }) }], 0, assertMinorUnits(terms.salesTax, { field: 'salesTax' }));
}
