import {
  Actor,
  Address,
  CustomerEvent,
  EnvelopeOf,
  FulfillmentEvent,
  OrderEvent,
  OrderStatus,
  OrderSnapshot,
  PaymentsEvent,
  PaymentType,
  PurchaseEvent,
  SubscriptionEvent,
} from '@continuum/contracts';
import { CustomerJournal, entriesAsOf, JournalEntry } from './journal';
import { timelineEntry, TimelineEntry } from './timeline';

/** Settings the fold needs that no event carries. */
export interface HistoryOptions {
  /** payments' delay between refund retries, for "retry 1 of 3 on Dec 2" */
  readonly refundRetryDelayMs: number;
}

export interface ProfileView {
  readonly customerId: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly phone: string | null;
  readonly billingAddress: Address;
  readonly shippingAddress: Address | null;
  readonly registeredAt: string;
  /** customers merged into this one */
  readonly mergedFrom: readonly string[];
  /** name -> value, {} when none */
  readonly customFields: { readonly [name: string]: string };
}

export interface NoteView {
  readonly noteId: string;
  readonly message: string;
  readonly author: Actor;
  readonly at: string;
}

/** An order of the customer's history: what it was placed with, and where it stands. */
export interface OrderView extends Pick<OrderSnapshot, 'orderId' | 'customerId' | 'campaignId' | 'paymentType' | 'currency' | 'items' | 'totals'> {
  readonly status: OrderStatus;
  /** "VISA 1111", "External Payment" or "COD" */
  readonly card: string;
  readonly placedAt: string;
  readonly qaReasons: readonly string[];
  readonly cancelReason: string | null;
  readonly declineMessage: string | null;
  readonly rebill: { readonly purchaseId: string; readonly billingCycle: number } | null;
  /** the order's custom fields, {} when none */
  readonly customFields: { readonly [name: string]: string };
}

export type TransactionRowType = 'SALE' | 'AUTHORIZE' | 'CAPTURE' | 'VOID' | 'REFUND' | 'COD' | 'EXTERNAL';
export type TransactionResponse = 'SUCCESS' | 'SOFT_DECLINE' | 'HARD_DECLINE' | 'PENDING';

/** One row of the transactions table, as payments lists them (docs/payments.md), with the refund's progress. */
export interface TransactionView {
  readonly transactionId: string;
  readonly orderId: string;
  readonly type: TransactionRowType;
  readonly response: TransactionResponse;
  readonly amount: number;
  readonly currency: string;
  readonly refundedAmount: number;
  readonly settled: boolean;
  readonly voided: boolean;
  /** "VISA 1111", "External Payment" or "COD" */
  readonly card: string;
  readonly parentTransactionId: string | null;
  readonly message: string | null;
  /** refunds: REQUESTED, QUEUED, SUCCEEDED or ABANDONED, with the gateway attempts so far */
  readonly refund: { readonly status: 'REQUESTED' | 'QUEUED' | 'SUCCEEDED' | 'ABANDONED'; readonly attempts: number; readonly lastFailure: string | null } | null;
  readonly chargeback: { readonly amount: number; readonly date: string; readonly reasonCode: string } | null;
  readonly createdAt: string;
}

export interface FulfillmentView {
  readonly fulfillmentId: string;
  readonly orderId: string;
  readonly reference: string;
  readonly status: string;
  readonly items: readonly { readonly sku: string; readonly name: string; readonly quantity: number }[];
  readonly cod: boolean;
  readonly trackingNumber: string | null;
  readonly carrier: string | null;
  readonly shippedAt: string | null;
  readonly deliveredAt: string | null;
  readonly rmaNumber: string | null;
  readonly reshipOf: string | null;
  readonly note: string | null;
  readonly createdAt: string;
}

export interface PurchaseView {
  readonly purchaseId: string;
  readonly orderId: string;
  readonly productId: string;
  readonly name: string;
  readonly status: string;
  readonly billingCycle: number;
  readonly nextBillDate: string | null;
  readonly price: number | null;
  readonly currency: string | null;
  readonly cancelReason: string | null;
}

/** How a customer merged into this one was known (its profile as last recorded), so search still finds it. */
export interface MergedCustomerView {
  readonly customerId: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly phone: string | null;
}

