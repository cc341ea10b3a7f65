import { DomainEvent, registry } from '@continuum/contracts';
import { consistentWorld, eventsOf, FixtureAppend, historyOf, mergeWorlds, orderWorld, purchaseBilled, rebillWorld, ServiceName, SERVICES, TOTAL, World } from './reconcile.fixtures';
import { formatReport, jsonReport, Ledger, reconcile, ReconcileReport, StreamSequencer, summaryLine } from './reconcile';

/** Reconciles a world; the history is the orders' events unless given. */
const check = (world: World, history: DomainEvent[] | null = historyOf(world)): ReconcileReport =>
  reconcile({
    orders: eventsOf(world, 'orders'),
    payments: eventsOf(world, 'payments'),
    fulfillment: eventsOf(world, 'fulfillment'),
    subscriptions: eventsOf(world, 'subscriptions'),
    ...(history ? { history } : {}),
  });
const found = (report: ReconcileReport) => report.disagreements.map((d) => [d.orderId, d.code]);

/** The world without the events `drop` picks. */
function without(world: World, service: ServiceName, drop: (event: DomainEvent, append: FixtureAppend) => boolean): World {
  return { ...world, [service]: world[service].map((append) => ({ ...append, events: append.events.filter((event) => !drop(event, append)) })) };
}
/** The world with one more append. */
function plus(world: World, service: ServiceName, streamId: string, ...events: DomainEvent[]): World {
  return { ...world, [service]: [...world[service], { streamId, events }] };
}
/** The world with the events `change` rewrites. */
function changed(world: World, service: ServiceName, change: (event: DomainEvent) => DomainEvent): World {
  return { ...world, [service]: world[service].map((append) => ({ ...append, events: append.events.map(change) })) };
}
const dataOf = (event: DomainEvent) => event.data as Record<string, unknown>;
const ofOrder = (orderId: string) => (event: DomainEvent) => dataOf(event)['orderId'] === orderId;
const ref = (orderId: string, transactionId: string) => ({ transactionId, orderId, customerId: `cu-${orderId}` });

describe('reconcile fixtures', () => {
  it('are valid events of the registry (the stores would accept them)', () => {
    const world = consistentWorld();
    for (const service of SERVICES) {
      for (const event of eventsOf(world, service)) {
        expect(() => registry.validate(event.type, registry.current(event.type).version, event.data)).not.toThrow();
      }
    }
  });
});

describe('reconcile: consistent events', () => {
  it('reports nothing for a consistent system of every kind of order, history included', () => {
    const report = check(consistentWorld());
    expect(report).toEqual({ ordersChecked: 8, disagreements: [], historyChecked: true, orders: {} });
  });

  it('skips the history checks when no history was read', () => {
    expect(check(consistentWorld(), null)).toEqual({ ordersChecked: 8, disagreements: [], historyChecked: false, orders: {} });
  });

  it('passes over event types it does not know, in any service', () => {
    const world = plus(plus(consistentWorld(), 'payments', 'transaction-x', { type: 'SomethingNew', data: { orderId: 'o-card', transactionId: 'x', amount: 1 } }), 'orders', 'order-o-card', {
      type: 'OrderSomethingElse',
      data: { orderId: 'o-card' },
    });
    expect(check(world).disagreements).toEqual([]);
  });
});

