import {
  BillTrigger,
  CancelSource,
  PurchaseStatus,
  PurchaseStarted,
  RebillNotBilledOutcome,
  RebillRequested,
  SubscriptionEvent,
  assertNever,
} from '@continuum/contracts';
import { dayOfMonth } from './calendar';

export const purchaseStreamId = (purchaseId: string): string => `purchase-${purchaseId}`;

/** A bill requested and not yet answered (one at a time: a second request for the cycle is refused). */
export type BillInFlight = {
  readonly billingCycle: number;
  /** the request's number within its cycle (0 the first): orders derives one rebill order per request from it */
  readonly attempt: number;
  /** 0, or n for the n-th recycle retry */
  readonly retry: number;
  readonly trigger: BillTrigger;
  /** the calendar date the bill stands for */
  readonly billDate: string;
  readonly orderId: string | null;
  /** when it was requested (last asked again); null for a request stored before requests carried their time */
  readonly requestedAt: string | null;
};

export type ScheduledCancellation = {
  readonly when: 'AFTER_NEXT_BILL' | 'ON_DATE';
  readonly date?: string;
  readonly reason: string;
  readonly source: CancelSource;
};

/** `notBilled`: how a DECLINED one ended without a charge when payments did not decline it (PurchaseRebillNotBilled). */
export type RebillOrder = {
  readonly billingCycle: number;
  readonly attempt: number;
  readonly outcome: 'PENDING' | 'APPROVED' | 'DECLINED';
  readonly notBilled?: RebillNotBilledOutcome;
};

/** The purchase: its terms (product, price, billing; as the profile shows them) and where it stands. */
export type Purchase = Omit<PurchaseStarted['data'], 'status' | 'billingCycle' | 'nextBillDate' | 'transactionId' | 'amount'> & {
  readonly status: PurchaseStatus;
  readonly billingCycle: number;
  /** the date the next bill is scheduled for; kept when cancelled or complete (the profile shows none then) */
  readonly nextBillDate: string | null;
  /** the day of the month monthly bills fall on */
  readonly anchorDay: number;
  readonly cancellation: ScheduledCancellation | null;
  /** the status a paused purchase resumes to */
  readonly pausedFrom: PurchaseStatus | null;
  readonly bill: BillInFlight | null;
  /** the bill date of the latest bill requested (a recycle retry stands for the same date) */
  readonly lastBillDate: string | null;
  /** the next recycle retry of a soft-declined cycle */
  readonly recycle: { readonly billingCycle: number; readonly attempt: number; readonly billDate: string } | null;
  /** bill requests made per billing cycle */
  readonly requestsByCycle: Readonly<Record<string, number>>;
  /** rebill orders by order id */
  readonly rebillOrders: Readonly<Record<string, RebillOrder>>;
  /** fulfillment statuses by fulfillment id */
  readonly fulfillments: Readonly<Record<string, string>>;
};

export type PurchaseState = { readonly status: 'ABSENT' } | ({ readonly exists: true } & Purchase);
export type ExistingPurchase = Extract<PurchaseState, { exists: true }>;

export const initialPurchaseState = (): PurchaseState => ({ status: 'ABSENT' });

export const exists = (state: PurchaseState): state is ExistingPurchase => state.status !== 'ABSENT';

/** The statuses a rebill run bills (when due and nothing is in flight). */
export const BILLABLE_STATUSES: readonly PurchaseStatus[] = ['TRIAL', 'ACTIVE', 'CANCELLATION_SCHEDULED'];

function billOf(event: RebillRequested, state: Purchase): BillInFlight {
  const d = event.data;
  const trigger = d.trigger ?? 'SCHEDULED';
  return {
    billingCycle: d.billingCycle,
    attempt: d.attempt ?? 0,
    retry: trigger === 'RECYCLE' ? (state.recycle?.attempt ?? 1) : 0,
    trigger,
    billDate: d.billDate ?? state.nextBillDate ?? '1970-01-01',
    orderId: null,
    requestedAt: d.at ?? null,
  };
}

