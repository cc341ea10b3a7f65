import { Actor, assertMinorUnits, CAMPAIGN_LIMIT_CEILINGS, CampaignLimits, checkOrderTotalLimit, checkQuantityLimit, DomainError, OrderLimits, PaymentType, PriceOverrideRole } from '@continuum/contracts';

// The limits themselves (DEFAULT_ORDER_LIMITS, orderLimitsOf, the quantity and order-total checks) are
// shared with subscriptions and live in @continuum/contracts (libs/contracts/src/orders/order-limits.ts);
// what stays here is orders' own: who may price a line, a CARD order of nothing, a campaign's limits.

const refuse = (code: string, message: string, field: string, details: Record<string, unknown> = {}): never => {
  throw new DomainError(code, message, 'rule', { field, ...details });
};

/** One requested line, as placing an order or adding an upsell asks for it; `field` names it in errors (`items.0`, or '' for an upsell's body). */
export interface LineRequest {
  readonly field: string;
  readonly quantity: number;
  readonly unitPrice?: number;
}

/**
 * Checks the lines of an order or upsell against the campaign's limits, before pricing:
 * at most `maxQuantity` units a line (QUANTITY_LIMIT), and a `unitPrice` override on a CARD or COD
 * order only from a role in `unitPriceRoles` (UNIT_PRICE_NOT_ALLOWED). EXTERNAL orders, the free
 * replacements and corrections agents make, may be priced by anyone: QA reviews them unless the
 * campaign skips QA for external payments. System jobs (rebills) repeat a price already agreed.
 *
 *   checkLines(DEFAULT_ORDER_LIMITS, [{ field: 'items.0', quantity: 1, unitPrice: 0 }], { kind: 'agent', id: 'a' }, 'CARD') // throws UNIT_PRICE_NOT_ALLOWED
 */
export function checkLines(limits: OrderLimits, lines: readonly LineRequest[], actor: Actor, paymentType: PaymentType): void {
  for (const line of lines) {
    const at = (name: string) => (line.field === '' ? name : `${line.field}.${name}`);
    checkQuantityLimit(limits, line.quantity, at('quantity'));
    if (line.unitPrice !== undefined && paymentType !== 'EXTERNAL' && actor.kind !== 'system' && !(limits.unitPriceRoles as readonly string[]).includes(actor.kind)) {
      refuse(
        'UNIT_PRICE_NOT_ALLOWED',
        `A ${actor.kind} may not set the unit price of a ${paymentType} order in this campaign (allowed: ${limits.unitPriceRoles.join(', ') || 'nobody'}); use an EXTERNAL order for a replacement`,
        at('unitPrice'),
      );
    }
  }
}

/** Refuses an order (or the order an upsell would make) whose total is above `maxOrderTotal`, and a CARD order of nothing. */
export function checkTotal(limits: OrderLimits, total: number, paymentType: PaymentType, field = 'items'): void {
  checkOrderTotalLimit(limits, total, field);
  if (paymentType === 'CARD' && total === 0) refuse('ZERO_CARD_TOTAL', 'A CARD order must charge something; a free order is an EXTERNAL order', field);
}

/** Checks the limits an admin gives a campaign: whole numbers within CAMPAIGN_LIMIT_CEILINGS, known roles. */
export function checkCampaignLimits(limits: CampaignLimits): CampaignLimits {
  const within = (value: number | undefined, max: number) => value === undefined || (Number.isSafeInteger(value) && value >= 1 && value <= max);
  if (!within(limits.maxQuantity, CAMPAIGN_LIMIT_CEILINGS.maxQuantity)) refuse('INVALID_LIMIT', `maxQuantity is a whole number from 1 to ${CAMPAIGN_LIMIT_CEILINGS.maxQuantity}`, 'limits.maxQuantity');
  // a money amount: the one money rule first (INVALID_AMOUNT), then the ceiling
  if (limits.maxOrderTotal !== undefined) assertMinorUnits(limits.maxOrderTotal, { field: 'limits.maxOrderTotal', min: 1 });
  if (!within(limits.maxOrderTotal, CAMPAIGN_LIMIT_CEILINGS.maxOrderTotal)) refuse('INVALID_LIMIT', `maxOrderTotal is at most ${CAMPAIGN_LIMIT_CEILINGS.maxOrderTotal}`, 'limits.maxOrderTotal');
  const roles: readonly PriceOverrideRole[] | undefined = limits.unitPriceRoles;
  if (roles !== undefined && new Set(roles).size !== roles.length) refuse('INVALID_LIMIT', 'unitPriceRoles lists a role twice', 'limits.unitPriceRoles');
  return limits;
}
