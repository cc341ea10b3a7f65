import { DomainError, PaymentsEvent } from '@continuum/contracts';
import { planFullOrderRefund, planOrderRefund } from './order-refund.policy';
import { evolveTransaction, initialTransactionState } from './transaction.state';
import { approved, codOpened, refundRequested, refundSucceeded, settled } from './transaction.fixtures';

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
