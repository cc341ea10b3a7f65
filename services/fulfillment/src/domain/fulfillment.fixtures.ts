import { CommandMetadata, FulfillmentEvent, FulfillmentRequest } from '@continuum/contracts';
import { ExportFacts, FulfillmentCommand } from './fulfillment.commands';

// Builders shared by the fulfillment domain specs: fulfillment o-1-F1 of order o-1, two bottles to Austin.

export const NOW = '2026-03-01T10:00:00.000Z';
export const LATER = '2026-03-02T10:00:00.000Z';
export const meta: CommandMetadata = { now: NOW, actor: { kind: 'agent', id: 'alice' } };
export const ids = { fulfillmentId: 'o-1-F1', orderId: 'o-1' };
export const austin = { line1: '1 Main St', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' };
export const items = [{ productId: 'p-1', sku: 'SKU-1', name: 'Serum', quantity: 2 }];

type Event<T extends FulfillmentEvent['type']> = Extract<FulfillmentEvent, { type: T }>;
export const event = <T extends FulfillmentEvent['type']>(type: T, data: Omit<Event<T>['data'], 'fulfillmentId' | 'orderId'> & Partial<typeof ids>): Event<T> =>
  ({ type, data: { ...ids, ...data } }) as unknown as Event<T>;

export function command<C extends FulfillmentCommand>(type: C['type'], data: C['data'], actor: CommandMetadata['actor'] = meta.actor): C {
  return { type, data, metadata: { ...meta, actor } } as C;
}

export const created = (extra: Partial<Event<'FulfillmentCreated'>['data']> = {}) =>
  event('FulfillmentCreated', {
    customerId: 'c-1',
    reference: 'o-1-F1',
    items,
    shippingAddress: austin,
    shippingMethod: 'STANDARD',
    cod: null,
    reshipOf: null,
    at: NOW,
    ...extra,
  });
export const codCreated = () => created({ cod: { amount: 3000, currency: 'USD' } });

export const facts: ExportFacts = { orderInQa: false, testCardOnLiveGateway: false, shipToName: 'Ann Lee', customerAddress: null };

export const request = (attempt = 1, extra: Partial<FulfillmentRequest> = {}): FulfillmentRequest => ({
  reference: 'o-1-F1',
  orderId: 'o-1',
  customerId: 'c-1',
  items: [{ sku: 'SKU-1', name: 'Serum', quantity: 2 }],
  shipTo: { name: 'Ann Lee', address: austin },
  shippingMethod: 'STANDARD',
  attempt,
  ...extra,
});
export const exported = (attempt = 1, extra: Partial<FulfillmentRequest> = {}) =>
  event('FulfillmentExported', { reference: 'o-1-F1', attempt, request: request(attempt, extra), at: NOW });
export const shipped = (trackingNumber = '1Z999', carrier: string | null = 'UPS') => event('FulfillmentShipped', { trackingNumber, carrier, shippedAt: LATER });
export const delivered = (deliveredAt = LATER) => event('FulfillmentDelivered', { deliveredAt });
export const cancelled = (reason = 'customer asked') => event('FulfillmentCancelled', { reason, at: NOW });
export const failed = (attempt: number, final: boolean, reason = 'address unknown') => event('FulfillmentFailed', { reason, attempt, final, at: LATER });
export const recycled = () => event('FulfillmentRecycled', { at: NOW });
