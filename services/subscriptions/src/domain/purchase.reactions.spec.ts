import { FulfillmentEvent, OrderCancelled, OrderCompleted, OrderEvent, PaymentsEvent, SubscriptionEvent } from '@continuum/contracts';
import { fold, reactionSpec, spec } from '@continuum/testing';
import { purchaseDecider } from './purchase.decider';
import { NOW, agent, billed, declined, orderPlaced, rebillChargeOutcome, rebillRequested, recurringItem, recycleScheduled, started } from './purchase.fixtures';
import { RebillChargeOutcome, keepsRebillOutcome, keptOutcomesWait, knowsRebillOrder, onFulfillmentEvent, onOrderEvent, onOrderLearned, onPaymentEvent, onRebillOrderRecorded } from './purchase.reactions';
import { ExistingPurchase } from './purchase.state';

const purchaseOf = (events: readonly SubscriptionEvent[]) => fold(purchaseDecider, events) as ExistingPurchase;
const trial = purchaseOf([started]);
const billing = purchaseOf([started, rebillRequested(2, '2026-03-15'), orderPlaced('o-r2', 2)]);
const active = purchaseOf([started, rebillRequested(2, '2026-03-15'), orderPlaced('o-r2', 2), billed('o-r2', 2, '2026-04-14')]);
const cancelled = purchaseOf([started, { type: 'PurchaseCancelled', data: { purchaseId: 'pu-1', customerId: 'cu-1', reason: 'r', source: 'AGENT', previousStatus: 'TRIAL', billingCycle: 1 } }]);

const orderState = (purchases: readonly ExistingPurchase[] = []) => ({ timeZone: 'UTC', monthlyIntervalDays: [], purchases, occurredAt: '2026-03-01T10:00:00.000Z' });
const straightItem = { ...recurringItem, orderItemId: 'oi-2', productId: 'p-one', sku: 'ONE', billingType: 'STRAIGHT' as const, trial: undefined, rebillPrice: undefined, intervalDays: undefined, finalBillCycle: undefined };
const { trial: _t, rebillPrice: _r, intervalDays: _i, finalBillCycle: _f, ...straight } = straightItem;
const snapshot = {
  orderId: 'o-1',
  customerId: 'cu-1',
  campaignId: 'c-1',
  currency: 'USD',
  paymentType: 'CARD' as const,
  items: [recurringItem, straight],
  totals: { subtotal: 998, shipping: 590, salesTax: 0, discount: 0, total: 1588, refunded: 0 },
};
const completed: OrderCompleted = { type: 'OrderCompleted', data: { ...snapshot, transactionId: 'o-1-charge-1' } };

const startWork = (purchaseId: string, item = recurringItem) => ({
  purchaseId,
  command: {
    type: 'StartPurchase' as const,
    data: { purchaseId, customerId: 'cu-1', orderId: 'o-1', campaignId: 'c-1', currency: 'USD', item, orderDate: '2026-03-01T10:00:00.000Z', transactionId: 'o-1-charge-1', timeZone: 'UTC', monthlyIntervalDays: [] },
  },
});

