import { Env, envInt, envList, envString } from '@continuum/platform';

/** The payments service's own settings (API.md, Configuration), read once at start. */
export interface PaymentsSettings {
  /** delay between refund retries (seed 001: once a day) */
  readonly refundRetryDelayMs: number;
  /** how long an approved charge stays unsettled before its settle job runs */
  readonly settlementDelayMs: number;
  /** who is told when a refund is abandoned */
  readonly notifyEmails: readonly string[];
  /** the account option: a refund or void also cancels the purchase and unshipped fulfillment */
  readonly autoCancelOnRefund: boolean;
  /**
   * how old a refund without a recorded gateway attempt must be to count as stalled (and be resumed);
   * longer than any gateway call, so a younger one is taken as in flight (409 REFUND_IN_PROGRESS)
   */
  readonly refundStallAfterMs: number;
  /** card charges run at once (each holds one worker while the gateway answers) */
  readonly chargeConcurrency: number;
  /** gateway calls a charge gets before it is dead-lettered (a timeout is never a decline) */
  readonly chargeAttempts: number;
  /** wait after the first failed charge call, doubled after each further one */
  readonly chargeBackoffMs: number;
}

/** Injection token for PaymentsSettings. */
export const PAYMENTS_SETTINGS = Symbol('PAYMENTS_SETTINGS');

/** Reads the payments settings; a bad value throws a ConfigError that names the variable. */
export function loadPaymentsSettings(env: Env = process.env): PaymentsSettings {
  return {
    refundRetryDelayMs: envInt(env, 'REFUND_RETRY_DELAY_MS', 86_400_000, { min: 0 }),
    settlementDelayMs: envInt(env, 'SETTLEMENT_DELAY_MS', 86_400_000, { min: 0 }),
    notifyEmails: envList(env, 'NOTIFY_EMAILS', ['ops@localhost']),
    autoCancelOnRefund: envString(env, 'AUTO_CANCEL_ON_REFUND', 'false', ['true', 'false']) === 'true',
    refundStallAfterMs: envInt(env, 'REFUND_STALL_AFTER_MS', 120_000, { min: 0 }),
    chargeConcurrency: envInt(env, 'CHARGE_CONCURRENCY', 8, { min: 1 }),
    chargeAttempts: envInt(env, 'CHARGE_ATTEMPTS', 5, { min: 1 }),
    chargeBackoffMs: envInt(env, 'CHARGE_BACKOFF_MS', 200, { min: 0 }),
  };
}
