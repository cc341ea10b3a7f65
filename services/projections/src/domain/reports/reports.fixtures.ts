import { Actor } from '@continuum/contracts';
import { event } from '../history.fixtures';
import { JournalEntry } from '../journal';

/** Builders of the events the reports count, as the services publish them (validated against their schemas). */
export const rebillJob: Actor = { kind: 'system', id: 'rebill' };

/** An event that another event caused (a reaction's), not a person's request. */
const causedBy = (entry: JournalEntry, causationId: string): JournalEntry => ({ ...entry, causationId });

export const purchaseStarted = (purchaseId: string, customerId: string, at: string, terms: { nextBillDate: string; price?: number; shippingPrice?: number; currency?: string }) =>
  causedBy(event(
    'PurchaseStarted',
    `purchase-${purchaseId}`,
    {
      purchaseId, customerId, orderId: `ord-${purchaseId}`, orderItemId: 'oi-1', campaignId: 'c-1', currency: terms.currency ?? 'USD', orderDate: at, billingType: 'RECURRING', trialType: 'STANDARD', trialDays: 14,
      status: 'TRIAL', billingCycle: 1, nextBillDate: terms.nextBillDate, timeZone: 'UTC', amount: 4999, productId: 'p-1', sku: 'SKU-1', name: 'Serum', quantity: 1, unitPrice: terms.price ?? 4499,
      price: terms.price ?? 4499, shippingPrice: terms.shippingPrice ?? 500, salesTax: { mode: 'AUTO' }, billingInterval: { unit: 'DAY', count: 30 }, insureShipment: false,
    },
    at,
    { actor: { kind: 'system', id: 'purchase-starter' } },
  ), 'evt-order-completed');

export const purchaseBilled = (purchaseId: string, customerId: string, at: string, billed: { cycle: number; previousStatus: string; status: string; nextBillDate: string | null }) =>
  causedBy(event(
    'PurchaseBilled',
    `purchase-${purchaseId}`,
    {
      purchaseId, customerId, orderId: `ord-${purchaseId}-${billed.cycle}`, transactionId: `txn-${purchaseId}-${billed.cycle}`, amount: 4999, currency: 'USD', message: 'Approved',
      billingCycle: billed.cycle, previousStatus: billed.previousStatus, status: billed.status, nextBillDate: billed.nextBillDate, at,
    },
    at,
    { actor: rebillJob },
  ), 'evt-payment-approved');

export const purchaseCancelled = (purchaseId: string, customerId: string, at: string, cancelled: { reason: string; previousStatus: string; cycle: number; actor: Actor }) =>
  event(
    'PurchaseCancelled',
    `purchase-${purchaseId}`,
    { purchaseId, customerId, reason: cancelled.reason, source: 'AGENT', previousStatus: cancelled.previousStatus, billingCycle: cancelled.cycle },
    at,
    { actor: cancelled.actor },
  );

export const purchaseUpdated = (purchaseId: string, customerId: string, at: string, changes: Record<string, unknown>, actor: Actor) =>
  event('PurchaseUpdated', `purchase-${purchaseId}`, { purchaseId, customerId, changes }, at, { actor });

export const orderCancelled = (orderId: string, customerId: string, at: string, reason: string, actor: Actor) =>
  event(
    'OrderCancelled',
    `order-${orderId}`,
    { orderId, customerId, paymentType: 'CARD', reason, fullRefund: false, cancelPurchases: 'NOW', previousStatus: 'COMPLETE', refundableAmount: 0 },
    at,
    { actor },
  );

export const chargebackMarked = (transactionId: string, customerId: string, at: string, mark: { amount: number; reasonCode: string; actor: Actor }) =>
  event(
    'ChargebackMarked',
    `transaction-${transactionId}`,
    { transactionId, orderId: `ord-${transactionId}`, customerId, amount: mark.amount, date: at.slice(0, 10), reasonCode: mark.reasonCode, note: null, at },
    at,
    { actor: mark.actor },
  );

export const chargebackReverted = (transactionId: string, customerId: string, at: string, amount: number, actor: Actor) =>
  event('ChargebackReverted', `transaction-${transactionId}`, { transactionId, orderId: `ord-${transactionId}`, customerId, amount, at }, at, { actor });

/** The same envelopes, as the tests hand them to the fold (no topic or origin). */
export type ReportEvent = JournalEntry;
