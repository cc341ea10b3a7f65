import {
  BillTrigger,
  Decider,
  DomainError,
  PurchaseChanges,
  PurchaseStatus,
  PurchaseTerms,
  RebillRequested,
  RebillTerms,
  SalesTax,
  SubscriptionEvent,
  allowedFrom,
  assertMinorUnits,
  assertNever,
  rebillOrderTotals,
} from '@continuum/contracts';
import { addDays, addInterval, intervalOf, isCalendarDate, laterOf, localDate } from './calendar';
import {
  BillIfDue,
  CancelPurchase,
  ChangeProduct,
  FIXED_FIELDS,
  PurchaseCommand,
  RecordFulfillment,
  RecordRebillApproved,
  RecordRebillDeclined,
  RecordRebillNotBilled,
  RecordRebillOrder,
  RequestRebillAgain,
  RetryBill,
  StartPurchase,
  UPDATABLE_FIELDS,
  UpdatePurchase,
} from './purchase.commands';
import { ExistingPurchase, PurchaseState, evolvePurchase, exists, initialPurchaseState } from './purchase.state';
import { checkNextRebill } from './purchase.limits';
import { PURCHASE_TRANSITIONS } from './purchase.transitions';

type E = SubscriptionEvent;

const rule = (code: string, message: string, field?: string): never => {
  throw new DomainError(code, message, 'rule', field !== undefined ? { field } : undefined);
};

/** The purchase's tax on one bill: a CUSTOM amount, or AUTO (the account's rules; none are configured: 0). */
export const taxOf = (salesTax: SalesTax): number => (salesTax.mode === 'CUSTOM' ? (salesTax.amount ?? 0) : 0);

/** The terms of the next rebill order, as RebillRequested carries them to orders. */
export const rebillTermsOf = (p: Pick<PurchaseTerms, 'quantity' | 'unitPrice' | 'shippingPrice' | 'salesTax'>): RebillTerms => ({
  quantity: p.quantity,
  unitPrice: p.unitPrice,
  shippingPrice: p.shippingPrice,
  salesTax: taxOf(p.salesTax),
});

/** What a rebill charges, as the purchase says at billing time: the total orders prices the rebill order at (quantity x unit price + shipping + tax). */
export const rebillAmount = (p: ExistingPurchase): number => rebillOrderTotals(rebillTermsOf(p)).total;

const today = (p: ExistingPurchase, now: string) => localDate(now, p.timeZone);
const ref = (p: ExistingPurchase) => ({ purchaseId: p.purchaseId, customerId: p.customerId });

function mustExist(state: PurchaseState): ExistingPurchase {
  if (!exists(state)) throw new DomainError('PURCHASE_NOT_FOUND', 'No such purchase', 'not-found');
  return state;
}

function mustHaveNoBillInFlight(p: ExistingPurchase): void {
  if (p.bill) rule('BILL_IN_PROGRESS', `Billing cycle ${p.bill.billingCycle} is being billed; wait for its outcome`);
}

function rebillRequested(
  p: ExistingPurchase,
  trigger: BillTrigger,
  billDate: string,
  at: string,
  billingCycle = p.billingCycle + 1,
  // every request of a cycle gets its own number, so orders places a new order for it; asked again, the same number
  attempt = p.requestsByCycle[billingCycle] ?? 0,
): RebillRequested {
  const tax = taxOf(p.salesTax);
  return {
    type: 'RebillRequested',
    data: {
      purchaseId: p.purchaseId,
      customerId: p.customerId,
      originalOrderId: p.orderId,
      campaignId: p.campaignId,
      productId: p.productId,
      quantity: p.quantity,
      unitPrice: p.unitPrice,
      shippingPrice: p.shippingPrice,
      billingCycle,
      ...(p.merchantId !== undefined ? { merchantId: p.merchantId } : {}),
      salesTax: tax,
      amount: rebillAmount(p),
      attempt,
      trigger,
      billDate,
      at,
    },
  };
}

// ---- start -----------------------------------------------------------------------------------

