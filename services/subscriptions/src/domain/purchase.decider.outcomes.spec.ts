import { RebillRequested, SubscriptionEvent } from '@continuum/contracts';
import { spec } from '@continuum/testing';
import { purchaseDecider } from './purchase.decider';
import { approvedCommand, billed, cmd, declined, NOW, orderPlaced, purchaseRef as ref, rebillRequested, recycleScheduled, started } from './purchase.fixtures';
import { ExistingPurchase } from './purchase.state';

const given = (events: readonly SubscriptionEvent[]) => spec(purchaseDecider).given(events);
const stateOf = (events: readonly SubscriptionEvent[]) => given(events).state as ExistingPurchase;
const AT = '2026-03-15T01:00:00.000Z';

/** cycle 2 requested, no order yet */
const requested = [started, rebillRequested(2, '2026-03-15')];
/** cycle 2 requested, its order o-r2 placed and awaited */
const awaited = [...requested, orderPlaced('o-r2', 2)];
/** the first recycle retry of cycle 2 requested (request 1 of the cycle) */
const retrying = [...awaited, declined('o-r2', 2, 0), recycleScheduled(2, 1, '2026-03-16T15:00:00.000Z'), rebillRequested(2, '2026-03-15', 'RECYCLE', 1)];
const cancellationScheduled: SubscriptionEvent = { type: 'PurchaseCancellationScheduled', data: { ...ref, when: 'AFTER_NEXT_BILL', reason: 'moving away', source: 'AGENT', previousStatus: 'TRIAL' } };

const refused = (attempt = 0, orderId = 'o-refused') =>
  cmd('RecordRebillNotBilled', { orderId, billingCycle: 2, attempt, outcome: 'REFUSED', code: 'BLACKLISTED', reason: 'This order matches blacklist rule EMAIL', at: AT });
const notBilled = (outcome: 'REFUSED' | 'QA_DECLINED' | 'ORDER_CANCELLED', orderId: string, attempt = 0, reason = 'This order matches blacklist rule EMAIL'): SubscriptionEvent => ({
  type: 'PurchaseRebillNotBilled',
  data: { ...ref, orderId, billingCycle: 2, attempt, outcome, ...(outcome === 'REFUSED' ? { code: 'BLACKLISTED' } : {}), reason, at: AT },
});
const recycleFailed = (reason: 'REFUSED' | 'QA_DECLINED' | 'ORDER_CANCELLED', previousStatus: 'TRIAL' | 'RECYCLE_BILLING' = 'TRIAL', attempts = 0): SubscriptionEvent => ({
  type: 'PurchaseRecycleFailed',
  data: { ...ref, billingCycle: 2, attempts, reason, previousStatus },
});
const orderEnded = (outcome: 'QA_DECLINED' | 'ORDER_CANCELLED', orderId = 'o-r2', attempt = 0, reason = 'Declined by QA') =>
  cmd('RecordRebillNotBilled', { orderId, billingCycle: 2, attempt, outcome, reason, at: AT });

