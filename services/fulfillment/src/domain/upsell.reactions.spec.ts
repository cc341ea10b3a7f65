import { UpsellAdded, UpsellDeclined } from '@continuum/contracts';
import { fold, reactionSpec } from '@continuum/testing';
import { NOW, austin, cancelled, created, event, exported, shipped } from './fulfillment.fixtures';
import { fulfillmentDecider } from './fulfillment.decider';
import { Fulfillment } from './fulfillment.state';
import { onUpsell } from './upsell.reactions';

const fulfillment = (...events: Parameters<typeof fulfillmentDecider.evolve>[1][]) => fold(fulfillmentDecider, events) as Fulfillment;
const react = reactionSpec(onUpsell);

const mask = { productId: 'p-2', sku: 'SKU-2', name: 'Mask', quantity: 1 };
const upsellAdded = (orderItemId = 'up-1'): UpsellAdded => ({
  type: 'UpsellAdded',
  data: {
    orderId: 'o-1',
    customerId: 'c-1',
    currency: 'USD',
    paymentType: 'CARD',
    orderItemId,
    item: { orderItemId, productId: 'p-2', sku: 'SKU-2', name: 'Mask', quantity: 1, unitPrice: 900, price: 900, shippingPrice: 0, billingType: 'STRAIGHT' },
    amount: 900,
    newTotals: { subtotal: 2900, shipping: 500, salesTax: 0, discount: 0, total: 3400, refunded: 0 },
  },
});
const upsellDeclined = (orderItemId = 'up-1'): UpsellDeclined => ({
  type: 'UpsellDeclined',
  data: { orderId: 'o-1', customerId: 'c-1', orderItemId, transactionId: 't-up', amount: 900, newTotals: { subtotal: 2000, shipping: 500, salesTax: 0, discount: 0, total: 2500, refunded: 0 } },
});
const added = (orderItemId = 'up-1') => event('FulfillmentItemsAdded', { orderItemId, items: [mask], at: NOW });
const own = (...more: Parameters<typeof fulfillmentDecider.evolve>[1][]) =>
  fulfillment(created({ fulfillmentId: 'o-1-U-up-1', reference: 'o-1-U-up-1', items: [mask] }), ...more.map((e) => ({ ...e, data: { ...e.data, fulfillmentId: 'o-1-U-up-1' } }) as typeof e));

describe('onUpsell: an upsell reaches the fulfillment', () => {
  it("joins the order's fulfillment while it is in HOLD", () => {
    react.given([fulfillment(created())]).when(upsellAdded()).then([{ type: 'AddFulfillmentItems', data: { fulfillmentId: 'o-1-F1', orderItemId: 'up-1', items: [mask] } }]);
  });

  it("ships on its own once the order's fulfillment was exported: same address and method, its own reference", () => {
    react.given([fulfillment(created({ shippingMethod: 'EXPRESS', campaignId: 'camp-1' }), exported())]).when(upsellAdded()).then([
      {
        type: 'CreateFulfillment',
        data: {
          fulfillmentId: 'o-1-U-up-1',
          orderId: 'o-1',
          customerId: 'c-1',
          reference: 'o-1-U-up-1',
          items: [mask],
          shippingAddress: austin,
          shippingMethod: 'EXPRESS',
          cod: null,
          reshipOf: null,
          campaignId: 'camp-1',
        },
      },
    ]);
    react.given([fulfillment(created(), exported(), shipped())]).when(upsellAdded()).then([expect.objectContaining({ type: 'CreateFulfillment' })]);
  });

  it('does nothing before the order has a fulfillment (its completion carries the line), when it is cancelled, or for an upsell it already has', () => {
    react.given([]).when(upsellAdded()).thenNothing();
    react.given([fulfillment(created(), cancelled())]).when(upsellAdded()).thenNothing();
    react.given([fulfillment(created(), added(), exported())]).when(upsellAdded()).thenNothing();
    react.given([fulfillment(created(), exported()), own()]).when(upsellAdded()).thenNothing();
  });
});

describe('onUpsell: a declined upsell leaves again', () => {
  it("takes its lines off the order's fulfillment that holds them", () => {
    react.given([fulfillment(created(), added())]).when(upsellDeclined()).then([{ type: 'RemoveFulfillmentItems', data: { fulfillmentId: 'o-1-F1', orderItemId: 'up-1' } }]);
  });

  it('cancels its own fulfillment unless it shipped', () => {
    react.given([fulfillment(created(), exported()), own()]).when(upsellDeclined()).then([
      { type: 'CancelIfUnshipped', data: { fulfillmentId: 'o-1-U-up-1', reason: 'upsell up-1 declined' } },
    ]);
    react.given([fulfillment(created(), exported()), own(exported(), shipped())]).when(upsellDeclined()).thenNothing();
  });

  it("does nothing for an upsell no fulfillment holds (another upsell's lines stay)", () => {
    react.given([fulfillment(created(), added('up-2'))]).when(upsellDeclined('up-1')).thenNothing();
  });
});
