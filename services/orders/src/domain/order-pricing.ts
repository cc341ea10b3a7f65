import { assertMinorUnits, CampaignProduct, DomainError, linePrice, OrderItem } from '@continuum/contracts';
import { ItemRequest } from './order.commands';

/**
 * Prices one line from the campaign catalog. A `unitPrice` override replaces the catalog price;
 * a line overridden to 0 is a free replacement and ships free unless a shipping price is given.
 * Throws UNKNOWN_PRODUCT (422) for a product the campaign does not offer.
 */
export function priceItem(products: readonly CampaignProduct[], request: ItemRequest): OrderItem {
  const product = products.find((p) => p.productId === request.productId);
  if (!product) {
    throw new DomainError('UNKNOWN_PRODUCT', `Product ${request.productId} is not offered by this campaign`, 'rule', {
      productId: request.productId,
    });
  }
  const unitPrice = request.unitPrice ?? product.price;
  const shippingPrice = assertMinorUnits(request.shippingPrice ?? (request.unitPrice === 0 ? 0 : product.shippingPrice), { field: 'shippingPrice' });
  return {
    orderItemId: request.orderItemId,
    productId: product.productId,
    sku: product.sku,
    name: product.name,
    quantity: request.quantity,
    unitPrice,
    price: linePrice(request.quantity, unitPrice),
    shippingPrice,
    billingType: product.billingType,
    ...(product.trial ? { trial: product.trial } : {}),
    ...(product.rebillPrice !== undefined ? { rebillPrice: product.rebillPrice } : {}),
    ...(product.intervalDays !== undefined ? { intervalDays: product.intervalDays } : {}),
    ...(product.finalBillCycle !== undefined ? { finalBillCycle: product.finalBillCycle } : {}),
  };
}

// The totals of priced lines (`totalsOf`, `rebillOrderTotals`) are in @continuum/contracts
// (libs/contracts/src/orders/order-pricing.ts): subscriptions prices a purchase's next rebill with them.