/** What an agent opens first (docs/projections.md): everything known of one customer. */
export interface CustomerHistory {
  readonly customerId: string | null;
  readonly customer: ProfileView | null;
  readonly mergedCustomers: readonly MergedCustomerView[];
  readonly notes: readonly NoteView[];
  readonly orders: readonly OrderView[];
  readonly transactions: readonly TransactionView[];
  readonly fulfillments: readonly FulfillmentView[];
  readonly purchases: readonly PurchaseView[];
  readonly timeline: readonly TimelineEntry[];
}

export const emptyHistory = (customerId: string | null = null): CustomerHistory => ({
  customerId,
  customer: null,
  mergedCustomers: [],
  notes: [],
  orders: [],
  transactions: [],
  fulfillments: [],
  purchases: [],
  timeline: [],
});

/** Every event the history understands; others still get a timeline entry. */
export type HistoryEvent = CustomerEvent | OrderEvent | PaymentsEvent | FulfillmentEvent | SubscriptionEvent | PurchaseEvent;

const upsert = <T>(rows: readonly T[], match: (row: T) => boolean, make: (row: T | undefined) => T | undefined): readonly T[] => {
  const index = rows.findIndex(match);
  const next = make(index === -1 ? undefined : rows[index]);
  if (next === undefined) return rows;
  if (index === -1) return [...rows, next];
  return rows.map((row, at) => (at === index ? next : row));
};
const update = <T>(rows: readonly T[], match: (row: T) => boolean, change: (row: T) => T): readonly T[] => upsert(rows, match, (row) => (row ? change(row) : undefined));

/** "VISA 1111", "External Payment" or "COD": the card column. */
export function cardLabel(paymentType: PaymentType | 'CARD', card?: { readonly brand: string; readonly last4: string } | null): string {
  if (paymentType === 'EXTERNAL') return 'External Payment';
  if (paymentType === 'COD') return 'COD';
  return card ? `${card.brand} ${card.last4}` : 'CARD';
}

/**
 * Folds one journal entry into the history: the section it changes, and a timeline entry for it.
 * Pure; robust to any order (an update for something not seen yet is skipped in its section but
 * kept on the timeline), though the journal hands entries over in the order they happened.
 */
export function evolveHistory(history: CustomerHistory, entry: JournalEntry, options: HistoryOptions): CustomerHistory {
  const changed = evolveSections(history, entry as unknown as EnvelopeOf<HistoryEvent>);
  return { ...changed, timeline: [...changed.timeline, timelineEntry(history, entry, options)] };
}

/** The history as it stood at `asOf` (everything when undefined), folded from the journal. */
export function foldHistory(journal: CustomerJournal, options: HistoryOptions, asOf?: string): CustomerHistory {
  return entriesAsOf(journal, asOf).reduce((history, entry) => evolveHistory(history, entry, options), emptyHistory(journal.customerId));
}

function evolveSections(history: CustomerHistory, event: EnvelopeOf<HistoryEvent>): CustomerHistory {
  switch (event.type) {
    case 'CustomerRegistered': {
      const { data } = event;
      if (data.customerId !== history.customerId) {
        // only merged customers' events reach another customer's journal: keep how they were known
        const merged: MergedCustomerView = { customerId: data.customerId, firstName: data.firstName, lastName: data.lastName, email: data.email, phone: data.phone ?? null };
        return { ...history, mergedCustomers: upsert(history.mergedCustomers, (known) => known.customerId === data.customerId, () => merged) };
      }
      return {
        ...history,
        customer: {
          customerId: data.customerId,
          firstName: data.firstName,
          lastName: data.lastName,
          email: data.email,
          phone: data.phone ?? null,
          billingAddress: data.billingAddress,
          shippingAddress: data.shippingAddress ?? null,
          registeredAt: event.occurredAt,
          mergedFrom: history.customer?.mergedFrom ?? [],
          customFields: data.customFields ?? {},
        },
      };
    }
    case 'CustomerCustomFieldsChanged': {
      const { customerId, set, removed } = event.data;
      if (customerId !== history.customerId || !history.customer) return history;
      const customFields: Record<string, string> = { ...history.customer.customFields, ...set };
      for (const name of removed ?? []) delete customFields[name];
      return { ...history, customer: { ...history.customer, customFields } };
    }
    case 'CustomerUpdated': {
      const { customerId, changes } = event.data;
      if (customerId !== history.customerId) {
        return { ...history, mergedCustomers: update(history.mergedCustomers, (known) => known.customerId === customerId, (known) => ({ ...known, ...changes, phone: changes.phone ?? known.phone })) };
      }
      if (!history.customer) return history;
      return { ...history, customer: { ...history.customer, ...changes, phone: changes.phone ?? history.customer.phone, shippingAddress: changes.shippingAddress ?? history.customer.shippingAddress } };
    }
    case 'CustomerNoteAdded': {
      const { noteId, message, author, at } = event.data;
      return { ...history, notes: upsert(history.notes, (note) => note.noteId === noteId, () => ({ noteId, message, author, at })) };
    }
    case 'CustomersMerged': {
      const { customerId, fromCustomerId } = event.data;
      if (customerId !== history.customerId || !history.customer) return history;
      const mergedFrom = history.customer.mergedFrom.includes(fromCustomerId) ? history.customer.mergedFrom : [...history.customer.mergedFrom, fromCustomerId];
      return { ...history, customer: { ...history.customer, mergedFrom } };
    }
    case 'CustomerMergedInto':
      return history;
    default:
      return evolveOrders(evolveTransactions(evolveFulfillments(evolvePurchases(history, event), event), event), event);
  }
}

