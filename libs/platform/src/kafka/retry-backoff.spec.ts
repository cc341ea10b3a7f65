import { DomainError } from '@continuum/contracts';
import { heldUntil, nextRetry, retryDelayMs, RetryLaterError } from './retry-backoff';

describe('retryDelayMs', () => {
  it('doubles the wait after each failed attempt', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, 200))).toEqual([200, 400, 800, 1600]);
  });

  it('never waits longer than the cap', () => {
    expect(retryDelayMs(20, 200, 5_000)).toBe(5_000);
  });

  it('does not wait before the first attempt', () => {
    expect(retryDelayMs(0, 200)).toBe(0);
  });
});

describe('nextRetry', () => {
  const policy = { maxAttempts: 5, backoffMs: 200, maxBackoffMs: 10_000 };
  const now = new Date('2026-03-01T10:00:00.000Z');
  const inMs = (ms: number) => new Date(now.getTime() + ms);

  it('retries a failure with the doubling wait, and gives up on the fifth failed attempt', () => {
    const failure = new Error('store down');
    expect([1, 2, 3, 4].map((tries) => nextRetry(failure, tries, tries - 1, policy, now))).toEqual([
      { delayMs: 200, spends: true },
      { delayMs: 400, spends: true },
      { delayMs: 800, spends: true },
      { delayMs: 1600, spends: true },
    ]);
    expect(nextRetry(failure, 5, 4, policy, now)).toBeUndefined();
  });

  it('retries a RetryLaterError before its time without spending an attempt, however many tries it took', () => {
    const waiting = new RetryLaterError('held elsewhere', inMs(1));
    expect(nextRetry(waiting, 12, 4, policy, now)).toEqual({ delayMs: 10_000, spends: false });
    expect(nextRetry(waiting, 1, 0, policy, now)).toEqual({ delayMs: 200, spends: false });
  });

  it('counts a RetryLaterError whose time has passed as any failure', () => {
    const late = new RetryLaterError('held elsewhere', now);
    expect(nextRetry(late, 3, 2, policy, now)).toEqual({ delayMs: 800, spends: true });
    expect(nextRetry(late, 9, 4, policy, now)).toBeUndefined();
  });

  it('takes a conflict that says until when its holder has the work (details.retryUntil) as work held elsewhere; other refusals and plain errors not', () => {
    const inProgress = new DomainError('REFUND_IN_PROGRESS', 'being sent', 'conflict', { refundId: 'r-1', retryUntil: inMs(120_000).toISOString() });
    expect(heldUntil(inProgress)).toEqual(inMs(120_000));
    expect(nextRetry(inProgress, 7, 4, policy, now)).toEqual({ delayMs: 10_000, spends: false });
    expect(nextRetry(inProgress, 7, 4, policy, inMs(120_000))).toBeUndefined();
    expect(heldUntil(new DomainError('VOID_PENDING', 'another void', 'conflict'))).toBeUndefined();
    expect(heldUntil(new DomainError('NOT_DUE', 'a rule', 'rule', { retryUntil: inMs(1).toISOString() }))).toBeUndefined();
    expect(heldUntil(new DomainError('BUSY', 'odd', 'conflict', { retryUntil: 'soon' }))).toBeUndefined();
    expect(heldUntil(new Error('store down'))).toBeUndefined();
  });
});
