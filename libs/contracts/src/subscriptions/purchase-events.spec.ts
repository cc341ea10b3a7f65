import { registry } from '../core/registry';
import { Topics } from '../core/topics';
import { PURCHASE_EVENT_TYPES } from './purchase.events';
import { SUBSCRIPTION_EVENT_TYPES } from './rebill-requested.event';

const validate = (type: string, data: unknown) => registry.validate(type, registry.current(type).version, data);
const rebillV1 = { purchaseId: 'pu-1', customerId: 'cu-1', originalOrderId: 'o-1', campaignId: 'c-1', productId: 'p-1', quantity: 1, unitPrice: 5999, shippingPrice: 295, billingCycle: 2 };

describe('subscriptions events', () => {
  it('every purchase event is registered on subscriptions.events.v1 and names the purchase and its customer', () => {
    for (const type of Object.values(PURCHASE_EVENT_TYPES)) {
      const definition = registry.current(type);
      expect(definition.topic).toBe(Topics.subscriptionsEvents);
      expect((definition.schema as { required: string[] }).required).toEqual(expect.arrayContaining(['purchaseId', 'customerId']));
    }
    expect(Object.keys(SUBSCRIPTION_EVENT_TYPES)).toEqual(expect.arrayContaining(['RebillRequested', ...Object.keys(PURCHASE_EVENT_TYPES)]));
  });

  it('RebillRequested stays compatible: the fields orders reads are as before, the new ones optional', () => {
    expect(() => validate('RebillRequested', rebillV1)).not.toThrow();
    expect(() => validate('RebillRequested', { ...rebillV1, salesTax: 120, amount: 6414, attempt: 1, trigger: 'RECYCLE', billDate: '2026-03-15' })).not.toThrow();
    expect(() => validate('RebillRequested', { ...rebillV1, trigger: 'WHENEVER' })).toThrow(/trigger/);
    expect(() => validate('RebillRequested', { ...rebillV1, billDate: '15/03/2026' })).toThrow(/billDate/);
  });

  it('refuses a purchase event with a bad status or a date that is not a calendar date', () => {
    const resumed = { purchaseId: 'pu-1', customerId: 'cu-1', status: 'ACTIVE', nextBillDate: '2026-04-01' };
    expect(() => validate('PurchaseResumed', resumed)).not.toThrow();
    expect(() => validate('PurchaseResumed', { ...resumed, status: 'SLEEPING' })).toThrow(/status/);
    expect(() => validate('PurchaseResumed', { ...resumed, nextBillDate: '2026-04-01T00:00:00Z' })).toThrow(/nextBillDate/);
  });
});
