import { SubscriptionEvent } from '@continuum/contracts';
import { spec } from '@continuum/testing';
import { purchaseDecider } from './purchase.decider';
import {
  approvedCommand,
  billed,
  cmd,
  declined,
  declinedCommand,
  orderPlaced,
  otherProduct,
  purchaseRef as ref,
  rebillRequested,
  recurringItem,
  recycleScheduled,
  started,
} from './purchase.fixtures';

const given = (events: readonly SubscriptionEvent[]) => spec(purchaseDecider).given(events);
const startCommand = (overrides: Partial<Parameters<typeof cmd<'StartPurchase'>>[1]> = {}) =>
  cmd('StartPurchase', {
    purchaseId: 'pu-1',
    customerId: 'cu-1',
    orderId: 'o-1',
    campaignId: 'c-1',
    currency: 'USD',
    item: recurringItem,
    orderDate: '2026-03-01T10:00:00.000Z',
    transactionId: 'o-1-charge-1',
    timeZone: 'UTC',
    monthlyIntervalDays: [],
    ...overrides,
  });

/** a purchase in cycle 2 (ACTIVE), next bill 2026-04-14 */
const active = [started, rebillRequested(2, '2026-03-15'), orderPlaced('o-r2', 2), billed('o-r2', 2, '2026-04-14')];
const cancelled: SubscriptionEvent = { type: 'PurchaseCancelled', data: { ...ref, reason: 'customer asked', source: 'AGENT', previousStatus: 'TRIAL', billingCycle: 1 } };
const paused: SubscriptionEvent = { type: 'PurchasePaused', data: { ...ref, previousStatus: 'TRIAL' } };
const completed: SubscriptionEvent = { type: 'PurchaseCompleted', data: { ...ref, billingCycle: 4 } };
const recycleFailed = [
  started,
  rebillRequested(2, '2026-03-15'),
  orderPlaced('o-r2', 2),
  declined('o-r2', 2, 0, 'HARD_DECLINE'),
  { type: 'PurchaseRecycleFailed', data: { ...ref, billingCycle: 2, attempts: 0, reason: 'HARD_DECLINE', previousStatus: 'TRIAL' } } as SubscriptionEvent,
];

describe('purchase decider: start (a completed order with a recurring item)', () => {
  it('starts in TRIAL, cycle 1, when an order with a recurring product completes; next bill date = order date + trial days', () => {
    given([]).when(startCommand()).then([started]);
  });

  it('keeps the trial type the campaign product defines (ACCELERATED)', () => {
    const [event] = given([]).when(startCommand({ item: { ...recurringItem, trial: { price: 499, days: 14, type: 'ACCELERATED' } } })).then([
      { ...started, data: { ...started.data, trialType: 'ACCELERATED' } },
    ]);
    expect(event!.data).toMatchObject({ trialType: 'ACCELERATED', status: 'TRIAL' });
  });

  it('counts the order date in the account time zone', () => {
    const [event] = purchaseDecider.decide(startCommand({ orderDate: '2026-03-01T03:00:00.000Z', timeZone: 'America/New_York' }), purchaseDecider.initialState());
    expect(event!.data).toMatchObject({ nextBillDate: '2026-03-14', timeZone: 'America/New_York' });
  });

  it('bills monthly on the same day when the account counts the interval as a month', () => {
    const [event] = purchaseDecider.decide(startCommand({ monthlyIntervalDays: [30] }), purchaseDecider.initialState());
    expect(event!.data).toMatchObject({ billingInterval: { unit: 'MONTH', count: 1 } });
  });

  it('without a trial the first rebill comes one interval after the order', () => {
    const { trial: _trial, ...noTrial } = recurringItem;
    const [event] = purchaseDecider.decide(startCommand({ item: noTrial }), purchaseDecider.initialState());
    expect(event!.data).toMatchObject({ nextBillDate: '2026-03-31', trialDays: 0 });
  });

  it('refuses a straight-sale item, and starts nothing twice', () => {
    given([]).when(startCommand({ item: { ...recurringItem, billingType: 'STRAIGHT' } })).thenThrows('NOT_RECURRING');
    given([started]).when(startCommand()).then([]);
  });

  it('a final bill cycle of 1 completes at once: the order was the only bill', () => {
    const [, done] = given([]).when(startCommand({ item: { ...recurringItem, finalBillCycle: 1 } })).then([
      { ...started, data: { ...started.data, finalBillCycle: 1 } },
      { type: 'PurchaseCompleted', data: { ...ref, billingCycle: 1 } },
    ]);
    expect(done!.type).toBe('PurchaseCompleted');
  });

  it('refuses a recurring item without rebill terms', () => {
    const { rebillPrice: _r, ...noPrice } = recurringItem;
    given([]).when(startCommand({ item: noPrice })).thenThrows('RECURRING_TERMS_MISSING');
  });

  it('knows no purchase before it started', () => {
    given([]).when(cmd('ForceBill', {})).thenThrows('PURCHASE_NOT_FOUND', 'not-found');
  });
});

