import { Topics } from '@continuum/contracts';
import { eventually } from '@continuum/testing';
import { ORDER_REACTIONS_GROUP } from '../src/messaging/order-reactions.consumer';
import { subscriptionsWait, useSubscriptionsService } from './subscriptions-harness';

/**
 * On the real stack: a purchase change after which the next rebill order would break the
 * campaign's order limits is refused (422 naming the limit and the field) and changes nothing; the
 * limits of a campaign come from its CampaignCreated, the defaults when the catalog knows none.
 * (The harness starts every purchase in campaign `camp-sub`: 1 x 5999 + 295 shipping a rebill.)
 */
describe('subscriptions: purchase changes keep the next rebill within the order limits (real stack)', () => {
  const t = useSubscriptionsService();
  const purchaseCommits = async (purchaseId: string) => (await t.commits({ streamId: `purchase-${purchaseId}` })).length;

  it('the billion-dollar PATCH is 422 QUANTITY_LIMIT naming quantity, the purchase is unchanged, and force bill asks for the agreed amount', async () => {
    const { purchaseId } = await t.startPurchase({ trialDays: 20 });
    const before = await t.purchase(purchaseId);
    const commits = await purchaseCommits(purchaseId);

    const refused = await t.http.patch(`/purchases/${purchaseId}`, { quantity: 1000, unitPrice: 100_000_000 }).expect(422);
    expect(refused.body).toMatchObject({ code: 'QUANTITY_LIMIT', errors: [{ field: 'quantity' }] });
    expect(refused.body.errors[0].message).toContain('100');

    const overTotal = await t.http.patch(`/purchases/${purchaseId}`, { unitPrice: 100_000_000 }).expect(422);
    expect(overTotal.body).toMatchObject({ code: 'ORDER_TOTAL_LIMIT', errors: [{ field: 'unitPrice' }] });
    expect(overTotal.body.errors[0].message).toContain('1000000');
    const shipping = await t.http.patch(`/purchases/${purchaseId}`, { shippingPrice: 100_000_000 }).expect(422);
    expect(shipping.body).toMatchObject({ code: 'ORDER_TOTAL_LIMIT', errors: [{ field: 'shippingPrice' }] });
    const tax = await t.http.patch(`/purchases/${purchaseId}`, { salesTax: { mode: 'CUSTOM', amount: 100_000_000 } }).expect(422);
    expect(tax.body).toMatchObject({ code: 'ORDER_TOTAL_LIMIT', errors: [{ field: 'salesTax.amount' }] });

    expect(await t.purchase(purchaseId)).toEqual(before);
    expect(await purchaseCommits(purchaseId)).toBe(commits);

    await t.http.post(`/purchases/${purchaseId}/force-bill`, {}).expect(200);
    const [request] = await eventually(() => {
      const requests = t.rebillRequests(purchaseId);
      return requests.length > 0 ? requests : undefined;
    }, 'the forced RebillRequested', subscriptionsWait);
    expect(request!.data).toMatchObject({ quantity: 1, unitPrice: 5999, shippingPrice: 295, salesTax: 0, amount: 6294 });
  });

  it("a campaign's own limits (from CampaignCreated) apply to PATCH and to change product", async () => {
    const { purchaseId } = await t.startPurchase({ trialDays: 21 });
    const campaign = await t.probe.publish(Topics.ordersEvents, 'campaign-camp-sub', 'CampaignCreated', {
      campaignId: 'camp-sub',
      name: 'Subscriptions',
      currency: 'USD',
      qaRate: 0,
      skipQaForExternal: true,
      products: [
        { productId: 'p-sub', sku: 'SUB', name: 'Monthly box', price: 499, shippingPrice: 295, billingType: 'RECURRING', rebillPrice: 5999, intervalDays: 30 },
        { productId: 'p-gold', sku: 'GOLD', name: 'Gold box', price: 9999, shippingPrice: 0, billingType: 'RECURRING', rebillPrice: 100_000, intervalDays: 30 },
      ],
      limits: { maxQuantity: 1000, maxOrderTotal: 50_000_000 },
    });
    await t.handled(ORDER_REACTIONS_GROUP, campaign.eventId);

    // 500 x 50,000 + 295 = 25,000,295: over the default limit, within this campaign's
    const updated = (await t.http.patch(`/purchases/${purchaseId}`, { quantity: 500, unitPrice: 50_000 }).expect(200)).body;
    expect(updated).toMatchObject({ quantity: 500, unitPrice: 50_000, price: 25_000_000, rebillAmount: 25_000_295 });
    const refused = await t.http.patch(`/purchases/${purchaseId}`, { quantity: 1000, unitPrice: 100_000_000 }).expect(422);
    expect(refused.body).toMatchObject({ code: 'ORDER_TOTAL_LIMIT', errors: [{ field: 'unitPrice' }] });
    expect(refused.body.errors[0].message).toContain('50000000');

    // the gold box at 100,000 a unit: 500 x 100,000 = 50,000,000 + 0 shipping, at the limit; 501 units would not be
    await t.http.patch(`/purchases/${purchaseId}`, { quantity: 501, unitPrice: 50_000 }).expect(200);
    const gold = await t.http.post(`/purchases/${purchaseId}/change-product`, { productId: 'p-gold', applyProductDetails: true }).expect(422);
    expect(gold.body).toMatchObject({ code: 'ORDER_TOTAL_LIMIT', errors: [{ field: 'productId' }] });
    expect((await t.purchase(purchaseId)).productId).toBe('p-sub');
    await t.http.patch(`/purchases/${purchaseId}`, { quantity: 500, unitPrice: 50_000 }).expect(200);
    const changed = (await t.http.post(`/purchases/${purchaseId}/change-product`, { productId: 'p-gold', applyProductDetails: true }).expect(200)).body;
    expect(changed).toMatchObject({ productId: 'p-gold', quantity: 500, unitPrice: 100_000, rebillAmount: 50_000_000 });
  });
});