const setOrder = (history: CustomerHistory, orderId: string, change: (order: OrderView) => OrderView): CustomerHistory => ({
  ...history,
  orders: update(history.orders, (order) => order.orderId === orderId, change),
});

function evolveOrders(history: CustomerHistory, event: EnvelopeOf<HistoryEvent>): CustomerHistory {
  switch (event.type) {
    case 'OrderPlaced': {
      const { data } = event;
      const order: OrderView = {
        orderId: data.orderId,
        customerId: data.customerId,
        campaignId: data.campaignId,
        status: 'PROCESSING',
        paymentType: data.paymentType,
        currency: data.currency,
        card: cardLabel(data.paymentType, data.card),
        items: data.items,
        totals: data.totals,
        placedAt: data.placedAt,
        qaReasons: [],
        cancelReason: null,
        declineMessage: null,
        rebill: data.rebill ? { purchaseId: data.rebill.purchaseId, billingCycle: data.rebill.billingCycle } : null,
        customFields: data.customFields ?? {},
      };
      return { ...history, orders: upsert(history.orders, (known) => known.orderId === order.orderId, () => order) };
    }
    case 'OrderSentToQa':
      return setOrder(history, event.data.orderId, (order) => ({ ...order, status: 'PENDING', qaReasons: event.data.reasons }));
    case 'OrderApproved':
      return setOrder(history, event.data.orderId, (order) => ({ ...order, status: order.totals.refunded > 0 ? 'REFUNDED' : 'COMPLETE' }));
    case 'OrderCompleted':
      return setOrder(history, event.data.orderId, (order) => ({ ...order, status: 'COMPLETE' }));
    case 'OrderAwaitingCod':
      return setOrder(history, event.data.orderId, (order) => ({ ...order, status: 'COD_PENDING' }));
    case 'OrderDeclined':
      return setOrder(history, event.data.orderId, (order) => ({ ...order, status: 'DECLINED', declineMessage: event.data.message ?? null }));
    case 'OrderRefunded':
      return setOrder(history, event.data.orderId, (order) => ({
        ...order,
        // PENDING, CANCELLED and DECLINED keep their status and only track the money returned (orders' rule)
        status: ['PENDING', 'CANCELLED', 'DECLINED'].includes(order.status) ? order.status : 'REFUNDED',
        totals: { ...order.totals, refunded: event.data.refundedTotal },
      }));
    case 'OrderCancelled':
      return setOrder(history, event.data.orderId, (order) => ({ ...order, status: 'CANCELLED', cancelReason: event.data.reason }));
    case 'OrderRerunRequested':
      return setOrder(history, event.data.orderId, (order) => ({ ...order, status: 'PROCESSING', declineMessage: null }));
    case 'UpsellAdded':
      return setOrder(history, event.data.orderId, (order) => ({
        ...order,
        items: order.items.some((item) => item.orderItemId === event.data.orderItemId) ? order.items : [...order.items, event.data.item],
        totals: event.data.newTotals,
      }));
    case 'UpsellDeclined':
      return setOrder(history, event.data.orderId, (order) => ({
        ...order,
        items: order.items.filter((item) => item.orderItemId !== event.data.orderItemId),
        totals: event.data.newTotals,
      }));
    case 'OrderCustomerReassigned':
      return setOrder(history, event.data.orderId, (order) => ({ ...order, customerId: event.data.customerId }));
    default:
      return history;
  }
}