describe('reconcile: charged vs order total', () => {
  it('an approved charge whose amount differs from the order total', () => {
    const world = changed(consistentWorld(), 'payments', (event) => (event.type === 'PaymentApproved' && ofOrder('o-card')(event) ? { ...event, data: { ...dataOf(event), amount: 5000 } } : event));
    const report = check(world);
    expect(found(report)).toEqual([['o-card', 'CHARGED_NE_TOTAL']]);
    expect(report.disagreements[0]!.details).toEqual({ charged: 5000, total: TOTAL, transactionIds: ['o-card-charge-1'] });
  });

  it('a second approved charge of the same order (charged twice)', () => {
    const world = plus(consistentWorld(), 'payments', 'transaction-o-card-rerun-1', {
      type: 'PaymentApproved',
      data: { ...dataOf(eventsOf(orderWorld('o-card', 'card'), 'payments')[0]!), transactionId: 'o-card-rerun-1', purpose: 'RERUN' },
    });
    expect(found(check(world))).toEqual([['o-card', 'CHARGED_NE_TOTAL']]);
  });

  it('a captured authorization counts what was captured', () => {
    const world = changed(consistentWorld(), 'payments', (event) => (event.type === 'PaymentApproved' && ofOrder('o-card')(event) ? { ...event, data: { ...dataOf(event), type: 'AUTHORIZE' } } : event));
    const captured = (amount: number) => ({ type: 'AuthorizationCaptured', data: { ...ref('o-card', 'o-card-charge-1'), captureId: 'cap-1', amount, currency: 'USD', gatewayTransactionId: null, message: 'Captured', at: '2026-01-05T10:00:00.000Z' } });
    expect(check(plus(world, 'payments', 'transaction-o-card-charge-1', captured(TOTAL))).disagreements).toEqual([]);
    expect(found(check(plus(world, 'payments', 'transaction-o-card-charge-1', captured(TOTAL - 1))))).toEqual([['o-card', 'CHARGED_NE_TOTAL']]);
  });

  it('an EXTERNAL order whose recorded payment differs, or is missing', () => {
    const differs = changed(consistentWorld(), 'payments', (event) => (event.type === 'ExternalPaymentRecorded' ? { ...event, data: { ...dataOf(event), amount: 0 } } : event));
    expect(found(check(differs))).toEqual([['o-external', 'EXTERNAL_NE_TOTAL']]);
    const missing = without(consistentWorld(), 'payments', (event) => event.type === 'ExternalPaymentRecorded');
    expect(found(check(missing))).toEqual([['o-external', 'EXTERNAL_NOT_RECORDED']]);
  });

  it('a COMPLETE COD order without its payment, or paid another amount', () => {
    const missing = without(consistentWorld(), 'payments', (event) => event.type === 'CodPaymentReceived');
    expect(found(check(missing))).toEqual([['o-cod-paid', 'COD_NOT_PAID']]);
    const differs = changed(consistentWorld(), 'payments', (event) => (event.type === 'CodPaymentReceived' ? { ...event, data: { ...dataOf(event), amount: 100 } } : event));
    expect(found(check(differs))).toEqual([['o-cod-paid', 'COD_PAID_NE_TOTAL']]);
  });
});

describe('reconcile: refunds vs charges', () => {
  it('a refund above the charge', () => {
    const refund = { ...ref('o-card', 'o-card-charge-1'), refundId: 'rf-big', amount: TOTAL + 1, currency: 'USD', at: '2026-01-05T10:00:00.000Z' };
    const world = plus(consistentWorld(), 'payments', 'transaction-o-card-charge-1', {
      type: 'RefundSucceeded',
      data: { ...refund, attempt: 1, gatewayTransactionId: null, message: 'Refunded', refundedTotal: TOTAL + 1, fullyRefunded: true, autoCancel: false },
    });
    const report = check(world);
    // orders never recorded it either
    expect(found(report)).toEqual([
      ['o-card', 'ORDER_REFUNDED_NE_PAYMENTS'],
      ['o-card', 'REFUNDS_EXCEED_CHARGE'],
    ]);
    expect(report.disagreements[1]!.details).toEqual({ transactionId: 'o-card-charge-1', charged: TOTAL, voided: 0, refunded: TOTAL + 1, chargebacks: 0 });
  });

  it('a chargeback on top of a refund counts against the charge; a reverted one does not', () => {
    const chargeback = { type: 'ChargebackMarked', data: { ...ref('o-card-refunded', 'o-card-refunded-charge-1'), amount: TOTAL, date: '2026-01-20', reasonCode: '4837', note: null, at: '2026-01-20T10:00:00.000Z' } };
    const marked = plus(consistentWorld(), 'payments', 'transaction-o-card-refunded-charge-1', chargeback);
    expect(found(check(marked))).toEqual([['o-card-refunded', 'REFUNDS_EXCEED_CHARGE']]);
    const reverted = plus(marked, 'payments', 'transaction-o-card-refunded-charge-1', { type: 'ChargebackReverted', data: { ...ref('o-card-refunded', 'o-card-refunded-charge-1'), amount: TOTAL, at: '2026-01-21T10:00:00.000Z' } });
    expect(check(reverted).disagreements).toEqual([]);
  });

  it('an order marked REFUNDED without any refund in payments', () => {
    const world = without(consistentWorld(), 'payments', (event) => event.type === 'RefundSucceeded');
    expect(found(check(world))).toEqual([['o-card-refunded', 'REFUNDED_WITHOUT_REFUND']]);
  });

  it('a refund payments made that the order did not record', () => {
    const world = without(consistentWorld(), 'orders', (event) => event.type === 'OrderRefunded' && ofOrder('o-cancelled')(event));
    const report = check(world, historyOf(world));
    expect(found(report)).toEqual([['o-cancelled', 'ORDER_REFUNDED_NE_PAYMENTS']]);
    expect(report.disagreements[0]!.details).toEqual({ orderRefunded: 0, paymentsReturned: TOTAL });
  });
});

