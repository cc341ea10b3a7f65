import { CampaignLimits, DEFAULT_ORDER_LIMITS, SubscriptionEvent } from '@continuum/contracts';
import { spec } from '@continuum/testing';
import { purchaseDecider } from './purchase.decider';
import { cmd, otherProduct, purchaseRef as ref, started } from './purchase.fixtures';

/**
 * A purchase agrees to no rebill that orders would refuse (its campaign's order limits). The started purchase bills
 * 1 x 5999 + 295 shipping; the default limits are 100 units a line and 1,000,000 an order.
 */
const given = (events: readonly SubscriptionEvent[]) => spec(purchaseDecider).given(events);
const update = (changes: Record<string, unknown>, limits?: CampaignLimits) => cmd('UpdatePurchase', { changes, ...(limits ? { limits } : {}) });
const updated = (changes: Record<string, unknown>): SubscriptionEvent => ({ type: 'PurchaseUpdated', data: { ...ref, changes } });
const change = (product = otherProduct, limits?: CampaignLimits, applyProductDetails = true) =>
  cmd('ChangeProduct', { productId: product.productId, product, applyProductDetails, monthlyIntervalDays: [], ...(limits ? { limits } : {}) });

describe('purchase decider: update purchase within the order limits', () => {
  it('refuses the billion-dollar update (1000 x $1,000,000.00) by its quantity, naming the field and the limit', () => {
    expect(given([started]).when(update({ quantity: 1000, unitPrice: 100_000_000 })).thenThrows('QUANTITY_LIMIT').details).toEqual({ field: 'quantity', limit: 100 });
  });

  it('refuses a unit price that takes the next rebill above the order total limit, counting shipping', () => {
    // 999,705 + 295 shipping = 1,000,000: at the limit; one more is over
    given([started]).when(update({ unitPrice: 999_705 })).then([updated({ unitPrice: 999_705, price: 999_705 })]);
    expect(given([started]).when(update({ unitPrice: 999_706 })).thenThrows('ORDER_TOTAL_LIMIT').details).toEqual({ field: 'unitPrice', limit: 1_000_000, total: 1_000_001 });
  });

  it('refuses a quantity within its own limit whose total is over, naming the first cost field sent', () => {
    given([started]).when(update({ quantity: 100, unitPrice: 9_997 })).then([updated({ quantity: 100, unitPrice: 9_997, price: 999_700 })]);
    expect(given([started]).when(update({ quantity: 100, unitPrice: 10_000 })).thenThrows('ORDER_TOTAL_LIMIT').details).toMatchObject({ field: 'unitPrice', total: 1_000_295 });
    expect(given([started]).when(update({ quantity: 100, price: 1_000_000 })).thenThrows('ORDER_TOTAL_LIMIT').details).toMatchObject({ field: 'price' });
    expect(given([started]).when(update({ quantity: 101, unitPrice: 1 })).thenThrows('QUANTITY_LIMIT').details).toEqual({ field: 'quantity', limit: 100 });
  });

  it('refuses a price, a shipping price or a CUSTOM sales tax that takes the rebill over, each by its field', () => {
    expect(given([started]).when(update({ price: 2_000_000 })).thenThrows('ORDER_TOTAL_LIMIT').details).toMatchObject({ field: 'price' });
    expect(given([started]).when(update({ shippingPrice: 100_000_000 })).thenThrows('ORDER_TOTAL_LIMIT').details).toMatchObject({ field: 'shippingPrice', total: 100_005_999 });
    expect(given([started]).when(update({ salesTax: { mode: 'CUSTOM', amount: 100_000_000 } })).thenThrows('ORDER_TOTAL_LIMIT').details).toMatchObject({
      field: 'salesTax.amount',
      total: 100_006_294,
    });
    // within the limit: accepted
    given([started]).when(update({ shippingPrice: 994_001 })).then([updated({ shippingPrice: 994_001 })]);
    given([started]).when(update({ salesTax: { mode: 'CUSTOM', amount: 993_706 } })).then([updated({ salesTax: { mode: 'CUSTOM', amount: 993_706 } })]);
  });

  it('counts the sales tax already set when the price changes', () => {
    const taxed = updated({ salesTax: { mode: 'CUSTOM', amount: 500_000 } });
    given([started, taxed]).when(update({ unitPrice: 499_705 })).then([updated({ unitPrice: 499_705, price: 499_705 })]);
    expect(given([started, taxed]).when(update({ unitPrice: 499_706 })).thenThrows('ORDER_TOTAL_LIMIT').details).toMatchObject({ field: 'unitPrice', total: 1_000_001 });
  });

  it("applies the campaign's own limits, higher or lower than the defaults", () => {
    const generous: CampaignLimits = { maxQuantity: 1000, maxOrderTotal: 50_000_000 };
    given([started]).when(update({ quantity: 1000, unitPrice: 49_999 }, generous)).then([updated({ quantity: 1000, unitPrice: 49_999, price: 49_999_000 })]);
    expect(given([started]).when(update({ quantity: 1000, unitPrice: 50_000 }, generous)).thenThrows('ORDER_TOTAL_LIMIT').details).toEqual({ field: 'unitPrice', limit: 50_000_000, total: 50_000_295 });
    const strict: CampaignLimits = { maxQuantity: 2, maxOrderTotal: 5_000 };
    expect(given([started]).when(update({ price: 4_999 }, strict)).thenThrows('ORDER_TOTAL_LIMIT').details).toEqual({ field: 'price', limit: 5_000, total: 5_294 });
    expect(given([started]).when(update({ quantity: 3, unitPrice: 100 }, strict)).thenThrows('QUANTITY_LIMIT').details).toEqual({ field: 'quantity', limit: 2 });
    given([started]).when(update({ price: 4_705 }, strict)).then([updated({ price: 4_705, unitPrice: 4_705 })]);
  });

  it('a change that costs nothing more is never refused by the limits, even on a purchase above them', () => {
    const strict: CampaignLimits = { maxOrderTotal: 5_000 };
    given([started]).when(update({ nextBillDate: '2026-03-20', merchantId: 'mid-2', insureShipment: true }, strict)).then([
      updated({ nextBillDate: '2026-03-20', merchantId: 'mid-2', insureShipment: true }),
    ]);
  });

  it('without limits the command takes the defaults', () => {
    expect(given([started]).when(update({ unitPrice: DEFAULT_ORDER_LIMITS.maxOrderTotal })).thenThrows('ORDER_TOTAL_LIMIT').details).toMatchObject({ limit: DEFAULT_ORDER_LIMITS.maxOrderTotal });
  });
});

