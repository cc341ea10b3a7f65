import { DomainError, PaymentsEvent } from '@continuum/contracts';
import { planChargeReversal, planFullOrderRefund, planOrderRefund } from './order-refund.policy';
import { ApprovedCharge, evolveTransaction, initialTransactionState, isStalled, refundReference, resumableRefund, stalledRefund } from './transaction.state';
import { LATER, NOW, approved, codOpened, event, refundFailed, refundQueued, refundRequested, refundSucceeded, settled } from './transaction.fixtures';

const fold = (events: PaymentsEvent[]) => events.reduce(evolveTransaction, initialTransactionState());
const unsettled = (id: string, amount: number) => fold([approved(amount, { transactionId: id, gatewayTransactionId: `gw-${id}` })]);
const settledCharge = (id: string, amount: number, ...more: PaymentsEvent[]) =>
  fold([approved(amount, { transactionId: id }), settled(amount), ...more].map((e) => ({ ...e, data: { ...e.data, transactionId: id } }) as PaymentsEvent));

/** The decisions' clock: every refund requested at LATER is long stalled (REFUND_STALL_AFTER_MS 2 minutes). */
const STALLED = { now: '2026-03-02T11:00:00.000Z', stallAfterMs: 120_000 };

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return `${error.code}/${error.kind}`;
    throw error;
  }
  throw new Error('expected a DomainError');
};

describe('planOrderRefund (void first, then refund)', () => {
  it('voids an unsettled charge when no amount or the full amount is given', () => {
    expect(planOrderRefund([unsettled('t-1', 5000)], undefined, STALLED)).toEqual({ action: 'VOID', transactionId: 't-1', amount: 5000 });
    expect(planOrderRefund([unsettled('t-1', 5000)], 5000, STALLED)).toEqual({ action: 'VOID', transactionId: 't-1', amount: 5000 });
  });

  it('refunds a settled charge: all that remains by default, or part of it', () => {
    const charge = settledCharge('t-1', 5000, refundRequested('r-1', 1000), refundSucceeded('r-1', 1000, 1000));
    expect(planOrderRefund([charge], undefined, STALLED)).toEqual({ action: 'REFUND', transactionId: 't-1', amount: 4000 });
    expect(planOrderRefund([charge], 2500, STALLED)).toEqual({ action: 'REFUND', transactionId: 't-1', amount: 2500 });
  });

  it('refuses a partial amount of an unsettled charge', () => {
    expect(codeOf(() => planOrderRefund([unsettled('t-1', 5000)], 1000, STALLED))).toBe('PARTIAL_VOID_NOT_POSSIBLE/rule');
  });

  it('refuses more than remains', () => {
    expect(codeOf(() => planOrderRefund([settledCharge('t-1', 5000)], 5001, STALLED))).toBe('REFUND_EXCEEDS_REMAINING/rule');
  });

  it('refuses when nothing is left to refund or nothing was charged by card', () => {
    const refunded = settledCharge('t-1', 5000, refundRequested('r-1', 5000), refundSucceeded('r-1', 5000, 5000, true));
    expect(codeOf(() => planOrderRefund([refunded], undefined, STALLED))).toBe('NOTHING_TO_REFUND/rule');
    expect(codeOf(() => planOrderRefund([fold([codOpened()])], undefined, STALLED))).toBe('NOTHING_TO_REFUND/rule');
    expect(codeOf(() => planOrderRefund([], undefined, STALLED))).toBe('NOTHING_TO_REFUND/rule');
  });

  it('with several charges needs an amount, then picks the charge it fits', () => {
    const charges = [unsettled('t-up', 1500), settledCharge('t-1', 5000)];
    expect(codeOf(() => planOrderRefund(charges, undefined, STALLED))).toBe('AMOUNT_REQUIRED/rule');
    expect(planOrderRefund(charges, 1500, STALLED)).toEqual({ action: 'VOID', transactionId: 't-up', amount: 1500 });
    expect(planOrderRefund(charges, 2000, STALLED)).toEqual({ action: 'REFUND', transactionId: 't-1', amount: 2000 });
  });

  it('refuses a zero or fractional amount', () => {
    expect(codeOf(() => planOrderRefund([settledCharge('t-1', 5000)], 0, STALLED))).toBe('INVALID_AMOUNT/rule');
    expect(codeOf(() => planOrderRefund([settledCharge('t-1', 5000)], 1.5, STALLED))).toBe('INVALID_AMOUNT/rule');
  });
});