function start(command: StartPurchase, state: PurchaseState): E[] {
  if (exists(state)) return []; // the same order completing twice (OrderApproved after a redelivery) starts nothing new
  const d = command.data;
  const item = d.item;
  if (item.billingType !== 'RECURRING') rule('NOT_RECURRING', `${item.sku} is a straight sale: it starts no purchase`, 'billingType');
  if (item.intervalDays === undefined || item.rebillPrice === undefined) {
    rule('RECURRING_TERMS_MISSING', `${item.sku} has no rebill price or interval`, item.intervalDays === undefined ? 'intervalDays' : 'rebillPrice');
  }
  const orderDay = localDate(d.orderDate, d.timeZone);
  const trialDays = item.trial?.days ?? 0;
  const billingInterval = intervalOf(item.intervalDays!, d.monthlyIntervalDays);
  // without a trial the first rebill comes one interval after the order
  const nextBillDate = trialDays > 0 ? addDays(orderDay, trialDays) : addInterval(orderDay, billingInterval);
  const completed: E[] = item.finalBillCycle !== undefined && item.finalBillCycle <= 1 ? [{ type: 'PurchaseCompleted', data: { purchaseId: d.purchaseId, customerId: d.customerId, billingCycle: 1 } }] : [];
  return [
    {
      type: 'PurchaseStarted',
      data: {
        purchaseId: d.purchaseId,
        customerId: d.customerId,
        orderId: d.orderId,
        orderItemId: item.orderItemId,
        campaignId: d.campaignId,
        currency: d.currency,
        orderDate: d.orderDate,
        productId: item.productId,
        sku: item.sku,
        name: item.name,
        quantity: item.quantity,
        unitPrice: item.rebillPrice!,
        price: item.rebillPrice! * item.quantity,
        shippingPrice: item.shippingPrice,
        salesTax: { mode: 'AUTO' },
        billingInterval,
        ...(item.finalBillCycle !== undefined ? { finalBillCycle: item.finalBillCycle } : {}),
        insureShipment: false,
        billingType: item.billingType,
        trialType: item.trial?.type ?? 'STANDARD',
        trialDays,
        status: 'TRIAL',
        billingCycle: 1,
        nextBillDate,
        timeZone: d.timeZone,
        ...(d.transactionId !== undefined ? { transactionId: d.transactionId } : {}),
        amount: item.price + item.shippingPrice,
      },
    },
    // a final bill cycle of 1: the order itself was the only bill
    ...completed,
  ];
}

// ---- update ----------------------------------------------------------------------------------

/** The fields of Update purchase that change what the next rebill costs, in the order a refusal names them. */
const COST_FIELDS = ['unitPrice', 'price', 'quantity', 'shippingPrice', 'salesTax'] as const;

