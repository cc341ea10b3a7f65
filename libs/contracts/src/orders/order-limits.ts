import { DomainError } from '../core/decider';
import { CampaignLimits, CampaignSnapshot } from './campaign.events';

/**
 * The business limits of one order (docs/api-limits.md), shared by orders (POST /orders, the intake
 * topic, upsells, rebill orders) and subscriptions (every change to what a purchase's next rebill
 * costs), so a purchase never agrees to a rebill that orders would refuse.
 */

/** A campaign's limits with every field filled in. */
export type OrderLimits = Required<CampaignLimits>;

/** What one order may do when its campaign sets no limits of its own. */
export const DEFAULT_ORDER_LIMITS: OrderLimits = {
  maxQuantity: 100,
  /** $10,000.00 in minor units */
  maxOrderTotal: 1_000_000,
  unitPriceRoles: ['admin', 'service'],
};

/** The campaign's limits with the defaults filled in; a campaign (or purchase) that knows none gets the defaults. */
export function orderLimitsOf(campaign: Pick<CampaignSnapshot, 'limits'>): OrderLimits {
  return { ...DEFAULT_ORDER_LIMITS, ...(campaign.limits ?? {}) };
}

/** Refuses (QUANTITY_LIMIT, 422) more than `maxQuantity` units of a product on one line; `field` names the quantity (`items.0.quantity`). */
export function checkQuantityLimit(limits: OrderLimits, quantity: number, field: string): void {
  if (quantity > limits.maxQuantity) {
    throw new DomainError('QUANTITY_LIMIT', `At most ${limits.maxQuantity} units of a product per order line in this campaign`, 'rule', {
      field,
      limit: limits.maxQuantity,
    });
  }
}

/** Refuses (ORDER_TOTAL_LIMIT, 422) an order total above `maxOrderTotal`; `field` names what made it so. */
export function checkOrderTotalLimit(limits: OrderLimits, total: number, field: string): void {
  if (total > limits.maxOrderTotal) {
    throw new DomainError('ORDER_TOTAL_LIMIT', `The order total ${total} is above this campaign's limit of ${limits.maxOrderTotal} minor units`, 'rule', {
      field,
      limit: limits.maxOrderTotal,
      total,
    });
  }
}