describe('planFullOrderRefund', () => {
  it('voids each unsettled charge and refunds what remains of each settled one', () => {
    const partly = settledCharge('t-1', 5000, refundRequested('r-1', 1000), refundSucceeded('r-1', 1000, 1000));
    expect(planFullOrderRefund([partly, unsettled('t-up', 1500), fold([codOpened()])], STALLED)).toEqual([
      { action: 'REFUND', transactionId: 't-1', amount: 4000 },
      { action: 'VOID', transactionId: 't-up', amount: 1500 },
    ]);
  });
});

// OrderPaymentReversalRequested: a charge approved after its order was cancelled is given back, that charge only.
describe('planChargeReversal', () => {
  const voided = (id: string, amount: number) =>
    fold([approved(amount, { transactionId: id }), event('ChargeVoided', { transactionId: id, voidId: `${id}-void`, amount, currency: 'USD', gatewayTransactionId: null, message: 'Voided', autoCancel: false, at: NOW })]);

  it('voids the charge while it is unsettled and not refunded', () => {
    expect(planChargeReversal(unsettled('t-1', 5000), 'o-1', STALLED)).toEqual([{ action: 'VOID', transactionId: 't-1', amount: 5000 }]);
  });

  it('refunds what remains unrefunded of a settled charge, not its whole amount', () => {
    expect(planChargeReversal(settledCharge('t-1', 5000), 'o-1', STALLED)).toEqual([{ action: 'REFUND', transactionId: 't-1', amount: 5000 }]);
    const partly = settledCharge('t-1', 5000, refundRequested('r-1', 1200), refundSucceeded('r-1', 1200, 1200));
    expect(planChargeReversal(partly, 'o-1', STALLED)).toEqual([{ action: 'REFUND', transactionId: 't-1', amount: 3800 }]);
  });

  it('plans nothing when nothing remains: voided, refunded in full, or held by a queued refund', () => {
    expect(planChargeReversal(voided('t-1', 5000), 'o-1', STALLED)).toEqual([]);
    expect(planChargeReversal(settledCharge('t-1', 5000, refundRequested('r-1', 5000), refundSucceeded('r-1', 5000, 5000, true)), 'o-1', STALLED)).toEqual([]);
    expect(planChargeReversal(settledCharge('t-1', 5000, refundRequested('r-1', 5000), refundFailed('r-1', 5000, 1), refundQueued('r-1', 5000, 1)), 'o-1', STALLED)).toEqual([]);
  });

  it('resumes a refund a first attempt left stalled, and refunds what remains beside it', () => {
    expect(planChargeReversal(settledCharge('t-1', 5000, refundRequested('r-1', 2000)), 'o-1', STALLED)).toEqual([
      { action: 'RESUME', transactionId: 't-1', amount: 2000, refundId: 'r-1' },
      { action: 'REFUND', transactionId: 't-1', amount: 3000 },
    ]);
  });

  it('refuses a transaction payments does not know, or one of another order', () => {
    expect(codeOf(() => planChargeReversal(fold([]), 'o-1', STALLED))).toBe('TRANSACTION_NOT_FOUND/not-found');
    expect(codeOf(() => planChargeReversal(unsettled('t-1', 5000), 'o-2', STALLED))).toBe('TRANSACTION_NOT_OF_ORDER/rule');
  });
});

