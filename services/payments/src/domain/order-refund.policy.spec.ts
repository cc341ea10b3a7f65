import { DomainError, PaymentsEvent } from '@continuum/contracts';
import { planChargeReversal, planFullOrderRefund, planOrderRefund } from './order-refund.policy';
import { evolveTransaction, initialTransactionState, stalledRefund } from './transaction.state';
import { NOW, approved, codOpened, event, refundFailed, refundQueued, refundRequested, refundSucceeded, settled } from './transaction.fixtures';

const fold = (events: PaymentsEvent[]) => events.reduce(evolveTransaction, initialTransactionState());
const unsettled = (id: string, amount: number) => fold([approved(amount, { transactionId: id, gatewayTransactionId: `gw-${id}` })]);
const settledCharge = (id: string, amount: number, ...more: PaymentsEvent[]) =>
  fold([approved(amount, { transactionId: id }), settled(amount), ...more].map((e) => ({ ...e, data: { ...e.data, transactionId: id } }) as PaymentsEvent));

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return `${error.code}/${error.kind}`;
    throw error;
  }
  throw new Error('expected a DomainError');
};

describe('planOrderRefund (seed 001: void first, then refund)', () => {
  it('voids an unsettled charge when no amount or the full amount is given', () => {
    expect(planOrderRefund([unsettled('t-1', 5000)])).toEqual({ action: 'VOID', transactionId: 't-1', amount: 5000 });
    expect(planOrderRefund([unsettled('t-1', 5000)], 5000)).toEqual({ action: 'VOID', transactionId: 't-1', amount: 5000 });
  });

  it('refunds a settled charge: all that remains by default, or part of it', () => {
    const charge = settledCharge('t-1', 5000, refundRequested('r-1', 1000), refundSucceeded('r-1', 1000, 1000));
    expect(planOrderRefund([charge])).toEqual({ action: 'REFUND', transactionId: 't-1', amount: 4000 });
    expect(planOrderRefund([charge], 2500)).toEqual({ action: 'REFUND', transactionId: 't-1', amount: 2500 });
  });

  it('refuses a partial amount of an unsettled charge', () => {
    expect(codeOf(() => planOrderRefund([unsettled('t-1', 5000)], 1000))).toBe('PARTIAL_VOID_NOT_POSSIBLE/rule');
  });

  it('refuses more than remains', () => {
    expect(codeOf(() => planOrderRefund([settledCharge('t-1', 5000)], 5001))).toBe('REFUND_EXCEEDS_REMAINING/rule');
  });

  it('refuses when nothing is left to refund or nothing was charged by card', () => {
    const refunded = settledCharge('t-1', 5000, refundRequested('r-1', 5000), refundSucceeded('r-1', 5000, 5000, true));
    expect(codeOf(() => planOrderRefund([refunded]))).toBe('NOTHING_TO_REFUND/rule');
    expect(codeOf(() => planOrderRefund([fold([codOpened()])]))).toBe('NOTHING_TO_REFUND/rule');
    expect(codeOf(() => planOrderRefund([]))).toBe('NOTHING_TO_REFUND/rule');
  });

  it('with several charges needs an amount, then picks the charge it fits', () => {
    const charges = [unsettled('t-up', 1500), settledCharge('t-1', 5000)];
    expect(codeOf(() => planOrderRefund(charges))).toBe('AMOUNT_REQUIRED/rule');
    expect(planOrderRefund(charges, 1500)).toEqual({ action: 'VOID', transactionId: 't-up', amount: 1500 });
    expect(planOrderRefund(charges, 2000)).toEqual({ action: 'REFUND', transactionId: 't-1', amount: 2000 });
  });

  it('refuses a zero or fractional amount', () => {
    expect(codeOf(() => planOrderRefund([settledCharge('t-1', 5000)], 0))).toBe('INVALID_AMOUNT/rule');
    expect(codeOf(() => planOrderRefund([settledCharge('t-1', 5000)], 1.5))).toBe('INVALID_AMOUNT/rule');
  });
});

