import { retryDelayMs } from './retry-backoff';

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