// The order-level refund counts a charge's marked chargeback as the decider does (remainingRefundable).
describe('a chargeback counts against what the order can refund', () => {
  const marked = (amount: number) => event('ChargebackMarked', { amount, date: '2026-03-10', reasonCode: '10.4', note: null, at: NOW });
  const reverted = (amount: number) => event('ChargebackReverted', { amount, at: NOW });

  it('refund from the order: a chargeback of all leaves nothing, a partial one leaves the rest', () => {
    expect(codeOf(() => planOrderRefund([settledCharge('t-1', 5000, marked(5000))], undefined, STALLED))).toBe('NOTHING_TO_REFUND/rule');
    expect(codeOf(() => planOrderRefund([settledCharge('t-1', 5000, marked(5000))], 100, STALLED))).toBe('NOTHING_TO_REFUND/rule');
    expect(planOrderRefund([settledCharge('t-1', 5000, marked(1200))], undefined, STALLED)).toEqual({ action: 'REFUND', transactionId: 't-1', amount: 3800 });
    expect(codeOf(() => planOrderRefund([settledCharge('t-1', 5000, marked(1200))], 3801, STALLED))).toBe('REFUND_EXCEEDS_REMAINING/rule');
  });

  it('with several charges, an amount goes to the charge whose chargeback leaves room for it', () => {
    const charges = [settledCharge('t-1', 5000, marked(4500)), settledCharge('t-2', 2000)];
    expect(planOrderRefund(charges, 1000, STALLED)).toEqual({ action: 'REFUND', transactionId: 't-2', amount: 1000 });
    expect(planOrderRefund(charges, 500, STALLED)).toEqual({ action: 'REFUND', transactionId: 't-1', amount: 500 });
  });

  it('counts with succeeded refunds; a reverted chargeback gives its amount back', () => {
    const partly = settledCharge('t-1', 5000, refundRequested('r-1', 1000), refundSucceeded('r-1', 1000, 1000), marked(3000));
    expect(planOrderRefund([partly], undefined, STALLED)).toEqual({ action: 'REFUND', transactionId: 't-1', amount: 1000 });
    expect(planOrderRefund([settledCharge('t-1', 5000, marked(5000), reverted(5000))], 100, STALLED)).toEqual({ action: 'REFUND', transactionId: 't-1', amount: 100 });
  });

  it('a full order refund and a charge reversal refund only what the chargeback left', () => {
    expect(planFullOrderRefund([settledCharge('t-1', 5000, marked(1200))], STALLED)).toEqual([{ action: 'REFUND', transactionId: 't-1', amount: 3800 }]);
    expect(planFullOrderRefund([settledCharge('t-1', 5000, marked(5000))], STALLED)).toEqual([]);
    expect(planChargeReversal(settledCharge('t-1', 5000, marked(2000)), 'o-1', STALLED)).toEqual([{ action: 'REFUND', transactionId: 't-1', amount: 3000 }]);
    expect(planChargeReversal(settledCharge('t-1', 5000, marked(5000)), 'o-1', STALLED)).toEqual([]);
  });
});

// F1: a refund requested whose first gateway attempt was never recorded keeps its amount reserved;
// the same request again must finish it instead of finding nothing to refund.
describe('stalled refunds are resumed, never planned away', () => {
  it('a full order refund resumes the stalled refund, and refunds what remains beside it', () => {
    const stalled = settledCharge('t-1', 5000, refundRequested('r-1', 5000));
    expect(planFullOrderRefund([stalled], STALLED)).toEqual([{ action: 'RESUME', transactionId: 't-1', amount: 5000, refundId: 'r-1' }]);
    const partlyStalled = settledCharge('t-1', 5000, refundRequested('r-1', 1000));
    expect(planFullOrderRefund([partlyStalled], STALLED)).toEqual([
      { action: 'RESUME', transactionId: 't-1', amount: 1000, refundId: 'r-1' },
      { action: 'REFUND', transactionId: 't-1', amount: 4000 },
    ]);
  });

  it('a refund with an attempt recorded (queued) is not resumed: the queue owns it', () => {
    const queued = settledCharge('t-1', 5000, refundRequested('r-1', 5000), refundFailed('r-1', 5000, 1), refundQueued('r-1', 5000, 1));
    expect(planFullOrderRefund([queued], STALLED)).toEqual([]);
    expect(codeOf(() => planOrderRefund([queued], undefined, STALLED))).toBe('NOTHING_TO_REFUND/rule');
  });

  it('refund from the order resumes the stalled refund instead of NOTHING_TO_REFUND', () => {
    const stalled = settledCharge('t-1', 5000, refundRequested('r-1', 5000));
    expect(planOrderRefund([stalled], undefined, STALLED)).toEqual({ action: 'RESUME', transactionId: 't-1', amount: 5000, refundId: 'r-1' });
  });

  it('with an amount: resumes the stalled refund of exactly that amount when nothing else fits', () => {
    const stalled = settledCharge('t-1', 5000, refundRequested('r-1', 4000));
    expect(planOrderRefund([stalled], 4000, STALLED)).toEqual({ action: 'RESUME', transactionId: 't-1', amount: 4000, refundId: 'r-1' });
    // what still fits is a new refund; another amount that does not fit is refused as before
    expect(planOrderRefund([stalled], 1000, STALLED)).toEqual({ action: 'REFUND', transactionId: 't-1', amount: 1000 });
    expect(codeOf(() => planOrderRefund([stalled], 3000, STALLED))).toBe('REFUND_EXCEEDS_REMAINING/rule');
  });

  it('stalledRefund finds only a PENDING refund without attempts, of the amount asked when one is given', () => {
    const stalled = settledCharge('t-1', 5000, refundRequested('r-1', 1000), refundRequested('r-2', 2000), refundSucceeded('r-1', 1000, 1000));
    expect(stalledRefund(stalled, STALLED)?.refundId).toBe('r-2');
    expect(stalledRefund(stalled, STALLED, 2000)?.refundId).toBe('r-2');
    expect(stalledRefund(stalled, STALLED, 1000)).toBeUndefined();
    expect(stalledRefund(fold([codOpened()]), STALLED)).toBeUndefined();
  });
});