describe('purchase decider: rebill runs and outcomes', () => {
  it('bills a purchase due by asOf for the next cycle, at price x quantity + shipping + tax', () => {
    given([started]).when(cmd('BillIfDue', { asOf: '2026-03-15T00:00:00.000Z' })).then([rebillRequested(2, '2026-03-15')]);
  });

  it('does not bill before the next bill date', () => {
    given([started]).when(cmd('BillIfDue', { asOf: '2026-03-14T23:59:59.000Z' })).thenThrows('NOT_DUE');
  });

  it('refuses a second bill request while the cycle is being billed (two runs bill once)', () => {
    given([started, rebillRequested(2, '2026-03-15')]).when(cmd('BillIfDue', { asOf: '2026-03-16T00:00:00.000Z' })).thenThrows('BILL_IN_PROGRESS');
  });

  it('a gateway timeout is never a decline: without an outcome the bill stays in flight, neither declined nor billed again', () => {
    const waiting = given([started, rebillRequested(2, '2026-03-15'), orderPlaced('o-r2', 2)]);
    expect(waiting.state).toMatchObject({ status: 'TRIAL', billingCycle: 1, bill: { billingCycle: 2, orderId: 'o-r2' }, recycle: null });
    waiting.when(cmd('BillIfDue', { asOf: '2026-04-30T00:00:00.000Z' })).thenThrows('BILL_IN_PROGRESS');
    waiting.when(cmd('ForceBill', {})).thenThrows('BILL_IN_PROGRESS');
  });

  it('records the rebill order orders placed, once', () => {
    given([started, rebillRequested(2, '2026-03-15')]).when(cmd('RecordRebillOrder', { orderId: 'o-r2', billingCycle: 2 })).then([orderPlaced('o-r2', 2)]);
    given([started, rebillRequested(2, '2026-03-15'), orderPlaced('o-r2', 2)]).when(cmd('RecordRebillOrder', { orderId: 'o-r2', billingCycle: 2 })).then([]);
    given([started]).when(cmd('RecordRebillOrder', { orderId: 'o-x', billingCycle: 2 })).thenThrows('REBILL_NOT_REQUESTED');
  });

  it('becomes ACTIVE in cycle 2 after the 2nd successful billing; the next bill date moves by the interval', () => {
    given([started, rebillRequested(2, '2026-03-15'), orderPlaced('o-r2', 2)]).when(approvedCommand('o-r2')).then([billed('o-r2', 2, '2026-04-14')]);
  });

  it('records an approval once, and refuses one of an order that is not its rebill', () => {
    given(active).when(approvedCommand('o-r2')).then([]);
    given(active).when(approvedCommand('o-elsewhere')).thenThrows('REBILL_ORDER_UNKNOWN', 'not-found');
  });

  it('moves up one cycle per successful billing and completes after the final bill cycle', () => {
    const cycle3 = [...active, rebillRequested(3, '2026-04-14'), orderPlaced('o-r3', 3), billed('o-r3', 3, '2026-05-14', 'ACTIVE')];
    given([...cycle3, rebillRequested(4, '2026-05-14'), orderPlaced('o-r4', 4)]).when(approvedCommand('o-r4')).then([
      billed('o-r4', 4, null, 'ACTIVE'),
      { type: 'PurchaseCompleted', data: { ...ref, billingCycle: 4 } },
    ]);
  });

  it('bills a monthly purchase on the same day, the 31st on the last day of a shorter month', () => {
    const monthly: SubscriptionEvent = { ...started, data: { ...started.data, billingInterval: { unit: 'MONTH', count: 1 }, nextBillDate: '2026-01-31' } };
    const [event] = purchaseDecider.decide(approvedCommand('o-r2'), given([monthly, rebillRequested(2, '2026-01-31'), orderPlaced('o-r2', 2)]).state);
    expect(event!.data).toMatchObject({ nextBillDate: '2026-02-28' });
    const [next] = purchaseDecider.decide(
      approvedCommand('o-r3'),
      given([monthly, rebillRequested(2, '2026-01-31'), orderPlaced('o-r2', 2), event!, rebillRequested(3, '2026-02-28'), orderPlaced('o-r3', 3)]).state,
    );
    expect(next!.data).toMatchObject({ nextBillDate: '2026-03-31' });
  });

  it('a soft decline enters RECYCLE_BILLING with the first retry after the first configured delay', () => {
    given([started, rebillRequested(2, '2026-03-15'), orderPlaced('o-r2', 2)]).when(declinedCommand('o-r2', 'SOFT_DECLINE')).then([
      declined('o-r2', 2, 0),
      recycleScheduled(2, 1, '2026-03-11T15:00:00.000Z'),
    ]);
  });

  it('a recycle retry bills the same cycle again as a new request', () => {
    const recycling = [started, rebillRequested(2, '2026-03-15'), orderPlaced('o-r2', 2), declined('o-r2', 2, 0), recycleScheduled(2, 1, '2026-03-11T15:00:00.000Z')];
    given(recycling).when(cmd('RetryBill', { billingCycle: 2, retry: 1 })).then([rebillRequested(2, '2026-03-15', 'RECYCLE', 1)]);
    given(recycling).when(cmd('RetryBill', { billingCycle: 2, retry: 2 })).thenThrows('RECYCLE_NOT_PENDING');
    given(active).when(cmd('RetryBill', { billingCycle: 2, retry: 1 })).thenThrows('RECYCLE_NOT_PENDING');
  });

  it('every retry failing ends in RECYCLE_FAILED', () => {
    const retries = [
      started,
      rebillRequested(2, '2026-03-15'),
      orderPlaced('o-r2', 2),
      declined('o-r2', 2, 0),
      recycleScheduled(2, 1, '2026-03-11T15:00:00.000Z'),
      rebillRequested(2, '2026-03-15', 'RECYCLE', 1),
      orderPlaced('o-r2b', 2, 1),
      declined('o-r2b', 2, 1),
      recycleScheduled(2, 2, '2026-03-12T15:00:00.000Z', 'RECYCLE_BILLING'),
      rebillRequested(2, '2026-03-15', 'RECYCLE', 2),
      orderPlaced('o-r2c', 2, 2),
    ];
    given(retries).when(declinedCommand('o-r2c', 'SOFT_DECLINE')).then([
      declined('o-r2c', 2, 2),
      { type: 'PurchaseRecycleFailed', data: { ...ref, billingCycle: 2, attempts: 2, reason: 'RETRIES_EXHAUSTED', previousStatus: 'RECYCLE_BILLING' } },
    ]);
  });

  it('a recycle retry that succeeds makes the purchase ACTIVE, keeping the cadence of the bill date', () => {
    const retrying = [
      started,
      rebillRequested(2, '2026-03-15'),
      orderPlaced('o-r2', 2),
      declined('o-r2', 2, 0),
      recycleScheduled(2, 1, '2026-03-11T15:00:00.000Z'),
      rebillRequested(2, '2026-03-15', 'RECYCLE', 1),
      orderPlaced('o-r2b', 2, 1),
    ];
    given(retrying).when(approvedCommand('o-r2b')).then([billed('o-r2b', 2, '2026-04-14', 'RECYCLE_BILLING')]);
  });

  it('a hard decline fails the recycle at once', () => {
    given([started, rebillRequested(2, '2026-03-15'), orderPlaced('o-r2', 2)]).when(declinedCommand('o-r2', 'HARD_DECLINE')).then([
      declined('o-r2', 2, 0, 'HARD_DECLINE'),
      { type: 'PurchaseRecycleFailed', data: { ...ref, billingCycle: 2, attempts: 0, reason: 'HARD_DECLINE', previousStatus: 'TRIAL' } },
    ]);
  });

  it('no configured delays: a soft decline fails the recycle', () => {
    const [, failed] = purchaseDecider.decide(declinedCommand('o-r2', 'SOFT_DECLINE', []), given([started, rebillRequested(2, '2026-03-15'), orderPlaced('o-r2', 2)]).state);
    expect(failed).toMatchObject({ type: 'PurchaseRecycleFailed', data: { reason: 'RETRIES_EXHAUSTED' } });
  });

  it('bills nothing past the final bill cycle', () => {
    const finalIsOne: SubscriptionEvent = { type: 'PurchaseUpdated', data: { ...ref, changes: { finalBillCycle: 2 } } };
    given([...active, finalIsOne]).when(cmd('ForceBill', {})).thenThrows('FINAL_CYCLE_REACHED');
  });

  it('never bills a cancelled, complete, paused or recycle-failed purchase', () => {
    const due = cmd('BillIfDue', { asOf: '2026-04-01T00:00:00.000Z' });
    given([started, cancelled]).when(due).thenThrows('PURCHASE_CANCELLED');
    given([...active, completed]).when(due).thenThrows('PURCHASE_COMPLETE');
    given([started, paused]).when(due).thenThrows('PURCHASE_PAUSED');
    given(recycleFailed).when(due).thenThrows('RECYCLE_FAILED');
  });
});

