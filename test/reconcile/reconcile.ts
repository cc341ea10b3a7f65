/**
 * `npm run reconcile`: the pure part. Every service's events are folded into small per-order facts
 * (a `Ledger`), then `Ledger.report()` says, per order, where the services disagree about money,
 * status, fulfillment, rebills and the customer history. Nothing here does I/O: reconcile.cli.ts
 * streams the stores into a ledger, the spec feeds it events by hand.
 *
 *   const ledger = new Ledger();
 *   ledger.add('orders', { type: 'OrderPlaced', data });      // events of one stream in stream order
 *   ledger.add('payments', { type: 'PaymentApproved', data });
 *   const report = ledger.report();                           // { ordersChecked, disagreements }
 *
 * Event types the reconcile does not know (new ones included) are passed over.
 */
import type {
  AuthorizationCaptured,
  ChargebackMarked,
  ChargebackReverted,
  ChargeVoided,
  CodPaymentReceived,
  ExternalPaymentRecorded,
  FulfillmentCreated,
  FulfillmentStatus,
  OrderPlaced,
  OrderRefunded,
  OrderStatus,
  OrderTotals,
  PaymentApproved,
  PaymentDeclined,
  PaymentType,
  PurchaseBilled,
  RefundSucceeded,
  UpsellAdded,
  UpsellDeclined,
} from '@continuum/contracts';

/** Where an event was read: a service's event store, or the projections' customer history (its journal). */
export type Source = 'orders' | 'payments' | 'fulfillment' | 'subscriptions' | 'history';

/** What the ledger needs of a stored event (an EventEnvelope has it). */
export interface LedgerEvent {
  readonly type: string;
  readonly data: unknown;
}

/** Every disagreement the reconcile reports, with what it means. */
export const DISAGREEMENTS = {
  // charged vs order total
  CHARGED_NE_TOTAL: 'approved card charges of a paid order (PENDING, COMPLETE, REFUNDED) differ from its total',
  EXTERNAL_NOT_RECORDED: 'a paid EXTERNAL order has no ExternalPaymentRecorded',
  EXTERNAL_NE_TOTAL: 'the external payment recorded differs from the total the order was placed with',
  COD_NOT_PAID: 'a COMPLETE COD order has no CodPaymentReceived',
  COD_PAID_NE_TOTAL: 'the COD payment received differs from the order total',
  // refunds vs charges
  REFUNDS_EXCEED_CHARGE: 'voided + refunded + charged back exceeds what the transaction charged',
  ORDER_REFUNDED_NE_PAYMENTS: "the order's refunded total differs from the refunds and voids payments recorded for it",
  REFUNDED_WITHOUT_REFUND: 'the order is REFUNDED but payments recorded no refund or void for it',
  // order status vs payment outcome
  COMPLETED_WITHOUT_CHARGE: 'a paid card order (PENDING, COMPLETE, REFUNDED) has no approved ORDER, RERUN or REBILL charge',
  DECLINED_WITH_CHARGE: 'a DECLINED order has an approved charge that was neither voided nor fully refunded',
  CHARGE_FOR_UNKNOWN_ORDER: 'payments has a transaction for an order the orders service does not know',
  // fulfillment vs order
  MISSING_FULFILLMENT: 'a completed (or COD pending) order has no fulfillment',
  FULFILLMENT_NOT_CANCELLED: 'the order is CANCELLED but a fulfillment that has not shipped is not',
  FULFILLMENT_FOR_UNKNOWN_ORDER: 'fulfillment has a fulfillment for an order the orders service does not know',
  // purchase cycles vs rebill orders
  BILLED_CYCLE_WITHOUT_ORDER: 'a purchase billed a cycle with an order the orders service does not know',
  BILLED_CYCLE_ORDER_MISMATCH: 'the order a purchase billed a cycle with is not the rebill order of that purchase and cycle',
  DUPLICATE_REBILL_ORDER: 'two or more paid rebill orders bill the same purchase cycle',
  REBILL_ORDER_NOT_BILLED: 'a paid rebill order whose purchase did not record the cycle as billed',
  // history vs the services
  HISTORY_ORDER_MISSING: "the order is not in the projections' customer history",
  HISTORY_ORDER_UNKNOWN: 'the customer history shows an order the orders service does not know',
  HISTORY_STATUS_MISMATCH: 'the customer history shows another status than the orders service',
  HISTORY_TOTAL_MISMATCH: 'the customer history shows another total or refunded amount than the orders service',
} as const;
export type DisagreementCode = keyof typeof DISAGREEMENTS;

