import fc from 'fast-check';
import { CampaignLimits, CampaignProduct, DomainError, orderLimitsOf, rebillOrderTotals, SubscriptionEvent } from '@continuum/contracts';
import { addDays } from './calendar';
import { PurchaseCommand } from './purchase.commands';
import { purchaseDecider, rebillAmount, taxOf } from './purchase.decider';
import { PurchaseState, exists } from './purchase.state';
import { cmd, otherProduct, started } from './purchase.fixtures';

/**
 * Property-based tests of the purchase decider: random agent actions, billing runs and billing
 * outcomes on random days, and three rules that must hold whatever the sequence.
 */
type Step =
  | { readonly kind: 'run' | 'force' | 'skip' | 'restart' | 'pause' | 'resume' | 'reactivate' | 'retry' | 'cancelNow' | 'cancelAfter' | 'cancelOn' | 'finalCycle' }
  | { readonly kind: 'moveDate'; readonly days: number }
  | { readonly kind: 'approve' | 'soft' | 'hard' }
  | { readonly kind: 'wait'; readonly days: number }
  /** an agent's change to what the next rebill costs (any mix of the cost fields, often beyond the limits) */
  | { readonly kind: 'update'; readonly changes: Readonly<Record<string, unknown>> }
  | { readonly kind: 'change'; readonly rebillPrice: number; readonly shippingPrice: number; readonly applyProductDetails: boolean };

/** amounts an agent may send (the DTO takes up to 100,000,000): mostly small, some huge */
const amount = fc.oneof(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 100_000_000 }));
const costChanges = fc
  .record(
    {
      quantity: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 1000 })),
      unitPrice: amount,
      price: amount,
      shippingPrice: amount,
      salesTax: fc.oneof(fc.constant({ mode: 'AUTO' }), amount.map((value) => ({ mode: 'CUSTOM', amount: value }))),
    },
    { requiredKeys: [] },
  )
  .filter((changes) => Object.keys(changes).length > 0);

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
    { kind: 'finalCycle' },
    { kind: 'approve' },
    { kind: 'approve' },
    { kind: 'soft' },
    { kind: 'hard' },
  ),
  fc.integer({ min: 1, max: 45 }).map((days): Step => ({ kind: 'wait', days })),
  // from a day in the past (refused) to well after the current next bill date
  fc.integer({ min: -3, max: 40 }).map((days): Step => ({ kind: 'moveDate', days })),
  costChanges.map((changes): Step => ({ kind: 'update', changes })),
  fc.record({ rebillPrice: amount, shippingPrice: amount, applyProductDetails: fc.boolean() }).map((change): Step => ({ kind: 'change', ...change })),
);

interface Trace {
  readonly before: PurchaseState;
  readonly event: SubscriptionEvent;
  readonly after: PurchaseState;
  /** the date of the command that decided the event */
  readonly day: string;
}

/** Plays the steps from the started purchase under the campaign's `limits`; refused commands change nothing. Returns every event with the state around it. */
function play(steps: readonly Step[], limits?: CampaignLimits): Trace[] {
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
        trace.push({ before, event, after: state, day });
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
        // earlier or later than the current next bill date, today at the earliest (a past date is refused)
        apply(cmd('UpdatePurchase', { changes: { nextBillDate: addDays(day, s.days) } }, now));
        break;
      case 'finalCycle':
        if (exists(state)) apply(cmd('UpdatePurchase', { changes: { finalBillCycle: state.billingCycle + 1 } }, now));
        break;
      case 'update':
        apply(cmd('UpdatePurchase', { changes: s.changes, ...(limits ? { limits } : {}) }, now));
        break;
      case 'change': {
        // alternates between two offers, so the product always changes
        const productId = exists(state) && state.productId === 'p-big' ? 'p-sub' : 'p-big';
        const product: CampaignProduct = { ...otherProduct, productId, rebillPrice: s.rebillPrice, shippingPrice: s.shippingPrice };
        apply(cmd('ChangeProduct', { productId, product, applyProductDetails: s.applyProductDetails, monthlyIntervalDays: [], ...(limits ? { limits } : {}) }, now));
        break;
      }
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

  it('the next bill date goes backwards only through restart trial or an update, and an update never sets it before the day of the command', () => {
    fc.assert(
      fc.property(steps, (s) => {
        for (const { before, event, after, day } of play(s)) {
          if (event.type === 'PurchaseUpdated' && event.data.changes.nextBillDate !== undefined) expect(event.data.changes.nextBillDate >= day).toBe(true);
          if (event.type === 'PurchaseTrialRestarted' || event.type === 'PurchaseUpdated' || !exists(before) || !exists(after)) continue;
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

  // the started purchase bills 1 x 5999 + 295: campaigns whose limits it keeps to
  const limitsArb: fc.Arbitrary<CampaignLimits | undefined> = fc.option(
    fc.record({ maxQuantity: fc.integer({ min: 1, max: 1000 }), maxOrderTotal: fc.integer({ min: 6294, max: 100_000_000 }) }, { requiredKeys: [] }),
    { nil: undefined },
  );

  it('the step player changes what the purchase costs, and refuses what would break the limits (so the next property tests something)', () => {
    const types = play([
      { kind: 'update', changes: { quantity: 2, unitPrice: 3000 } },
      { kind: 'update', changes: { quantity: 1000, unitPrice: 100_000_000 } },
      { kind: 'change', rebillPrice: 7999, shippingPrice: 495, applyProductDetails: true },
      { kind: 'change', rebillPrice: 100_000_000, shippingPrice: 0, applyProductDetails: true },
      { kind: 'force' },
    ]).map(({ event }) => event.type);
    expect(types).toEqual(['PurchaseUpdated', 'PurchaseProductChanged', 'RebillRequested']);
  });

  it('for any sequence of changes the next rebill stays whole, non-negative and within the limits, and each bill asks for what orders will price', () => {
    fc.assert(
      fc.property(steps, limitsArb, (s, campaignLimits) => {
        const limits = orderLimitsOf(campaignLimits !== undefined ? { limits: campaignLimits } : {});
        for (const { event, after } of play(s, campaignLimits)) {
          if (!exists(after)) continue;
          const { quantity, unitPrice, price, shippingPrice, salesTax } = after;
          expect(Number.isSafeInteger(quantity) && quantity >= 1).toBe(true);
          for (const part of [unitPrice, price, shippingPrice, taxOf(salesTax), rebillAmount(after)]) expect(Number.isSafeInteger(part) && part >= 0).toBe(true);
          expect(price).toBe(quantity * unitPrice);
          expect(quantity).toBeLessThanOrEqual(limits.maxQuantity);
          expect(rebillAmount(after)).toBeLessThanOrEqual(limits.maxOrderTotal);
          if (event.type === 'RebillRequested') {
            const d = event.data;
            expect(d.amount).toBe(rebillOrderTotals({ quantity: d.quantity, unitPrice: d.unitPrice, shippingPrice: d.shippingPrice, salesTax: d.salesTax ?? 0 }).total);
            expect(d.amount).toBeLessThanOrEqual(limits.maxOrderTotal);
            expect(d.quantity).toBeLessThanOrEqual(limits.maxQuantity);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