/** The same request asked again (RequestRebillAgain): the bill it stands for, still in flight. */
const isRepeatOf = (event: RebillRequested, bill: BillInFlight | null): bill is BillInFlight =>
  bill !== null && bill.billingCycle === event.data.billingCycle && bill.attempt === (event.data.attempt ?? 0);

export function evolvePurchase(state: PurchaseState, event: SubscriptionEvent): PurchaseState {
  if (event.type === 'PurchaseStarted') {
    const d = event.data;
    return {
      exists: true,
      purchaseId: d.purchaseId,
      customerId: d.customerId,
      orderId: d.orderId,
      orderItemId: d.orderItemId,
      campaignId: d.campaignId,
      currency: d.currency,
      orderDate: d.orderDate,
      productId: d.productId,
      sku: d.sku,
      name: d.name,
      quantity: d.quantity,
      unitPrice: d.unitPrice,
      price: d.price,
      shippingPrice: d.shippingPrice,
      salesTax: d.salesTax,
      billingInterval: d.billingInterval,
      ...(d.finalBillCycle !== undefined ? { finalBillCycle: d.finalBillCycle } : {}),
      ...(d.merchantId !== undefined ? { merchantId: d.merchantId } : {}),
      insureShipment: d.insureShipment,
      billingType: d.billingType,
      trialType: d.trialType,
      trialDays: d.trialDays,
      timeZone: d.timeZone,
      status: 'TRIAL',
      billingCycle: 1,
      nextBillDate: d.nextBillDate,
      anchorDay: dayOfMonth(d.nextBillDate),
      cancellation: null,
      pausedFrom: null,
      bill: null,
      lastBillDate: null,
      recycle: null,
      requestsByCycle: {},
      rebillOrders: {},
      fulfillments: {},
    };
  }
  if (!exists(state)) return state;
  switch (event.type) {
    case 'PurchaseUpdated': {
      const c = event.data.changes;
      return {
        ...state,
        ...(c.quantity !== undefined ? { quantity: c.quantity } : {}),
        ...(c.unitPrice !== undefined ? { unitPrice: c.unitPrice } : {}),
        ...(c.price !== undefined ? { price: c.price } : {}),
        ...(c.shippingPrice !== undefined ? { shippingPrice: c.shippingPrice } : {}),
        ...(c.nextBillDate !== undefined ? { nextBillDate: c.nextBillDate, anchorDay: dayOfMonth(c.nextBillDate) } : {}),
        ...(c.salesTax !== undefined ? { salesTax: c.salesTax } : {}),
        ...(c.merchantId !== undefined ? { merchantId: c.merchantId } : {}),
        ...(c.finalBillCycle !== undefined ? { finalBillCycle: c.finalBillCycle } : {}),
        ...(c.insureShipment !== undefined ? { insureShipment: c.insureShipment } : {}),
      };
    }
    case 'PurchaseTrialRestarted':
      return { ...state, status: 'TRIAL', nextBillDate: event.data.nextBillDate, anchorDay: dayOfMonth(event.data.nextBillDate) };
    case 'PurchaseTrialSkipped':
      return state;
    case 'RebillRequested': {
      // asked again: the same bill, requested anew (not another request of the cycle)
      if (isRepeatOf(event, state.bill)) return { ...state, bill: { ...state.bill, requestedAt: event.data.at ?? state.bill.requestedAt } };
      const bill = billOf(event, state);
      const requests = { ...state.requestsByCycle, [bill.billingCycle]: (state.requestsByCycle[bill.billingCycle] ?? 0) + 1 };
      return { ...state, bill, lastBillDate: bill.billDate, recycle: null, requestsByCycle: requests };
    }
    case 'PurchaseCancellationScheduled': {
      const { when, date, reason, source } = event.data;
      return { ...state, status: 'CANCELLATION_SCHEDULED', cancellation: { when, ...(date !== undefined ? { date } : {}), reason, source } };
    }
    case 'PurchaseCancelled':
      // the scheduled date is kept (a reactivation bills from it at the earliest); the profile shows none
      return { ...state, status: 'CANCELLED', cancellation: null, recycle: null, pausedFrom: null };
    case 'PurchasePaused':
      return { ...state, status: 'PAUSED', pausedFrom: event.data.previousStatus };
    case 'PurchaseResumed':
      return { ...state, status: event.data.status, pausedFrom: null, nextBillDate: event.data.nextBillDate, anchorDay: dayOfMonth(event.data.nextBillDate) };
    case 'PurchaseProductChanged': {
      const d = event.data;
      return {
        ...state,
        productId: d.productId,
        sku: d.sku,
        name: d.name,
        ...(d.unitPrice !== undefined ? { unitPrice: d.unitPrice } : {}),
        ...(d.price !== undefined ? { price: d.price } : {}),
        ...(d.shippingPrice !== undefined ? { shippingPrice: d.shippingPrice } : {}),
        ...(d.billingInterval !== undefined ? { billingInterval: d.billingInterval } : {}),
        ...(d.finalBillCycle !== undefined ? { finalBillCycle: d.finalBillCycle } : {}),
      };
    }
    case 'PurchaseReactivated':
      return {
        ...state,
        status: event.data.status,
        nextBillDate: event.data.nextBillDate,
        anchorDay: dayOfMonth(event.data.nextBillDate),
        cancellation: null,
        recycle: null,
        pausedFrom: null,
      };
    case 'PurchaseRebillOrderPlaced': {
      const { orderId, billingCycle, attempt } = event.data;
      const bill = state.bill && state.bill.billingCycle === billingCycle && state.bill.attempt === attempt ? { ...state.bill, orderId } : state.bill;
      return { ...state, bill, rebillOrders: { ...state.rebillOrders, [orderId]: { billingCycle, attempt, outcome: 'PENDING' } } };
    }
    case 'PurchaseBilled': {
      const order = state.rebillOrders[event.data.orderId];
      return {
        ...state,
        status: event.data.status,
        billingCycle: event.data.billingCycle,
        // null: nothing more is billed (final cycle, cancellation); the last scheduled date is kept
        nextBillDate: event.data.nextBillDate ?? state.nextBillDate,
        bill: null,
        recycle: null,
        rebillOrders: { ...state.rebillOrders, [event.data.orderId]: { billingCycle: event.data.billingCycle, attempt: order?.attempt ?? 0, outcome: 'APPROVED' } },
      };
    }
    case 'PurchaseRebillDeclined': {
      const { orderId, billingCycle, attempt } = event.data;
      return { ...state, bill: null, rebillOrders: { ...state.rebillOrders, [orderId]: { billingCycle, attempt, outcome: 'DECLINED' } } };
    }
    case 'PurchaseRebillNotBilled': {
      const { orderId, billingCycle, attempt, outcome } = event.data;
      const bill = state.bill && state.bill.billingCycle === billingCycle && state.bill.attempt === attempt ? null : state.bill;
      return { ...state, bill, rebillOrders: { ...state.rebillOrders, [orderId]: { billingCycle, attempt, outcome: 'DECLINED', notBilled: outcome } } };
    }
    case 'PurchaseRecycleScheduled': {
      const billDate = state.lastBillDate ?? state.nextBillDate ?? '1970-01-01';
      return { ...state, status: 'RECYCLE_BILLING', recycle: { billingCycle: event.data.billingCycle, attempt: event.data.attempt, billDate } };
    }
    case 'PurchaseRecycleFailed':
      return { ...state, status: 'RECYCLE_FAILED', recycle: null };
    case 'PurchaseCompleted':
      return { ...state, status: 'COMPLETE', cancellation: null };
    case 'PurchaseFulfillmentRecorded':
      return { ...state, fulfillments: { ...state.fulfillments, [event.data.fulfillmentId]: event.data.status } };
    default:
      return assertNever(event, 'purchase event');
  }
}
