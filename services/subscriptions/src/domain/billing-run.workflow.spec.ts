import { SubscriptionEvent } from '@continuum/contracts';
import { billEnded, billOutcome, billingRunStep, countOutcomes, dueForRun, leavesWindow } from './billing-run.workflow';
import { billed, declined, orderPlaced, purchaseRef, rebillRequested, started } from './purchase.fixtures';
import { ExistingPurchase, evolvePurchase, exists, initialPurchaseState } from './purchase.state';

const purchaseAfter = (events: readonly SubscriptionEvent[]): ExistingPurchase => {
  const state = events.reduce(evolvePurchase, initialPurchaseState());
  if (!exists(state)) throw new Error('no purchase');
  return state;
};
const cancelled: SubscriptionEvent = {
  type: 'PurchaseCancelled',
  data: { purchaseId: 'pu-1', customerId: 'cu-1', reason: 'moved', source: 'SCHEDULED', previousStatus: 'CANCELLATION_SCHEDULED', billingCycle: 1 },
};

describe('billing run workflow', () => {
  describe('billingRunStep (what one purchase decided, for the count)', () => {
    it('given a purchase due, when BillIfDue requested its bill, then the run counts that cycle and attempt as requested', () => {
      expect(billingRunStep('pu-1', [rebillRequested(2, '2026-03-10', 'SCHEDULED', 1)])).toEqual({ requested: [{ purchaseId: 'pu-1', billingCycle: 2, attempt: 1 }], cancelled: 0 });
    });

    it('given a dated cancellation due, when BillIfDue cancelled the purchase, then the run counts a cancellation and no bill', () => {
      expect(billingRunStep('pu-1', [cancelled])).toEqual({ requested: [], cancelled: 1 });
    });

    it('given a request stored without an attempt number, when counted, then it is the first request of its cycle (attempt 0)', () => {
      const { attempt: _attempt, ...data } = rebillRequested(2, '2026-03-10').data;
      expect(billingRunStep('pu-1', [{ type: 'RebillRequested', data }]).requested).toEqual([{ purchaseId: 'pu-1', billingCycle: 2, attempt: 0 }]);
    });
  });

  describe('billOutcome (how a requested bill ended)', () => {
    const requested = [started, rebillRequested(2, '2026-03-10')];

    it('given no rebill order recorded yet, when asked, then the bill is still PENDING', () => {
      expect(billOutcome(purchaseAfter(requested), { billingCycle: 2, attempt: 0 })).toBe('PENDING');
      expect(billOutcome(undefined, { billingCycle: 2, attempt: 0 })).toBe('PENDING');
    });

    it('given the rebill order of that cycle was approved, when asked, then APPROVED', () => {
      const purchase = purchaseAfter([...requested, orderPlaced('r-1', 2), billed('r-1', 2, '2026-04-09')]);
      expect(billOutcome(purchase, { billingCycle: 2, attempt: 0 })).toBe('APPROVED');
    });

    it('given the rebill order of that cycle was declined, when asked, then DECLINED', () => {
      const purchase = purchaseAfter([...requested, orderPlaced('r-1', 2), declined('r-1', 2, 0, 'HARD_DECLINE')]);
      expect(billOutcome(purchase, { billingCycle: 2, attempt: 0 })).toBe('DECLINED');
    });

    it('given an earlier attempt of the cycle declined, when the run asks about its own attempt, then that one is still PENDING', () => {
      const purchase = purchaseAfter([...requested, orderPlaced('r-1', 2), declined('r-1', 2, 0), rebillRequested(2, '2026-03-10', 'RECYCLE', 1)]);
      expect(billOutcome(purchase, { billingCycle: 2, attempt: 1 })).toBe('PENDING');
    });
  });

  describe('countOutcomes (one look at the bills still waiting)', () => {
    it('given bills approved, declined and unanswered, when counted, then the unanswered ones are still waited for', () => {
      const bill = (purchaseId: string) => ({ purchaseId, billingCycle: 2, attempt: 0 });
      expect(
        countOutcomes([
          { bill: bill('a'), outcome: 'APPROVED' },
          { bill: bill('b'), outcome: 'DECLINED' },
          { bill: bill('c'), outcome: 'PENDING' },
          { bill: bill('d'), outcome: 'APPROVED' },
        ]),
      ).toEqual({ billed: 2, declined: 1, still: [bill('c')] });
    });
  });

  describe('billEnded (whether a requested bill still holds its place in the run)', () => {
    const bill = { billingCycle: 2, attempt: 0 };
    const requested = [started, rebillRequested(2, '2026-03-10')];

    it('given the purchase has not recorded the request yet (the view lags the append), when asked, then the bill has not ended', () => {
      expect(billEnded(purchaseAfter([started]), bill)).toBe(false);
      expect(billEnded(undefined, bill)).toBe(false);
    });

    it('given the request recorded and its rebill order placed but not answered, when asked, then the bill has not ended', () => {
      expect(billEnded(purchaseAfter(requested), bill)).toBe(false);
      expect(billEnded(purchaseAfter([...requested, orderPlaced('r-1', 2)]), bill)).toBe(false);
    });

    it('given its rebill order approved or declined, when asked, then the bill has ended', () => {
      expect(billEnded(purchaseAfter([...requested, orderPlaced('r-1', 2), billed('r-1', 2, '2026-04-09')]), bill)).toBe(true);
      expect(billEnded(purchaseAfter([...requested, orderPlaced('r-1', 2), declined('r-1', 2, 0, 'HARD_DECLINE')]), bill)).toBe(true);
    });

    it('given orders refused the rebill order (not billed), when asked, then the bill has ended', () => {
      const refused: SubscriptionEvent = {
        type: 'PurchaseRebillNotBilled',
        data: { ...purchaseRef, orderId: 'r-1', billingCycle: 2, attempt: 0, outcome: 'REFUSED', code: 'CUSTOMER_BLACKLISTED', reason: 'blacklisted', at: '2026-03-10T15:00:01.000Z' },
      };
      expect(billEnded(purchaseAfter([...requested, refused]), bill)).toBe(true);
    });

    it('given the cycle was requested again (a later attempt in flight), when asked about the first attempt, then that one has ended and the later one has not', () => {
      const purchase = purchaseAfter([...requested, orderPlaced('r-1', 2), declined('r-1', 2, 0), rebillRequested(2, '2026-03-10', 'RECYCLE', 1)]);
      expect(billEnded(purchase, bill)).toBe(true);
      expect(billEnded(purchase, { billingCycle: 2, attempt: 1 })).toBe(false);
    });
  });

  describe('leavesWindow (the run keeps at most a window of bills without an outcome)', () => {
    const inWindow = { purchaseId: 'pu-1', billingCycle: 2, attempt: 0, requestedAtMs: 1_000 };
    const waiting = purchaseAfter([started, rebillRequested(2, '2026-03-10'), orderPlaced('r-1', 2)]);

    it('given a bill without its outcome, requested less than the hold time ago, when the run looks, then it keeps its place', () => {
      expect(leavesWindow(waiting, inWindow, 1_000 + 59_999, 60_000)).toBe(false);
    });

    it('given a bill without its outcome held for the hold time, when the run looks, then it leaves (a slow outcome does not stop the run)', () => {
      expect(leavesWindow(waiting, inWindow, 1_000 + 60_000, 60_000)).toBe(true);
    });

    it('given a bill whose rebill order was approved, when the run looks, then it leaves at once', () => {
      expect(leavesWindow(purchaseAfter([started, rebillRequested(2, '2026-03-10'), orderPlaced('r-1', 2), billed('r-1', 2, '2026-04-09')]), inWindow, 1_001, 60_000)).toBe(true);
    });
  });
  describe('dueForRun (whether a run as of a day acts on a listed purchase)', () => {
    // started 2026-03-01 with a 14-day trial: due 2026-03-15
    const trial = purchaseAfter([started]);

    it('given a purchase due on a date, when the run is as of that date or later, then it is due; as of the day before, not', () => {
      expect(trial.nextBillDate).toBe('2026-03-15');
      expect(dueForRun(trial, '2026-03-15T00:00:00.000Z')).toBe(true);
      expect(dueForRun(trial, '2026-04-01T00:00:00.000Z')).toBe(true);
      expect(dueForRun(trial, '2026-03-14T23:59:59.000Z')).toBe(false);
    });

    it('given a purchase in another time zone, when the run is as of an instant, then the date is the one of the purchase there', () => {
      const tokyo = { ...trial, timeZone: 'Asia/Tokyo' };
      // 2026-03-14T16:00Z is already 2026-03-15 in Tokyo
      expect(dueForRun(tokyo, '2026-03-14T16:00:00.000Z')).toBe(true);
      expect(dueForRun(trial, '2026-03-14T16:00:00.000Z')).toBe(false);
    });

    it('given a dated cancellation, when its date has come, then the purchase is due even with its next bill later', () => {
      const leaving = { ...trial, nextBillDate: '2026-04-30', cancellation: { when: 'ON_DATE' as const, date: '2026-03-20', reason: 'moved', source: 'AGENT' as const } };
      expect(dueForRun(leaving as ExistingPurchase, '2026-03-20T00:00:00.000Z')).toBe(true);
      expect(dueForRun(leaving as ExistingPurchase, '2026-03-19T00:00:00.000Z')).toBe(false);
    });

    it('given no next bill date and no dated cancellation, then never due', () => {
      expect(dueForRun({ ...trial, nextBillDate: null }, '2030-01-01T00:00:00.000Z')).toBe(false);
    });
  });
});