// R2: a refund awaiting its first attempt is stalled only once REFUND_STALL_AFTER_MS has passed since
// it was requested; before that its first gateway call may be in flight, and a second request must not
// call the gateway beside it.
describe('a young refund awaiting its first attempt is in progress, not stalled', () => {
  /** 30 seconds after the refunds below were requested (LATER), with a 2-minute stall rule */
  const YOUNG = { now: '2026-03-02T10:00:30.000Z', stallAfterMs: 120_000 };

  it('refund from the order answers REFUND_IN_PROGRESS (conflict) instead of resuming it', () => {
    const inFlight = settledCharge('t-1', 5000, refundRequested('r-1', 5000));
    expect(codeOf(() => planOrderRefund([inFlight], undefined, YOUNG))).toBe('REFUND_IN_PROGRESS/conflict');
    expect(codeOf(() => planOrderRefund([inFlight], 5000, YOUNG))).toBe('REFUND_IN_PROGRESS/conflict');
    // the same state once the rule's time has passed: resumed
    expect(planOrderRefund([inFlight], undefined, STALLED)).toEqual({ action: 'RESUME', transactionId: 't-1', amount: 5000, refundId: 'r-1' });
  });

  it('an amount that still fits beside the young refund is a new refund; only one that does not fit meets it', () => {
    const inFlight = settledCharge('t-1', 5000, refundRequested('r-1', 4000));
    expect(planOrderRefund([inFlight], 1000, YOUNG)).toEqual({ action: 'REFUND', transactionId: 't-1', amount: 1000 });
    expect(codeOf(() => planOrderRefund([inFlight], 4000, YOUNG))).toBe('REFUND_IN_PROGRESS/conflict');
    // another amount that fits nowhere is refused as before, not reported as in progress
    expect(codeOf(() => planOrderRefund([inFlight], 3000, YOUNG))).toBe('REFUND_EXCEEDS_REMAINING/rule');
  });

  it('a full order refund (cancel, QA decline, reversal) stops with REFUND_IN_PROGRESS while a refund of the charge is young', () => {
    const inFlight = settledCharge('t-1', 5000, refundRequested('r-1', 1000));
    expect(codeOf(() => planFullOrderRefund([inFlight], YOUNG))).toBe('REFUND_IN_PROGRESS/conflict');
    expect(codeOf(() => planChargeReversal(inFlight, 'o-1', YOUNG))).toBe('REFUND_IN_PROGRESS/conflict');
  });

  it('stalls strictly after stallAfterMs: exactly at the limit it is still in progress', () => {
    const inFlight = settledCharge('t-1', 5000, refundRequested('r-1', 5000));
    const refund = (inFlight as ApprovedCharge).refunds[0];
    expect(isStalled(refund, { now: '2026-03-02T10:02:00.000Z', stallAfterMs: 120_000 })).toBe(false);
    expect(isStalled(refund, { now: '2026-03-02T10:02:00.001Z', stallAfterMs: 120_000 })).toBe(true);
    expect(stalledRefund(inFlight, YOUNG)).toBeUndefined();
    expect(codeOf(() => resumableRefund(inFlight, YOUNG))).toBe('REFUND_IN_PROGRESS/conflict');
    expect(resumableRefund(inFlight, STALLED)?.refundId).toBe('r-1');
  });

  it('a refund with an attempt recorded is never in progress nor stalled: the queue owns it', () => {
    const queued = settledCharge('t-1', 5000, refundRequested('r-1', 5000), refundFailed('r-1', 5000, 1), refundQueued('r-1', 5000, 1));
    expect(planFullOrderRefund([queued], YOUNG)).toEqual([]);
    expect(resumableRefund(queued, YOUNG)).toBeUndefined();
  });
});

