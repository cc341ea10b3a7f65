import { Actor, EnvelopeOf, PurchaseStatus, SalesTax, SubscriptionEvent } from '@continuum/contracts';
import { ExistingPurchase, PurchaseState, evolvePurchase, exists, initialPurchaseState } from './purchase.state';

/** One line of the purchase history (every change to the purchase and everything that happened to it): what, when, by whom. */
export interface HistoryEntry {
  readonly at: string;
  readonly type: string;
  readonly actor: Actor;
  readonly summary: string;
  readonly correlationId: string;
}

/**
 * A charge of the purchase, declines included: the starting order's and every rebill's; or (read
 * from payments, not kept in the purchase stream) a refund, void or chargeback of one of its orders'
 * charges, which names that charge in `parentTransactionId`.
 */
export interface PurchaseTransaction {
  readonly transactionId: string;
  readonly parentTransactionId?: string;
  readonly orderId: string;
  readonly billingCycle: number;
  readonly type: 'SALE' | 'REFUND' | 'VOID' | 'CHARGEBACK' | 'CHARGEBACK_REVERSAL';
  readonly response: 'SUCCESS' | 'SOFT_DECLINE' | 'HARD_DECLINE';
  readonly amount: number;
  readonly currency: string;
  readonly card?: { readonly brand?: string; readonly last4?: string };
  readonly message: string;
  readonly at: string;
}

export interface PurchaseFulfillment {
  readonly fulfillmentId: string;
  readonly orderId: string;
  readonly status: string;
  readonly trackingNumber?: string;
  readonly updatedAt: string;
}

/** The purchase as the profile page shows it, kept in the `purchases` view. */
export interface PurchaseProfileDocument {
  readonly state: PurchaseState;
  readonly history: readonly HistoryEntry[];
  readonly transactions: readonly PurchaseTransaction[];
  readonly fulfillments: readonly PurchaseFulfillment[];
}

export const initialProfile = (): PurchaseProfileDocument => ({ state: initialPurchaseState(), history: [], transactions: [], fulfillments: [] });

const money = (minor: number, currency: string) => `${(minor / 100).toFixed(2)} ${currency}`;

