import { DomainError, PaymentsEvent } from '@continuum/contracts';
import { rerunAmount } from './rerun.policy';
import { evolveTransaction, initialTransactionState } from './transaction.state';
import { NOW, approved, event, visa } from './transaction.fixtures';

const fold = (events: PaymentsEvent[]) => events.reduce(evolveTransaction, initialTransactionState());
const declined = (transactionId: string, amount: number, at: string, purpose: 'ORDER' | 'RERUN' | 'REBILL' = 'ORDER') =>
  fold([
    event('PaymentDeclined', {
      transactionId,
      type: 'SALE',
      response: 'SOFT_DECLINE',
      amount,
      currency: 'USD',
      card: visa,
      merchantId: 'm-1',
      gatewayTransactionId: null,
      message: 'Insufficient funds',
      rerunOf: null,
      at,
      purpose,
    }),
  ]);
const upsell = (amount: number, at: string) => fold([approved(amount, { transactionId: 't-up', purpose: 'UPSELL', orderItemId: 'oi-2', at })]);
const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  throw new Error('expected a DomainError');
};

// F3: the order total counts upsells charged on their own; a rerun charges only what was declined.
describe('rerunAmount', () => {
  it('is the amount of the declined order charge, not counting an upsell charged later', () => {
    expect(rerunAmount([declined('t-1', 4999, NOW), upsell(1500, '2026-03-01T11:00:00.000Z')], 't-rerun')).toBe(4999);
  });

  it('takes the latest ORDER/RERUN/REBILL charge, or the one the request names', () => {
    const first = declined('t-1', 4999, NOW);
    const rerun = declined('t-2', 3999, '2026-03-01T12:00:00.000Z', 'RERUN');
    expect(rerunAmount([first, rerun], 't-3')).toBe(3999);
    expect(rerunAmount([rerun, first], 't-3', 't-1')).toBe(4999);
    expect(rerunAmount([declined('t-1', 2298, NOW, 'REBILL')], 't-3')).toBe(2298);
  });

  it("leaves out the rerun's own charge (a redelivered request)", () => {
    const own = fold([approved(4999, { transactionId: 't-rerun', purpose: 'RERUN', at: '2026-03-01T12:00:00.000Z' })]);
    expect(rerunAmount([declined('t-1', 4999, NOW), own], 't-rerun')).toBe(4999);
  });

  it('refuses when the charge to rerun was approved, or the order has no charge of its own', () => {
    expect(codeOf(() => rerunAmount([fold([approved(4999)])], 't-rerun'))).toBe('NOT_DECLINED');
    expect(codeOf(() => rerunAmount([upsell(1500, NOW)], 't-rerun'))).toBe('NOTHING_TO_RERUN');
    expect(codeOf(() => rerunAmount([], 't-rerun'))).toBe('NOTHING_TO_RERUN');
  });
});