const setRow = (history: CustomerHistory, transactionId: string, change: (row: TransactionView) => TransactionView): CustomerHistory => ({
  ...history,
  transactions: update(history.transactions, (row) => row.transactionId === transactionId, change),
});

const addRow = (history: CustomerHistory, row: TransactionView): CustomerHistory => ({
  ...history,
  transactions: upsert(history.transactions, (known) => known.transactionId === row.transactionId, (known) => (known ? { ...row, settled: known.settled, refundedAmount: known.refundedAmount } : row)),
});

const rowBase = (history: CustomerHistory, transactionId: string, orderId: string, at: string) => {
  const order = history.orders.find((known) => known.orderId === orderId);
  return {
    transactionId,
    orderId,
    currency: order?.currency ?? 'USD',
    refundedAmount: 0,
    settled: false,
    voided: false,
    parentTransactionId: null,
    message: null,
    refund: null,
    chargeback: null,
    createdAt: at,
  };
};

const childRow = (history: CustomerHistory, parentId: string, id: string, orderId: string, at: string, fields: Pick<TransactionView, 'type' | 'response' | 'amount'> & Partial<TransactionView>): TransactionView => {
  const parent = history.transactions.find((row) => row.transactionId === parentId);
  return { ...rowBase(history, id, orderId, at), card: parent?.card ?? 'CARD', currency: parent?.currency ?? 'USD', parentTransactionId: parentId, ...fields };
};

function evolveTransactions(history: CustomerHistory, event: EnvelopeOf<HistoryEvent>): CustomerHistory {
  switch (event.type) {
    case 'PaymentApproved':
    case 'PaymentDeclined': {
      const { data } = event;
      return addRow(history, {
        ...rowBase(history, data.transactionId, data.orderId, data.at),
        type: data.type,
        response: data.response,
        amount: data.amount,
        currency: data.currency,
        card: cardLabel('CARD', data.card),
        message: data.message,
      });
    }
    case 'AuthorizationCaptured': {
      const { data } = event;
      return addRow(history, childRow(history, data.transactionId, data.captureId, data.orderId, data.at, { type: 'CAPTURE', response: 'SUCCESS', amount: data.amount, message: data.message }));
    }
    case 'ExternalPaymentRecorded': {
      const { data } = event;
      return addRow(history, { ...rowBase(history, data.transactionId, data.orderId, data.at), type: 'EXTERNAL', response: 'SUCCESS', amount: data.amount, currency: data.currency, card: 'External Payment' });
    }
    case 'CodTransactionOpened': {
      const { data } = event;
      return addRow(history, { ...rowBase(history, data.transactionId, data.orderId, data.at), type: 'COD', response: 'PENDING', amount: data.amount, currency: data.currency, card: 'COD', message: data.message });
    }
    case 'CodPaymentReceived':
      return setRow(history, event.data.transactionId, (row) => ({ ...row, response: 'SUCCESS', message: `delivery confirmation ${event.data.deliveryConfirmation}` }));
    case 'CodDeliveryFailed':
      return setRow(history, event.data.transactionId, (row) => ({ ...row, response: event.data.final ? 'HARD_DECLINE' : 'PENDING', message: event.data.status }));
    case 'ChargeSettled':
      return setRow(history, event.data.transactionId, (row) => ({ ...row, settled: true }));
    case 'ChargeVoided': {
      const { data } = event;
      const voided = setRow(history, data.transactionId, (row) => ({ ...row, voided: true }));
      return addRow(voided, childRow(history, data.transactionId, data.voidId, data.orderId, data.at, { type: 'VOID', response: 'SUCCESS', amount: data.amount, message: data.message }));
    }
    case 'RefundRequested': {
      const { data } = event;
      return addRow(
        history,
        childRow(history, data.transactionId, data.refundId, data.orderId, data.at, { type: 'REFUND', response: 'PENDING', amount: data.amount, refund: { status: 'REQUESTED', attempts: 0, lastFailure: null } }),
      );
    }
    case 'RefundSucceeded': {
      const { data } = event;
      const parent = setRow(history, data.transactionId, (row) => ({ ...row, refundedAmount: data.refundedTotal }));
      const known = parent.transactions.some((row) => row.transactionId === data.refundId);
      const base = known
        ? parent
        : addRow(parent, childRow(parent, data.transactionId, data.refundId, data.orderId, data.at, { type: 'REFUND', response: 'PENDING', amount: data.amount }));
      return setRow(base, data.refundId, (row) => ({ ...row, response: 'SUCCESS', message: data.message, refund: { status: 'SUCCEEDED', attempts: data.attempt, lastFailure: row.refund?.lastFailure ?? null } }));
    }
    case 'RefundFailed':
      return setRow(history, event.data.refundId, (row) => ({ ...row, message: event.data.message, refund: { status: row.refund?.status ?? 'REQUESTED', attempts: event.data.attempt, lastFailure: event.data.message } }));
    case 'RefundQueued':
      return setRow(history, event.data.refundId, (row) => ({ ...row, refund: { attempts: row.refund?.attempts ?? 1, lastFailure: row.refund?.lastFailure ?? null, status: 'QUEUED' } }));
    case 'RefundAbandoned':
      return setRow(history, event.data.refundId, (row) => ({
        ...row,
        response: 'HARD_DECLINE',
        message: event.data.lastMessage,
        refund: { status: 'ABANDONED', attempts: event.data.attempts, lastFailure: event.data.lastMessage },
      }));
    case 'ChargebackMarked':
      return setRow(history, event.data.transactionId, (row) => ({ ...row, chargeback: { amount: event.data.amount, date: event.data.date, reasonCode: event.data.reasonCode } }));
    case 'ChargebackReverted':
      return setRow(history, event.data.transactionId, (row) => ({ ...row, chargeback: null }));
    default:
      return history;
  }
}

