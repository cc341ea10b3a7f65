import { CampaignLimits, checkOrderTotalLimit, checkQuantityLimit, orderLimitsOf, rebillOrderTotals, RebillTerms } from '@continuum/contracts';

/** What a refusal names: the quantity field, and the field of the change that made the total (`unitPrice`, `shippingPrice`, `productId`, ...). */
export interface LimitFields {
  readonly quantity: string;
  readonly total: string;
}

/**
 * A purchase agrees to no rebill that orders would refuse: after a change to what the next rebill
 * costs, that rebill order must keep to the campaign's order limits, priced as orders prices it
 * (`rebillOrderTotals`: quantity x unit price + the purchase's shipping + its sales tax). Refuses
 * QUANTITY_LIMIT (more units than `maxQuantity`) or ORDER_TOTAL_LIMIT (a total above `maxOrderTotal`),
 * 422 with `details: { field, limit }`.
 *
 * `limits`: the campaign's, as subscriptions' campaign catalog keeps them from CampaignCreated;
 * undefined (a campaign the catalog has no limits for) means DEFAULT_ORDER_LIMITS, as for orders.
 *
 *   checkNextRebill({ quantity: 1000, unitPrice: 100_000_000, shippingPrice: 0, salesTax: 0 }, undefined, { quantity: 'quantity', total: 'unitPrice' }) // throws QUANTITY_LIMIT
 */
export function checkNextRebill(terms: RebillTerms, limits: CampaignLimits | undefined, fields: LimitFields): void {
  const applied = orderLimitsOf(limits !== undefined ? { limits } : {});
  checkQuantityLimit(applied, terms.quantity, fields.quantity);
  checkOrderTotalLimit(applied, rebillOrderTotals(terms).total, fields.total);
}
