import { DomainError } from '../core/decider';
import { DEFAULT_ORDER_LIMITS, checkOrderTotalLimit, checkQuantityLimit, orderLimitsOf } from './order-limits';

function refusal(run: () => void): { code: string; details: unknown } {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, details: error.details };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('order limits (shared by orders and subscriptions)', () => {
  it('defaults: 100 units a line, $10,000.00 an order, unit prices set by admins and services', () => {
    expect(orderLimitsOf({})).toEqual({ maxQuantity: 100, maxOrderTotal: 1_000_000, unitPriceRoles: ['admin', 'service'] });
    expect(orderLimitsOf({ limits: { maxQuantity: 5 } })).toEqual({ ...DEFAULT_ORDER_LIMITS, maxQuantity: 5 });
    expect(orderLimitsOf({ limits: { maxOrderTotal: 50_000_000 } })).toEqual({ ...DEFAULT_ORDER_LIMITS, maxOrderTotal: 50_000_000 });
  });

  it('refuses a line above the quantity limit as QUANTITY_LIMIT, naming the field and the limit', () => {
    expect(refusal(() => checkQuantityLimit(DEFAULT_ORDER_LIMITS, 101, 'items.1.quantity'))).toEqual({
      code: 'QUANTITY_LIMIT',
      details: { field: 'items.1.quantity', limit: 100 },
    });
    expect(() => checkQuantityLimit(DEFAULT_ORDER_LIMITS, 100, 'quantity')).not.toThrow();
    expect(refusal(() => checkQuantityLimit(orderLimitsOf({ limits: { maxQuantity: 3 } }), 4, 'quantity')).details).toEqual({ field: 'quantity', limit: 3 });
  });

  it('refuses a total above the limit as ORDER_TOTAL_LIMIT, naming the field, the limit and the total', () => {
    expect(refusal(() => checkOrderTotalLimit(DEFAULT_ORDER_LIMITS, 1_000_001, 'unitPrice'))).toEqual({
      code: 'ORDER_TOTAL_LIMIT',
      details: { field: 'unitPrice', limit: 1_000_000, total: 1_000_001 },
    });
    expect(() => checkOrderTotalLimit(DEFAULT_ORDER_LIMITS, 1_000_000, 'items')).not.toThrow();
    expect(() => checkOrderTotalLimit(orderLimitsOf({ limits: { maxOrderTotal: 100_000_000 } }), 100_000_000, 'items')).not.toThrow();
  });
});