const setFulfillment = (history: CustomerHistory, fulfillmentId: string, change: (row: FulfillmentView) => FulfillmentView): CustomerHistory => ({
  ...history,
  fulfillments: update(history.fulfillments, (row) => row.fulfillmentId === fulfillmentId, change),
});

/** `items` without one of each of `removed` (an upsell's lines, added last), the latest first. */
function withoutLines<T extends { sku: string; quantity: number }>(items: readonly T[], removed: readonly { sku: string; quantity: number }[]): T[] {
  const kept = [...items];
  for (const line of removed) {
    const at = kept.map((item) => item.sku === line.sku && item.quantity === line.quantity).lastIndexOf(true);
    if (at >= 0) kept.splice(at, 1);
  }
  return kept;
}

function evolveFulfillments(history: CustomerHistory, event: EnvelopeOf<HistoryEvent>): CustomerHistory {
  switch (event.type) {
    case 'FulfillmentCreated': {
      const { data } = event;
      const row: FulfillmentView = {
        fulfillmentId: data.fulfillmentId,
        orderId: data.orderId,
        reference: data.reference,
        status: 'HOLD',
        items: data.items.map(({ sku, name, quantity }) => ({ sku, name, quantity })),
        cod: data.cod !== null && data.cod !== undefined && (data.cod as unknown) !== false,
        trackingNumber: null,
        carrier: null,
        shippedAt: null,
        deliveredAt: null,
        rmaNumber: null,
        reshipOf: data.reshipOf,
        note: null,
        createdAt: data.at,
      };
      return { ...history, fulfillments: upsert(history.fulfillments, (known) => known.fulfillmentId === row.fulfillmentId, () => row) };
    }
    case 'FulfillmentItemsAdded':
      return setFulfillment(history, event.data.fulfillmentId, (row) => ({ ...row, items: [...row.items, ...event.data.items.map(({ sku, name, quantity }) => ({ sku, name, quantity }))] }));
    case 'FulfillmentItemsRemoved':
      return setFulfillment(history, event.data.fulfillmentId, (row) => ({ ...row, items: withoutLines(row.items, event.data.items) }));
    case 'FulfillmentExported':
      return setFulfillment(history, event.data.fulfillmentId, (row) => ({ ...row, status: 'PENDING' }));
    case 'FulfillmentShipped':
      return setFulfillment(history, event.data.fulfillmentId, (row) => ({
        ...row,
        status: row.status === 'DELIVERED' ? row.status : 'SHIPPED',
        trackingNumber: event.data.trackingNumber,
        carrier: event.data.carrier,
        shippedAt: event.data.shippedAt,
      }));
    case 'FulfillmentDelivered':
      return setFulfillment(history, event.data.fulfillmentId, (row) => ({ ...row, status: 'DELIVERED', deliveredAt: event.data.deliveredAt }));
    case 'FulfillmentCancelled':
      return setFulfillment(history, event.data.fulfillmentId, (row) => ({ ...row, status: 'CANCELLED', note: event.data.reason }));
    case 'FulfillmentRmaIssued':
      return setFulfillment(history, event.data.fulfillmentId, (row) => ({ ...row, status: 'RMA_PENDING', rmaNumber: event.data.rmaNumber }));
    case 'FulfillmentReturned':
      return setFulfillment(history, event.data.fulfillmentId, (row) => ({ ...row, status: 'RETURNED', note: event.data.reason }));
    case 'FulfillmentFailed':
      return setFulfillment(history, event.data.fulfillmentId, (row) => ({ ...row, status: 'FAILED', note: event.data.reason }));
    case 'FulfillmentRecycled':
      return setFulfillment(history, event.data.fulfillmentId, (row) => ({ ...row, status: 'RECYCLED' }));
    case 'CodMarkedPaid':
      return setFulfillment(history, event.data.fulfillmentId, (row) => ({ ...row, status: 'DELIVERED', note: `COD paid, confirmation ${event.data.deliveryConfirmation}` }));
    case 'CodMarkedUndelivered':
      return setFulfillment(history, event.data.fulfillmentId, (row) => ({ ...row, note: `COD undelivered: ${event.data.status}` }));
    default:
      return history;
  }
}