function update(command: UpdatePurchase, p: ExistingPurchase): E[] {
  allowedFrom(PURCHASE_TRANSITIONS, 'UpdatePurchase', p.status);
  const raw = command.data.changes;
  for (const field of Object.keys(raw)) {
    if ((FIXED_FIELDS as readonly string[]).includes(field)) rule('FIELD_FIXED', `${field} is fixed by the offer and cannot be edited`, field);
    if (!(UPDATABLE_FIELDS as readonly string[]).includes(field)) rule('FIELD_NOT_UPDATABLE', `${field} cannot be updated`, field);
  }
  const changes: { -readonly [K in keyof PurchaseChanges]: PurchaseChanges[K] } = {};
  const minorField = (field: 'price' | 'shippingPrice' | 'unitPrice') => {
    const value = raw[field];
    return value === undefined ? undefined : assertMinorUnits(value, { field });
  };
  const quantity = raw['quantity'];
  if (quantity !== undefined && (!Number.isSafeInteger(quantity) || (quantity as number) < 1)) rule('INVALID_QUANTITY', 'quantity must be a whole number of at least 1', 'quantity');
  const unitPrice = minorField('unitPrice');
  const price = minorField('price');
  const shippingPrice = minorField('shippingPrice');
  // price = quantity x unit price: whichever the agent gave, the others follow
  if (quantity !== undefined || unitPrice !== undefined) {
    const q = (quantity as number | undefined) ?? p.quantity;
    if (quantity !== undefined && unitPrice === undefined && price === undefined) {
      rule('UNIT_PRICE_REQUIRED', 'Give the unit price with a new quantity so the price can be computed (quantity x unit price = price)', 'unitPrice');
    }
    const u = unitPrice ?? (price !== undefined ? price / q : p.unitPrice);
    if (!Number.isSafeInteger(u)) rule('PRICE_NOT_DIVISIBLE', `price ${price} is not quantity ${q} x a whole unit price`, 'price');
    if (price !== undefined && price !== q * u) rule('PRICE_MISMATCH', `price must be quantity x unit price (${q} x ${u} = ${q * u})`, 'price');
    if (quantity !== undefined) changes.quantity = q;
    changes.unitPrice = u;
    changes.price = q * u;
  } else if (price !== undefined) {
    if (price % p.quantity !== 0) rule('PRICE_NOT_DIVISIBLE', `price ${price} is not quantity ${p.quantity} x a whole unit price; give quantity and unitPrice`, 'price');
    changes.price = price;
    changes.unitPrice = price / p.quantity;
  }
  if (shippingPrice !== undefined) changes.shippingPrice = shippingPrice;
  const nextBillDate = raw['nextBillDate'];
  if (nextBillDate !== undefined) {
    if (typeof nextBillDate !== 'string' || !isCalendarDate(nextBillDate)) rule('INVALID_DATE', 'nextBillDate must be a calendar date YYYY-MM-DD', 'nextBillDate');
    const date = nextBillDate as string;
    // any day from today on (the command's date in the account time zone), earlier or later than the current one
    if (date < today(p, command.metadata.now)) rule('NEXT_BILL_DATE_IN_PAST', `nextBillDate ${date} is in the past`, 'nextBillDate');
    if (p.status === 'RECYCLE_FAILED' || p.status === 'RECYCLE_BILLING') rule('RECYCLE_PENDING', 'The purchase is in recycle billing; reactivate it or wait for the retries', 'nextBillDate');
    changes.nextBillDate = date;
  }
  const salesTax = raw['salesTax'] as SalesTax | undefined;
  if (salesTax !== undefined) {
    if (typeof salesTax !== 'object' || salesTax === null || (salesTax.mode !== 'AUTO' && salesTax.mode !== 'CUSTOM')) rule('INVALID_SALES_TAX', 'salesTax.mode must be AUTO or CUSTOM', 'salesTax.mode');
    if (salesTax.mode === 'CUSTOM' && salesTax.amount === undefined) rule('INVALID_SALES_TAX', 'a CUSTOM sales tax needs an amount in minor units', 'salesTax.amount');
    if (salesTax.mode === 'CUSTOM') assertMinorUnits(salesTax.amount, { field: 'salesTax.amount' });
    if (salesTax.mode === 'AUTO' && salesTax.amount !== undefined) rule('INVALID_SALES_TAX', 'an AUTO sales tax takes no amount', 'salesTax.amount');
    changes.salesTax = salesTax.mode === 'CUSTOM' ? { mode: 'CUSTOM', amount: salesTax.amount! } : { mode: 'AUTO' };
  }
  const merchantId = raw['merchantId'];
  if (merchantId !== undefined) {
    if (typeof merchantId !== 'string' || merchantId.length === 0) rule('INVALID_MERCHANT', 'merchantId must name a merchant account', 'merchantId');
    changes.merchantId = merchantId as string;
  }
  const finalBillCycle = raw['finalBillCycle'];
  if (finalBillCycle !== undefined) {
    if (!Number.isSafeInteger(finalBillCycle) || (finalBillCycle as number) < 1) rule('INVALID_FINAL_CYCLE', 'finalBillCycle must be a whole number of at least 1', 'finalBillCycle');
    if ((finalBillCycle as number) < p.billingCycle) rule('FINAL_CYCLE_PASSED', `finalBillCycle cannot be before the current cycle ${p.billingCycle}`, 'finalBillCycle');
    changes.finalBillCycle = finalBillCycle as number;
  }
  const insureShipment = raw['insureShipment'];
  if (insureShipment !== undefined) {
    if (typeof insureShipment !== 'boolean') rule('INVALID_FIELD', 'insureShipment must be true or false', 'insureShipment');
    changes.insureShipment = insureShipment as boolean;
  }
  if (Object.keys(changes).length === 0) rule('NOTHING_TO_UPDATE', 'Give at least one field to update');
  // a change to what the next rebill costs keeps that rebill order within the campaign's limits; a refusal names the first cost field sent
  const costField = COST_FIELDS.find((field) => raw[field] !== undefined);
  if (costField !== undefined) checkNextRebill(rebillTermsOf({ ...p, ...changes }), command.data.limits, { quantity: 'quantity', total: costField === 'salesTax' ? 'salesTax.amount' : costField });
  const events: E[] = [{ type: 'PurchaseUpdated', data: { ...ref(p), changes } }];
  // the current cycle made the final one: nothing more is billed
  if (changes.finalBillCycle !== undefined && changes.finalBillCycle === p.billingCycle && !p.bill) {
    events.push({ type: 'PurchaseCompleted', data: { ...ref(p), billingCycle: p.billingCycle } });
  }
  return events;
}