describe('purchase decider: change product within the order limits', () => {
  it("refuses a product whose rebill price takes the next rebill over, naming productId", () => {
    const pricey = { ...otherProduct, rebillPrice: 999_506 }; // + 495 shipping = 1,000,001
    expect(given([started]).when(change(pricey)).thenThrows('ORDER_TOTAL_LIMIT').details).toEqual({ field: 'productId', limit: 1_000_000, total: 1_000_001 });
    const atLimit = { ...otherProduct, rebillPrice: 999_505 };
    expect(purchaseDecider.decide(change(atLimit), given([started]).state)[0]!.data).toMatchObject({ unitPrice: 999_505, price: 999_505, shippingPrice: 495 });
  });

  it("prices the purchase's quantity and sales tax with the new product, under the campaign's limits", () => {
    const three = updated({ quantity: 3, unitPrice: 1_000, price: 3_000 });
    // 3 x 7999 + 495 = 24,492
    expect(given([started, three]).when(change(otherProduct, { maxOrderTotal: 24_491 })).thenThrows('ORDER_TOTAL_LIMIT').details).toEqual({ field: 'productId', limit: 24_491, total: 24_492 });
    expect(purchaseDecider.decide(change(otherProduct, { maxOrderTotal: 24_492 }), given([started, three]).state)[0]!.data).toMatchObject({ price: 23_997 });
    expect(given([started, three]).when(change(otherProduct, { maxQuantity: 2 })).thenThrows('QUANTITY_LIMIT').details).toEqual({ field: 'quantity', limit: 2 });
  });

  it("without the product's details the price does not change and the limits are not asked", () => {
    const pricey = { ...otherProduct, rebillPrice: 100_000_000 };
    expect(purchaseDecider.decide(change(pricey, { maxOrderTotal: 1 }, false), given([started]).state)[0]!.type).toBe('PurchaseProductChanged');
  });
});
