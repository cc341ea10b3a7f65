import { ConfigError } from '@continuum/platform';
import { loadSubscriptionsSettings } from './subscriptions-settings';

describe('subscriptions settings', () => {
  it('defaults: UTC, recycle twice after 3 days, no monthly intervals, daily run at 02:00', () => {
    expect(loadSubscriptionsSettings({})).toEqual({ timeZone: 'UTC', recycleDelaysMs: [259_200_000, 259_200_000], monthlyIntervalDays: [], billingRunCron: '0 2 * * *', billingRunWaitMs: 20_000, billingRunWindow: 16, billingRunHoldMs: 60_000, rebillOutcomeTimeoutMs: 3_600_000, rebillResolveIntervalMs: 900_000, rebillResolveAfterMs: 3_600_000 });
  });

  it('reads how long a bill may stay in flight unanswered, at least a second', () => {
    expect(loadSubscriptionsSettings({ REBILL_OUTCOME_TIMEOUT_MS: '60000' }).rebillOutcomeTimeoutMs).toBe(60_000);
    expect(() => loadSubscriptionsSettings({ REBILL_OUTCOME_TIMEOUT_MS: '10' })).toThrow(/REBILL_OUTCOME_TIMEOUT_MS/);
  });

  it('reads how often the rebill-resolve sweeper looks and how old a bill must be, the interval at least 100 ms', () => {
    expect(loadSubscriptionsSettings({ REBILL_RESOLVE_INTERVAL_MS: '500', REBILL_RESOLVE_AFTER_MS: '8000' })).toMatchObject({ rebillResolveIntervalMs: 500, rebillResolveAfterMs: 8000 });
    expect(() => loadSubscriptionsSettings({ REBILL_RESOLVE_INTERVAL_MS: '10' })).toThrow(/REBILL_RESOLVE_INTERVAL_MS/);
  });

  it('reads comma-separated delays and interval lengths', () => {
    expect(loadSubscriptionsSettings({ RECYCLE_DELAYS_MS: '1000, 2000,3000', MONTHLY_INTERVAL_DAYS: '30', ACCOUNT_TIME_ZONE: 'Europe/Paris' })).toMatchObject({
      timeZone: 'Europe/Paris',
      recycleDelaysMs: [1000, 2000, 3000],
      monthlyIntervalDays: [30],
    });
  });

  it('refuses a bad value, naming the variable', () => {
    expect(() => loadSubscriptionsSettings({ RECYCLE_DELAYS_MS: '1000,soon' })).toThrow(ConfigError);
    expect(() => loadSubscriptionsSettings({ RECYCLE_DELAYS_MS: '1000,soon' })).toThrow(/RECYCLE_DELAYS_MS/);
    expect(() => loadSubscriptionsSettings({ ACCOUNT_TIME_ZONE: 'Mars/Olympus' })).toThrow(/ACCOUNT_TIME_ZONE/);
  });
});