export interface Disagreement {
  readonly orderId: string;
  readonly code: DisagreementCode;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

export interface ReconcileReport {
  /** orders the orders service knows */
  readonly ordersChecked: number;
  /** sorted by order id, then code */
  readonly disagreements: readonly Disagreement[];
  /** false when no customer history was read (the history checks were skipped) */
  readonly historyChecked: boolean;
  /** what the orders service says of each order that disagrees (null: it does not know the order) */
  readonly orders: Readonly<Record<string, OrderSummary | null>>;
}

/** An order as the orders service has it, to read a disagreement by. */
export interface OrderSummary {
  readonly paymentType: PaymentType;
  readonly status: OrderStatus;
  readonly total: number;
  readonly refunded: number;
}

// ---- per-order facts -------------------------------------------------------------------------

/** An order as its events say (the same fold for the orders store and for the history's journal). */
interface OrderFacts {
  paymentType: PaymentType;
  status: OrderStatus;
  total: number;
  refunded: number;
  /** the total it was placed with (what an EXTERNAL payment records) */
  placedTotal: number;
  /** OrderCompleted, OrderApproved or OrderAwaitingCod happened: fulfillment creates one */
  shipEligible: boolean;
  rebill: { purchaseId: string; billingCycle: number } | null;
}

type Purpose = PaymentApproved['data']['purpose'];

/** One payments transaction, folded to sums (the order of its events does not change them). */
interface TransactionFacts {
  transactionId: string;
  kind: 'CARD' | 'EXTERNAL' | 'COD';
  purpose: Purpose | null;
  chargeType: 'SALE' | 'AUTHORIZE' | null;
  approved: number | null;
  captured: number;
  external: number | null;
  codReceived: number | null;
  voided: number;
  refunded: number;
  chargebacks: number;
}

interface FulfillmentFacts {
  fulfillmentId: string;
  status: FulfillmentStatus;
}

interface BilledCycle {
  purchaseId: string;
  billingCycle: number;
}

const PAID_STATUSES: readonly OrderStatus[] = ['PENDING', 'COMPLETE', 'REFUNDED'];
/** a rebill order in one of these took the cycle's money (DECLINED, CANCELLED and PROCESSING did not, or not yet) */
const BILLED_REBILL_STATUSES: readonly OrderStatus[] = ['PENDING', 'COMPLETE', 'REFUNDED', 'COD_PENDING'];
/** fulfillment's own rule (isUnshipped): what a cancelled order's fulfillment must not stay in */
const UNSHIPPED: readonly FulfillmentStatus[] = ['HOLD', 'PENDING', 'RECYCLED', 'FAILED'];

const FULFILLMENT_STATUS_OF: Readonly<Record<string, FulfillmentStatus>> = {
  FulfillmentExported: 'PENDING',
  FulfillmentDelivered: 'DELIVERED',
  FulfillmentCancelled: 'CANCELLED',
  FulfillmentRmaIssued: 'RMA_PENDING',
  FulfillmentReturned: 'RETURNED',
  FulfillmentFailed: 'FAILED',
  FulfillmentRecycled: 'RECYCLED',
};

/**
 * The order facts after one more event of its stream, or undefined for an event that is not an
 * order event. Follows the orders service's own status rules (order.state.ts): a refund keeps
 * PENDING, CANCELLED and DECLINED; approval of a partly refunded order is REFUNDED.
 */
export function evolveOrder(order: OrderFacts | undefined, event: LedgerEvent): OrderFacts | undefined {
  if (event.type === 'OrderPlaced') {
    const data = event.data as OrderPlaced['data'];
    return {
      paymentType: data.paymentType,
      status: 'PROCESSING',
      total: data.totals.total,
      refunded: data.totals.refunded,
      placedTotal: data.totals.total,
      shipEligible: false,
      rebill: data.rebill ? { purchaseId: data.rebill.purchaseId, billingCycle: data.rebill.billingCycle } : null,
    };
  }
  if (!order) return undefined;
  const withTotals = (totals: OrderTotals): OrderFacts => ({ ...order, total: totals.total, refunded: totals.refunded });
  switch (event.type) {
    case 'OrderSentToQa':
      return { ...order, status: 'PENDING' };
    case 'OrderApproved':
      return { ...order, status: order.refunded > 0 ? 'REFUNDED' : 'COMPLETE', shipEligible: true };
    case 'OrderCompleted':
      return { ...order, status: 'COMPLETE', shipEligible: true };
    case 'OrderAwaitingCod':
      return { ...order, status: 'COD_PENDING', shipEligible: true };
    case 'OrderDeclined':
      return { ...order, status: 'DECLINED' };
    case 'OrderRefunded': {
      const refunded = (event.data as OrderRefunded['data']).refundedTotal;
      const keeps = order.status === 'PENDING' || order.status === 'CANCELLED' || order.status === 'DECLINED';
      return { ...order, refunded, status: keeps ? order.status : 'REFUNDED' };
    }
    case 'OrderCancelled':
      return { ...order, status: 'CANCELLED' };
    case 'OrderRerunRequested':
      return { ...order, status: 'PROCESSING' };
    case 'UpsellAdded':
      return withTotals((event.data as UpsellAdded['data']).newTotals);
    case 'UpsellDeclined':
      return withTotals((event.data as UpsellDeclined['data']).newTotals);
    default:
      return order;
  }
}

interface OrderRef {
  readonly orderId: string;
}
const orderIdOf = (event: LedgerEvent): string | undefined => {
  const data = event.data as Partial<OrderRef> | null;
  return data && typeof data.orderId === 'string' ? data.orderId : undefined;
};

/** What was charged on a transaction: the captured amount of a captured authorization, else the approved amount. */
const chargedOn = (tx: TransactionFacts): number => (tx.approved === null ? 0 : tx.chargeType === 'AUTHORIZE' && tx.captured > 0 ? tx.captured : tx.approved);
/** What went back to the cardholder: a void (the whole charge), refunds, open chargebacks. */
const returnedOn = (tx: TransactionFacts): number => tx.voided + tx.refunded + tx.chargebacks;

/**
 * Every service's events folded to per-order facts; `report()` compares them. Memory grows with the
 * number of orders and transactions (a few numbers each), never with the events read.
 */
export class Ledger {
  private readonly orders = new Map<string, OrderFacts>();
  private readonly history = new Map<string, OrderFacts>();
  private historyRead = false;
  /** order id -> its transactions (a few per order: a list is smaller than a map) */
  private readonly transactions = new Map<string, TransactionFacts[]>();
  /** order id -> its fulfillments */
  private readonly fulfillments = new Map<string, FulfillmentFacts[]>();
  /** order id -> the cycles purchases billed with it */
  private readonly billed = new Map<string, BilledCycle[]>();
  /** `<purchaseId>#<cycle>` of every billed cycle */
  private readonly billedCycles = new Set<string>();
  private readonly purchases = new Set<string>();

