import { DomainError } from '@continuum/contracts';
import { heldUntil, MAX_HELD_MS, nextRetry, retryDelayMs, RetryLaterError } from './retry-backoff';

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

  it('counts a RetryLaterError given in ms from the first failure, the same on every try', () => {
    const firstFailedAt = now;
    const waiting = new RetryLaterError('a view trails its stream', 60_000);
    expect(heldUntil(waiting, firstFailedAt)).toEqual(inMs(60_000));
    expect(nextRetry(waiting, 9, 0, policy, inMs(59_999), firstFailedAt)).toEqual({ delayMs: 10_000, spends: false });
    expect(nextRetry(waiting, 10, 0, policy, inMs(60_000), firstFailedAt)).toEqual({ delayMs: 10_000, spends: true });
  });

  it('never holds a message past MAX_HELD_MS from its first failure, even for a time that moves with every try', () => {
    const firstFailedAt = now;
    const late = inMs(MAX_HELD_MS);
    const moving = new RetryLaterError('held elsewhere', new Date(late.getTime() + 60_000));
    expect(nextRetry(moving, 40, 0, policy, inMs(MAX_HELD_MS - 1), firstFailedAt)).toEqual({ delayMs: 10_000, spends: false });
    expect(nextRetry(moving, 41, 0, policy, late, firstFailedAt)).toEqual({ delayMs: 10_000, spends: true });
    expect(nextRetry(moving, 45, 4, policy, late, firstFailedAt)).toBeUndefined();
  });

  it('takes a conflict that says until when its holder has the work (details.retryUntil) as work held elsewhere; other refusals and plain errors not', () => {
    const inProgress = new DomainError('REFUND_IN_PROGRESS', 'being sent', 'conflict', { refundId: 'r-1', retryUntil: inMs(120_000).toISOString() });
    expect(heldUntil(inProgress, now)).toEqual(inMs(120_000));
    expect(nextRetry(inProgress, 7, 4, policy, now)).toEqual({ delayMs: 10_000, spends: false });
    expect(nextRetry(inProgress, 7, 4, policy, inMs(120_000))).toBeUndefined();
    expect(heldUntil(new DomainError('VOID_PENDING', 'another void', 'conflict'), now)).toBeUndefined();
    expect(heldUntil(new DomainError('NOT_DUE', 'a rule', 'rule', { retryUntil: inMs(1).toISOString() }), now)).toBeUndefined();
    expect(heldUntil(new DomainError('BUSY', 'odd', 'conflict', { retryUntil: 'soon' }), now)).toBeUndefined();
    expect(heldUntil(new Error('store down'), now)).toBeUndefined();
  });
});
