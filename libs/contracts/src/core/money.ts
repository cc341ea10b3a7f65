import { DomainError } from './decider';

/** The code every decider refuses a bad amount with (docs/api-limits.md). */
export const INVALID_AMOUNT = 'INVALID_AMOUNT';

/**
 * The money rule: an amount is a whole number of minor units (1999 = $19.99), at least `min`
 * (default 0; 1 where nothing would be moved otherwise, e.g. a refund). Answers the amount, or throws
 * a `rule` DomainError INVALID_AMOUNT naming the field in `details.field`.
 */
export function assertMinorUnits(amount: unknown, rule: { readonly field: string; readonly min?: number }): number {
  const min = rule.min ?? 0;
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < min) {
    throw new DomainError(INVALID_AMOUNT, `${rule.field} must be a whole number of minor units, at least ${min}`, 'rule', { field: rule.field, value: amount });
  }
  return amount;
}