  /** Folds one event; events of one stream must come in stream order. Unknown event types change nothing. */
  add(source: Source, event: LedgerEvent): void {
    switch (source) {
      case 'orders':
        return this.foldOrder(this.orders, event);
      case 'history':
        this.historyRead = true;
        return this.foldOrder(this.history, event);
      case 'payments':
        return this.foldPayment(event);
      case 'fulfillment':
        return this.foldFulfillment(event);
      case 'subscriptions':
        return this.foldPurchase(event);
    }
  }

  /** The customer history was read (even if it held no order): its absence of an order is then a disagreement. */
  historyWasRead(): void {
    this.historyRead = true;
  }

  private foldOrder(into: Map<string, OrderFacts>, event: LedgerEvent): void {
    const orderId = orderIdOf(event);
    if (orderId === undefined) return;
    const next = evolveOrder(into.get(orderId), event);
    if (next) into.set(orderId, next);
  }

  private transaction(orderId: string, transactionId: string, kind: TransactionFacts['kind']): TransactionFacts {
    let ofOrder = this.transactions.get(orderId);
    if (!ofOrder) this.transactions.set(orderId, (ofOrder = []));
    let tx = ofOrder.find((known) => known.transactionId === transactionId);
    if (!tx) {
      tx = { transactionId, kind, purpose: null, chargeType: null, approved: null, captured: 0, external: null, codReceived: null, voided: 0, refunded: 0, chargebacks: 0 };
      ofOrder.push(tx);
    }
    return tx;
  }