describe('reconcile: order status vs payment outcome', () => {
  it('a COMPLETE card order without an approved charge', () => {
    const world = without(consistentWorld(), 'payments', (event) => ofOrder('o-card')(event));
    expect(found(check(world))).toEqual([['o-card', 'COMPLETED_WITHOUT_CHARGE']]);
  });

  it('an upsell charge alone does not pay the order', () => {
    const world = changed(consistentWorld(), 'payments', (event) =>
      event.type === 'PaymentApproved' && ofOrder('o-card')(event) ? { ...event, data: { ...dataOf(event), purpose: 'UPSELL', orderItemId: 'oi-2' } } : event,
    );
    expect(found(check(world))).toEqual([['o-card', 'COMPLETED_WITHOUT_CHARGE']]);
  });

  it('a DECLINED order with an approved charge that was not given back', () => {
    const approvedCharge = { ...eventsOf(orderWorld('o-declined', 'card'), 'payments')[0]!, data: { ...dataOf(eventsOf(orderWorld('o-declined', 'card'), 'payments')[0]!), transactionId: 'o-declined-rerun-1', purpose: 'RERUN' } };
    const world = plus(consistentWorld(), 'payments', 'transaction-o-declined-rerun-1', approvedCharge);
    const report = check(world);
    expect(found(report)).toEqual([['o-declined', 'DECLINED_WITH_CHARGE']]);
    expect(report.disagreements[0]!.details).toEqual({ transactionId: 'o-declined-rerun-1', charged: TOTAL, returned: 0 });
    // voided, it is given back
    const voided = { ...ref('o-declined', 'o-declined-rerun-1'), voidId: 'v-1', amount: TOTAL, currency: 'USD', gatewayTransactionId: null, message: 'Voided', autoCancel: false, at: '2026-01-05T10:00:00.000Z' };
    const givenBack = plus(world, 'payments', 'transaction-o-declined-rerun-1', { type: 'ChargeVoided', data: voided });
    // the order did not record that void: only the refunded totals disagree now
    expect(found(check(givenBack))).toEqual([['o-declined', 'ORDER_REFUNDED_NE_PAYMENTS']]);
  });

  it('a charge for an order that does not exist', () => {
    const ghost = eventsOf(orderWorld('ghost', 'card'), 'payments');
    const world = plus(consistentWorld(), 'payments', 'transaction-ghost-charge-1', ...ghost);
    const report = check(world);
    expect(found(report)).toEqual([['ghost', 'CHARGE_FOR_UNKNOWN_ORDER']]);
    expect(report.ordersChecked).toBe(8);
    expect(report.orders).toEqual({ ghost: null });
    expect(formatReport(report)).toContain('order ghost (not known to the orders service)\n  CHARGE_FOR_UNKNOWN_ORDER: transaction ghost-charge-1 names');
  });
});

