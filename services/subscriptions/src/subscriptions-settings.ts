import { ConfigError, Env, envInt, envList, envString } from '@continuum/platform';
import { isTimeZone } from './domain';

/** The subscriptions service's own settings (API.md, Configuration), read once at start. */
export interface SubscriptionsSettings {
  /** the account time zone: billing dates are calendar dates there */
  readonly timeZone: string;
  /** delays between recycle-billing retries after a soft-declined rebill; one retry per entry */
  readonly recycleDelaysMs: readonly number[];
  /** interval lengths (days) billed monthly on the same day of the month instead */
  readonly monthlyIntervalDays: readonly number[];
  /** the daily billing run, a cron pattern in the account time zone */
  readonly billingRunCron: string;
  /** how long POST /billing-runs waits for the outcomes of the bills it requested */
  readonly billingRunWaitMs: number;
  /** how long a bill may stay in flight with no order and no refusal before the sweeper asks orders again; also how often it sweeps */
  readonly rebillOutcomeTimeoutMs: number;
}

export const SUBSCRIPTIONS_SETTINGS = Symbol('SUBSCRIPTIONS_SETTINGS');

function numbers(env: Env, name: string, defaults: readonly string[], min: number): number[] {
  return envList(env, name, defaults).map((value) => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min) throw new ConfigError(name, value, `a comma-separated list of whole numbers of at least ${min}`);
    return n;
  });
}

/** Reads the subscriptions settings; a bad value throws a ConfigError that names the variable. */
export function loadSubscriptionsSettings(env: Env = process.env): SubscriptionsSettings {
  const timeZone = envString(env, 'ACCOUNT_TIME_ZONE', 'UTC');
  if (!isTimeZone(timeZone)) throw new ConfigError('ACCOUNT_TIME_ZONE', timeZone, 'an IANA time zone such as UTC or America/New_York');
  return {
    timeZone,
    recycleDelaysMs: numbers(env, 'RECYCLE_DELAYS_MS', ['259200000', '259200000'], 0),
    monthlyIntervalDays: numbers(env, 'MONTHLY_INTERVAL_DAYS', [], 1),
    billingRunCron: envString(env, 'BILLING_RUN_CRON', '0 2 * * *'),
    billingRunWaitMs: envInt(env, 'BILLING_RUN_WAIT_MS', 20_000, { min: 0 }),
    rebillOutcomeTimeoutMs: envInt(env, 'REBILL_OUTCOME_TIMEOUT_MS', 3_600_000, { min: 1_000 }),
  };
}
