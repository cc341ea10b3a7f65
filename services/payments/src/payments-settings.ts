import { defineSettings, Env, setting, SettingsOf } from '@continuum/platform';

/** The payments service's own settings (docs/payments.md and README.md describe them), read once at start. */
const schema = {
  /** delay between refund retries (once a day) */
  refundRetryDelayMs: setting.int('REFUND_RETRY_DELAY_MS', 86_400_000, { min: 0 }),
  /** how long an approved charge stays unsettled before its settle job runs */
  settlementDelayMs: setting.int('SETTLEMENT_DELAY_MS', 86_400_000, { min: 0 }),
  /** who is told when a refund is abandoned */
  notifyEmails: setting.list('NOTIFY_EMAILS', ['ops@localhost']),
  /** the account option: a refund or void also cancels the purchase and unshipped fulfillment */
  autoCancelOnRefund: setting.flag('AUTO_CANCEL_ON_REFUND', false),
  /**
   * how old a refund without a recorded gateway attempt must be to count as stalled (and be resumed);
   * longer than any gateway call, so a younger one is taken as in flight (409 REFUND_IN_PROGRESS)
   */
  refundStallAfterMs: setting.int('REFUND_STALL_AFTER_MS', 120_000, { min: 0 }),
  /** card charges run at once (each holds one worker while the gateway answers) */
  chargeConcurrency: setting.int('CHARGE_CONCURRENCY', 8, { min: 1 }),
  /** gateway calls a charge gets before it is dead-lettered (a timeout is never a decline) */
  chargeAttempts: setting.int('CHARGE_ATTEMPTS', 5, { min: 1 }),
  /** wait after the first failed charge call, doubled after each further one */
  chargeBackoffMs: setting.int('CHARGE_BACKOFF_MS', 200, { min: 0 }),
  /** how often the void-reservation sweeper looks for voids reserved and never recorded */
  voidSweepIntervalMs: setting.int('VOID_SWEEP_INTERVAL_MS', 300_000, { min: 100 }),
  /** how old a void reservation must be before the sweeper asks the gateway about it (longer than any gateway call) */
  voidReservationMaxAgeMs: setting.int('VOID_RESERVATION_MAX_AGE_MS', 600_000, { min: 0 }),
  /** how often the stalled-refund sweeper resumes refunds stalled past REFUND_STALL_AFTER_MS */
  refundSweepIntervalMs: setting.int('REFUND_SWEEP_INTERVAL_MS', 300_000, { min: 100 }),
};

export const paymentsSettings = defineSettings('payments', schema);
export type PaymentsSettings = SettingsOf<typeof schema>;

/** Injection token for PaymentsSettings. */
export const PAYMENTS_SETTINGS = paymentsSettings.token;

/** Reads the payments settings; a bad value throws a ConfigError that names the variable. */
export const loadPaymentsSettings = (env: Env = process.env): PaymentsSettings => paymentsSettings.load(env);