describe('purchase decider: update purchase', () => {
  const update = (changes: Record<string, unknown>) => cmd('UpdatePurchase', { changes });

  it('updates price, shipping, merchant, insure shipment and the final bill cycle', () => {
    given([started]).when(update({ price: 4999, shippingPrice: 0, merchantId: 'mid-2', insureShipment: true, finalBillCycle: 6 })).then([
      { type: 'PurchaseUpdated', data: { ...ref, changes: { price: 4999, unitPrice: 4999, shippingPrice: 0, merchantId: 'mid-2', insureShipment: true, finalBillCycle: 6 } } },
    ]);
  });

  it('computes the price from quantity and unit price (quantity x unit price = price)', () => {
    given([started]).when(update({ quantity: 3, unitPrice: 2000 })).then([{ type: 'PurchaseUpdated', data: { ...ref, changes: { quantity: 3, unitPrice: 2000, price: 6000 } } }]);
    given([started]).when(update({ quantity: 3 })).thenThrows('UNIT_PRICE_REQUIRED');
    given([started]).when(update({ quantity: 3, unitPrice: 2000, price: 5000 })).thenThrows('PRICE_MISMATCH');
    given([started]).when(update({ quantity: 3, price: 6001 })).thenThrows('PRICE_NOT_DIVISIBLE');
  });

  it('refuses the fields fixed by the offer, naming the field', () => {
    expect(given([started]).when(update({ billingType: 'STRAIGHT' })).thenThrows('FIELD_FIXED').details).toEqual({ field: 'billingType' });
    expect(given([started]).when(update({ trialType: 'ACCELERATED', price: 1 })).thenThrows('FIELD_FIXED').details).toEqual({ field: 'trialType' });
    expect(given([started]).when(update({ billingCycle: 5 })).thenThrows('FIELD_NOT_UPDATABLE').details).toEqual({ field: 'billingCycle' });
  });

  it('refuses a price, unit price or shipping price that is not whole minor units, naming the field', () => {
    expect(given([started]).when(update({ shippingPrice: 2.5 })).thenThrows('INVALID_AMOUNT', 'rule').details).toMatchObject({ field: 'shippingPrice' });
    expect(given([started]).when(update({ price: -100 })).thenThrows('INVALID_AMOUNT', 'rule').details).toMatchObject({ field: 'price' });
    expect(given([started]).when(update({ quantity: 2, unitPrice: '10' })).thenThrows('INVALID_AMOUNT', 'rule').details).toMatchObject({ field: 'unitPrice' });
  });

  it('moves the next bill date to any day from today on, later or earlier, never into the past', () => {
    given([started]).when(update({ nextBillDate: '2026-03-20' })).then([{ type: 'PurchaseUpdated', data: { ...ref, changes: { nextBillDate: '2026-03-20' } } }]);
    // earlier than the current one (2026-03-15), and today itself (the command's date): billed by the run of that day
    given([started]).when(update({ nextBillDate: '2026-03-12' })).then([{ type: 'PurchaseUpdated', data: { ...ref, changes: { nextBillDate: '2026-03-12' } } }]);
    given([started]).when(update({ nextBillDate: '2026-03-10' })).then([{ type: 'PurchaseUpdated', data: { ...ref, changes: { nextBillDate: '2026-03-10' } } }]);
    expect(given([started]).when(update({ nextBillDate: '2026-03-09' })).thenThrows('NEXT_BILL_DATE_IN_PAST', 'rule').details).toEqual({ field: 'nextBillDate' });
    // today is the date of the command's clock in the account time zone: 03:00 UTC on the 10th is still the 9th in New York
    const newYork = { ...started, data: { ...started.data, timeZone: 'America/New_York' } } as SubscriptionEvent;
    given([newYork]).when(cmd('UpdatePurchase', { changes: { nextBillDate: '2026-03-09' } }, '2026-03-10T03:00:00.000Z')).then([{ type: 'PurchaseUpdated', data: { ...ref, changes: { nextBillDate: '2026-03-09' } } }]);
    given([started]).when(update({ nextBillDate: '2026-02-30' })).thenThrows('INVALID_DATE');
  });

  it('takes a CUSTOM sales tax with an amount, which the next rebill charges', () => {
    const taxed: SubscriptionEvent = { type: 'PurchaseUpdated', data: { ...ref, changes: { salesTax: { mode: 'CUSTOM', amount: 480 } } } };
    given([started]).when(update({ salesTax: { mode: 'CUSTOM', amount: 480 } })).then([taxed]);
    given([started]).when(update({ salesTax: { mode: 'CUSTOM' } })).thenThrows('INVALID_SALES_TAX');
    // an amount that is there but not money breaks the money rule, named by its field
    expect(given([started]).when(update({ salesTax: { mode: 'CUSTOM', amount: -1 } })).thenThrows('INVALID_AMOUNT', 'rule').details).toMatchObject({ field: 'salesTax.amount' });
    const [request] = purchaseDecider.decide(cmd('BillIfDue', { asOf: '2026-03-15T00:00:00.000Z' }), given([started, taxed]).state);
    expect(request!.data).toMatchObject({ salesTax: 480, amount: 5999 + 295 + 480 });
  });

  it('charges at billing time what the purchase then says (quantity x unit price + shipping)', () => {
    const changed: SubscriptionEvent = { type: 'PurchaseUpdated', data: { ...ref, changes: { quantity: 2, unitPrice: 3000, price: 6000, shippingPrice: 500 } } };
    const [request] = purchaseDecider.decide(cmd('BillIfDue', { asOf: '2026-03-15T00:00:00.000Z' }), given([started, changed]).state);
    expect(request!.data).toMatchObject({ quantity: 2, unitPrice: 3000, shippingPrice: 500, amount: 6500 });
  });

  it('refuses a final bill cycle already passed, an empty update, and a cancelled purchase', () => {
    given(active).when(update({ finalBillCycle: 1 })).thenThrows('FINAL_CYCLE_PASSED');
    given([started]).when(update({})).thenThrows('NOTHING_TO_UPDATE');
    given([started, cancelled]).when(update({ price: 100 })).thenThrows('PURCHASE_CANCELLED');
  });

  it('a final bill cycle set to the current (billed) cycle completes the purchase', () => {
    given(active).when(update({ finalBillCycle: 2 })).then([
      { type: 'PurchaseUpdated', data: { ...ref, changes: { finalBillCycle: 2 } } },
      { type: 'PurchaseCompleted', data: { ...ref, billingCycle: 2 } },
    ]);
  });
});

