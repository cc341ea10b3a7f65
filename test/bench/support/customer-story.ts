import { randomUUID } from 'node:crypto';
import { EventEnvelope, Topics } from '@continuum/contracts';
import { eventEnvelope } from '@continuum/testing';

// One customer's story as the services publish it, and copies of it with every id fresh: for the
// benches that need many customers' events on the topics (or their journals in the store) quickly.

/** An event on its way to a topic (the topic is logical: a bench adds its prefix). */
export interface TopicEvent {
  readonly topic: string;
  readonly envelope: EventEnvelope;
}

const ago = (now: number, minutes: number) => new Date(now - minutes * 60_000).toISOString();

/**
 * A customer's story, 13 events on four topics: registered, a card order placed, paid and completed,
 * a fulfillment created and shipped, the charge settled, a note, a refund that fails once, is queued
 * and succeeds, and the order refunded. Each request's events share a correlation id, as they do
 * when one request leads to them.
 */
export function customerStory(customerId: string, now = Date.now()): TopicEvent[] {
  const orderId = `ord-${randomUUID()}`;
  const transactionId = `txn-${randomUUID()}`;
  const fulfillmentId = `ful-${randomUUID()}`;
  const refundId = `ref-${randomUUID()}`;
  const ref = { transactionId, orderId, customerId };
  const card = { token: 'tok_bench', brand: 'VISA', last4: '1111', bin: '411111' };
  const item = { orderItemId: 'oi-1', productId: 'p-1', sku: 'SKU-1', name: 'Serum', quantity: 1, unitPrice: 4499, price: 4499, shippingPrice: 500, billingType: 'STRAIGHT' };
  const snapshot = { orderId, customerId, campaignId: 'c-1', currency: 'USD', paymentType: 'CARD', items: [item], totals: { subtotal: 4499, shipping: 500, salesTax: 0, discount: 0, total: 4999, refunded: 0 } };
  const address = { line1: '1 Main St', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' };
  const placing = `corr-${randomUUID()}`;
  const refunding = `corr-${randomUUID()}`;
  const steps: Array<[string, string, string, Record<string, unknown>, number, string]> = [
    [Topics.customersEvents, `customer-${customerId}`, 'CustomerRegistered', { customerId, firstName: 'Bench', lastName: 'Customer', email: `${customerId}@example.com`, phone: '+15125550100', billingAddress: address }, 600, placing],
    [Topics.ordersEvents, `order-${orderId}`, 'OrderPlaced', { ...snapshot, card, qa: { required: false, reasons: [] }, placedAt: ago(now, 590) }, 590, placing],
    [Topics.paymentsEvents, `transaction-${transactionId}`, 'PaymentApproved', { ...ref, type: 'SALE', amount: 4999, currency: 'USD', card, merchantId: 'm-1', gatewayTransactionId: 'g-1', message: 'Approved', rerunOf: null, at: ago(now, 589), response: 'SUCCESS', prepaid: false, purpose: 'ORDER' }, 589, placing],
    [Topics.ordersEvents, `order-${orderId}`, 'OrderCompleted', { ...snapshot, transactionId }, 588, placing],
    [Topics.fulfillmentEvents, `fulfillment-${fulfillmentId}`, 'FulfillmentCreated', { fulfillmentId, orderId, customerId, reference: `${orderId}-F1`, items: [{ productId: 'p-1', sku: 'SKU-1', name: 'Serum', quantity: 1 }], shippingAddress: null, shippingMethod: 'STANDARD', cod: null, reshipOf: null, at: ago(now, 587) }, 587, placing],
    [Topics.fulfillmentEvents, `fulfillment-${fulfillmentId}`, 'FulfillmentShipped', { fulfillmentId, orderId, trackingNumber: '1Z999', carrier: 'UPS', shippedAt: ago(now, 500) }, 500, `corr-${randomUUID()}`],
    [Topics.paymentsEvents, `transaction-${transactionId}`, 'ChargeSettled', { ...ref, amount: 4999, settledAt: ago(now, 450) }, 450, `corr-${randomUUID()}`],
    [Topics.customersEvents, `customer-${customerId}`, 'CustomerNoteAdded', { customerId, noteId: `note-${randomUUID()}`, message: 'asked for a refund', author: { kind: 'agent', id: 'alice' }, at: ago(now, 400) }, 400, `corr-${randomUUID()}`],
    [Topics.paymentsEvents, `transaction-${transactionId}`, 'RefundRequested', { ...ref, refundId, amount: 4999, currency: 'USD', at: ago(now, 399) }, 399, refunding],
    [Topics.paymentsEvents, `transaction-${transactionId}`, 'RefundFailed', { ...ref, refundId, amount: 4999, attempt: 1, message: 'gateway declined', outcome: 'REJECTED', at: ago(now, 399) }, 399, refunding],
    [Topics.paymentsEvents, `transaction-${transactionId}`, 'RefundQueued', { ...ref, refundId, amount: 4999, retryNumber: 1, at: ago(now, 399) }, 399, refunding],
    [Topics.paymentsEvents, `transaction-${transactionId}`, 'RefundSucceeded', { ...ref, refundId, amount: 4999, currency: 'USD', attempt: 2, gatewayTransactionId: 'g-2', message: 'Refunded', refundedTotal: 4999, fullyRefunded: true, autoCancel: false, at: ago(now, 100) }, 100, `corr-${randomUUID()}`],
    [Topics.ordersEvents, `order-${orderId}`, 'OrderRefunded', { orderId, customerId, transactionId, refundId, kind: 'REFUND', amount: 4999, refundedTotal: 4999, fullyRefunded: true }, 99, `corr-${randomUUID()}`],
  ];
  const versions = new Map<string, number>();
  return steps.map(([topic, streamId, type, data, minutes, correlationId]) => {
    const streamVersion = (versions.get(streamId) ?? 0) + 1;
    versions.set(streamId, streamVersion);
    return { topic, envelope: eventEnvelope(type, streamId, data, { streamVersion, occurredAt: ago(now, minutes), correlationId }) };
  });
}

export const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/**
 * Copies of a JSON text with every UUID in it replaced by a fresh one (the same UUID by the same
 * fresh one within a copy): the text is cut once, each copy is a join. Give it the template's
 * events and its stored documents together, so the copies of both name the same new ids.
 */
export function copier(template: string): () => string {
  const parts: string[] = [];
  const slots: number[] = [];
  const ids = new Map<string, number>();
  let last = 0;
  for (const match of template.matchAll(UUID)) {
    parts.push(template.slice(last, match.index));
    if (!ids.has(match[0])) ids.set(match[0], ids.size);
    slots.push(ids.get(match[0])!);
    last = match.index! + match[0].length;
  }
  parts.push(template.slice(last));
  return () => {
    const fresh = Array.from({ length: ids.size }, () => randomUUID());
    let out = parts[0]!;
    for (let n = 0; n < slots.length; n++) out += fresh[slots[n]!]! + parts[n + 1]!;
    return out;
  };
}