describe('onOrderEvent: orders -> purchases', () => {
  it('an order with a recurring product completes: one purchase per recurring item', () => {
    const second = { ...recurringItem, orderItemId: 'oi-3', productId: 'p-sub2' };
    reactionSpec(onOrderEvent).given(orderState()).when({ ...completed, data: { ...completed.data, items: [recurringItem, straight, second] } }).then([startWork('o-1-oi-1'), startWork('o-1-oi-3', second)]);
  });

  it('QA approval completes the order too (OrderApproved, without a transaction when none was taken)', () => {
    const { transactionId: _x, ...data } = startWork('o-1-oi-1').command.data;
    reactionSpec(onOrderEvent).given(orderState()).when({ type: 'OrderApproved', data: snapshot } as OrderEvent).then([{ purchaseId: 'o-1-oi-1', command: { type: 'StartPurchase', data } }]);
  });

  it('a new order\'s purchases are dated from when the order was placed (placedAt), else from the completion\'s time', () => {
    const placedEarlier = { ...orderState(), occurredAt: '2026-03-01T10:05:00.000Z', placedAt: '2026-03-01T09:59:00.000Z' };
    const dated = (orderDate: string) => {
      const work = startWork('o-1-oi-1');
      return { ...work, command: { ...work.command, data: { ...work.command.data, orderDate } } };
    };
    const recurringOnly = { ...completed, data: { ...completed.data, items: [recurringItem] } };
    reactionSpec(onOrderEvent).given(placedEarlier).when(recurringOnly).then([dated('2026-03-01T09:59:00.000Z')]);
    const { placedAt: _p, ...neverPlaced } = placedEarlier;
    reactionSpec(onOrderEvent).given(neverPlaced).when(recurringOnly).then([dated('2026-03-01T10:05:00.000Z')]);
  });

  it('a rebill order\'s approval is timed by the event, whatever placedAt says', () => {
    const external: OrderCompleted = { ...completed, data: { ...completed.data, orderId: 'o-r2', paymentType: 'EXTERNAL', transactionId: 'o-r2-ext', rebill: { purchaseId: 'pu-1', billingCycle: 2, originalOrderId: 'o-1' } } };
    const work = onOrderEvent({ ...external, eventId: 'e-1' }, { ...orderState([billing]), occurredAt: '2026-03-20T08:00:00.000Z', placedAt: '2026-03-15T00:00:00.000Z' });
    expect(work).toEqual([expect.objectContaining({ command: expect.objectContaining({ data: expect.objectContaining({ at: '2026-03-20T08:00:00.000Z' }) }) })]);
  });

  it('a recurring line starts a purchase only when the order says subscribe, or says nothing and was paid by card', () => {
    const optedOut = { ...recurringItem, subscribe: false };
    reactionSpec(onOrderEvent).given(orderState()).when({ ...completed, data: { ...completed.data, items: [optedOut] } }).thenNothing();
    const external: OrderCompleted = { ...completed, data: { ...completed.data, paymentType: 'EXTERNAL', items: [recurringItem] } };
    reactionSpec(onOrderEvent).given(orderState()).when(external).thenNothing();
    reactionSpec(onOrderEvent).given(orderState()).when({ ...external, data: { ...external.data, paymentType: 'COD' } }).thenNothing();
    const asked = { ...recurringItem, subscribe: true };
    reactionSpec(onOrderEvent).given(orderState()).when({ ...external, data: { ...external.data, items: [asked] } }).then([startWork('o-1-oi-1', asked)]);
  });

  it('an order of straight sales only starts nothing, and a rebill order starts nothing', () => {
    reactionSpec(onOrderEvent).given(orderState()).when({ ...completed, data: { ...completed.data, items: [straight] } }).thenNothing();
    reactionSpec(onOrderEvent).given(orderState([billing])).when({ ...completed, data: { ...completed.data, orderId: 'o-r2', rebill: { purchaseId: 'pu-1', billingCycle: 2, originalOrderId: 'o-1' } } }).thenNothing();
  });

  it('an EXTERNAL rebill order completing is its approval (no card charge follows)', () => {
    const external: OrderCompleted = { ...completed, data: { ...completed.data, orderId: 'o-r2', paymentType: 'EXTERNAL', transactionId: 'o-r2-ext', rebill: { purchaseId: 'pu-1', billingCycle: 2, originalOrderId: 'o-1' } } };
    reactionSpec(onOrderEvent).given(orderState([billing])).when(external).then([
      { purchaseId: 'pu-1', command: { type: 'RecordRebillApproved', data: { orderId: 'o-r2', transactionId: 'o-r2-ext', amount: 1588, currency: 'USD', message: 'EXTERNAL payment', at: '2026-03-01T10:00:00.000Z' } } },
    ]);
  });

  it('the rebill order placed by orders is recorded on its purchase', () => {
    const placed = { type: 'OrderPlaced', data: { ...snapshot, orderId: 'o-r2', rebill: { purchaseId: 'pu-1', billingCycle: 2, originalOrderId: 'o-1' }, qa: { required: false, reasons: [] }, placedAt: '2026-03-15T00:00:00.000Z' } } as OrderEvent;
    reactionSpec(onOrderEvent).given(orderState()).when(placed).then([{ purchaseId: 'pu-1', command: { type: 'RecordRebillOrder', data: { orderId: 'o-r2', billingCycle: 2 } } }]);
    reactionSpec(onOrderEvent).given(orderState()).when({ ...placed, data: { ...(placed.data as object), orderId: 'o-9', rebill: undefined } } as OrderEvent).thenNothing();
  });

  const cancelledOrder = (cancelPurchases?: 'NOW' | 'AFTER_NEXT_BILL'): OrderCancelled => ({
    type: 'OrderCancelled',
    data: { orderId: 'o-1', customerId: 'cu-1', paymentType: 'CARD', reason: 'fraud', fullRefund: true, ...(cancelPurchases ? { cancelPurchases } : {}), previousStatus: 'COMPLETE', refundableAmount: 1588 },
  });

  it('an order cancelled with "cancel purchases" NOW cancels the purchases it started', () => {
    reactionSpec(onOrderEvent).given(orderState([trial])).when(cancelledOrder('NOW')).then([
      { purchaseId: 'pu-1', command: { type: 'CancelPurchase', data: { when: 'NOW', reason: 'Order o-1 cancelled: fraud', source: 'ORDER_CANCELLED' } } },
    ]);
  });

  it('... or after their next bill', () => {
    reactionSpec(onOrderEvent).given(orderState([active])).when(cancelledOrder('AFTER_NEXT_BILL')).then([
      { purchaseId: 'pu-1', command: { type: 'CancelPurchase', data: { when: 'AFTER_NEXT_BILL', reason: 'Order o-1 cancelled: fraud', source: 'ORDER_CANCELLED' } } },
    ]);
  });

  it('an order cancelled without "cancel purchases", or purchases already cancelled, change nothing', () => {
    reactionSpec(onOrderEvent).given(orderState([trial])).when(cancelledOrder()).thenNothing();
    reactionSpec(onOrderEvent).given(orderState([cancelled])).when(cancelledOrder('NOW')).thenNothing();
  });
});