describe('purchase decider: trial', () => {
  it('restart trial: back to day 1 of the trial, TRIAL again, next bill date today + trial days', () => {
    given(active).when(cmd('RestartTrial', {})).then([
      { type: 'PurchaseTrialRestarted', data: { ...ref, previousStatus: 'ACTIVE', billingCycle: 2, nextBillDate: '2026-03-24', previousNextBillDate: '2026-04-14' } },
    ]);
  });

  it('refuses to restart the trial of a cancelled, recycle-failed or billing purchase', () => {
    given([started, cancelled]).when(cmd('RestartTrial', {})).thenThrows('PURCHASE_CANCELLED');
    given(recycleFailed).when(cmd('RestartTrial', {})).thenThrows('CANNOT_RESTART_TRIAL');
    given([started, rebillRequested(2, '2026-03-15')]).when(cmd('RestartTrial', {})).thenThrows('BILL_IN_PROGRESS');
  });

  it('skip trial: bills now, into cycle 2', () => {
    given([started]).when(cmd('SkipTrial', {})).then([{ type: 'PurchaseTrialSkipped', data: { ...ref, billingCycle: 2 } }, rebillRequested(2, '2026-03-15', 'SKIP_TRIAL')]);
  });

  it('refuses to skip a trial that is over', () => {
    given(active).when(cmd('SkipTrial', {})).thenThrows('NOT_IN_TRIAL');
  });
});