describe('purchase decider: a rebill orders refused (RebillRefused)', () => {
  it('is a decline for good: the bill is no longer in flight and the purchase is RECYCLE_FAILED (the same order would be refused again)', () => {
    given(requested).when(refused()).then([notBilled('REFUSED', 'o-refused'), recycleFailed('REFUSED')]);
    const after = stateOf([...requested, notBilled('REFUSED', 'o-refused'), recycleFailed('REFUSED')]);
    expect(after).toMatchObject({ status: 'RECYCLE_FAILED', bill: null, billingCycle: 1 });
  });

  it('no longer answers BILL_IN_PROGRESS: force bill says why (reactivate first), and after a reactivation bills the cycle as a new request', () => {
    const failed = [...requested, notBilled('REFUSED', 'o-refused'), recycleFailed('REFUSED')];
    given(requested).when(cmd('ForceBill', {})).thenThrows('BILL_IN_PROGRESS');
    given(failed).when(cmd('ForceBill', {})).thenThrows('RECYCLE_FAILED');
    const reactivated: SubscriptionEvent = { type: 'PurchaseReactivated', data: { ...ref, previousStatus: 'RECYCLE_FAILED', status: 'TRIAL', billingCycle: 1, nextBillDate: '2026-03-15' } };
    given([...failed, reactivated]).when(cmd('ForceBill', {})).then([rebillRequested(2, '2026-03-15', 'FORCE', 1)]);
  });

  it('is recorded once, and a refusal of a request the purchase no longer waits for changes nothing', () => {
    given([...requested, notBilled('REFUSED', 'o-refused'), recycleFailed('REFUSED')]).when(refused()).then([]);
    given(requested).when(refused(1)).then([]);
    given(awaited).when(refused(0, 'o-other')).then([]);
  });

  it('lets a scheduled cancellation take effect instead of failing the recycle', () => {
    given([...requested, cancellationScheduled]).when(refused()).then([
      notBilled('REFUSED', 'o-refused'),
      { type: 'PurchaseCancelled', data: { ...ref, reason: 'moving away', source: 'SCHEDULED', previousStatus: 'CANCELLATION_SCHEDULED', billingCycle: 1 } },
    ]);
  });

  it('fails the recycle when a recycle retry is refused, counting the retries made', () => {
    given(retrying).when(refused(1)).then([notBilled('REFUSED', 'o-refused', 1), recycleFailed('REFUSED', 'RECYCLE_BILLING', 1)]);
  });
});

describe('purchase decider: a rebill order QA declined', () => {
  it('is declined for good: RECYCLE_FAILED, the bill released', () => {
    given(awaited).when(orderEnded('QA_DECLINED')).then([notBilled('QA_DECLINED', 'o-r2', 0, 'Declined by QA'), recycleFailed('QA_DECLINED')]);
  });

  it('changes nothing once the order has an outcome, and is refused for an order that is not a rebill of the purchase', () => {
    const charged = [...awaited, billed('o-r2', 2, '2026-04-14')];
    given(charged).when(orderEnded('QA_DECLINED')).then([]);
    given(awaited).when(orderEnded('QA_DECLINED', 'o-unknown')).thenThrows('REBILL_ORDER_UNKNOWN');
  });
});

describe('purchase decider: a rebill order cancelled before it was paid', () => {
  const ended = [...awaited, notBilled('ORDER_CANCELLED', 'o-r2', 0, 'Order o-r2 cancelled: wrong address')];

  it('makes the cycle due again: the bill is released, status and next bill date stay', () => {
    given(awaited).when(orderEnded('ORDER_CANCELLED', 'o-r2', 0, 'Order o-r2 cancelled: wrong address')).then([notBilled('ORDER_CANCELLED', 'o-r2', 0, 'Order o-r2 cancelled: wrong address')]);
    expect(stateOf(ended)).toMatchObject({ status: 'TRIAL', bill: null, nextBillDate: '2026-03-15', billingCycle: 1 });
  });

  it('is billed again by the next run, as a new request (a new order)', () => {
    given(ended).when(cmd('BillIfDue', { asOf: '2026-03-16T02:00:00.000Z' }, '2026-03-16T02:00:00.000Z')).then([rebillRequested(2, '2026-03-15', 'SCHEDULED', 1, '2026-03-16T02:00:00.000Z')]);
  });

  it('bills nothing when the cancelled order is approved late (orders gives that charge back)', () => {
    given(ended).when(approvedCommand('o-r2')).then([]);
  });

  it('fails the recycle when the order of a recycle retry is cancelled (no retry is left scheduled)', () => {
    const retryOrder = [...retrying, orderPlaced('o-r2b', 2, 1)];
    given(retryOrder).when(orderEnded('ORDER_CANCELLED', 'o-r2b', 1, 'Order o-r2b cancelled: x')).then([notBilled('ORDER_CANCELLED', 'o-r2b', 1, 'Order o-r2b cancelled: x'), recycleFailed('ORDER_CANCELLED', 'RECYCLE_BILLING', 1)]);
  });
});