describe('onPaymentEvent: payments -> purchases', () => {
  const outcome = rebillChargeOutcome;
  const approved = { type: 'PaymentApproved', data: { ...outcome, message: 'Approved', response: 'SUCCESS', prepaid: false, purpose: 'REBILL' } } as PaymentsEvent;
  const declinedEvent = (response: 'SOFT_DECLINE' | 'HARD_DECLINE', purpose = 'REBILL') => ({ type: 'PaymentDeclined', data: { ...outcome, message: 'Declined', response, purpose } }) as PaymentsEvent;
  const state = { purchases: [billing], recycleDelaysMs: [1000, 2000] };
  const charge = { orderId: 'o-r2', transactionId: 'o-r2-charge-1', amount: 6294, currency: 'USD', cardLast4: '1111', cardBrand: 'VISA', at: '2026-03-15T01:00:00.000Z' };

  it('an approved rebill bills the purchase', () => {
    reactionSpec(onPaymentEvent).given(state).when(approved).then([{ purchaseId: 'pu-1', command: { type: 'RecordRebillApproved', data: { ...charge, message: 'Approved' } } }]);
  });

  it('a declined rebill is recorded with the recycle schedule', () => {
    reactionSpec(onPaymentEvent).given(state).when(declinedEvent('SOFT_DECLINE')).then([
      { purchaseId: 'pu-1', command: { type: 'RecordRebillDeclined', data: { ...charge, message: 'Declined', response: 'SOFT_DECLINE', recycleDelaysMs: [1000, 2000] } } },
    ]);
  });

  it('an approved rerun of a declined rebill order bills the purchase too', () => {
    const rerun = { ...approved, data: { ...(approved.data as object), purpose: 'RERUN' } } as PaymentsEvent;
    reactionSpec(onPaymentEvent).given(state).when(rerun).then([{ purchaseId: 'pu-1', command: { type: 'RecordRebillApproved', data: { ...charge, message: 'Approved' } } }]);
  });

  it("ignores payments of other orders and of new orders' first charges", () => {
    reactionSpec(onPaymentEvent).given({ purchases: [], recycleDelaysMs: [] }).when(approved).thenNothing();
    reactionSpec(onPaymentEvent).given(state).when({ ...approved, data: { ...(approved.data as object), purpose: 'ORDER' } } as PaymentsEvent).thenNothing();
    reactionSpec(onPaymentEvent).given(state).when(declinedEvent('SOFT_DECLINE', 'RERUN')).thenNothing();
  });

  describe('a rebill charge whose outcome is read before the purchase recorded its rebill order', () => {
    // payments charges the rebill order on its OrderPlaced; this service records that order on the
    // purchase from the same OrderPlaced, read by another consumer, which may come later under load
    const requestedOnly = purchaseOf([started, rebillRequested(2, '2026-03-15')]);
    const kept = (event: PaymentsEvent): RebillChargeOutcome => ({ ...event, eventId: `e-${event.type}` }) as RebillChargeOutcome;

    it('no purchase knows the order yet: nothing can be decided, so the outcome is kept (approved or declined)', () => {
      reactionSpec(onPaymentEvent).given({ purchases: [], recycleDelaysMs: [] }).when(approved).thenNothing();
      expect(keepsRebillOutcome(approved, [])).toBe(true);
      expect(keepsRebillOutcome(approved, [requestedOnly])).toBe(true);
      expect(keepsRebillOutcome(declinedEvent('HARD_DECLINE'), [])).toBe(true);
    });

    it('the kept outcomes of a recorded rebill order wait while the view does not show the record; a refused record has nothing to wait for', () => {
      expect(knowsRebillOrder([billing], 'o-r2')).toBe(true);
      expect(knowsRebillOrder([requestedOnly, trial], 'o-r2')).toBe(false);
      expect(keptOutcomesWait(false, true)).toBe(true);
      expect(keptOutcomesWait(true, true)).toBe(false);
      expect(keptOutcomesWait(false, false)).toBe(false);
    });

    it('an outcome its purchase can take at once, or of no rebill, is not kept', () => {
      expect(keepsRebillOutcome(approved, [billing])).toBe(false);
      expect(keepsRebillOutcome({ ...approved, data: { ...(approved.data as object), purpose: 'ORDER' } } as PaymentsEvent, [])).toBe(false);
      expect(keepsRebillOutcome({ ...approved, data: { ...(approved.data as object), purpose: 'RERUN' } } as PaymentsEvent, [])).toBe(false);
      expect(keepsRebillOutcome(voided(true), [])).toBe(false);
    });

    it('once the purchase records the order, the kept approval bills it: cycle 2, ACTIVE, next bill a month on', () => {
      const work = onRebillOrderRecorded([kept(approved)], { purchases: [billing], recycleDelaysMs: [] });
      expect(work).toEqual([{ purchaseId: 'pu-1', command: { type: 'RecordRebillApproved', data: { ...charge, message: 'Approved' } } }]);
      spec(purchaseDecider)
        .given([started, rebillRequested(2, '2026-03-15'), orderPlaced('o-r2', 2)])
        .when({ ...work[0]!.command, metadata: { now: NOW, actor: agent } } as never)
        .then([billed('o-r2', 2, '2026-04-14')]);
    });

    it('a kept decline is recorded with its recycle schedule', () => {
      const work = onRebillOrderRecorded([kept(declinedEvent('SOFT_DECLINE'))], { purchases: [billing], recycleDelaysMs: [86_400_000] });
      spec(purchaseDecider)
        .given([started, rebillRequested(2, '2026-03-15'), orderPlaced('o-r2', 2)])
        .when({ ...work[0]!.command, metadata: { now: NOW, actor: agent } } as never)
        .then([declined('o-r2', 2, 0), recycleScheduled(2, 1, '2026-03-11T15:00:00.000Z')]);
    });

    it('the same outcome decided both ways (kept and read again) bills the purchase once', () => {
      const work = onRebillOrderRecorded([kept(approved)], { purchases: [billing], recycleDelaysMs: [] });
      spec(purchaseDecider).given([started, rebillRequested(2, '2026-03-15'), orderPlaced('o-r2', 2), billed('o-r2', 2, '2026-04-14')]).when({ ...work[0]!.command, metadata: { now: NOW, actor: agent } } as never).then([]);
    });

    it('nothing kept, nothing to do', () => {
      expect(onRebillOrderRecorded([], { purchases: [billing], recycleDelaysMs: [] })).toEqual([]);
    });
  });

  const voided = (autoCancel: boolean, orderId = 'o-1') =>
    ({ type: 'ChargeVoided', data: { transactionId: `${orderId}-charge-1`, orderId, customerId: 'cu-1', voidId: 'v-1', amount: 794, currency: 'USD', gatewayTransactionId: null, message: 'Voided', autoCancel, at: '2026-03-02T00:00:00.000Z' } }) as PaymentsEvent;

  it('auto-cancel on void: the purchase of the voided order is cancelled now', () => {
    reactionSpec(onPaymentEvent).given({ purchases: [trial], recycleDelaysMs: [] }).when(voided(true)).then([
      { purchaseId: 'pu-1', command: { type: 'CancelPurchase', data: { when: 'NOW', reason: 'Voided transaction o-1-charge-1 (auto-cancel)', source: 'VOID' } } },
    ]);
  });

  it('auto-cancel on refund of a rebill order cancels the purchase it billed', () => {
    const refunded = { type: 'RefundSucceeded', data: { transactionId: 'o-r2-charge-1', orderId: 'o-r2', customerId: 'cu-1', refundId: 'r-1', amount: 6294, currency: 'USD', attempt: 1, gatewayTransactionId: null, message: 'ok', refundedTotal: 6294, fullyRefunded: true, autoCancel: true, at: '2026-03-20T00:00:00.000Z' } } as PaymentsEvent;
    reactionSpec(onPaymentEvent).given({ purchases: [active], recycleDelaysMs: [] }).when(refunded).then([
      { purchaseId: 'pu-1', command: { type: 'CancelPurchase', data: { when: 'NOW', reason: 'Refunded transaction o-r2-charge-1 (auto-cancel)', source: 'REFUND' } } },
    ]);
  });

  it('without the account option, or for a cancelled purchase, a void changes nothing', () => {
    reactionSpec(onPaymentEvent).given({ purchases: [trial], recycleDelaysMs: [] }).when(voided(false)).thenNothing();
    reactionSpec(onPaymentEvent).given({ purchases: [cancelled], recycleDelaysMs: [] }).when(voided(true)).thenNothing();
  });
});