describe('purchase decider: cancel', () => {
  const cancelNow = cmd('CancelPurchase', { when: 'NOW', reason: 'customer asked', source: 'AGENT' });

  it('cancels now with a reason', () => {
    given([started]).when(cancelNow).then([cancelled]);
    given([started]).when(cmd('CancelPurchase', { when: 'NOW', reason: '  ', source: 'AGENT' })).thenThrows('REASON_REQUIRED');
    given([started, cancelled]).when(cancelNow).thenThrows('ALREADY_CANCELLED');
    given([...active, completed]).when(cancelNow).thenThrows('PURCHASE_COMPLETE');
  });

  it('after the next bill: CANCELLATION_SCHEDULED, exactly one more billing, then CANCELLED', () => {
    const scheduled: SubscriptionEvent = {
      type: 'PurchaseCancellationScheduled',
      data: { ...ref, when: 'AFTER_NEXT_BILL', reason: 'moving', source: 'AGENT', previousStatus: 'TRIAL' },
    };
    given([started]).when(cmd('CancelPurchase', { when: 'AFTER_NEXT_BILL', reason: 'moving', source: 'AGENT' })).then([scheduled]);
    given([started, scheduled]).when(cmd('BillIfDue', { asOf: '2026-03-15T00:00:00.000Z' })).then([rebillRequested(2, '2026-03-15')]);
    const billing = [started, scheduled, rebillRequested(2, '2026-03-15'), orderPlaced('o-r2', 2)];
    const [last, cancelledAfter] = given(billing).when(approvedCommand('o-r2')).then([
      { type: 'PurchaseBilled', data: { ...(billed('o-r2', 2, null).data as object), previousStatus: 'CANCELLATION_SCHEDULED', status: 'CANCELLATION_SCHEDULED' } } as SubscriptionEvent,
      { type: 'PurchaseCancelled', data: { ...ref, reason: 'moving', source: 'SCHEDULED', previousStatus: 'CANCELLATION_SCHEDULED', billingCycle: 2 } },
    ]);
    given([...billing, last!, cancelledAfter!]).when(cmd('BillIfDue', { asOf: '2026-06-01T00:00:00.000Z' })).thenThrows('PURCHASE_CANCELLED');
  });

  it('a scheduled cancellation whose last bill is declined cancels at once instead of recycling', () => {
    const scheduled: SubscriptionEvent = { type: 'PurchaseCancellationScheduled', data: { ...ref, when: 'AFTER_NEXT_BILL', reason: 'moving', source: 'AGENT', previousStatus: 'TRIAL' } };
    given([started, scheduled, rebillRequested(2, '2026-03-15'), orderPlaced('o-r2', 2)]).when(declinedCommand('o-r2', 'SOFT_DECLINE')).then([
      declined('o-r2', 2, 0),
      { type: 'PurchaseCancelled', data: { ...ref, reason: 'moving', source: 'SCHEDULED', previousStatus: 'CANCELLATION_SCHEDULED', billingCycle: 1 } },
    ]);
  });

  it('on a date: bills what falls due before it, and cancels when the date comes', () => {
    const onDate: SubscriptionEvent = {
      type: 'PurchaseCancellationScheduled',
      data: { ...ref, when: 'ON_DATE', date: '2026-04-01', reason: 'budget', source: 'AGENT', previousStatus: 'TRIAL' },
    };
    given([started]).when(cmd('CancelPurchase', { when: 'ON_DATE', date: '2026-04-01', reason: 'budget', source: 'AGENT' })).then([onDate]);
    given([started, onDate]).when(cmd('BillIfDue', { asOf: '2026-03-15T00:00:00.000Z' })).then([rebillRequested(2, '2026-03-15')]);
    given([started, onDate]).when(cmd('BillIfDue', { asOf: '2026-04-01T00:00:00.000Z' })).then([
      { type: 'PurchaseCancelled', data: { ...ref, reason: 'budget', source: 'SCHEDULED', previousStatus: 'CANCELLATION_SCHEDULED', billingCycle: 1 } },
    ]);
  });

  it('refuses a dated cancellation without a date, or not in the future, and a scheduled one on a paused purchase', () => {
    given([started]).when(cmd('CancelPurchase', { when: 'ON_DATE', reason: 'x', source: 'AGENT' })).thenThrows('CANCEL_DATE_REQUIRED');
    given([started]).when(cmd('CancelPurchase', { when: 'ON_DATE', date: '2026-03-10', reason: 'x', source: 'AGENT' })).thenThrows('CANCEL_DATE_NOT_IN_FUTURE');
    given([started, paused]).when(cmd('CancelPurchase', { when: 'AFTER_NEXT_BILL', reason: 'x', source: 'AGENT' })).thenThrows('CANNOT_SCHEDULE_CANCELLATION');
  });
});

