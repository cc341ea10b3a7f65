import { CampaignSnapshot, RebillRequested } from '@continuum/contracts';
import { reactionSpec } from '@continuum/testing';
import { OrderCommand } from './order.commands';
import { orderDecider } from './order.decider';
import { onRebillRequested } from './rebill.reaction';

const metadata = { now: '2026-03-01T10:00:00.000Z', actor: { kind: 'agent' as const, id: 'alice' } };
const campaign: CampaignSnapshot = {
  campaignId: 'c-1',
  name: 'Continuity',
  currency: 'USD',
  qaRate: 0,
  skipQaForExternal: false,
  products: [{ productId: 'p-sub', sku: 'SUB', name: 'Monthly', price: 499, shippingPrice: 0, billingType: 'RECURRING', trial: { price: 499, days: 14, type: 'STANDARD' }, rebillPrice: 5999, intervalDays: 30, finalBillCycle: 6 }],
};
const card = { token: 'tok_1', brand: 'VISA', last4: '1111', bin: '41111111', expMonth: 12, expYear: 2030 };
const address = { line1: '1 Main St', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' };
const placed: OrderCommand = {
  type: 'PlaceOrder',
  data: { orderId: 'o-1', customerId: 'cu-1', campaign, items: [{ orderItemId: 'oi-1', productId: 'p-sub', quantity: 1 }], paymentType: 'CARD', card, shippingAddress: address, forceQa: false, qaRoll: 0.5, blacklistMatch: null },
  metadata,
};
const original = orderDecider.decide(placed, orderDecider.initialState()).reduce(orderDecider.evolve, orderDecider.initialState());
const rebill: RebillRequested = {
  type: 'RebillRequested',
  data: { purchaseId: 'pu-1', customerId: 'cu-1', originalOrderId: 'o-1', campaignId: 'c-1', productId: 'p-sub', quantity: 2, unitPrice: 5999, shippingPrice: 495, billingCycle: 2 },
};

describe('onRebillRequested: a due purchase becomes one rebill order', () => {
  it('bills the purchase price and shipping on the card token and address of the original order, seeded by purchase and cycle', () => {
    reactionSpec(onRebillRequested).given(original).when(rebill).then([
      {
        seed: 'rebill:pu-1:2',
        campaignId: 'c-1',
        customerId: 'cu-1',
        items: [{ productId: 'p-sub', quantity: 2, unitPrice: 5999, shippingPrice: 495 }],
        paymentType: 'CARD',
        // an order keeps the card's token and display fields, not its expiry
        card: { token: 'tok_1', brand: 'VISA', last4: '1111', bin: '41111111' },
        shippingAddress: address,
        rebill: { purchaseId: 'pu-1', billingCycle: 2, originalOrderId: 'o-1' },
      },
    ]);
  });

  it('seeds a recycle retry of the cycle by its attempt, so it places an order of its own', () => {
    const retry: RebillRequested = { ...rebill, data: { ...rebill.data, attempt: 2, trigger: 'RECYCLE' } };
    expect(onRebillRequested({ ...retry, eventId: 'e-2' }, original).map((placement) => placement.seed)).toEqual(['rebill:pu-1:2:2']);
    const first: RebillRequested = { ...rebill, data: { ...rebill.data, attempt: 0 } };
    expect(onRebillRequested({ ...first, eventId: 'e-3' }, original).map((placement) => placement.seed)).toEqual(['rebill:pu-1:2']);
  });

  it("carries the purchase's merchant account, when it has one, for payments to charge on", () => {
    const withMerchant: RebillRequested = { ...rebill, data: { ...rebill.data, merchantId: 'mid-2' } };
    expect(onRebillRequested({ ...withMerchant, eventId: 'e-6' }, original)[0]!.rebill).toEqual({ purchaseId: 'pu-1', billingCycle: 2, originalOrderId: 'o-1', merchantId: 'mid-2' });
  });

  it("carries the purchase's sales tax, when it has one", () => {
    const taxed: RebillRequested = { ...rebill, data: { ...rebill.data, salesTax: 480 } };
    expect(onRebillRequested({ ...taxed, eventId: 'e-4' }, original)[0]).toMatchObject({ salesTax: 480 });
    expect(onRebillRequested({ ...rebill, eventId: 'e-5' }, original)[0]).not.toHaveProperty('salesTax');
  });

  it('places nothing when the original order is unknown', () => {
    reactionSpec(onRebillRequested).given(orderDecider.initialState()).when(rebill).thenNothing();
  });
});