// ---- trial -----------------------------------------------------------------------------------

function restartTrial(command: { metadata: { now: string } }, p: ExistingPurchase): E[] {
  allowedFrom(PURCHASE_TRANSITIONS, 'RestartTrial', p.status);
  if (p.trialDays <= 0) rule('NO_TRIAL', 'The product has no trial to restart');
  mustHaveNoBillInFlight(p);
  return [
    {
      type: 'PurchaseTrialRestarted',
      data: { ...ref(p), previousStatus: p.status, billingCycle: p.billingCycle, nextBillDate: addDays(today(p, command.metadata.now), p.trialDays), previousNextBillDate: p.nextBillDate },
    },
  ];
}

/** Bills now for a date no earlier than the scheduled one, so the next bill date never moves back. */
const billNowDate = (p: ExistingPurchase, now: string) => laterOf(today(p, now), p.nextBillDate ?? today(p, now));

function skipTrial(command: { metadata: { now: string } }, p: ExistingPurchase): E[] {
  allowedFrom(PURCHASE_TRANSITIONS, 'SkipTrial', p.status);
  mustHaveNoBillInFlight(p);
  return [{ type: 'PurchaseTrialSkipped', data: { ...ref(p), billingCycle: p.billingCycle + 1 } }, rebillRequested(p, 'SKIP_TRIAL', billNowDate(p, command.metadata.now), command.metadata.now)];
}

// ---- cancel, pause, resume ------------------------------------------------------------------

function cancel(command: CancelPurchase, p: ExistingPurchase): E[] {
  const { when, date, source } = command.data;
  const reason = command.data.reason?.trim() ?? '';
  if (reason.length === 0) rule('REASON_REQUIRED', 'Give a reason for the cancellation', 'reason');
  allowedFrom(PURCHASE_TRANSITIONS, 'CancelPurchase', p.status);
  if (when === 'NOW') return [{ type: 'PurchaseCancelled', data: { ...ref(p), reason, source, previousStatus: p.status, billingCycle: p.billingCycle } }];
  allowedFrom(PURCHASE_TRANSITIONS, 'ScheduleCancellation', p.status);
  if (when === 'ON_DATE') {
    if (date === undefined) rule('CANCEL_DATE_REQUIRED', 'Give the date the cancellation takes effect', 'date');
    if (!isCalendarDate(date!)) rule('INVALID_DATE', 'date must be a calendar date YYYY-MM-DD', 'date');
    if (date! <= today(p, command.metadata.now)) rule('CANCEL_DATE_NOT_IN_FUTURE', `date ${date} is not after today: cancel now instead`, 'date');
  }
  return [
    {
      type: 'PurchaseCancellationScheduled',
      data: { ...ref(p), when, ...(when === 'ON_DATE' ? { date: date! } : {}), reason, source, previousStatus: p.status },
    },
  ];
}

function pause(command: { data: { reason?: string } }, p: ExistingPurchase): E[] {
  allowedFrom(PURCHASE_TRANSITIONS, 'PausePurchase', p.status);
  mustHaveNoBillInFlight(p);
  const reason = command.data.reason?.trim();
  return [{ type: 'PurchasePaused', data: { ...ref(p), previousStatus: p.status, ...(reason ? { reason } : {}) } }];
}

