/**
 * The refund queue rule: a refund the gateway rejects is retried automatically once a day
 * for 3 days; when the third retry fails it leaves the queue and Notify Emails are told.
 * Attempt 1 is the first try; attempts 2, 3 and 4 are the three daily retries.
 */
export const MAX_REFUND_RETRIES = 3;

/** Gateway attempts a refund gets in all: the first try plus the retries. */
export const MAX_REFUND_ATTEMPTS = MAX_REFUND_RETRIES + 1;

export type RefundStepAfterFailure =
  /** queue it again: `retryNumber` (1..3) is the daily retry that comes next, made as gateway attempt `nextAttempt` */
  | { readonly action: 'RETRY'; readonly retryNumber: number; readonly nextAttempt: number }
  /** the last retry failed: out of the queue, email Notify Emails */
  | { readonly action: 'ABANDON' };

/** What happens after gateway attempt `attempt` (1-based) of a refund failed. */
export function nextStepAfterFailure(attempt: number): RefundStepAfterFailure {
  if (!Number.isInteger(attempt) || attempt < 1 || attempt > MAX_REFUND_ATTEMPTS) {
    throw new RangeError(`refund attempt must be 1..${MAX_REFUND_ATTEMPTS}, got ${attempt}`);
  }
  if (attempt === MAX_REFUND_ATTEMPTS) return { action: 'ABANDON' };
  return { action: 'RETRY', retryNumber: attempt, nextAttempt: attempt + 1 };
}
