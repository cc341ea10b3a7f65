import { testOrderSnapshot } from '@continuum/testing';
import { registry } from '../core/registry';
import { Topics } from '../core/topics';
import { CAMPAIGN_EVENT_TYPES } from './campaign.events';
import { ORDER_EVENT_TYPES } from './order.events';
import { CUSTOMER_EVENT_TYPES, BLACKLIST_EVENT_TYPES } from '../customers';
import { SUBSCRIPTION_EVENT_TYPES } from '../subscriptions';

describe('orders, customers and subscriptions event definitions', () => {
  it.each([
    ...Object.values(ORDER_EVENT_TYPES).map((type) => [type, Topics.ordersEvents]),
    ...Object.values(CAMPAIGN_EVENT_TYPES).map((type) => [type, Topics.ordersEvents]),
    ...Object.values(CUSTOMER_EVENT_TYPES).map((type) => [type, Topics.customersEvents]),
    ...Object.values(BLACKLIST_EVENT_TYPES).map((type) => [type, Topics.customersEvents]),
    ...Object.values(SUBSCRIPTION_EVENT_TYPES).map((type) => [type, Topics.subscriptionsEvents]),
  ] as [string, string][])('%s is an event on %s with a closed schema', (type, topic) => {
    const definition = registry.current(type);
    expect(definition.kind).toBe('event');
    expect(definition.topic).toBe(topic);
    expect(definition.schema.additionalProperties).toBe(false);
    // compiling happens on first validation: an invalid schema would throw something other than a SchemaValidationError
    expect(() => registry.validate(type, definition.version, { unexpected: true })).toThrow(/is invalid/);
  });

  it('reads a version 1 OrderRerunRequested without the order total it carried (payments decides what a rerun charges)', () => {
    const v1 = { orderId: 'o-1', customerId: 'cu-1', currency: 'USD', amount: 8493, previousTransactionId: 't-1' };
    expect(() => registry.validate('OrderRerunRequested', 1, v1)).not.toThrow();
    expect(registry.current('OrderRerunRequested').version).toBe(2);
    expect(registry.upcast('OrderRerunRequested', 1, v1)).toEqual({ version: 2, data: { orderId: 'o-1', customerId: 'cu-1', currency: 'USD', previousTransactionId: 't-1' } });
    expect(() => registry.validate('OrderRerunRequested', 2, v1)).toThrow(/amount/);
  });

  it('an order snapshot may name its shipping method (fulfillment ships STANDARD without one)', () => {
    const snapshot = { ...testOrderSnapshot(), transactionId: 't-1' };
    expect(() => registry.validate('OrderCompleted', 1, snapshot)).not.toThrow();
    expect(() => registry.validate('OrderCompleted', 1, { ...snapshot, shippingMethod: 'EXPRESS' })).not.toThrow();
    expect(() => registry.validate('OrderCompleted', 1, { ...snapshot, shippingMethod: '' })).toThrow(/shippingMethod/);
  });

  it('rejects fractional money in an order event', () => {
    const refunded = { orderId: 'o-1', customerId: 'cu-1', transactionId: 't-1', kind: 'REFUND', amount: 10, refundedTotal: 10, fullyRefunded: false };
    expect(() => registry.validate('OrderRefunded', 1, refunded)).not.toThrow();
    expect(() => registry.validate('OrderRefunded', 1, { ...refunded, amount: 9.99 })).toThrow(/amount/);
  });

  it('validates the RebillRequested event the orders service reacts to', () => {
    const rebill = {
      purchaseId: 'pu-1',
      customerId: 'cu-1',
      originalOrderId: 'o-1',
      campaignId: 'c-1',
      productId: 'p-1',
      quantity: 1,
      unitPrice: 2999,
      shippingPrice: 0,
      billingCycle: 2,
    };
    expect(() => registry.validate('RebillRequested', 1, rebill)).not.toThrow();
    expect(() => registry.validate('RebillRequested', 1, { ...rebill, merchantId: 'm-2' })).not.toThrow();
    expect(() => registry.validate('RebillRequested', 1, { ...rebill, billingCycle: 1 })).toThrow(/billingCycle/);
  });
});