describe('planFullOrderRefund', () => {
  it('voids each unsettled charge and refunds what remains of each settled one', () => {
    const partly = settledCharge('t-1', 5000, refundRequested('r-1', 1000), refundSucceeded('r-1', 1000, 1000));
    expect(planFullOrderRefund([partly, unsettled('t-up', 1500), fold([codOpened()])])).toEqual([
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
    expect(planChargeReversal(unsettled('t-1', 5000), 'o-1')).toEqual([{ action: 'VOID', transactionId: 't-1', amount: 5000 }]);
  });

  it('refunds what remains unrefunded of a settled charge, not its whole amount', () => {
    expect(planChargeReversal(settledCharge('t-1', 5000), 'o-1')).toEqual([{ action: 'REFUND', transactionId: 't-1', amount: 5000 }]);
    const partly = settledCharge('t-1', 5000, refundRequested('r-1', 1200), refundSucceeded('r-1', 1200, 1200));
    expect(planChargeReversal(partly, 'o-1')).toEqual([{ action: 'REFUND', transactionId: 't-1', amount: 3800 }]);
  });

  it('plans nothing when nothing remains: voided, refunded in full, or held by a queued refund', () => {
    expect(planChargeReversal(voided('t-1', 5000), 'o-1')).toEqual([]);
    expect(planChargeReversal(settledCharge('t-1', 5000, refundRequested('r-1', 5000), refundSucceeded('r-1', 5000, 5000, true)), 'o-1')).toEqual([]);
    expect(planChargeReversal(settledCharge('t-1', 5000, refundRequested('r-1', 5000), refundFailed('r-1', 5000, 1), refundQueued('r-1', 5000, 1)), 'o-1')).toEqual([]);
  });

  it('resumes a refund a first attempt left stalled, and refunds what remains beside it', () => {
    expect(planChargeReversal(settledCharge('t-1', 5000, refundRequested('r-1', 2000)), 'o-1')).toEqual([
      { action: 'RESUME', transactionId: 't-1', amount: 2000, refundId: 'r-1' },
      { action: 'REFUND', transactionId: 't-1', amount: 3000 },
    ]);
  });

  it('refuses a transaction payments does not know, or one of another order', () => {
    expect(codeOf(() => planChargeReversal(fold([]), 'o-1'))).toBe('TRANSACTION_NOT_FOUND/not-found');
    expect(codeOf(() => planChargeReversal(unsettled('t-1', 5000), 'o-2'))).toBe('TRANSACTION_NOT_OF_ORDER/rule');
  });
});

// F1: a refund requested whose first gateway attempt was never recorded keeps its amount reserved;
// the same request again must finish it instead of finding nothing to refund.
describe('stalled refunds are resumed, never planned away', () => {
  it('a full order refund resumes the stalled refund, and refunds what remains beside it', () => {
    const stalled = settledCharge('t-1', 5000, refundRequested('r-1', 5000));
    expect(planFullOrderRefund([stalled])).toEqual([{ action: 'RESUME', transactionId: 't-1', amount: 5000, refundId: 'r-1' }]);
    const partlyStalled = settledCharge('t-1', 5000, refundRequested('r-1', 1000));
    expect(planFullOrderRefund([partlyStalled])).toEqual([
      { action: 'RESUME', transactionId: 't-1', amount: 1000, refundId: 'r-1' },
      { action: 'REFUND', transactionId: 't-1', amount: 4000 },
    ]);
  });

  it('a refund with an attempt recorded (queued) is not resumed: the queue owns it', () => {
    const queued = settledCharge('t-1', 5000, refundRequested('r-1', 5000), refundFailed('r-1', 5000, 1), refundQueued('r-1', 5000, 1));
    expect(planFullOrderRefund([queued])).toEqual([]);
    expect(codeOf(() => planOrderRefund([queued]))).toBe('NOTHING_TO_REFUND/rule');
  });

  it('refund from the order resumes the stalled refund instead of NOTHING_TO_REFUND', () => {
    const stalled = settledCharge('t-1', 5000, refundRequested('r-1', 5000));
    expect(planOrderRefund([stalled])).toEqual({ action: 'RESUME', transactionId: 't-1', amount: 5000, refundId: 'r-1' });
  });

  it('with an amount: resumes the stalled refund of exactly that amount when nothing else fits', () => {
    const stalled = settledCharge('t-1', 5000, refundRequested('r-1', 4000));
    expect(planOrderRefund([stalled], 4000)).toEqual({ action: 'RESUME', transactionId: 't-1', amount: 4000, refundId: 'r-1' });
    // what still fits is a new refund; another amount that does not fit is refused as before
    expect(planOrderRefund([stalled], 1000)).toEqual({ action: 'REFUND', transactionId: 't-1', amount: 1000 });
    expect(codeOf(() => planOrderRefund([stalled], 3000))).toBe('REFUND_EXCEEDS_REMAINING/rule');
  });

  it('stalledRefund finds only a PENDING refund without attempts, of the amount asked when one is given', () => {
    const stalled = settledCharge('t-1', 5000, refundRequested('r-1', 1000), refundRequested('r-2', 2000), refundSucceeded('r-1', 1000, 1000));
    expect(stalledRefund(stalled)?.refundId).toBe('r-2');
    expect(stalledRefund(stalled, 2000)?.refundId).toBe('r-2');
    expect(stalledRefund(stalled, 1000)).toBeUndefined();
    expect(stalledRefund(fold([codOpened()]))).toBeUndefined();
  });
});