const setPurchase = (history: CustomerHistory, purchaseId: string, change: (row: PurchaseView) => PurchaseView): CustomerHistory => ({
  ...history,
  purchases: update(history.purchases, (row) => row.purchaseId === purchaseId, change),
});

function evolvePurchases(history: CustomerHistory, event: EnvelopeOf<HistoryEvent>): CustomerHistory {
  switch (event.type) {
    case 'PurchaseStarted': {
      const { data } = event;
      const row: PurchaseView = {
        purchaseId: data.purchaseId,
        orderId: data.orderId,
        productId: data.productId,
        name: data.name,
        status: data.status,
        billingCycle: data.billingCycle,
        nextBillDate: data.nextBillDate,
        price: data.price,
        currency: data.currency,
        cancelReason: null,
      };
      return { ...history, purchases: upsert(history.purchases, (known) => known.purchaseId === row.purchaseId, () => row) };
    }
    case 'PurchaseUpdated':
      return setPurchase(history, event.data.purchaseId, (row) => ({ ...row, nextBillDate: event.data.changes.nextBillDate ?? row.nextBillDate, price: event.data.changes.price ?? row.price }));
    case 'PurchaseTrialRestarted':
      return setPurchase(history, event.data.purchaseId, (row) => ({ ...row, status: 'TRIAL', billingCycle: event.data.billingCycle, nextBillDate: event.data.nextBillDate }));
    case 'PurchaseCancellationScheduled':
      return setPurchase(history, event.data.purchaseId, (row) => ({ ...row, status: 'CANCELLATION_SCHEDULED', cancelReason: event.data.reason }));
    case 'PurchaseCancelled':
      return setPurchase(history, event.data.purchaseId, (row) => ({ ...row, status: 'CANCELLED', nextBillDate: null, cancelReason: event.data.reason }));
    case 'PurchasePaused':
      return setPurchase(history, event.data.purchaseId, (row) => ({ ...row, status: 'PAUSED' }));
    case 'PurchaseResumed':
      return setPurchase(history, event.data.purchaseId, (row) => ({ ...row, status: event.data.status, nextBillDate: event.data.nextBillDate }));
    case 'PurchaseProductChanged':
      return setPurchase(history, event.data.purchaseId, (row) => ({ ...row, productId: event.data.productId, name: event.data.name, price: event.data.price ?? row.price }));
    case 'PurchaseReactivated':
      return setPurchase(history, event.data.purchaseId, (row) => ({ ...row, status: event.data.status, billingCycle: event.data.billingCycle, nextBillDate: event.data.nextBillDate, cancelReason: null }));
    case 'PurchaseBilled':
      return setPurchase(history, event.data.purchaseId, (row) => ({ ...row, status: event.data.status, billingCycle: event.data.billingCycle, nextBillDate: event.data.nextBillDate }));
    case 'PurchaseRecycleScheduled':
      return setPurchase(history, event.data.purchaseId, (row) => ({ ...row, status: 'RECYCLE_BILLING', nextBillDate: event.data.retryAt }));
    case 'PurchaseRecycleFailed':
      return setPurchase(history, event.data.purchaseId, (row) => ({ ...row, status: 'RECYCLE_FAILED', nextBillDate: null }));
    case 'PurchaseCompleted':
      return setPurchase(history, event.data.purchaseId, (row) => ({ ...row, status: 'COMPLETE', nextBillDate: null }));
    default:
      return history;
  }
}