// R4: an attempt without an answer (UNKNOWN) may have refunded: the next one repeats its reference.
describe('refundReference', () => {
  const refundAfter = (...more: PaymentsEvent[]) => (settledCharge('t-1', 5000, refundRequested('r-1', 5000), ...more) as ApprovedCharge).refunds[0];

  it('is <refundId>:1 for the first attempt', () => {
    expect(refundReference(refundAfter(), 1)).toBe('r-1:1');
  });

  it('repeats the reference after an UNKNOWN outcome (a timeout), and moves on after a REJECTED one', () => {
    expect(refundReference(refundAfter(refundFailed('r-1', 5000, 1, LATER, 'UNKNOWN')), 2)).toBe('r-1:1');
    expect(refundReference(refundAfter(refundFailed('r-1', 5000, 1, LATER, 'REJECTED')), 2)).toBe('r-1:2');
    // rejected, then unknown, then again: attempt 3 repeats attempt 2's reference
    const mixed = refundAfter(refundFailed('r-1', 5000, 1), refundFailed('r-1', 5000, 2, LATER, 'UNKNOWN'));
    expect(refundReference(mixed, 3)).toBe('r-1:2');
    // two unknowns in a row keep the first reference
    const twice = refundAfter(refundFailed('r-1', 5000, 1, LATER, 'UNKNOWN'), refundFailed('r-1', 5000, 2, LATER, 'UNKNOWN'));
    expect(refundReference(twice, 3)).toBe('r-1:1');
  });

  it('reads a RefundFailed stored without outcome as REJECTED', () => {
    const old = refundFailed('r-1', 5000, 1);
    const { outcome: _outcome, ...withoutOutcome } = old.data;
    expect(refundReference(refundAfter({ ...old, data: withoutOutcome } as PaymentsEvent), 2)).toBe('r-1:2');
  });
});

describe('planOrderRefund after a void the gateway refused', () => {
  const refusedVoid = (...more: PaymentsEvent[]) =>
    fold([
      approved(5000),
      event('VoidRequested', { voidId: 't-1-void', amount: 5000, currency: 'USD', at: NOW }),
      event('VoidFailed', { voidId: 't-1-void', message: 'Void rejected', at: NOW }),
      ...more,
    ]);

  it('plans the void again (the refund follows when the gateway refuses it), not a void and a refund', () => {
    expect(planOrderRefund([refusedVoid()], undefined, STALLED)).toEqual({ action: 'VOID', transactionId: 't-1', amount: 5000 });
  });

  it('once the refund holds all of the charge, nothing is left to void or refund', () => {
    const queued = refusedVoid(refundRequested('r-1', 5000), refundFailed('r-1', 5000, 1, LATER, 'NOT_SETTLED'), refundQueued('r-1', 5000, 1));
    expect(codeOf(() => planOrderRefund([queued], undefined, STALLED))).toBe('NOTHING_TO_REFUND/rule');
  });

  it('a part refunded after the refused void leaves the rest to refund, never more', () => {
    const part = refusedVoid(refundRequested('r-1', 2000), refundSucceeded('r-1', 2000, 2000));
    expect(planOrderRefund([part], undefined, STALLED)).toEqual({ action: 'REFUND', transactionId: 't-1', amount: 3000 });
    expect(codeOf(() => planOrderRefund([part], 3001, STALLED))).toBe('REFUND_EXCEEDS_REMAINING/rule');
  });
});
