import { testFulfillmentCreated } from '@continuum/testing';
import { registry } from '../core/registry';
import { Topics } from '../core/topics';
import { FULFILLMENT_EVENT_TYPES, FULFILLMENT_UPDATE_MESSAGE } from './fulfillment-events';

const validate = (type: string, data: unknown) => registry.validate(type, 1, data);

describe('fulfillment events', () => {
  it('every fulfillment event is registered on fulfillment.events.v1', () => {
    for (const type of Object.values(FULFILLMENT_EVENT_TYPES)) {
      expect(registry.current(type)).toMatchObject({ kind: 'event', topic: Topics.fulfillmentEvents });
    }
  });

  it('COD events carry what payments needs', () => {
    expect(() => validate('CodMarkedPaid', { fulfillmentId: 'f-1', orderId: 'o-1', deliveryConfirmation: 'DC-1', date: '2026-03-05' })).not.toThrow();
    expect(() => validate('CodMarkedPaid', { fulfillmentId: 'f-1', orderId: 'o-1', date: '2026-03-05' })).toThrow(/deliveryConfirmation/);
    expect(() => validate('CodMarkedUndelivered', { fulfillmentId: 'f-1', orderId: 'o-1', status: 'SCHEDULED_FOR_PICKUP' })).not.toThrow();
    expect(() => validate('CodMarkedUndelivered', { fulfillmentId: 'f-1', orderId: 'o-1', status: 'LOST' })).toThrow(/status/);
  });

  it('FulfillmentCreated needs items and an address', () => {
    const created = testFulfillmentCreated();
    expect(() => validate('FulfillmentCreated', created)).not.toThrow();
    expect(() => validate('FulfillmentCreated', { ...created, items: [] })).toThrow(/items/);
    expect(() => validate('FulfillmentCreated', { ...created, shippingAddress: null, cod: { amount: 3000, currency: 'USD' } })).not.toThrow();
    expect(() => validate('FulfillmentCreated', { ...created, cod: { amount: -1, currency: 'USD' } })).toThrow(/amount/);
  });

  it('FulfillmentExported carries the request exactly as the house receives it, never card data', () => {
    const request = {
      reference: 'o-1-F1',
      orderId: 'o-1',
      customerId: 'c-1',
      items: [{ sku: 'SKU-1', name: 'Serum', quantity: 2 }],
      shipTo: { name: 'Ann Lee', address: { line1: '1 Main St', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' } },
      shippingMethod: 'STANDARD',
      attempt: 1,
    };
    const exported = { fulfillmentId: 'o-1-F1', orderId: 'o-1', reference: 'o-1-F1', attempt: 1, request, at: '2026-03-01T10:00:00.000Z' };
    expect(() => validate('FulfillmentExported', exported)).not.toThrow();
    expect(() => validate('FulfillmentRequest', request)).not.toThrow();
    expect(() => validate('FulfillmentRequest', { ...request, card: { number: '4111111111111111' } })).toThrow(/card/);
    expect(() => validate('FulfillmentRequest', { ...request, cod: { amount: 3000, currency: 'usd' } })).toThrow(/currency/);
  });
});

describe('FulfillmentUpdate message (fulfillment.updates.v1)', () => {
  it('is an integration message on the updates topic', () => {
    expect(registry.current(FULFILLMENT_UPDATE_MESSAGE)).toMatchObject({ kind: 'message', topic: Topics.fulfillmentUpdates });
  });

  it('needs reference, type and at; tracking, carrier and reason are optional', () => {
    expect(() => validate(FULFILLMENT_UPDATE_MESSAGE, { reference: 'o-1-F1', type: 'DELIVERED', at: '2026-03-02T10:00:00Z' })).not.toThrow();
    expect(() =>
      validate(FULFILLMENT_UPDATE_MESSAGE, { reference: 'o-1-F1', type: 'SHIPPED', trackingNumber: '1Z9', carrier: 'UPS', at: '2026-03-02T10:00:00Z' }),
    ).not.toThrow();
    expect(() => validate(FULFILLMENT_UPDATE_MESSAGE, { reference: 'o-1-F1', type: 'LOST', at: '2026-03-02T10:00:00Z' })).toThrow(/type/);
    expect(() => validate(FULFILLMENT_UPDATE_MESSAGE, { reference: 'o-1-F1', type: 'FAILED', at: 'yesterday' })).toThrow(/at/);
    expect(() => validate(FULFILLMENT_UPDATE_MESSAGE, { reference: 'o-1-F1', type: 'FAILED', reason: 'bad address', at: '2026-03-02T10:00:00Z', extra: 1 })).toThrow(/extra/);
  });

  it('SHIPPED needs a tracking number, FAILED a reason', () => {
    expect(() => validate(FULFILLMENT_UPDATE_MESSAGE, { reference: 'o-1-F1', type: 'SHIPPED', at: '2026-03-02T10:00:00Z' })).toThrow(/trackingNumber/);
    expect(() => validate(FULFILLMENT_UPDATE_MESSAGE, { reference: 'o-1-F1', type: 'FAILED', at: '2026-03-02T10:00:00Z' })).toThrow(/reason/);
    expect(() => validate(FULFILLMENT_UPDATE_MESSAGE, { reference: 'o-1-F1', type: 'FAILED', reason: 'address unknown', at: '2026-03-02T10:00:00Z' })).not.toThrow();
  });
});