function resume(command: { metadata: { now: string } }, p: ExistingPurchase): E[] {
  allowedFrom(PURCHASE_TRANSITIONS, 'ResumePurchase', p.status);
  // a bill date that passed while paused moves to today: billed by the next run, never in the past
  const nextBillDate = laterOf(p.nextBillDate ?? today(p, command.metadata.now), today(p, command.metadata.now));
  return [{ type: 'PurchaseResumed', data: { ...ref(p), status: p.pausedFrom ?? (p.billingCycle >= 2 ? 'ACTIVE' : 'TRIAL'), nextBillDate } }];
}

// ---- billing ---------------------------------------------------------------------------------

function mustBeBillable(command: 'ForceBill' | 'BillIfDue', p: ExistingPurchase): void {
  allowedFrom(PURCHASE_TRANSITIONS, command, p.status);
  if (p.finalBillCycle !== undefined && p.billingCycle >= p.finalBillCycle) rule('FINAL_CYCLE_REACHED', `Cycle ${p.billingCycle} is the final bill cycle`);
  mustHaveNoBillInFlight(p);
}

function forceBill(command: { metadata: { now: string } }, p: ExistingPurchase): E[] {
  mustBeBillable('ForceBill', p);
  return [rebillRequested(p, 'FORCE', billNowDate(p, command.metadata.now), command.metadata.now)];
}

function billIfDue(command: BillIfDue, p: ExistingPurchase): E[] {
  const asOf = localDate(command.data.asOf, p.timeZone);
  // a dated cancellation takes effect at the start of its date, before any bill of that day
  if (p.status === 'CANCELLATION_SCHEDULED' && p.cancellation?.when === 'ON_DATE' && p.cancellation.date! <= asOf && !p.bill) {
    const { reason } = p.cancellation;
    return [{ type: 'PurchaseCancelled', data: { ...ref(p), reason, source: 'SCHEDULED', previousStatus: p.status, billingCycle: p.billingCycle } }];
  }
  mustBeBillable('BillIfDue', p);
  if (p.nextBillDate === null || p.nextBillDate > asOf) rule('NOT_DUE', `The purchase is due on ${p.nextBillDate ?? 'no date'}, after ${asOf}`);
  return [rebillRequested(p, 'SCHEDULED', p.nextBillDate!, command.metadata.now)];
}

function retryBill(command: RetryBill, p: ExistingPurchase): E[] {
  const { billingCycle, retry } = command.data;
  allowedFrom(PURCHASE_TRANSITIONS, 'RetryBill', p.status);
  if (!p.recycle || p.recycle.billingCycle !== billingCycle || p.recycle.attempt !== retry) {
    rule('RECYCLE_NOT_PENDING', `No recycle retry ${retry} of cycle ${billingCycle} is pending (status ${p.status})`);
  }
  mustHaveNoBillInFlight(p);
  return [rebillRequested(p, 'RECYCLE', p.recycle!.billDate, command.metadata.now, billingCycle)];
}

function recordRebillOrder(command: RecordRebillOrder, p: ExistingPurchase): E[] {
  const { orderId, billingCycle } = command.data;
  if (p.rebillOrders[orderId]) return []; // a redelivered OrderPlaced
  if (!p.bill || p.bill.billingCycle !== billingCycle || p.bill.orderId !== null) rule('REBILL_NOT_REQUESTED', `No bill of cycle ${billingCycle} is waiting for its order`);
  return [{ type: 'PurchaseRebillOrderPlaced', data: { ...ref(p), orderId, billingCycle, attempt: p.bill!.attempt } }];
}

/** The charge as the events record it; `at` defaults to the command's time (an answer that gave none: a charge status query). */
function chargeFields(data: RecordRebillApproved['data'], now: string) {
  const { orderId, transactionId, amount, currency, cardLast4, cardBrand, message, at } = data;
  return { orderId, transactionId, amount, currency, ...(cardLast4 !== undefined ? { cardLast4 } : {}), ...(cardBrand !== undefined ? { cardBrand } : {}), message, at: at ?? now };
}

