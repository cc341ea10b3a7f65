import { spec } from '@continuum/testing';
import { AddFulfillmentItems, ExportFulfillment, RemoveFulfillmentItems } from './fulfillment.commands';
import { fulfillmentDecider } from './fulfillment.decider';
import { NOW, cancelled, command, created, event, exported, facts, items } from './fulfillment.fixtures';
import { Fulfillment } from './fulfillment.state';

const decider = spec(fulfillmentDecider);

const mask = { productId: 'p-2', sku: 'SKU-2', name: 'Mask', quantity: 1 };
const cream = { productId: 'p-3', sku: 'SKU-3', name: 'Cream', quantity: 3 };
const add = (orderItemId = 'up-1', lines = [mask]) => command<AddFulfillmentItems>('AddFulfillmentItems', { orderItemId, items: lines });
const remove = (orderItemId = 'up-1') => command<RemoveFulfillmentItems>('RemoveFulfillmentItems', { orderItemId });
const added = (orderItemId = 'up-1', lines = [mask]) => event('FulfillmentItemsAdded', { orderItemId, items: lines, at: NOW });
const removed = (orderItemId = 'up-1', lines = [mask]) => event('FulfillmentItemsRemoved', { orderItemId, items: lines, at: NOW });
const exportIt = () => command<ExportFulfillment>('ExportFulfillment', facts);
const lines = (f: readonly { sku: string; name: string; quantity: number }[]) => f.map(({ sku, name, quantity }) => ({ sku, name, quantity }));

describe('fulfillment decider: an upsell before export', () => {
  it('adds the upsell lines to a HOLD fulfillment, and the export request carries them', () => {
    const given = decider.given([created()]);
    const [itemsAdded] = given.when(add()).then([added()]);
    const after = fulfillmentDecider.evolve(given.state, itemsAdded!) as Fulfillment;
    expect(after.items).toEqual([...items, mask]);
    expect(after.orderItems).toEqual([...items, mask]);
    decider.given([created(), added()]).when(exportIt()).then([exported(1, { items: lines([...items, mask]) })]);
  });

  it('the same upsell again changes nothing, whatever the status', () => {
    decider.given([created(), added()]).when(add()).then([]);
    decider.given([created(), added(), exported(1, { items: lines([...items, mask]) })]).when(add()).then([]);
  });

  it('refuses an upsell once exported as a conflict, so the reaction looks again and ships it on its own', () => {
    decider.given([created(), exported()]).when(add()).thenThrows('ALREADY_EXPORTED', 'conflict');
    decider.given([created(), cancelled()]).when(add()).thenThrows('FULFILLMENT_CANCELLED', 'conflict');
  });

  it('refuses an upsell with nothing to ship', () => {
    decider.given([created()]).when(add('up-1', [])).thenThrows('NO_ITEMS', 'rule');
  });

  it("a declined upsell's lines leave a HOLD fulfillment; the other upsells and the order's lines stay", () => {
    const given = decider.given([created(), added('up-1'), added('up-2', [cream])]);
    const [itemsRemoved] = given.when(remove('up-1')).then([removed('up-1')]);
    const after = fulfillmentDecider.evolve(given.state, itemsRemoved!) as Fulfillment;
    expect(after.items).toEqual([...items, cream]);
    expect(after.orderItems).toEqual([...items, cream]);
    expect(after.upsells).toEqual([{ orderItemId: 'up-2', items: [cream] }]);
    decider.given([created(), added('up-1'), added('up-2', [cream]), removed('up-1')]).when(exportIt()).then([exported(1, { items: lines([...items, cream]) })]);
  });

  it('a decline of an upsell it does not hold, or after export, changes nothing', () => {
    decider.given([created()]).when(remove()).then([]);
    decider.given([created(), added(), removed()]).when(remove()).then([]);
    decider.given([created(), added(), exported(1, { items: lines([...items, mask]) })]).when(remove()).then([]);
  });
});
