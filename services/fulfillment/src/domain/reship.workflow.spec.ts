import { FulfillmentEvent } from '@continuum/contracts';
import { Fulfillment, evolveFulfillment, initialFulfillmentState } from './fulfillment.state';
import { NOW, austin, codCreated, created, event, exported, items, shipped } from './fulfillment.fixtures';
import { reshipCreation } from './reship.workflow';

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
