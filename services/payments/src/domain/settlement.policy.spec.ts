import { PaymentsEvent } from '@continuum/contracts';
import { isDueForSettlement, settleJobStep } from './settlement.policy';
import { evolveTransaction, initialTransactionState } from './transaction.state';
import { NOW, approved, codOpened, event, settled } from './transaction.fixtures';

const fold = (events: PaymentsEvent[]) => events.reduce(evolveTransaction, initialTransactionState());
const DAY = 86_400_000;

describe('isDueForSettlement', () => {
  it('is due once the delay has passed since the charge, not before', () => {
    const state = fold([approved()]);
    expect(isDueForSettlement(state, '2026-03-02T09:59:59.999Z', DAY)).toBe(false);
    expect(isDueForSettlement(state, '2026-03-02T10:00:00.000Z', DAY)).toBe(true);
    expect(isDueForSettlement(state, NOW, 0)).toBe(true);
  });

  it('is never due when settled, voided, uncaptured, declined or not a card charge', () => {
    const far = '2030-01-01T00:00:00.000Z';
    expect(isDueForSettlement(fold([approved(), settled()]), far, DAY)).toBe(false);
    const voided = event('ChargeVoided', { voidId: 'v', amount: 5000, currency: 'USD', gatewayTransactionId: null, message: 'ok', autoCancel: false, at: NOW });
    expect(isDueForSettlement(fold([approved(), voided]), far, DAY)).toBe(false);
    expect(isDueForSettlement(fold([approved(5000, { type: 'AUTHORIZE' })]), far, DAY)).toBe(false);
    expect(isDueForSettlement(fold([codOpened()]), far, DAY)).toBe(false);
    expect(isDueForSettlement(fold([]), far, DAY)).toBe(false);
  });

  it('counts the delay of an authorization from its capture', () => {
    const captured = event('AuthorizationCaptured', { captureId: 'c', amount: 100, currency: 'USD', gatewayTransactionId: null, message: 'ok', at: '2026-03-05T00:00:00.000Z' });
    const state = fold([approved(5000, { type: 'AUTHORIZE' }), captured]);
    expect(isDueForSettlement(state, '2026-03-05T23:59:59.000Z', DAY)).toBe(false);
    expect(isDueForSettlement(state, '2026-03-06T00:00:00.000Z', DAY)).toBe(true);
  });
});

describe('settleJobStep (a charge\'s own settle job)', () => {
  const voidRequested = event('VoidRequested', { voidId: 'v-1', amount: 5000, currency: 'USD', at: NOW });
  const voided = event('ChargeVoided', { voidId: 'v-1', amount: 5000, currency: 'USD', gatewayTransactionId: null, message: 'ok', autoCancel: false, at: NOW });
  const voidFailed = event('VoidFailed', { voidId: 'v-1', message: 'gateway refused', at: NOW });

  it('given an approved, unsettled charge, then it settles', () => {
    expect(settleJobStep(fold([approved()]))).toEqual({ kind: 'SETTLE' });
  });

  it('given a void reserved at the gateway, then it waits; once the void failed, it settles; once voided, it leaves the charge', () => {
    expect(settleJobStep(fold([approved(), voidRequested]))).toEqual({ kind: 'WAIT', voidId: 'v-1' });
    expect(settleJobStep(fold([approved(), voidRequested, voidFailed]))).toEqual({ kind: 'SETTLE' });
    expect(settleJobStep(fold([approved(), voidRequested, voided]))).toEqual({ kind: 'LEAVE' });
  });

  it('given a settled charge, a COD transaction or none, then it leaves it', () => {
    expect(settleJobStep(fold([approved(), settled()]))).toEqual({ kind: 'LEAVE' });
    expect(settleJobStep(fold([codOpened()]))).toEqual({ kind: 'LEAVE' });
    expect(settleJobStep(fold([]))).toEqual({ kind: 'LEAVE' });
  });
});