describe('reconcile: fulfillment vs order', () => {
  it('a completed order without a fulfillment', () => {
    const world = without(consistentWorld(), 'fulfillment', (event) => ofOrder('o-external')(event));
    expect(found(check(world))).toEqual([['o-external', 'MISSING_FULFILLMENT']]);
  });

  it('a cancelled order whose unshipped fulfillment is not cancelled', () => {
    const world = without(consistentWorld(), 'fulfillment', (event) => event.type === 'FulfillmentCancelled');
    const report = check(world);
    expect(found(report)).toEqual([['o-cancelled', 'FULFILLMENT_NOT_CANCELLED']]);
    expect(report.disagreements[0]!.details).toEqual({ fulfillmentId: 'o-cancelled-F1', status: 'HOLD' });
  });

  it('a cancelled order whose fulfillment shipped already is not a disagreement (it cannot be cancelled)', () => {
    const shipped = { type: 'FulfillmentShipped', data: { fulfillmentId: 'o-cancelled-F1', orderId: 'o-cancelled', trackingNumber: '1Z', carrier: null, shippedAt: '2026-01-05T10:00:00.000Z' } };
    const world = without(consistentWorld(), 'fulfillment', (event) => event.type === 'FulfillmentCancelled');
    expect(check(plus(world, 'fulfillment', 'fulfillment-o-cancelled-F1', shipped)).disagreements).toEqual([]);
  });

  it('a fulfillment for an order that does not exist', () => {
    const world = mergeWorlds(consistentWorld(), { ...orderWorld('ghost', 'card'), orders: [], payments: [] });
    expect(found(check(world))).toEqual([['ghost', 'FULFILLMENT_FOR_UNKNOWN_ORDER']]);
  });
});

describe('reconcile: purchase cycles vs rebill orders', () => {
  it('a billed cycle whose order the orders service does not know', () => {
    const world = plus(consistentWorld(), 'subscriptions', 'purchase-o-sub-oi-1', purchaseBilled('o-sub-oi-1', 'cu-o-sub', 'o-sub-r3', 3));
    expect(found(check(world))).toEqual([['o-sub-r3', 'BILLED_CYCLE_WITHOUT_ORDER']]);
  });

  it('a billed cycle naming an order that is not that rebill', () => {
    const world = plus(consistentWorld(), 'subscriptions', 'purchase-o-sub-oi-1', purchaseBilled('o-sub-oi-1', 'cu-o-sub', 'o-card', 3));
    expect(found(check(world))).toEqual([['o-card', 'BILLED_CYCLE_ORDER_MISMATCH']]);
  });

  it('two paid rebill orders for one cycle', () => {
    const second = orderWorld('o-sub-r2b', 'card', { customerId: 'cu-o-sub', recurring: true, rebill: { purchaseId: 'o-sub-oi-1', billingCycle: 2, originalOrderId: 'o-sub' } });
    const report = check(mergeWorlds(consistentWorld(), second));
    expect(found(report)).toEqual([
      ['o-sub-r2', 'DUPLICATE_REBILL_ORDER'],
      ['o-sub-r2b', 'DUPLICATE_REBILL_ORDER'],
    ]);
    expect(report.disagreements[0]!.details).toEqual({ purchaseId: 'o-sub-oi-1', billingCycle: 2, otherOrderIds: ['o-sub-r2b'] });
  });

  it('a declined retry of a cycle next to its paid rebill order is not a duplicate', () => {
    const retry = orderWorld('o-sub-r2-retry', 'declined', { customerId: 'cu-o-sub', recurring: true, rebill: { purchaseId: 'o-sub-oi-1', billingCycle: 2, originalOrderId: 'o-sub' } });
    expect(check(mergeWorlds(consistentWorld(), retry)).disagreements).toEqual([]);
  });

  it('a paid rebill order whose purchase did not bill the cycle', () => {
    const world = without(consistentWorld(), 'subscriptions', (event) => event.type === 'PurchaseBilled');
    expect(found(check(world))).toEqual([['o-sub-r2', 'REBILL_ORDER_NOT_BILLED']]);
  });

  it('the rebill checks need only what the subscriptions store holds', () => {
    expect(check(rebillWorld('s')).disagreements).toEqual([]);
  });
});

