import { DomainError, FulfillmentItem, OrderLimits, allowedFrom, checkQuantityLimit } from '@continuum/contracts';
import { CreateFulfillment } from './fulfillment.commands';
import { Fulfillment } from './fulfillment.state';
import { FULFILLMENT_TRANSITIONS } from './fulfillment.transitions';

/** A line an agent asks a reship to ship instead of the original's: one of the order's products by sku. */
export interface ReshipItemRequest {
  readonly sku: string;
  readonly quantity: number;
}

/**
 * The first decision of a reship, before anything is stored: what the new fulfillment ships. No lines
 * asked for: the original's items (null). Otherwise exactly the lines asked for, each one of the
 * order's own products (by sku, as the order listed it), once, in a quantity from 1 to the campaign's
 * `maxQuantity`. A broken line is refused (422) naming its field (`items.<i>.sku`, `items.<i>.quantity`);
 * a fulfillment that cannot be reshipped at all is refused first, as the reship itself would be.
 */
export function reshipItems(original: Fulfillment, requested: readonly ReshipItemRequest[] | undefined, limits: OrderLimits): FulfillmentItem[] | null {
  if (requested === undefined) return null;
  allowedFrom(FULFILLMENT_TRANSITIONS, 'ReshipFulfillment', original.status);
  if (requested.length === 0) throw new DomainError('NO_ITEMS', 'A reship with items names at least one', 'rule', { field: 'items' });
  const seen = new Set<string>();
  return requested.map(({ sku, quantity }, index) => {
    const product = original.orderItems.find((item) => item.sku === sku);
    if (product === undefined) {
      throw new DomainError('PRODUCT_NOT_IN_ORDER', `${sku} is not one of the products of order ${original.orderId}`, 'rule', { field: `items.${index}.sku` });
    }
    if (seen.has(sku)) throw new DomainError('DUPLICATE_SKU', `${sku} is listed twice: give it once with its quantity`, 'rule', { field: `items.${index}.sku` });
    seen.add(sku);
    if (!Number.isInteger(quantity) || quantity < 1) {
      throw new DomainError('INVALID_QUANTITY', 'A reship line ships at least one unit', 'rule', { field: `items.${index}.quantity` });
    }
    checkQuantityLimit(limits, quantity, `items.${index}.quantity`);
    return { productId: product.productId, sku: product.sku, name: product.name, quantity };
  });
}

const sameItems = (a: readonly FulfillmentItem[], b: readonly FulfillmentItem[]): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * A reship in two decisions on two fulfillments: the original records the reship (`ReshipFulfillment`,
 * which names the new id), then the new fulfillment is created in HOLD from what the original
 * holds. This is the second step: the creation, from the original as the first step left it.
 * The new one has the same order, customer, address and method, and ships `items` (from
 * `reshipItems`) or, when none were asked for, the original's; it keeps the order's own lines and
 * campaign so a reship of it is checked against the order too. Its courier collects only what is
 * still owed (the COD amount, unless the original's COD was paid), whatever the items.
 */
export function reshipCreation(original: Fulfillment, items: readonly FulfillmentItem[] | null = null): CreateFulfillment['data'] {
  const reshipId = original.reships[original.reships.length - 1];
  if (reshipId === undefined) throw new DomainError('RESHIP_NOT_RECORDED', `The reship of ${original.fulfillmentId} was not recorded`, 'conflict');
  const cod = original.cod && original.cod.status !== 'PAID' ? { amount: original.cod.amount, currency: original.cod.currency } : null;
  const shipped = items ?? original.items;
  return {
    fulfillmentId: reshipId,
    orderId: original.orderId,
    customerId: original.customerId,
    reference: reshipId,
    items: shipped,
    shippingAddress: original.shippingAddress,
    shippingMethod: original.shippingMethod,
    cod,
    reshipOf: original.fulfillmentId,
    ...(original.campaignId === null ? {} : { campaignId: original.campaignId }),
    ...(sameItems(shipped, original.orderItems) ? {} : { orderItems: original.orderItems }),
  };
}