  private foldPayment(event: LedgerEvent): void {
    const data = event.data as { transactionId?: unknown; orderId?: unknown };
    if (typeof data?.transactionId !== 'string' || typeof data.orderId !== 'string') return;
    const tx = (kind: TransactionFacts['kind'] = 'CARD') => {
      const found = this.transaction(data.orderId as string, data.transactionId as string, kind);
      if (kind !== 'CARD') found.kind = kind;
      return found;
    };
    switch (event.type) {
      case 'PaymentApproved': {
        const approved = event.data as PaymentApproved['data'];
        Object.assign(tx(), { approved: approved.amount, purpose: approved.purpose, chargeType: approved.type });
        return;
      }
      case 'PaymentDeclined': {
        const declined = event.data as PaymentDeclined['data'];
        // a declined charge moved no money; it is still a transaction of its order
        const declinedTx = tx();
        if (declinedTx.approved === null) Object.assign(declinedTx, { purpose: declined.purpose, chargeType: declined.type });
        return;
      }
      case 'AuthorizationCaptured':
        tx().captured += (event.data as AuthorizationCaptured['data']).amount;
        return;
      case 'ExternalPaymentRecorded':
        tx('EXTERNAL').external = (event.data as ExternalPaymentRecorded['data']).amount;
        return;
      case 'CodTransactionOpened':
        tx('COD');
        return;
      case 'CodPaymentReceived':
        tx('COD').codReceived = (event.data as CodPaymentReceived['data']).amount;
        return;
      case 'ChargeVoided':
        tx().voided += (event.data as ChargeVoided['data']).amount;
        return;
      case 'RefundSucceeded':
        tx().refunded += (event.data as RefundSucceeded['data']).amount;
        return;
      case 'ChargebackMarked':
        tx().chargebacks += (event.data as ChargebackMarked['data']).amount;
        return;
      case 'ChargebackReverted':
        tx().chargebacks -= (event.data as ChargebackReverted['data']).amount;
        return;
      default:
        return;
    }
  }

  private foldFulfillment(event: LedgerEvent): void {
    const data = event.data as { fulfillmentId?: unknown; orderId?: unknown };
    if (typeof data?.fulfillmentId !== 'string' || typeof data.orderId !== 'string') return;
    let ofOrder = this.fulfillments.get(data.orderId);
    if (event.type === 'FulfillmentCreated') {
      if (!ofOrder) this.fulfillments.set(data.orderId, (ofOrder = []));
      const created = event.data as FulfillmentCreated['data'];
      if (!ofOrder.some((known) => known.fulfillmentId === created.fulfillmentId)) ofOrder.push({ fulfillmentId: created.fulfillmentId, status: 'HOLD' });
      return;
    }
    const fulfillment = ofOrder?.find((known) => known.fulfillmentId === data.fulfillmentId);
    if (!fulfillment) return;
    if (event.type === 'FulfillmentShipped') {
      // a late SHIPPED after an early DELIVERED only adds the tracking (fulfillment's rule)
      if (fulfillment.status !== 'DELIVERED') fulfillment.status = 'SHIPPED';
      return;
    }
    const status = FULFILLMENT_STATUS_OF[event.type];
    if (status) fulfillment.status = status;
  }

  private foldPurchase(event: LedgerEvent): void {
    const data = event.data as { purchaseId?: unknown };
    if (typeof data?.purchaseId !== 'string') return;
    this.purchases.add(data.purchaseId);
    if (event.type !== 'PurchaseBilled') return;
    const billed = event.data as PurchaseBilled['data'];
    const cycles = this.billed.get(billed.orderId) ?? [];
    cycles.push({ purchaseId: billed.purchaseId, billingCycle: billed.billingCycle });
    this.billed.set(billed.orderId, cycles);
    this.billedCycles.add(`${billed.purchaseId}#${billed.billingCycle}`);
  }