describe('reconcile: history vs the services', () => {
  const world = consistentWorld();

  it('an order the history does not show', () => {
    const history = historyOf(world).filter((event) => !ofOrder('o-card')(event));
    expect(found(check(world, history))).toEqual([['o-card', 'HISTORY_ORDER_MISSING']]);
  });

  it('another status (the history missed the last event)', () => {
    const history = historyOf(world).filter((event) => !(ofOrder('o-declined')(event) && event.type === 'OrderDeclined'));
    const report = check(world, history);
    expect(found(report)).toEqual([['o-declined', 'HISTORY_STATUS_MISMATCH']]);
    expect(report.disagreements[0]!.details).toEqual({ history: 'PROCESSING', orders: 'DECLINED' });
  });

  it('another total or refunded amount', () => {
    const history = historyOf(world).map((event) =>
      event.type === 'OrderRefunded' && ofOrder('o-card-refunded')(event) ? { ...event, data: { ...dataOf(event), refundedTotal: 999 } } : event,
    );
    const report = check(world, history);
    expect(found(report)).toEqual([['o-card-refunded', 'HISTORY_TOTAL_MISMATCH']]);
    expect(report.disagreements[0]!.details).toEqual({ history: { total: TOTAL, refunded: 999 }, orders: { total: TOTAL, refunded: 1000 } });
  });

  it('an order only the history knows', () => {
    const history = [...historyOf(world), ...historyOf(orderWorld('ghost', 'card'))];
    expect(found(check(world, history))).toEqual([['ghost', 'HISTORY_ORDER_UNKNOWN']]);
  });

  it('an empty history that was read reports every order missing', () => {
    const ledger = new Ledger();
    for (const event of eventsOf(orderWorld('o-1', 'declined'), 'orders')) ledger.add('orders', event);
    for (const event of eventsOf(orderWorld('o-1', 'declined'), 'payments')) ledger.add('payments', event);
    ledger.historyWasRead();
    expect(found(ledger.report())).toEqual([['o-1', 'HISTORY_ORDER_MISSING']]);
  });
});

describe('reconcile: several disagreements of several orders at once', () => {
  it('lists them by order, then code', () => {
    let world = without(consistentWorld(), 'fulfillment', (event) => ofOrder('o-card')(event) || event.type === 'FulfillmentCancelled');
    world = changed(world, 'payments', (event) => (event.type === 'CodPaymentReceived' ? { ...event, data: { ...dataOf(event), amount: 1 } } : event));
    expect(found(check(world))).toEqual([
      ['o-cancelled', 'FULFILLMENT_NOT_CANCELLED'],
      ['o-card', 'MISSING_FULFILLMENT'],
      ['o-cod-paid', 'COD_PAID_NE_TOTAL'],
    ]);
  });
});

describe('StreamSequencer', () => {
  const commit = (streamId: string, seq: number, events = 1) => ({ streamId, seq, events: Array.from({ length: events }, () => ({})) });

  it('hands commits on in stream order, holding one until its predecessor came', () => {
    const sequencer = new StreamSequencer();
    expect(sequencer.push(commit('a', 0, 2))).toEqual([commit('a', 0, 2)]);
    expect(sequencer.push(commit('a', 3))).toEqual([]);
    expect(sequencer.push(commit('b', 0))).toEqual([commit('b', 0)]);
    expect(sequencer.push(commit('a', 2))).toEqual([commit('a', 2), commit('a', 3)]);
    expect(sequencer.stranded()).toEqual([]);
  });

  it('passes over a commit met twice and names streams with a gap', () => {
    const sequencer = new StreamSequencer();
    sequencer.push(commit('a', 0));
    expect(sequencer.push(commit('a', 0))).toEqual([]);
    expect(sequencer.push(commit('c', 1))).toEqual([]);
    expect(sequencer.stranded()).toEqual(['c']);
  });
});

describe('reconcile output', () => {
  const report = check(without(consistentWorld(), 'payments', (event) => ofOrder('o-card')(event)));

  it('prints each order with its codes and the summary line', () => {
    expect(formatReport(report)).toBe(
      ['order o-card (CARD COMPLETE, total 5499, refunded 0)', '  COMPLETED_WITHOUT_CHARGE: order is COMPLETE but payments approved no charge for it', '8 orders checked, 1 disagreement', ''].join('\n'),
    );
    expect(summaryLine(check(consistentWorld()))).toBe('8 orders checked, 0 disagreements');
  });

  it('says when the history was not checked', () => {
    expect(formatReport(check(consistentWorld(), null))).toContain('history checks skipped');
  });

  it('gives machine output with --json', () => {
    expect(JSON.parse(jsonReport(report, ['a note']))).toEqual({
      ordersChecked: 8,
      disagreements: 1,
      historyChecked: true,
      notes: ['a note'],
      orders: [{ orderId: 'o-card', order: { paymentType: 'CARD', status: 'COMPLETE', total: TOTAL, refunded: 0 }, disagreements: [{ code: 'COMPLETED_WITHOUT_CHARGE', message: 'order is COMPLETE but payments approved no charge for it', details: { status: 'COMPLETE' } }] }],
    });
  });
});
