import { MAX_REFUND_ATTEMPTS, MAX_REFUND_RETRIES, nextStepAfterFailure } from './refund-policy';

describe('refund retry policy (once a day for 3 days)', () => {
  it('allows three retries after the first try, four gateway attempts in all', () => {
    expect(MAX_REFUND_RETRIES).toBe(3);
    expect(MAX_REFUND_ATTEMPTS).toBe(4);
  });

  it('queues the next daily retry after attempts 1, 2 and 3', () => {
    expect(nextStepAfterFailure(1)).toEqual({ action: 'RETRY', retryNumber: 1, nextAttempt: 2 });
    expect(nextStepAfterFailure(2)).toEqual({ action: 'RETRY', retryNumber: 2, nextAttempt: 3 });
    expect(nextStepAfterFailure(3)).toEqual({ action: 'RETRY', retryNumber: 3, nextAttempt: 4 });
  });

  it('abandons when the third retry (attempt 4) fails', () => {
    expect(nextStepAfterFailure(4)).toEqual({ action: 'ABANDON' });
  });

  it('refuses attempts that cannot exist', () => {
    expect(() => nextStepAfterFailure(0)).toThrow(RangeError);
    expect(() => nextStepAfterFailure(5)).toThrow(RangeError);
    expect(() => nextStepAfterFailure(1.5)).toThrow(RangeError);
  });
});