function pendingRebill(p: ExistingPurchase, orderId: string) {
  const order = p.rebillOrders[orderId];
  if (!order) throw new DomainError('REBILL_ORDER_UNKNOWN', `Order ${orderId} is not a rebill of this purchase`, 'not-found');
  return order;
}

function recordApproved(command: RecordRebillApproved, p: ExistingPurchase): E[] {
  const order = pendingRebill(p, command.data.orderId);
  if (order.outcome === 'APPROVED') return []; // the same approval again
  if (order.notBilled === 'ORDER_CANCELLED' || order.notBilled === 'REFUSED') return []; // cancelled before it was paid (orders reverses the charge), or never placed
  if (order.billingCycle <= p.billingCycle) return []; // that cycle was billed already (another order of it approved)
  const billingCycle = order.billingCycle;
  const billDate = p.bill?.billDate ?? p.lastBillDate ?? p.nextBillDate ?? localDate(command.data.at ?? command.metadata.now, p.timeZone);
  const final = p.finalBillCycle !== undefined && billingCycle >= p.finalBillCycle;
  const cancelAfter = p.status === 'CANCELLATION_SCHEDULED' && p.cancellation?.when === 'AFTER_NEXT_BILL';
  const ends = final || cancelAfter || p.status === 'CANCELLED';
  // the cadence keeps to the bill date; an agent's later date stands
  const nextBillDate = ends ? null : laterOf(addInterval(billDate, p.billingInterval, p.anchorDay), p.nextBillDate ?? billDate);
  const status: PurchaseStatus = p.status === 'CANCELLED' || p.status === 'CANCELLATION_SCHEDULED' || p.status === 'PAUSED' ? p.status : 'ACTIVE';
  const events: E[] = [
    { type: 'PurchaseBilled', data: { ...ref(p), ...chargeFields(command.data, command.metadata.now), billingCycle, previousStatus: p.status, status, nextBillDate } },
  ];
  if (final && p.status !== 'CANCELLED') events.push({ type: 'PurchaseCompleted', data: { ...ref(p), billingCycle } });
  else if (cancelAfter) {
    events.push({ type: 'PurchaseCancelled', data: { ...ref(p), reason: p.cancellation!.reason, source: 'SCHEDULED', previousStatus: status, billingCycle } });
  }
  return events;
}

function recordDeclined(command: RecordRebillDeclined, p: ExistingPurchase): E[] {
  const order = pendingRebill(p, command.data.orderId);
  if (order.outcome !== 'PENDING') return [];
  const { billingCycle, attempt } = order;
  const retriesDone = p.bill && p.bill.billingCycle === billingCycle ? p.bill.retry : 0;
  const declined: E = {
    type: 'PurchaseRebillDeclined',
    data: { ...ref(p), ...chargeFields(command.data, command.metadata.now), response: command.data.response, billingCycle, attempt },
  };
  if (billingCycle <= p.billingCycle || p.status === 'CANCELLED' || p.status === 'COMPLETE') return [declined];
  // a customer who asked to leave is not recycled: a scheduled cancellation takes effect at once
  if (p.status === 'CANCELLATION_SCHEDULED' && p.cancellation) {
    return [declined, { type: 'PurchaseCancelled', data: { ...ref(p), reason: p.cancellation.reason, source: 'SCHEDULED', previousStatus: p.status, billingCycle: p.billingCycle } }];
  }
  const delays = command.data.recycleDelaysMs;
  if (command.data.response === 'SOFT_DECLINE' && retriesDone < delays.length) {
    const delayMs = delays[retriesDone]!;
    const retryAt = new Date(new Date(command.metadata.now).getTime() + delayMs).toISOString();
    return [declined, { type: 'PurchaseRecycleScheduled', data: { ...ref(p), billingCycle, attempt: retriesDone + 1, delayMs, retryAt, previousStatus: p.status } }];
  }
  const reason = command.data.response === 'HARD_DECLINE' ? 'HARD_DECLINE' : 'RETRIES_EXHAUSTED';
  return [declined, { type: 'PurchaseRecycleFailed', data: { ...ref(p), billingCycle, attempts: retriesDone, reason, previousStatus: p.status } }];
}

