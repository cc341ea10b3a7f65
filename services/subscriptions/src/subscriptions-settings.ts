import { defineSettings, Env, setting, SettingsOf } from '@continuum/platform';
import { isTimeZone } from './domain';

/** The subscriptions service's own settings (docs/subscriptions.md and README.md describe them), read once at start. */
const schema = {
  /** the account time zone: billing dates are calendar dates there */
  timeZone: setting.string('ACCOUNT_TIME_ZONE', 'UTC').where((zone) => (isTimeZone(zone) ? undefined : 'an IANA time zone such as UTC or America/New_York')),
  /** delays between recycle-billing retries after a soft-declined rebill; one retry per entry */
  recycleDelaysMs: setting.intList('RECYCLE_DELAYS_MS', [259_200_000, 259_200_000], { min: 0 }),
  /** interval lengths (days) billed monthly on the same day of the month instead */
  monthlyIntervalDays: setting.intList('MONTHLY_INTERVAL_DAYS', [], { min: 1 }),
  /** the daily billing run, a cron pattern in the account time zone */
  billingRunCron: setting.string('BILLING_RUN_CRON', '0 2 * * *'),
  /** how long POST /billing-runs waits for the outcomes of the bills it requested */
  billingRunWaitMs: setting.int('BILLING_RUN_WAIT_MS', 20_000, { min: 0 }),
  /** the most bills a billing run keeps without an outcome: it requests the next once one has ended */
  billingRunWindow: setting.int('BILLING_RUN_WINDOW', 16, { min: 1 }),
  /** how long a bill without an outcome holds its place in the run's window */
  billingRunHoldMs: setting.int('BILLING_RUN_HOLD_MS', 60_000, { min: 0 }),
  /** how long a bill may stay in flight with no order and no refusal before the sweeper asks orders again; also how often it sweeps */
  rebillOutcomeTimeoutMs: setting.int('REBILL_OUTCOME_TIMEOUT_MS', 3_600_000, { min: 1_000 }),
  /** how often the rebill-resolve sweeper asks payments about rebill orders whose outcome never came */
  rebillResolveIntervalMs: setting.int('REBILL_RESOLVE_INTERVAL_MS', 900_000, { min: 100 }),
  /** how long a bill with its order recorded waits for its outcome before the sweeper asks payments */
  rebillResolveAfterMs: setting.int('REBILL_RESOLVE_AFTER_MS', 3_600_000, { min: 0 }),
};

export const subscriptionsSettings = defineSettings('subscriptions', schema);
export type SubscriptionsSettings = SettingsOf<typeof schema>;

export const SUBSCRIPTIONS_SETTINGS = subscriptionsSettings.token;

/** Reads the subscriptions settings; a bad value throws a ConfigError that names the variable. */
export const loadSubscriptionsSettings = (env: Env = process.env): SubscriptionsSettings => subscriptionsSettings.load(env);