describe('purchase decider: a bill stuck in flight is asked for again (the rebill-outcome sweeper)', () => {
  const HOUR = 3_600_000;
  /** a purchase stuck before this change: its request carried no time, orders dead-lettered it, nothing answered */
  const { at: _at, ...oldRequestData } = rebillRequested(2, '2026-03-15').data;
  const stuck: SubscriptionEvent[] = [started, { type: 'RebillRequested', data: oldRequestData } as RebillRequested];
  const again = (now: string) => cmd('RequestRebillAgain', { timeoutMs: HOUR }, now);

  it('asks orders again with the same request (same cycle and attempt, so the same rebill order id): a re-request bills nothing twice', () => {
    const later = '2026-04-01T00:00:00.000Z';
    given(stuck).when(again(later)).then([rebillRequested(2, '2026-03-15', 'SCHEDULED', 0, later)]);
    // the purchase still waits for that one request: not a second request of the cycle
    const asked = stateOf([...stuck, rebillRequested(2, '2026-03-15', 'SCHEDULED', 0, later)]);
    expect(asked.bill).toMatchObject({ billingCycle: 2, attempt: 0, orderId: null, requestedAt: later });
    expect(asked.requestsByCycle).toEqual({ 2: 1 });
  });

  it('recovers from the stuck state: orders refuses the request now and the purchase is released', () => {
    const later = '2026-04-01T00:00:00.000Z';
    const [request] = purchaseDecider.decide(again(later), stateOf(stuck));
    given([...stuck, request!]).when(refused()).then([notBilled('REFUSED', 'o-refused'), recycleFailed('REFUSED')]);
  });

  it('recovers from the stuck state when orders had placed the order: it is recorded and billed once', () => {
    const later = '2026-04-01T00:00:00.000Z';
    const [request] = purchaseDecider.decide(again(later), stateOf(stuck));
    const placed = [...stuck, request!, orderPlaced('o-r2', 2)];
    given(placed).when(approvedCommand('o-r2')).then([
      { type: 'PurchaseBilled', data: { ...(billed('o-r2', 2, '2026-04-14').data as object), previousStatus: 'TRIAL', status: 'ACTIVE' } } as SubscriptionEvent,
    ]);
    given([...placed, billed('o-r2', 2, '2026-04-14')]).when(approvedCommand('o-r2')).then([]);
  });

  it('waits while the request is recent, or while its order is recorded (its outcome comes from orders or payments), and does nothing without a bill', () => {
    given(requested).when(again('2026-03-10T15:30:00.000Z')).then([]);
    given(requested).when(again('2026-03-10T16:00:00.000Z')).then([rebillRequested(2, '2026-03-15', 'SCHEDULED', 0, '2026-03-10T16:00:00.000Z')]);
    given(awaited).when(again('2026-04-01T00:00:00.000Z')).then([]);
    given([started]).when(again(NOW)).then([]);
  });

  it('asks once more for a bill stored before requests carried their time whose order is recorded (its QA decision may have been missed), then waits', () => {
    const stuckWithOrder = [...stuck, orderPlaced('o-r2', 2)];
    const later = '2026-04-01T00:00:00.000Z';
    given(stuckWithOrder).when(again(later)).then([rebillRequested(2, '2026-03-15', 'SCHEDULED', 0, later)]);
    const asked = [...stuckWithOrder, rebillRequested(2, '2026-03-15', 'SCHEDULED', 0, later)];
    expect(stateOf(asked).bill).toMatchObject({ orderId: 'o-r2', requestedAt: later });
    given(asked).when(again('2026-05-01T00:00:00.000Z')).then([]);
    // orders reports the order QA declined back then: released
    given(asked).when(orderEnded('QA_DECLINED')).then([notBilled('QA_DECLINED', 'o-r2', 0, 'Declined by QA'), recycleFailed('QA_DECLINED')]);
  });

  it('asks a recycle retry again as the same retry', () => {
    const [request] = purchaseDecider.decide(again('2026-04-01T00:00:00.000Z'), stateOf(retrying));
    expect(request!.data).toMatchObject({ billingCycle: 2, attempt: 1, trigger: 'RECYCLE', billDate: '2026-03-15' });
    expect(stateOf([...retrying, request!]).bill).toMatchObject({ attempt: 1, retry: 1 });
  });
});
