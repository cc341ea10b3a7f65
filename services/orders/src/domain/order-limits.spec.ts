import { CAMPAIGN_LIMIT_CEILINGS, DEFAULT_ORDER_LIMITS, orderLimitsOf } from '@continuum/contracts';
import { refusal } from '@continuum/testing';
import { checkCampaignLimits, checkLines, checkTotal } from './order-limits';

const agent = { kind: 'agent' as const, id: 'alice' };
const admin = { kind: 'admin' as const, id: 'ops' };
const service = { kind: 'service' as const, id: 'lander' };
const system = { kind: 'system' as const, id: 'rebill' };

/** The code and the field named by the DomainError a limit throws. */
function refused(run: () => void): { code: string; field: unknown } {
  const error = refusal(run);
  return { code: error.code, field: error.details?.['field'] };
}

describe('order limits', () => {
  it('refuses a line above the quantity limit, naming it', () => {
    expect(refused(() => checkLines(DEFAULT_ORDER_LIMITS, [{ field: 'items.0', quantity: 1 }, { field: 'items.1', quantity: 1_000_000_000 }], admin, 'CARD'))).toEqual({
      code: 'QUANTITY_LIMIT',
      field: 'items.1.quantity',
    });
    expect(() => checkLines(DEFAULT_ORDER_LIMITS, [{ field: 'items.0', quantity: 100 }], agent, 'CARD')).not.toThrow();
    expect(refused(() => checkLines(orderLimitsOf({ limits: { maxQuantity: 3 } }), [{ field: '', quantity: 4 }], agent, 'CARD'))).toEqual({ code: 'QUANTITY_LIMIT', field: 'quantity' });
  });

  it('an agent may not price a CARD or COD line; anyone may price an EXTERNAL one; system jobs may', () => {
    for (const paymentType of ['CARD', 'COD'] as const) {
      expect(refused(() => checkLines(DEFAULT_ORDER_LIMITS, [{ field: 'items.0', quantity: 1, unitPrice: 0 }], agent, paymentType))).toEqual({
        code: 'UNIT_PRICE_NOT_ALLOWED',
        field: 'items.0.unitPrice',
      });
    }
    for (const actor of [admin, service, system]) expect(() => checkLines(DEFAULT_ORDER_LIMITS, [{ field: 'items.0', quantity: 1, unitPrice: 0 }], actor, 'CARD')).not.toThrow();
    expect(() => checkLines(DEFAULT_ORDER_LIMITS, [{ field: 'items.0', quantity: 1, unitPrice: 0 }], agent, 'EXTERNAL')).not.toThrow();
    expect(() => checkLines(DEFAULT_ORDER_LIMITS, [{ field: 'items.0', quantity: 1 }], agent, 'CARD')).not.toThrow();
  });

  it('a campaign decides who may set a unit price', () => {
    const agentsToo = orderLimitsOf({ limits: { unitPriceRoles: ['agent', 'admin'] } });
    expect(() => checkLines(agentsToo, [{ field: 'items.0', quantity: 1, unitPrice: 100 }], agent, 'CARD')).not.toThrow();
    expect(refused(() => checkLines(agentsToo, [{ field: 'items.0', quantity: 1, unitPrice: 100 }], service, 'CARD')).code).toBe('UNIT_PRICE_NOT_ALLOWED');
    expect(refused(() => checkLines(orderLimitsOf({ limits: { unitPriceRoles: [] } }), [{ field: '', quantity: 1, unitPrice: 1 }], admin, 'COD'))).toEqual({ code: 'UNIT_PRICE_NOT_ALLOWED', field: 'unitPrice' });
  });

  it('refuses a total above the limit and a CARD order of nothing', () => {
    expect(refused(() => checkTotal(DEFAULT_ORDER_LIMITS, 1_000_001, 'EXTERNAL'))).toEqual({ code: 'ORDER_TOTAL_LIMIT', field: 'items' });
    expect(() => checkTotal(DEFAULT_ORDER_LIMITS, 1_000_000, 'CARD')).not.toThrow();
    expect(refused(() => checkTotal(DEFAULT_ORDER_LIMITS, 0, 'CARD')).code).toBe('ZERO_CARD_TOTAL');
    expect(() => checkTotal(DEFAULT_ORDER_LIMITS, 0, 'EXTERNAL')).not.toThrow();
    expect(refused(() => checkTotal(orderLimitsOf({ limits: { maxOrderTotal: 5000 } }), 5001, 'CARD', 'quantity'))).toEqual({ code: 'ORDER_TOTAL_LIMIT', field: 'quantity' });
  });

  it('checks the limits a campaign is given', () => {
    expect(checkCampaignLimits({ maxQuantity: 5, maxOrderTotal: 100_000, unitPriceRoles: ['agent'] })).toEqual({ maxQuantity: 5, maxOrderTotal: 100_000, unitPriceRoles: ['agent'] });
    expect(refused(() => checkCampaignLimits({ maxQuantity: 0 }))).toEqual({ code: 'INVALID_LIMIT', field: 'limits.maxQuantity' });
    expect(refused(() => checkCampaignLimits({ maxOrderTotal: CAMPAIGN_LIMIT_CEILINGS.maxOrderTotal + 1 }))).toEqual({ code: 'INVALID_LIMIT', field: 'limits.maxOrderTotal' });
    // not whole minor units: the one money rule's code, as every amount gets
    expect(refused(() => checkCampaignLimits({ maxOrderTotal: 2 ** 53 }))).toEqual({ code: 'INVALID_AMOUNT', field: 'limits.maxOrderTotal' });
    expect(refused(() => checkCampaignLimits({ maxOrderTotal: 10.5 }))).toEqual({ code: 'INVALID_AMOUNT', field: 'limits.maxOrderTotal' });
    expect(refused(() => checkCampaignLimits({ maxOrderTotal: 0 }))).toEqual({ code: 'INVALID_AMOUNT', field: 'limits.maxOrderTotal' });
    expect(refused(() => checkCampaignLimits({ unitPriceRoles: ['admin', 'admin'] }))).toEqual({ code: 'INVALID_LIMIT', field: 'limits.unitPriceRoles' });
  });
});
