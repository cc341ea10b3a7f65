import fc from 'fast-check';
import { DomainError, SubscriptionEvent } from '@continuum/contracts';
import { addDays } from './calendar';
import { PurchaseCommand } from './purchase.commands';
import { purchaseDecider } from './purchase.decider';
import { PurchaseState, exists } from './purchase.state';
import { cmd, started } from './purchase.fixtures';

/**
 * Property-based tests of the purchase decider: random agent actions, billing runs and billing
 * outcomes on random days, and three rules that must hold whatever the sequence.
 */
type Step =
  | { readonly kind: 'run' | 'force' | 'skip' | 'restart' | 'pause' | 'resume' | 'reactivate' | 'retry' | 'cancelNow' | 'cancelAfter' | 'cancelOn' | 'moveDate' | 'finalCycle' }
  | { readonly kind: 'approve' | 'soft' | 'hard' }
  | { readonly kind: 'wait'; readonly days: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.constantFrom<Step>(
    { kind: 'run' },
    { kind: 'run' },
    { kind: 'force' },
    { kind: 'skip' },
    { kind: 'restart' },
    { kind: 'pause' },
    { kind: 'resume' },
    { kind: 'reactivate' },
    { kind: 'retry' },
    { kind: 'cancelNow' },
    { kind: 'cancelAfter' },
    { kind: 'cancelOn' },
    { kind: 'moveDate' },
    { kind: 'finalCycle' },
    { kind: 'approve' },
    { kind: 'approve' },
    { kind: 'soft' },
    { kind: 'hard' },
  ),
  fc.integer({ min: 1, max: 45 }).map((days): Step => ({ kind: 'wait', days })),
);

interface Trace {
  readonly before: PurchaseState;
  readonly event: SubscriptionEvent;
  readonly after: PurchaseState;
}