describe('purchase decider: pause and resume', () => {
  it('pauses a TRIAL or ACTIVE purchase: no billing until resumed', () => {
    given([started]).when(cmd('PausePurchase', { reason: 'travelling' })).then([{ type: 'PurchasePaused', data: { ...ref, previousStatus: 'TRIAL', reason: 'travelling' } }]);
    given([started, paused]).when(cmd('PausePurchase', {})).thenThrows('ALREADY_PAUSED');
    given(recycleFailed).when(cmd('PausePurchase', {})).thenThrows('CANNOT_PAUSE');
    given([started, rebillRequested(2, '2026-03-15')]).when(cmd('PausePurchase', {})).thenThrows('BILL_IN_PROGRESS');
  });

  it('resumes with the next bill date recomputed, never in the past', () => {
    given([started, paused]).when(cmd('ResumePurchase', {}, '2026-03-20T09:00:00.000Z')).then([
      { type: 'PurchaseResumed', data: { ...ref, status: 'TRIAL', nextBillDate: '2026-03-20' } },
    ]);
    given([started, paused]).when(cmd('ResumePurchase', {})).then([{ type: 'PurchaseResumed', data: { ...ref, status: 'TRIAL', nextBillDate: '2026-03-15' } }]);
    given([started]).when(cmd('ResumePurchase', {})).thenThrows('NOT_PAUSED');
  });
});