describe('onFulfillmentEvent: fulfillments of the purchase orders', () => {
  const created = {
    type: 'FulfillmentCreated',
    data: {
      fulfillmentId: 'f-2',
      orderId: 'o-r2',
      customerId: 'cu-1',
      reference: 'F-2',
      items: [{ productId: 'p-sub', sku: 'SUB', name: 'Monthly box', quantity: 1 }],
      shippingAddress: { line1: '1 Main', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' },
      shippingMethod: 'STANDARD',
      cod: null,
      reshipOf: null,
      at: '2026-03-15T02:00:00.000Z',
    },
  } as FulfillmentEvent;

  it('records a fulfillment of a rebill order on its purchase, and its shipping', () => {
    reactionSpec(onFulfillmentEvent).given([active]).when(created).then([
      { purchaseId: 'pu-1', command: { type: 'RecordFulfillment', data: { fulfillmentId: 'f-2', orderId: 'o-r2', status: 'HOLD', at: '2026-03-15T02:00:00.000Z' } } },
    ]);
    const shipped = { type: 'FulfillmentShipped', data: { fulfillmentId: 'f-2', orderId: 'o-r2', trackingNumber: '1Z', carrier: null, shippedAt: '2026-03-16T00:00:00.000Z' } } as FulfillmentEvent;
    reactionSpec(onFulfillmentEvent).given([active]).when(shipped).then([
      { purchaseId: 'pu-1', command: { type: 'RecordFulfillment', data: { fulfillmentId: 'f-2', orderId: 'o-r2', status: 'SHIPPED', at: '2026-03-16T00:00:00.000Z', trackingNumber: '1Z' } } },
    ]);
  });

  it('follows a fulfillment through failure, resend, RMA and return', () => {
    const ref = { fulfillmentId: 'f-2', orderId: 'o-r2' };
    const steps: [FulfillmentEvent, string][] = [
      [{ type: 'FulfillmentFailed', data: { ...ref, reason: 'address not found', attempt: 1, final: false, at: '2026-03-16T00:00:00.000Z' } } as FulfillmentEvent, 'FAILED'],
      [{ type: 'FulfillmentRecycled', data: { ...ref, at: '2026-03-16T00:00:00.000Z' } }, 'RECYCLED'],
      [{ type: 'FulfillmentRmaIssued', data: { ...ref, rmaNumber: 'RMA-1', at: '2026-03-16T00:00:00.000Z' } }, 'RMA_PENDING'],
      [{ type: 'FulfillmentReturned', data: { ...ref, returnedAt: '2026-03-16T00:00:00.000Z', reason: null } }, 'RETURNED'],
    ];
    for (const [event, status] of steps) {
      reactionSpec(onFulfillmentEvent).given([active]).when(event).then([
        { purchaseId: 'pu-1', command: { type: 'RecordFulfillment', data: { ...ref, status, at: '2026-03-16T00:00:00.000Z' } } },
      ]);
    }
  });

  it('ignores fulfillments of other orders', () => {
    reactionSpec(onFulfillmentEvent).given([trial]).when(created).thenNothing();
  });
});

describe('onOrderLearned: fulfillments read before the purchase knew their order', () => {
  it('records them on the purchase once it records the rebill order', () => {
    reactionSpec(onOrderLearned)
      .given([{ fulfillmentId: 'f-2', status: 'SHIPPED', at: '2026-03-16T00:00:00.000Z', trackingNumber: '1Z' }])
      .when(orderPlaced('o-r2', 2) as never)
      .then([{ purchaseId: 'pu-1', command: { type: 'RecordFulfillment', data: { fulfillmentId: 'f-2', orderId: 'o-r2', status: 'SHIPPED', at: '2026-03-16T00:00:00.000Z', trackingNumber: '1Z' } } }]);
  });

  it('records nothing when none was seen', () => {
    reactionSpec(onOrderLearned).given([]).when(started).thenNothing();
  });
});

describe('onOrderEvent: every terminal outcome of a rebill order reaches its purchase', () => {
  const rebillInfo = { purchaseId: 'pu-1', billingCycle: 2, originalOrderId: 'o-1' };
  const at = '2026-03-01T10:00:00.000Z';

  it('RebillRefused (orders placed no order): the bill was not billed, REFUSED, with the code and reason', () => {
    reactionSpec(onOrderEvent)
      .given(orderState())
      .when({
        type: 'RebillRefused',
        data: { purchaseId: 'pu-1', customerId: 'cu-1', originalOrderId: 'o-1', billingCycle: 2, attempt: 1, orderId: 'o-r2b', code: 'QUANTITY_LIMIT', reason: 'At most 100 units', field: 'items.0.quantity', at: '2026-03-15T00:00:01.000Z' },
      })
      .then([
        {
          purchaseId: 'pu-1',
          command: { type: 'RecordRebillNotBilled', data: { orderId: 'o-r2b', billingCycle: 2, attempt: 1, outcome: 'REFUSED', code: 'QUANTITY_LIMIT', reason: 'At most 100 units', at: '2026-03-15T00:00:01.000Z' } },
        },
      ]);
  });

  it('QA declines a rebill order the purchase awaits: not billed, QA_DECLINED', () => {
    const declinedByQa: OrderEvent = { type: 'OrderDeclined', data: { orderId: 'o-r2', customerId: 'cu-1', paymentType: 'EXTERNAL', source: 'QA', message: 'Looks like fraud' } };
    reactionSpec(onOrderEvent).given(orderState([billing])).when(declinedByQa).then([
      { purchaseId: 'pu-1', command: { type: 'RecordRebillNotBilled', data: { orderId: 'o-r2', billingCycle: 2, attempt: 0, outcome: 'QA_DECLINED', reason: 'Looks like fraud', at } } },
    ]);
    // a payment decline is payments' answer (PaymentDeclined, purpose REBILL), and an order already billed is not reopened
    reactionSpec(onOrderEvent).given(orderState([billing])).when({ ...declinedByQa, data: { ...declinedByQa.data, source: 'PAYMENT', declineType: 'SOFT' } } as OrderEvent).thenNothing();
    reactionSpec(onOrderEvent).given(orderState([active])).when(declinedByQa).thenNothing();
  });

  it('QA approves an EXTERNAL rebill order: that is its approval (billed)', () => {
    const approved: OrderEvent = { type: 'OrderApproved', data: { ...snapshot, orderId: 'o-r2', paymentType: 'EXTERNAL', transactionId: 'o-r2-ext', rebill: rebillInfo } };
    reactionSpec(onOrderEvent).given(orderState([billing])).when(approved).then([
      { purchaseId: 'pu-1', command: { type: 'RecordRebillApproved', data: { orderId: 'o-r2', transactionId: 'o-r2-ext', amount: 1588, currency: 'USD', message: 'EXTERNAL payment', at } } },
    ]);
  });

  it('QA approving a CARD rebill order bills nothing more (its charge was the approval), nor a COD one (billed when paid on delivery)', () => {
    const approved: OrderEvent = { type: 'OrderApproved', data: { ...snapshot, orderId: 'o-r2', transactionId: 'o-r2-charge-1', rebill: rebillInfo } };
    reactionSpec(onOrderEvent).given(orderState([billing])).when(approved).thenNothing();
    reactionSpec(onOrderEvent).given(orderState([billing])).when({ ...approved, data: { ...approved.data, paymentType: 'COD' } } as OrderEvent).thenNothing();
  });

  it('a rebill order cancelled while the purchase awaits it: not billed, ORDER_CANCELLED (the cycle is due again)', () => {
    const cancelledRebill: OrderCancelled = {
      type: 'OrderCancelled',
      data: { orderId: 'o-r2', customerId: 'cu-1', paymentType: 'EXTERNAL', reason: 'wrong address', fullRefund: false, previousStatus: 'PENDING', refundableAmount: 1588 },
    };
    reactionSpec(onOrderEvent).given(orderState([billing])).when(cancelledRebill).then([
      { purchaseId: 'pu-1', command: { type: 'RecordRebillNotBilled', data: { orderId: 'o-r2', billingCycle: 2, attempt: 0, outcome: 'ORDER_CANCELLED', reason: 'Order o-r2 cancelled: wrong address', at } } },
    ]);
    // once billed, cancelling the order is a refund matter: the purchase stays billed
    reactionSpec(onOrderEvent).given(orderState([active])).when(cancelledRebill).thenNothing();
  });
});

describe('onOrderEvent: RebillOrderReported (a request asked again whose order had ended) catches the purchase up', () => {
  const report = (status: 'COMPLETE' | 'REFUNDED' | 'DECLINED' | 'CANCELLED', extra: Record<string, unknown> = {}) =>
    ({
      type: 'RebillOrderReported',
      data: { purchaseId: 'pu-1', customerId: 'cu-1', billingCycle: 2, attempt: 0, orderId: 'o-r2', status, paymentType: 'EXTERNAL', amount: 6294, currency: 'USD', at: '2026-04-01T00:00:00.000Z', ...extra },
    }) as const;

  it('COMPLETE (QA approved an EXTERNAL order): its approval', () => {
    reactionSpec(onOrderEvent).given(orderState([billing])).when(report('COMPLETE', { transactionId: 'o-r2-ext' })).then([
      { purchaseId: 'pu-1', command: { type: 'RecordRebillApproved', data: { orderId: 'o-r2', transactionId: 'o-r2-ext', amount: 6294, currency: 'USD', message: 'EXTERNAL payment', at: '2026-04-01T00:00:00.000Z' } } },
    ]);
  });

  it('DECLINED by QA and CANCELLED: not billed', () => {
    reactionSpec(onOrderEvent).given(orderState([billing])).when(report('DECLINED', { reason: 'Declined by QA' })).then([
      { purchaseId: 'pu-1', command: { type: 'RecordRebillNotBilled', data: { orderId: 'o-r2', billingCycle: 2, attempt: 0, outcome: 'QA_DECLINED', reason: 'Declined by QA', at: '2026-04-01T00:00:00.000Z' } } },
    ]);
    reactionSpec(onOrderEvent).given(orderState([billing])).when(report('CANCELLED', { reason: 'wrong address' })).then([
      { purchaseId: 'pu-1', command: { type: 'RecordRebillNotBilled', data: { orderId: 'o-r2', billingCycle: 2, attempt: 0, outcome: 'ORDER_CANCELLED', reason: 'wrong address', at: '2026-04-01T00:00:00.000Z' } } },
    ]);
  });

  it('nothing for an order the purchase does not know as its rebill', () => {
    reactionSpec(onOrderEvent).given(orderState([trial])).when(report('DECLINED')).thenNothing();
  });
});