/**
 * A requested bill ended without a charge (RebillRefused, a QA decline, the order cancelled): the
 * purchase stops waiting for it. Refused or QA-declined: declined for good (the same order would be
 * refused or declined again, so it is not recycled): RECYCLE_FAILED, or a scheduled cancellation takes
 * effect. Cancelled, or never charged (NOT_CHARGED: payments' charge status says the gateway never
 * received the charge): the cycle is due again (status and next bill date stay; the next run or a force
 * bill requests it with a new order); such a recycle retry fails the recycle.
 */
function recordNotBilled(command: RecordRebillNotBilled, p: ExistingPurchase): E[] {
  const { orderId, billingCycle, attempt, outcome, code, reason } = command.data;
  const at = command.data.at ?? command.metadata.now;
  const known = p.rebillOrders[orderId];
  if (outcome === 'REFUSED' ? known !== undefined : pendingRebill(p, orderId).outcome !== 'PENDING') return []; // recorded already
  const inFlight = p.bill !== null && p.bill.billingCycle === billingCycle && p.bill.attempt === attempt;
  // a request this purchase no longer waits for, or one whose order it has (orders placed it: that order answers)
  if (outcome === 'REFUSED' && (!inFlight || (p.bill!.orderId !== null && p.bill!.orderId !== orderId))) return [];
  const notBilled: E = {
    type: 'PurchaseRebillNotBilled',
    data: { ...ref(p), orderId, billingCycle, attempt, outcome, ...(code !== undefined ? { code } : {}), reason, at },
  };
  if (!inFlight || billingCycle <= p.billingCycle || p.status === 'CANCELLED' || p.status === 'COMPLETE') return [notBilled];
  const retries = p.bill!.retry;
  const recycleFailed = (failure: 'REFUSED' | 'QA_DECLINED' | 'ORDER_CANCELLED' | 'NOT_CHARGED'): E => ({
    type: 'PurchaseRecycleFailed',
    data: { ...ref(p), billingCycle, attempts: retries, reason: failure, previousStatus: p.status },
  });
  // cancelled, or never charged (a charge status query): the cycle is due again; a recycle retry's fails the recycle
  if (outcome === 'ORDER_CANCELLED' || outcome === 'NOT_CHARGED') return p.status === 'RECYCLE_BILLING' ? [notBilled, recycleFailed(outcome)] : [notBilled];
  if (p.status === 'CANCELLATION_SCHEDULED' && p.cancellation) {
    return [notBilled, { type: 'PurchaseCancelled', data: { ...ref(p), reason: p.cancellation.reason, source: 'SCHEDULED', previousStatus: p.status, billingCycle: p.billingCycle } }];
  }
  return [notBilled, recycleFailed(outcome)];
}

/**
 * The sweeper: a bill in flight for `timeoutMs` with no order recorded is requested again (the same
 * request). One with its order recorded waits for that order's outcome (it may wait in QA for days),
 * except a bill requested before requests carried their time: its order's QA decision or cancellation
 * may have come before this service followed them, so it is requested again once, and orders reports how
 * that order ended (RebillOrderReported).
 */
function requestRebillAgain(command: RequestRebillAgain, p: ExistingPurchase): E[] {
  const bill = p.bill;
  if (!bill || (bill.orderId !== null && bill.requestedAt !== null)) return [];
  const waitedMs = bill.requestedAt === null ? Infinity : Date.parse(command.metadata.now) - Date.parse(bill.requestedAt);
  if (waitedMs < command.data.timeoutMs) return [];
  return [rebillRequested(p, bill.trigger, bill.billDate, command.metadata.now, bill.billingCycle, bill.attempt)];
}

// ---- product, reactivation, fulfillment ------------------------------------------------------