/** Plays the steps from the started purchase; refused commands change nothing. Returns every event with the state around it. */
function play(steps: readonly Step[]): Trace[] {
  let state = purchaseDecider.evolve(purchaseDecider.initialState(), started);
  let day = '2026-03-01';
  let orders = 0;
  const trace: Trace[] = [];
  const at = () => `${day}T12:00:00.000Z`;
  const apply = (command: PurchaseCommand) => {
    try {
      for (const event of purchaseDecider.decide(command, state)) {
        const before = state;
        state = purchaseDecider.evolve(state, event);
        trace.push({ before, event, after: state });
      }
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  };
  // orders places the rebill order of every request at once
  const placeOrder = () => {
    if (exists(state) && state.bill && state.bill.orderId === null) {
      apply(cmd('RecordRebillOrder', { orderId: `o-${++orders}`, billingCycle: state.bill.billingCycle }, at()));
    }
  };
  const outcome = () => (exists(state) && state.bill?.orderId ? state.bill.orderId : null);
  for (const s of steps) {
    const now = at();
    switch (s.kind) {
      case 'wait':
        day = addDays(day, s.days);
        break;
      case 'run':
        apply(cmd('BillIfDue', { asOf: now }, now));
        break;
      case 'force':
        apply(cmd('ForceBill', {}, now));
        break;
      case 'skip':
        apply(cmd('SkipTrial', {}, now));
        break;
      case 'restart':
        apply(cmd('RestartTrial', {}, now));
        break;
      case 'pause':
        apply(cmd('PausePurchase', {}, now));
        break;
      case 'resume':
        apply(cmd('ResumePurchase', {}, now));
        break;
      case 'reactivate':
        apply(cmd('ReactivatePurchase', {}, now));
        break;
      case 'retry':
        if (exists(state) && state.recycle) apply(cmd('RetryBill', { billingCycle: state.recycle.billingCycle, retry: state.recycle.attempt }, now));
        break;
      case 'cancelNow':
        apply(cmd('CancelPurchase', { when: 'NOW', reason: 'r', source: 'AGENT' }, now));
        break;
      case 'cancelAfter':
        apply(cmd('CancelPurchase', { when: 'AFTER_NEXT_BILL', reason: 'r', source: 'AGENT' }, now));
        break;
      case 'cancelOn':
        apply(cmd('CancelPurchase', { when: 'ON_DATE', date: addDays(day, 20), reason: 'r', source: 'AGENT' }, now));
        break;
      case 'moveDate':
        apply(cmd('UpdatePurchase', { changes: { nextBillDate: addDays(day, 3) } }, now));
        break;
      case 'finalCycle':
        if (exists(state)) apply(cmd('UpdatePurchase', { changes: { finalBillCycle: state.billingCycle + 1 } }, now));
        break;
      case 'approve':
      case 'soft':
      case 'hard': {
        placeOrder();
        const orderId = outcome();
        if (orderId === null) break;
        const charge = { orderId, transactionId: `${orderId}-t`, amount: 100, currency: 'USD', message: 'm', at: now };
        if (s.kind === 'approve') apply(cmd('RecordRebillApproved', charge, now));
        else apply(cmd('RecordRebillDeclined', { ...charge, response: s.kind === 'soft' ? 'SOFT_DECLINE' : 'HARD_DECLINE', recycleDelaysMs: [86_400_000, 86_400_000] }, now));
        break;
      }
    }
  }
  return trace;
}

const steps = fc.array(step, { minLength: 1, maxLength: 60 });
const cycleOf = (state: PurchaseState) => (exists(state) ? state.billingCycle : 0);
const statusOf = (state: PurchaseState) => state.status;

describe('purchase decider properties (fast-check)', () => {
  it('the step player reaches billing, recycling and completion (so the properties test something)', () => {
    const types = play([
      { kind: 'wait', days: 14 },
      { kind: 'run' },
      { kind: 'approve' },
      { kind: 'wait', days: 30 },
      { kind: 'run' },
      { kind: 'soft' },
      { kind: 'retry' },
      { kind: 'approve' },
      { kind: 'finalCycle' },
      { kind: 'force' },
      { kind: 'approve' },
    ]).map(({ event }) => event.type);
    expect(types).toEqual([
      'RebillRequested',
      'PurchaseRebillOrderPlaced',
      'PurchaseBilled',
      'RebillRequested',
      'PurchaseRebillOrderPlaced',
      'PurchaseRebillDeclined',
      'PurchaseRecycleScheduled',
      'RebillRequested',
      'PurchaseRebillOrderPlaced',
      'PurchaseBilled',
      'PurchaseUpdated',
      'RebillRequested',
      'PurchaseRebillOrderPlaced',
      'PurchaseBilled',
      'PurchaseCompleted',
    ]);
  });

  it('the billing cycle only moves up, by one per successful billing', () => {
    fc.assert(
      fc.property(steps, (s) => {
        for (const { before, event, after } of play(s)) {
          if (event.type === 'PurchaseBilled') expect(cycleOf(after)).toBe(cycleOf(before) + 1);
          else expect(cycleOf(after)).toBe(cycleOf(before));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a cancelled or completed purchase is never billed', () => {
    fc.assert(
      fc.property(steps, (s) => {
        for (const { before, event } of play(s)) {
          if (event.type === 'RebillRequested') expect(['CANCELLED', 'COMPLETE']).not.toContain(statusOf(before));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the next bill date never goes backwards, except through restart trial', () => {
    fc.assert(
      fc.property(steps, (s) => {
        for (const { before, event, after } of play(s)) {
          if (event.type === 'PurchaseTrialRestarted' || !exists(before) || !exists(after)) continue;
          if (before.nextBillDate !== null && after.nextBillDate !== null) expect(after.nextBillDate >= before.nextBillDate).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('one bill at a time: a cycle is never requested while another request is unanswered', () => {
    fc.assert(
      fc.property(steps, (s) => {
        for (const { before, event } of play(s)) {
          if (event.type === 'RebillRequested' && exists(before)) expect(before.bill).toBeNull();
        }
      }),
      { numRuns: 200 },
    );
  });
});