function summary(event: SubscriptionEvent, state: PurchaseState): string {
  const currency = exists(state) ? state.currency : '';
  switch (event.type) {
    case 'PurchaseStarted':
      return `Started in TRIAL (${event.data.trialType}, ${event.data.trialDays} days) from order ${event.data.orderId}; next bill ${event.data.nextBillDate}`;
    case 'PurchaseUpdated':
      return `Updated ${Object.entries(event.data.changes)
        .map(([field, value]) => `${field} = ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
        .join(', ')}`;
    case 'PurchaseTrialRestarted':
      return `Trial restarted; next bill ${event.data.nextBillDate}`;
    case 'PurchaseTrialSkipped':
      return `Trial skipped: billing cycle ${event.data.billingCycle} now`;
    case 'RebillRequested':
      return `Bill requested for cycle ${event.data.billingCycle} (${event.data.trigger ?? 'SCHEDULED'}${event.data.attempt ? `, request ${event.data.attempt + 1}` : ''}): ${money(event.data.amount ?? 0, currency)}`;
    case 'PurchaseCancellationScheduled':
      return `Cancellation scheduled ${event.data.when === 'ON_DATE' ? `on ${event.data.date}` : 'after the next bill'}: ${event.data.reason}`;
    case 'PurchaseCancelled':
      return `Cancelled (${event.data.source}): ${event.data.reason}`;
    case 'PurchasePaused':
      return `Paused${event.data.reason ? `: ${event.data.reason}` : ''}`;
    case 'PurchaseResumed':
      return `Resumed; next bill ${event.data.nextBillDate}`;
    case 'PurchaseProductChanged':
      return `Product changed from ${event.data.fromProductId} to ${event.data.productId}${event.data.applyProductDetails ? ' with its details' : ''}`;
    case 'PurchaseReactivated':
      return `Reactivated from ${event.data.previousStatus}; next bill ${event.data.nextBillDate}`;
    case 'PurchaseRebillOrderPlaced':
      return `Rebill order ${event.data.orderId} placed for cycle ${event.data.billingCycle}`;
    case 'PurchaseBilled':
      return `Billed cycle ${event.data.billingCycle}: ${money(event.data.amount, event.data.currency)} approved${event.data.nextBillDate ? `; next bill ${event.data.nextBillDate}` : ''}`;
    case 'PurchaseRebillDeclined':
      return `Rebill of cycle ${event.data.billingCycle} declined (${event.data.response}): ${event.data.message}`;
    case 'PurchaseRebillNotBilled':
      return `Rebill of cycle ${event.data.billingCycle} not billed (${event.data.outcome}${event.data.code ? ` ${event.data.code}` : ''}): ${event.data.reason}`;
    case 'PurchaseRecycleScheduled':
      return `Recycle billing: retry ${event.data.attempt} at ${event.data.retryAt}`;
    case 'PurchaseRecycleFailed':
      return `Recycle failed (${event.data.reason}) after ${event.data.attempts} retries`;
    case 'PurchaseCompleted':
      return `Complete: final bill cycle ${event.data.billingCycle} billed`;
    case 'PurchaseFulfillmentRecorded':
      return `Fulfillment ${event.data.fulfillmentId} of order ${event.data.orderId}: ${event.data.status}`;
  }
}

function transactionsAfter(profile: PurchaseProfileDocument, event: SubscriptionEvent): readonly PurchaseTransaction[] {
  switch (event.type) {
    case 'PurchaseStarted': {
      const d = event.data;
      if (d.transactionId === undefined) return profile.transactions;
      return [
        ...profile.transactions,
        { transactionId: d.transactionId, orderId: d.orderId, billingCycle: 1, type: 'SALE', response: 'SUCCESS', amount: d.amount, currency: d.currency, message: 'Order payment', at: d.orderDate },
      ];
    }
    case 'PurchaseBilled':
    case 'PurchaseRebillDeclined': {
      const d = event.data;
      if (profile.transactions.some((t) => t.transactionId === d.transactionId)) return profile.transactions;
      const card = d.cardLast4 !== undefined || d.cardBrand !== undefined ? { card: { ...(d.cardBrand !== undefined ? { brand: d.cardBrand } : {}), ...(d.cardLast4 !== undefined ? { last4: d.cardLast4 } : {}) } } : {};
      return [
        ...profile.transactions,
        {
          transactionId: d.transactionId,
          orderId: d.orderId,
          billingCycle: d.billingCycle,
          type: 'SALE',
          response: event.type === 'PurchaseBilled' ? 'SUCCESS' : event.data.response,
          amount: d.amount,
          currency: d.currency,
          ...card,
          message: d.message,
          at: d.at,
        },
      ];
    }
    default:
      return profile.transactions;
  }
}

function fulfillmentsAfter(profile: PurchaseProfileDocument, event: SubscriptionEvent): readonly PurchaseFulfillment[] {
  if (event.type !== 'PurchaseFulfillmentRecorded') return profile.fulfillments;
  const { fulfillmentId, orderId, status, trackingNumber, at } = event.data;
  const previous = profile.fulfillments.find((f) => f.fulfillmentId === fulfillmentId);
  const row: PurchaseFulfillment = { fulfillmentId, orderId, status, ...(trackingNumber ?? previous?.trackingNumber ? { trackingNumber: trackingNumber ?? previous!.trackingNumber! } : {}), updatedAt: at };
  return previous ? profile.fulfillments.map((f) => (f.fulfillmentId === fulfillmentId ? row : f)) : [...profile.fulfillments, row];
}

/** Pure: the profile after one stored event of the purchase stream. */
export function evolveProfile(profile: PurchaseProfileDocument, event: EnvelopeOf<SubscriptionEvent>): PurchaseProfileDocument {
  const domainEvent = { type: event.type, data: event.data } as SubscriptionEvent;
  const state = evolvePurchase(profile.state, domainEvent);
  return {
    state,
    history: [...profile.history, { at: event.occurredAt, type: event.type, actor: event.actor, summary: summary(domainEvent, state), correlationId: event.correlationId }],
    transactions: transactionsAfter(profile, domainEvent),
    fulfillments: fulfillmentsAfter(profile, domainEvent),
  };
}

/** GET /purchases/:id: the purchase fields, then its history, transactions and fulfillments. */
export interface PurchaseProfile {
  readonly purchaseId: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly campaignId: string;
  readonly orderDate: string;
  readonly productId: string;
  readonly sku: string;
  readonly name: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly billingType: string;
  readonly status: PurchaseStatus;
  readonly trialType: string;
  readonly trialDays: number;
  readonly billingCycle: number;
  readonly finalBillCycle: number | null;
  readonly merchantId: string | null;
  /** null when nothing more is billed (cancelled, complete) */
  readonly nextBillDate: string | null;
  readonly billingInterval: { readonly unit: string; readonly count: number };
  readonly price: number;
  readonly shippingPrice: number;
  readonly salesTax: SalesTax;
  readonly insureShipment: boolean;
  readonly currency: string;
  /** what the next rebill charges: price + shipping + tax */
  readonly rebillAmount: number;
  readonly cancellation: { readonly when: string; readonly date?: string; readonly reason: string } | null;
  /** a bill requested and not answered yet */
  readonly billing: { readonly billingCycle: number; readonly orderId: string | null; readonly trigger: string } | null;
  readonly recycle: { readonly billingCycle: number; readonly retry: number } | null;
  readonly history: readonly HistoryEntry[];
  readonly transactions: readonly PurchaseTransaction[];
  readonly fulfillments: readonly PurchaseFulfillment[];
}

export function profileOf(p: ExistingPurchase, doc: Pick<PurchaseProfileDocument, 'history' | 'transactions' | 'fulfillments'>, rebillAmount: number): PurchaseProfile {
  const ended = p.status === 'CANCELLED' || p.status === 'COMPLETE';
  return {
    purchaseId: p.purchaseId,
    orderId: p.orderId,
    customerId: p.customerId,
    campaignId: p.campaignId,
    orderDate: p.orderDate,
    productId: p.productId,
    sku: p.sku,
    name: p.name,
    quantity: p.quantity,
    unitPrice: p.unitPrice,
    billingType: p.billingType,
    status: p.status,
    trialType: p.trialType,
    trialDays: p.trialDays,
    billingCycle: p.billingCycle,
    finalBillCycle: p.finalBillCycle ?? null,
    merchantId: p.merchantId ?? null,
    nextBillDate: ended ? null : p.nextBillDate,
    billingInterval: p.billingInterval,
    price: p.price,
    shippingPrice: p.shippingPrice,
    salesTax: p.salesTax,
    insureShipment: p.insureShipment,
    currency: p.currency,
    rebillAmount,
    cancellation: p.cancellation ? { when: p.cancellation.when, ...(p.cancellation.date ? { date: p.cancellation.date } : {}), reason: p.cancellation.reason } : null,
    billing: p.bill ? { billingCycle: p.bill.billingCycle, orderId: p.bill.orderId, trigger: p.bill.trigger } : null,
    recycle: p.recycle ? { billingCycle: p.recycle.billingCycle, retry: p.recycle.attempt } : null,
    history: doc.history,
    transactions: doc.transactions,
    fulfillments: doc.fulfillments,
  };
}