function changeProduct(command: ChangeProduct, p: ExistingPurchase): E[] {
  allowedFrom(PURCHASE_TRANSITIONS, 'ChangeProduct', p.status);
  const { productId, product, applyProductDetails } = command.data;
  if (!product) rule('PRODUCT_NOT_IN_CAMPAIGN', `Product ${productId} is not an offer of campaign ${p.campaignId}`, 'productId');
  if (product!.productId === p.productId) rule('SAME_PRODUCT', 'The purchase already bills this product', 'productId');
  // a straight-sale product brings none of its details (no rebill price, interval or final cycle)
  const details =
    applyProductDetails && product!.billingType === 'RECURRING'
      ? {
          unitPrice: product!.rebillPrice ?? product!.price,
          price: (product!.rebillPrice ?? product!.price) * p.quantity,
          shippingPrice: product!.shippingPrice,
          ...(product!.intervalDays !== undefined ? { billingInterval: intervalOf(product!.intervalDays, command.data.monthlyIntervalDays) } : {}),
          ...(product!.finalBillCycle !== undefined && product!.finalBillCycle >= p.billingCycle ? { finalBillCycle: product!.finalBillCycle } : {}),
        }
      : {};
  // the new product's price makes the next rebill: it keeps to the campaign's limits
  if (Object.keys(details).length > 0) checkNextRebill(rebillTermsOf({ ...p, ...details }), command.data.limits, { quantity: 'quantity', total: 'productId' });
  return [
    {
      type: 'PurchaseProductChanged',
      data: { ...ref(p), fromProductId: p.productId, productId: product!.productId, applyProductDetails, sku: product!.sku, name: product!.name, ...details },
    },
  ];
}

function reactivate(command: { metadata: { now: string } }, p: ExistingPurchase): E[] {
  allowedFrom(PURCHASE_TRANSITIONS, 'ReactivatePurchase', p.status);
  const now = today(p, command.metadata.now);
  // billed again from today at the earliest: the cycle that failed (or the next one) is billed by the next run
  const nextBillDate = laterOf(p.nextBillDate ?? now, now);
  return [{ type: 'PurchaseReactivated', data: { ...ref(p), previousStatus: p.status, status: p.billingCycle >= 2 ? 'ACTIVE' : 'TRIAL', billingCycle: p.billingCycle, nextBillDate } }];
}

function recordFulfillment(command: RecordFulfillment, p: ExistingPurchase): E[] {
  const { fulfillmentId, orderId, status, trackingNumber, at } = command.data;
  if (p.fulfillments[fulfillmentId] === status) return [];
  return [{ type: 'PurchaseFulfillmentRecorded', data: { ...ref(p), fulfillmentId, orderId, status, ...(trackingNumber ? { trackingNumber } : {}), at } }];
}

function decide(command: PurchaseCommand, state: PurchaseState): E[] {
  if (command.type === 'StartPurchase') return start(command, state);
  const p = mustExist(state);
  switch (command.type) {
    case 'UpdatePurchase':
      return update(command, p);
    case 'RestartTrial':
      return restartTrial(command, p);
    case 'SkipTrial':
      return skipTrial(command, p);
    case 'CancelPurchase':
      return cancel(command, p);
    case 'PausePurchase':
      return pause(command, p);
    case 'ResumePurchase':
      return resume(command, p);
    case 'ForceBill':
      return forceBill(command, p);
    case 'ChangeProduct':
      return changeProduct(command, p);
    case 'ReactivatePurchase':
      return reactivate(command, p);
    case 'BillIfDue':
      return billIfDue(command, p);
    case 'RetryBill':
      return retryBill(command, p);
    case 'RecordRebillOrder':
      return recordRebillOrder(command, p);
    case 'RecordRebillApproved':
      return recordApproved(command, p);
    case 'RecordRebillDeclined':
      return recordDeclined(command, p);
    case 'RecordRebillNotBilled':
      return recordNotBilled(command, p);
    case 'RequestRebillAgain':
      return requestRebillAgain(command, p);
    case 'RecordFulfillment':
      return recordFulfillment(command, p);
    default:
      return assertNever(command, 'purchase command');
  }
}

/** The purchase (continuity subscription): its lifecycle and rules are described in docs/subscriptions.md. */
export const purchaseDecider: Decider<PurchaseCommand, SubscriptionEvent, PurchaseState> = {
  decide,
  evolve: evolvePurchase,
  initialState: initialPurchaseState,
};