describe('purchase decider: force bill', () => {
  it('bills now, whatever the date', () => {
    given([started]).when(cmd('ForceBill', {})).then([rebillRequested(2, '2026-03-15', 'FORCE')]);
    given(active).when(cmd('ForceBill', {}, '2026-05-01T00:00:00.000Z')).then([rebillRequested(3, '2026-05-01', 'FORCE', 0, '2026-05-01T00:00:00.000Z')]);
  });

  it('refuses a cancelled, paused, recycle-failed purchase, or one being billed', () => {
    given([started, cancelled]).when(cmd('ForceBill', {})).thenThrows('PURCHASE_CANCELLED');
    given([started, paused]).when(cmd('ForceBill', {})).thenThrows('PURCHASE_PAUSED');
    given(recycleFailed).when(cmd('ForceBill', {})).thenThrows('RECYCLE_FAILED');
    given([started, rebillRequested(2, '2026-03-15')]).when(cmd('ForceBill', {})).thenThrows('BILL_IN_PROGRESS');
  });
});

describe('purchase decider: change product', () => {
  const change = (applyProductDetails: boolean, product = otherProduct) => cmd('ChangeProduct', { productId: product.productId, product, applyProductDetails, monthlyIntervalDays: [] });

  it("with details: takes the new product's rebill price, shipping and billing terms", () => {
    given([started]).when(change(true)).then([
      {
        type: 'PurchaseProductChanged',
        data: { ...ref, fromProductId: 'p-sub', productId: 'p-big', applyProductDetails: true, sku: 'BIG', name: 'Big box', unitPrice: 7999, price: 7999, shippingPrice: 495, billingInterval: { unit: 'DAY', count: 14 }, finalBillCycle: 6 },
      },
    ]);
  });

  it('without details: only the product changes', () => {
    given([started]).when(change(false)).then([
      { type: 'PurchaseProductChanged', data: { ...ref, fromProductId: 'p-sub', productId: 'p-big', applyProductDetails: false, sku: 'BIG', name: 'Big box' } },
    ]);
  });

  it('a straight-sale product brings none of its details', () => {
    const straight = { ...otherProduct, billingType: 'STRAIGHT' as const };
    const [event] = purchaseDecider.decide(change(true, straight), given([started]).state);
    expect(event!.data).toEqual({ ...ref, fromProductId: 'p-sub', productId: 'p-big', applyProductDetails: true, sku: 'BIG', name: 'Big box' });
  });

  it('refuses the same product, one the campaign does not offer, and a cancelled purchase', () => {
    given([started]).when(cmd('ChangeProduct', { productId: 'p-sub', product: { ...otherProduct, productId: 'p-sub' }, applyProductDetails: true, monthlyIntervalDays: [] })).thenThrows('SAME_PRODUCT');
    given([started]).when(cmd('ChangeProduct', { productId: 'p-none', applyProductDetails: true, monthlyIntervalDays: [] })).thenThrows('PRODUCT_NOT_IN_CAMPAIGN');
    given([started, cancelled]).when(change(true)).thenThrows('PURCHASE_CANCELLED');
  });
});