  /** Every disagreement, per order. */
  report(): ReconcileReport {
    const found: Disagreement[] = [];
    const say = (orderId: string, code: DisagreementCode, message: string, details: Record<string, unknown> = {}) => found.push({ orderId, code, message, details });

    const rebillOrders = new Map<string, string[]>();
    for (const [orderId, order] of this.orders) {
      this.checkOrder(orderId, order, say);
      if (order.rebill && BILLED_REBILL_STATUSES.includes(order.status)) {
        const key = `${order.rebill.purchaseId}#${order.rebill.billingCycle}`;
        rebillOrders.set(key, [...(rebillOrders.get(key) ?? []), orderId]);
      }
    }
    for (const [key, orderIds] of rebillOrders) {
      if (orderIds.length < 2) continue;
      const [purchaseId, cycle] = key.split('#');
      for (const orderId of orderIds) {
        const others = orderIds.filter((other) => other !== orderId);
        say(orderId, 'DUPLICATE_REBILL_ORDER', `purchase ${purchaseId} cycle ${cycle} is also billed by ${others.join(', ')}`, { purchaseId, billingCycle: Number(cycle), otherOrderIds: others });
      }
    }
    this.checkUnknownOrders(say);
    found.sort((a, b) => (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    const orders: Record<string, OrderSummary | null> = {};
    for (const { orderId } of found) {
      const order = this.orders.get(orderId);
      orders[orderId] = order ? { paymentType: order.paymentType, status: order.status, total: order.total, refunded: order.refunded } : null;
    }
    return { ordersChecked: this.orders.size, disagreements: found, historyChecked: this.historyRead, orders };
  }

  private checkOrder(orderId: string, order: OrderFacts, say: (orderId: string, code: DisagreementCode, message: string, details?: Record<string, unknown>) => void): void {
    const txs = this.transactions.get(orderId) ?? [];
    const paid = PAID_STATUSES.includes(order.status);

    // charged vs order total, and the order's status vs its payment outcome
    if (order.paymentType === 'CARD') {
      const approved = txs.filter((tx) => tx.kind === 'CARD' && tx.approved !== null);
      const ownCharges = approved.filter((tx) => tx.purpose !== 'UPSELL');
      const charged = approved.reduce((sum, tx) => sum + chargedOn(tx), 0);
      if (paid && ownCharges.length === 0) {
        say(orderId, 'COMPLETED_WITHOUT_CHARGE', `order is ${order.status} but payments approved no charge for it`, { status: order.status });
      } else if (paid && charged !== order.total) {
        say(orderId, 'CHARGED_NE_TOTAL', `approved charges ${charged} but order total ${order.total}`, { charged, total: order.total, transactionIds: approved.map((tx) => tx.transactionId) });
      }
      if (order.status === 'DECLINED') {
        for (const tx of approved.filter((tx) => tx.voided === 0 && returnedOn(tx) < chargedOn(tx))) {
          say(orderId, 'DECLINED_WITH_CHARGE', `order is DECLINED but charge ${tx.transactionId} of ${chargedOn(tx)} was not voided or fully refunded`, {
            transactionId: tx.transactionId,
            charged: chargedOn(tx),
            returned: returnedOn(tx),
          });
        }
      }
    } else if (order.paymentType === 'EXTERNAL' && paid) {
      const recorded = txs.filter((tx) => tx.external !== null);
      if (recorded.length === 0) say(orderId, 'EXTERNAL_NOT_RECORDED', `order is ${order.status} but payments recorded no external payment`, { status: order.status });
      else {
        const amount = recorded.reduce((sum, tx) => sum + (tx.external ?? 0), 0);
        if (amount !== order.placedTotal) say(orderId, 'EXTERNAL_NE_TOTAL', `external payment ${amount} but order placed with total ${order.placedTotal}`, { recorded: amount, total: order.placedTotal });
      }
    } else if (order.paymentType === 'COD' && order.status === 'COMPLETE') {
      const received = txs.filter((tx) => tx.codReceived !== null);
      if (received.length === 0) say(orderId, 'COD_NOT_PAID', 'COD order is COMPLETE but payments received no COD payment');
      else {
        const amount = received.reduce((sum, tx) => sum + (tx.codReceived ?? 0), 0);
        if (amount !== order.total) say(orderId, 'COD_PAID_NE_TOTAL', `COD payment ${amount} but order total ${order.total}`, { received: amount, total: order.total });
      }
    }

    // refunds vs charges
    for (const tx of txs.filter((tx) => tx.kind === 'CARD' && returnedOn(tx) > chargedOn(tx))) {
      say(orderId, 'REFUNDS_EXCEED_CHARGE', `transaction ${tx.transactionId} charged ${chargedOn(tx)} but ${returnedOn(tx)} went back (voided ${tx.voided}, refunded ${tx.refunded}, charged back ${tx.chargebacks})`, {
        transactionId: tx.transactionId,
        charged: chargedOn(tx),
        voided: tx.voided,
        refunded: tx.refunded,
        chargebacks: tx.chargebacks,
      });
    }
    const returned = txs.reduce((sum, tx) => sum + tx.voided + tx.refunded, 0);
    if (order.status === 'REFUNDED' && returned === 0) {
      say(orderId, 'REFUNDED_WITHOUT_REFUND', `order is REFUNDED (${order.refunded}) but payments recorded no refund or void`, { refunded: order.refunded });
    } else if (returned !== order.refunded) {
      say(orderId, 'ORDER_REFUNDED_NE_PAYMENTS', `order refunded ${order.refunded} but payments refunded and voided ${returned}`, { orderRefunded: order.refunded, paymentsReturned: returned });
    }

    // fulfillment vs order
    const fulfillments = this.fulfillments.get(orderId) ?? [];
    if (order.shipEligible && fulfillments.length === 0) {
      say(orderId, 'MISSING_FULFILLMENT', `order is ${order.status} after being completed but has no fulfillment`, { status: order.status });
    }
    if (order.status === 'CANCELLED') {
      for (const fulfillment of fulfillments.filter((f) => UNSHIPPED.includes(f.status))) {
        say(orderId, 'FULFILLMENT_NOT_CANCELLED', `order is CANCELLED but fulfillment ${fulfillment.fulfillmentId} is ${fulfillment.status}`, {
          fulfillmentId: fulfillment.fulfillmentId,
          status: fulfillment.status,
        });
      }
    }

    // purchase cycles vs rebill orders
    for (const cycle of this.billed.get(orderId) ?? []) {
      if (!order.rebill || order.rebill.purchaseId !== cycle.purchaseId || order.rebill.billingCycle !== cycle.billingCycle) {
        say(orderId, 'BILLED_CYCLE_ORDER_MISMATCH', `purchase ${cycle.purchaseId} billed cycle ${cycle.billingCycle} with this order, which is ${order.rebill ? `the rebill of ${order.rebill.purchaseId} cycle ${order.rebill.billingCycle}` : 'not a rebill order'}`, {
          purchaseId: cycle.purchaseId,
          billingCycle: cycle.billingCycle,
          rebill: order.rebill,
        });
      }
    }
    if (
      order.rebill &&
      this.purchases.has(order.rebill.purchaseId) &&
      ['COMPLETE', 'REFUNDED'].includes(order.status) &&
      !this.billedCycles.has(`${order.rebill.purchaseId}#${order.rebill.billingCycle}`)
    ) {
      say(orderId, 'REBILL_ORDER_NOT_BILLED', `rebill order is ${order.status} but purchase ${order.rebill.purchaseId} did not bill cycle ${order.rebill.billingCycle}`, { ...order.rebill });
    }

    // history vs the services
    if (this.historyRead) {
      const shown = this.history.get(orderId);
      if (!shown) say(orderId, 'HISTORY_ORDER_MISSING', 'the customer history does not show this order');
      else {
        if (shown.status !== order.status) say(orderId, 'HISTORY_STATUS_MISMATCH', `history shows ${shown.status}, orders has ${order.status}`, { history: shown.status, orders: order.status });
        if (shown.total !== order.total || shown.refunded !== order.refunded) {
          say(orderId, 'HISTORY_TOTAL_MISMATCH', `history shows total ${shown.total} refunded ${shown.refunded}, orders has total ${order.total} refunded ${order.refunded}`, {
            history: { total: shown.total, refunded: shown.refunded },
            orders: { total: order.total, refunded: order.refunded },
          });
        }
      }
    }
  }

  private checkUnknownOrders(say: (orderId: string, code: DisagreementCode, message: string, details?: Record<string, unknown>) => void): void {
    for (const [orderId, txs] of this.transactions) {
      if (this.orders.has(orderId)) continue;
      for (const tx of txs) say(orderId, 'CHARGE_FOR_UNKNOWN_ORDER', `transaction ${tx.transactionId} names an order the orders service does not know`, { transactionId: tx.transactionId });
    }
    for (const [orderId, fulfillments] of this.fulfillments) {
      if (this.orders.has(orderId)) continue;
      for (const f of fulfillments) say(orderId, 'FULFILLMENT_FOR_UNKNOWN_ORDER', `fulfillment ${f.fulfillmentId} names an order the orders service does not know`, { fulfillmentId: f.fulfillmentId });
    }
    for (const [orderId, cycles] of this.billed) {
      if (this.orders.has(orderId)) continue;
      for (const cycle of cycles) {
        say(orderId, 'BILLED_CYCLE_WITHOUT_ORDER', `purchase ${cycle.purchaseId} billed cycle ${cycle.billingCycle} with an order the orders service does not know`, { ...cycle });
      }
    }
    for (const orderId of this.history.keys()) {
      if (!this.orders.has(orderId)) say(orderId, 'HISTORY_ORDER_UNKNOWN', 'the customer history shows an order the orders service does not know');
    }
  }
}

/** One report from whole event lists (for specs and small stores); each list in stream order per stream. */
export function reconcile(events: Partial<Record<Source, readonly LedgerEvent[]>>): ReconcileReport {
  const ledger = new Ledger();
  if (events.history) ledger.historyWasRead();
  for (const source of ['orders', 'payments', 'fulfillment', 'subscriptions', 'history'] as const) {
    for (const event of events[source] ?? []) ledger.add(source, event);
  }
  return ledger.report();
}

// ---- stream order ----------------------------------------------------------------------------

/** What the sequencer needs of a stored commit (`CommitDocument` has it). */
export interface SequencedCommit {
  readonly streamId: string;
  readonly seq: number;
  readonly events: readonly unknown[];
}

/**
 * Hands commits on in stream order whatever order a scan of the store met them in: a commit waits
 * until the one before it in its stream came (a scan in insertion order almost never makes one
 * wait). Keeps one number per stream and only the commits that wait.
 */
export class StreamSequencer<C extends SequencedCommit> {
  private readonly next = new Map<string, number>();
  private readonly waiting = new Map<string, Map<number, C>>();

  /** The commits that can be folded now, in stream order (this one and any it unblocked). */
  push(commit: C): C[] {
    const expected = this.next.get(commit.streamId) ?? 0;
    if (commit.seq < expected) return []; // seen already
    if (commit.seq > expected) {
      let held = this.waiting.get(commit.streamId);
      if (!held) this.waiting.set(commit.streamId, (held = new Map()));
      held.set(commit.seq, commit);
      return [];
    }
    const ready: C[] = [commit];
    let at = commit.seq + commit.events.length;
    const held = this.waiting.get(commit.streamId);
    for (let following = held?.get(at); following; following = held?.get(at)) {
      held!.delete(at);
      ready.push(following);
      at = following.seq + following.events.length;
    }
    if (held && held.size === 0) this.waiting.delete(commit.streamId);
    this.next.set(commit.streamId, at);
    return ready;
  }

  /** Streams whose commits wait for a predecessor the store does not have (a gap): they were not folded. */
  stranded(): string[] {
    return [...this.waiting.keys()].sort();
  }
}

// ---- output ----------------------------------------------------------------------------------

/** The summary line: `N orders checked, M disagreements`. */
export function summaryLine(report: ReconcileReport): string {
  const n = report.disagreements.length;
  return `${report.ordersChecked} orders checked, ${n} ${n === 1 ? 'disagreement' : 'disagreements'}`;
}

/** The readable report: per order its disagreements with their codes, then the summary line. */
export function formatReport(report: ReconcileReport, notes: readonly string[] = []): string {
  const lines: string[] = [];
  let current: string | null = null;
  for (const d of report.disagreements) {
    if (d.orderId !== current) {
      current = d.orderId;
      const order = report.orders[d.orderId];
      lines.push(`order ${d.orderId} ${order ? `(${order.paymentType} ${order.status}, total ${order.total}, refunded ${order.refunded})` : '(not known to the orders service)'}`);
    }
    lines.push(`  ${d.code}: ${d.message}`);
  }
  if (!report.historyChecked) lines.push('(no customer history found: history checks skipped)');
  for (const note of notes) lines.push(`(${note})`);
  lines.push(summaryLine(report));
  return `${lines.join('\n')}\n`;
}

/** The machine report (`--json`): the orders that disagree, each with what orders says of it and its disagreements. */
export function jsonReport(report: ReconcileReport, notes: readonly string[] = []): string {
  const orders: Array<{ orderId: string; order: OrderSummary | null; disagreements: Array<Omit<Disagreement, 'orderId'>> }> = [];
  for (const { orderId, ...rest } of report.disagreements) {
    const last = orders[orders.length - 1];
    if (last && last.orderId === orderId) last.disagreements.push(rest);
    else orders.push({ orderId, order: report.orders[orderId] ?? null, disagreements: [rest] });
  }
  return `${JSON.stringify({ ordersChecked: report.ordersChecked, disagreements: report.disagreements.length, historyChecked: report.historyChecked, notes, orders }, null, 2)}\n`;
}
