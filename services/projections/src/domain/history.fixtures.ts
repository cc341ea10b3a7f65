import { Actor, EventEnvelope, registry } from '@continuum/contracts';
import { JournalEntry } from './journal';

export { journalOf } from './journal';

/** Builders of the events the history specs fold, as the services publish them. */
export const agent: Actor = { kind: 'agent', id: 'alice' };
export const refundJob: Actor = { kind: 'system', id: 'refund-retries' };
export const lander: Actor = { kind: 'service', id: 'lander' };
export const shipco: Actor = { kind: 'fulfillment-house', id: 'shipco' };

const positions = new Map<string, number>();
let sequence = 0;

/** An envelope on `stream` at the next position of that stream, validated against the registry's schema. */
export function event(type: string, streamId: string, data: Record<string, unknown>, at: string, extra: Partial<EventEnvelope> & { origin?: string } = {}): JournalEntry {
  const version = registry.current(type).version;
  registry.validate(type, version, data);
  const streamVersion = extra.streamVersion ?? (positions.get(streamId) ?? 0) + 1;
  positions.set(streamId, Math.max(streamVersion, positions.get(streamId) ?? 0));
  sequence++;
  return {
    eventId: `evt-${sequence}`,
    type,
    version,
    streamId,
    streamVersion,
    occurredAt: at,
    correlationId: extra.correlationId ?? `corr-${sequence}`,
    causationId: null,
    actor: extra.actor ?? agent,
    data,
    topic: registry.current(type).topic,
    origin: extra.origin ?? (data['customerId'] as string),
  };
}

export const address = { line1: '1 Main St', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' };
export const card = { token: 'tok_1', brand: 'VISA', last4: '1111', bin: '411111' };

export const registered = (customerId: string, at: string, extra: Record<string, unknown> = {}) =>
  event('CustomerRegistered', `customer-${customerId}`, { customerId, firstName: 'Jane', lastName: 'Doe', email: 'Jane@Example.com', phone: '+1 512 555 0100', billingAddress: address, ...extra }, at);

export const item = { orderItemId: 'oi-1', productId: 'p-1', sku: 'SKU-1', name: 'Serum', quantity: 1, unitPrice: 4499, price: 4499, shippingPrice: 500, billingType: 'STRAIGHT' };
const totals = { subtotal: 4499, shipping: 500, salesTax: 0, discount: 0, total: 4999, refunded: 0 };
const snapshot = (orderId: string, customerId: string, paymentType = 'CARD') => ({ orderId, customerId, campaignId: 'c-1', currency: 'USD', paymentType, items: [item], totals });

export const placed = (orderId: string, customerId: string, at: string, paymentType = 'CARD', actor: Actor = lander) =>
  event('OrderPlaced', `order-${orderId}`, { ...snapshot(orderId, customerId, paymentType), ...(paymentType === 'CARD' ? { card } : {}), qa: { required: false, reasons: [] }, placedAt: at }, at, { actor });
export const completed = (orderId: string, customerId: string, at: string, transactionId: string) =>
  event('OrderCompleted', `order-${orderId}`, { ...snapshot(orderId, customerId), transactionId }, at, { actor: lander });
export const approved = (transactionId: string, orderId: string, customerId: string, at: string) =>
  event(
    'PaymentApproved',
    `transaction-${transactionId}`,
    { transactionId, orderId, customerId, type: 'SALE', amount: 4999, currency: 'USD', card, merchantId: 'm-1', gatewayTransactionId: 'g-1', message: 'Approved', rerunOf: null, at, response: 'SUCCESS', prepaid: false, purpose: 'ORDER' },
    at,
    { actor: lander },
  );
const ref = (transactionId: string, orderId: string, customerId: string) => ({ transactionId, orderId, customerId });
export const settled = (transactionId: string, orderId: string, customerId: string, at: string) =>
  event('ChargeSettled', `transaction-${transactionId}`, { ...ref(transactionId, orderId, customerId), amount: 4999, settledAt: at }, at, { actor: { kind: 'system', id: 'settlement' } });
export const refundRequested = (transactionId: string, orderId: string, customerId: string, at: string, correlationId: string) =>
  event('RefundRequested', `transaction-${transactionId}`, { ...ref(transactionId, orderId, customerId), refundId: 'r-1', amount: 4999, currency: 'USD', at }, at, { correlationId });
export const refundFailed = (transactionId: string, orderId: string, customerId: string, at: string, correlationId: string) =>
  event('RefundFailed', `transaction-${transactionId}`, { ...ref(transactionId, orderId, customerId), refundId: 'r-1', amount: 4999, attempt: 1, message: 'gateway declined', outcome: 'REJECTED', at }, at, { correlationId });
export const refundQueued = (transactionId: string, orderId: string, customerId: string, at: string, correlationId: string) =>
  event('RefundQueued', `transaction-${transactionId}`, { ...ref(transactionId, orderId, customerId), refundId: 'r-1', amount: 4999, retryNumber: 1, at }, at, { correlationId });
export const refundSucceeded = (transactionId: string, orderId: string, customerId: string, at: string) =>
  event(
    'RefundSucceeded',
    `transaction-${transactionId}`,
    { ...ref(transactionId, orderId, customerId), refundId: 'r-1', amount: 4999, currency: 'USD', attempt: 2, gatewayTransactionId: 'g-2', message: 'Refunded', refundedTotal: 4999, fullyRefunded: true, autoCancel: false, at },
    at,
    { actor: refundJob },
  );
export const orderRefunded = (orderId: string, customerId: string, transactionId: string, at: string) =>
  event('OrderRefunded', `order-${orderId}`, { orderId, customerId, transactionId, refundId: 'r-1', kind: 'REFUND', amount: 4999, refundedTotal: 4999, fullyRefunded: true }, at, { actor: refundJob });