describe('purchase decider: reactivate', () => {
  it('reactivates a RECYCLE_FAILED purchase: billed again from today', () => {
    given(recycleFailed).when(cmd('ReactivatePurchase', {}, '2026-03-20T08:00:00.000Z')).then([
      { type: 'PurchaseReactivated', data: { ...ref, previousStatus: 'RECYCLE_FAILED', status: 'TRIAL', billingCycle: 1, nextBillDate: '2026-03-20' } },
    ]);
  });

  it('reactivates a CANCELLED purchase from its scheduled date, and the next bill of a failed cycle is a new request', () => {
    given([started, cancelled]).when(cmd('ReactivatePurchase', {})).then([
      { type: 'PurchaseReactivated', data: { ...ref, previousStatus: 'CANCELLED', status: 'TRIAL', billingCycle: 1, nextBillDate: '2026-03-15' } },
    ]);
    const reactivated: SubscriptionEvent = { type: 'PurchaseReactivated', data: { ...ref, previousStatus: 'RECYCLE_FAILED', status: 'TRIAL', billingCycle: 1, nextBillDate: '2026-03-20' } };
    const [request] = purchaseDecider.decide(cmd('BillIfDue', { asOf: '2026-03-20T12:00:00.000Z' }), given([...recycleFailed, reactivated]).state);
    expect(request!.data).toMatchObject({ billingCycle: 2, attempt: 1 });
  });

  it('refuses anything else', () => {
    given([started]).when(cmd('ReactivatePurchase', {})).thenThrows('NOT_REACTIVATABLE');
    given([...active, completed]).when(cmd('ReactivatePurchase', {})).thenThrows('PURCHASE_COMPLETE');
  });
});

describe('purchase decider: fulfillments', () => {
  it('records a fulfillment of its orders once per status', () => {
    const at = '2026-03-15T02:00:00.000Z';
    const recorded: SubscriptionEvent = { type: 'PurchaseFulfillmentRecorded', data: { ...ref, fulfillmentId: 'f-1', orderId: 'o-r2', status: 'HOLD', at } };
    given(active).when(cmd('RecordFulfillment', { fulfillmentId: 'f-1', orderId: 'o-r2', status: 'HOLD', at })).then([recorded]);
    given([...active, recorded]).when(cmd('RecordFulfillment', { fulfillmentId: 'f-1', orderId: 'o-r2', status: 'HOLD', at })).then([]);
  });
});
