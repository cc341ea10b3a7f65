import { FulfillmentEvent } from '@continuum/contracts';
import { Fulfillment, evolveFulfillment, initialFulfillmentState } from './fulfillment.state';
import { NOW, austin, codCreated, created, event, exported, items, shipped } from './fulfillment.fixtures';
import { DEFAULT_ORDER_LIMITS, orderLimitsOf } from '@continuum/contracts';
import { refusal } from '@continuum/testing';
import { reshipCreation, reshipItems } from './reship.workflow';

const fulfillmentAfter = (events: readonly FulfillmentEvent[]): Fulfillment => {
  const state = events.reduce(evolveFulfillment, initialFulfillmentState());
  if (state.status === 'NONE') throw new Error('no fulfillment');
  return state;
};
const reshipped = (n: number) => event('FulfillmentReshipped', { reshipFulfillmentId: `o-1-F1-R${n}`, reshipReference: `o-1-F1-R${n}`, at: NOW });
const codPaid = event('CodMarkedPaid', { deliveryConfirmation: 'DC-1', date: '2026-03-05' });

describe('reship workflow', () => {
  it('given the original recorded its reship, when the new fulfillment is created, then it has the same order, items, address and method under the new reference', () => {
    expect(reshipCreation(fulfillmentAfter([created(), exported(), shipped(), reshipped(1)]))).toEqual({
      fulfillmentId: 'o-1-F1-R1',
      orderId: 'o-1',
      customerId: 'c-1',
      reference: 'o-1-F1-R1',
      items,
      shippingAddress: austin,
      shippingMethod: 'STANDARD',
      cod: null,
      reshipOf: 'o-1-F1',
    });
  });

  it('given a second reship, when created, then it is the one the original recorded last', () => {
    expect(reshipCreation(fulfillmentAfter([created(), exported(), shipped(), reshipped(1), reshipped(2)])).fulfillmentId).toBe('o-1-F1-R2');
  });

  it('given a COD original not paid yet, when reshipped, then the courier collects the same amount', () => {
    expect(reshipCreation(fulfillmentAfter([codCreated(), exported(), shipped(), reshipped(1)])).cod).toEqual({ amount: 3000, currency: 'USD' });
  });

  it('given a COD original already paid, when reshipped, then the courier collects nothing', () => {
    expect(reshipCreation(fulfillmentAfter([codCreated(), exported(), shipped(), codPaid, reshipped(1)])).cod).toBeNull();
  });

  it('given the original recorded no reship, when the creation is asked for, then it is a conflict (the first step is not stored)', () => {
    expect(() => reshipCreation(fulfillmentAfter([created(), exported(), shipped()]))).toThrow(expect.objectContaining({ code: 'RESHIP_NOT_RECORDED', kind: 'conflict' }));
  });
});

describe('reship workflow: corrected items', () => {
  const serum = { productId: 'p-1', sku: 'SKU-1', name: 'Serum', quantity: 2 };
  const cream = { productId: 'p-2', sku: 'SKU-2', name: 'Cream', quantity: 1 };
  const twoProducts = () => created({ items: [serum, cream], campaignId: 'camp-1' });
  const original = (...events: FulfillmentEvent[]) => fulfillmentAfter([twoProducts(), exported(), shipped(), ...events]);

  it('given no items asked for, when decided, then the reship ships the original items', () => {
    expect(reshipItems(original(), undefined, DEFAULT_ORDER_LIMITS)).toBeNull();
    expect(reshipCreation(original(reshipped(1)), null)).toMatchObject({ items: [serum, cream], campaignId: 'camp-1' });
    expect(reshipCreation(original(reshipped(1)), null)).not.toHaveProperty('orderItems');
  });

  it('given items that are products of the order, when decided, then the reship ships exactly those lines with the order product names', () => {
    const items = reshipItems(original(), [{ sku: 'SKU-2', quantity: 3 }], DEFAULT_ORDER_LIMITS);
    expect(items).toEqual([{ productId: 'p-2', sku: 'SKU-2', name: 'Cream', quantity: 3 }]);
    const creation = reshipCreation(original(reshipped(1)), items);
    expect(creation.items).toEqual([{ productId: 'p-2', sku: 'SKU-2', name: 'Cream', quantity: 3 }]);
    expect(creation.orderItems).toEqual([serum, cream]);
  });

  it('given a reship that shipped corrected items, when it is reshipped in turn, then its lines are still checked against the order products', () => {
    const corrected = reshipCreation(original(reshipped(1)), [{ productId: 'p-2', sku: 'SKU-2', name: 'Cream', quantity: 1 }]);
    const reship = fulfillmentAfter([created({ ...corrected, fulfillmentId: 'o-1-F1-R1', reference: 'o-1-F1-R1' }), exported()]);
    expect(reshipItems(reship, [{ sku: 'SKU-1', quantity: 1 }], DEFAULT_ORDER_LIMITS)).toEqual([{ ...serum, quantity: 1 }]);
  });

  it('given a sku the order does not have, when decided, then 422 PRODUCT_NOT_IN_ORDER naming the line sku', () => {
    expect(refusal(() => reshipItems(original(), [{ sku: 'SKU-1', quantity: 1 }, { sku: 'SKU-9', quantity: 1 }], DEFAULT_ORDER_LIMITS))).toMatchObject({
      code: 'PRODUCT_NOT_IN_ORDER',
      kind: 'rule',
      details: { field: 'items.1.sku' },
    });
  });

  it('given a quantity above the campaign limit, when decided, then 422 QUANTITY_LIMIT naming the line quantity; the limit itself is allowed', () => {
    const limits = orderLimitsOf({ limits: { maxQuantity: 3 } });
    expect(refusal(() => reshipItems(original(), [{ sku: 'SKU-1', quantity: 4 }], limits))).toMatchObject({
      code: 'QUANTITY_LIMIT',
      details: { field: 'items.0.quantity', limit: 3 },
    });
    expect(reshipItems(original(), [{ sku: 'SKU-1', quantity: 3 }], limits)).toEqual([{ ...serum, quantity: 3 }]);
  });

  it('given a fulfillment that has not reached the house, when items are asked for, then the reship refusal comes first', () => {
    expect(refusal(() => reshipItems(fulfillmentAfter([twoProducts()]), [{ sku: 'SKU-9', quantity: 1 }], DEFAULT_ORDER_LIMITS)).code).toBe('RESHIP_BEFORE_EXPORT');
  });

  it('given a quantity below one, an empty list or a sku twice, when decided, then 422 naming the field', () => {
    expect(refusal(() => reshipItems(original(), [{ sku: 'SKU-1', quantity: 0 }], DEFAULT_ORDER_LIMITS))).toMatchObject({ code: 'INVALID_QUANTITY', details: { field: 'items.0.quantity' } });
    expect(refusal(() => reshipItems(original(), [], DEFAULT_ORDER_LIMITS))).toMatchObject({ code: 'NO_ITEMS', details: { field: 'items' } });
    expect(refusal(() => reshipItems(original(), [{ sku: 'SKU-1', quantity: 1 }, { sku: 'SKU-1', quantity: 1 }], DEFAULT_ORDER_LIMITS))).toMatchObject({
      code: 'DUPLICATE_SKU',
      details: { field: 'items.1.sku' },
    });
  });
});
