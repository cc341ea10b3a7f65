import { DomainError } from '@continuum/contracts';

/**
 * Wait before retry number `attempt + 1` after `attempt` failed (1-based): base, 2×base, 4×base...
 * capped at `maxMs`. No jitter: one consumer retries one message, nothing to spread out.
 * Example: `retryDelayMs(3, 200)` is 800.
 */
export function retryDelayMs(attempt: number, baseMs: number, maxMs = 10_000): number {
  if (attempt < 1) return 0;
  return Math.min(maxMs, baseMs * 2 ** (attempt - 1));
}

/**
 * A failure that clears by itself by a known time: work another process holds (an email it claimed
 * and is sending), whose holder either finishes it or is taken as gone once `until` has passed. A
 * consumer retries it until then without spending its attempts, so it is never dead-lettered for
 * waiting; after `until` it counts as any failure.
 */
export class RetryLaterError extends Error {
  constructor(
    message: string,
    readonly until: Date,
  ) {
    super(message);
    this.name = 'RetryLaterError';
  }
}

/**
 * Until when a failure is work held elsewhere: a RetryLaterError's `until`, or a DomainError of kind
 * `conflict` whose `details.retryUntil` (an ISO time) says when the holder is taken as gone (a
 * domain names it so, as payments' REFUND_IN_PROGRESS names when its refund counts as stalled).
 */
export function heldUntil(error: unknown): Date | undefined {
  if (error instanceof RetryLaterError) return error.until;
  if (!(error instanceof DomainError) || error.kind !== 'conflict') return undefined;
  const until = error.details?.['retryUntil'];
  if (typeof until !== 'string' || Number.isNaN(Date.parse(until))) return undefined;
  return new Date(until);
}

export interface RetryPolicy {
  /** handler calls that may fail before the message is given up */
  readonly maxAttempts: number;
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
}

/**
 * What follows a failed handler call: wait `delayMs` and call again, or give up (undefined).
 * `tries`: calls made so far, this one included; `spent`: attempts spent by the failures before this
 * one. A failure spends an attempt, and the message is given up on its `maxAttempts`-th, except
 * work held elsewhere (`heldUntil`) before its time (`spends: false`). The wait doubles with
 * `tries` either way, so a holder that finishes at once is seen at once.
 */
export function nextRetry(error: unknown, tries: number, spent: number, policy: RetryPolicy, now: Date): { delayMs: number; spends: boolean } | undefined {
  const delayMs = retryDelayMs(tries, policy.backoffMs, policy.maxBackoffMs);
  const until = heldUntil(error);
  if (until !== undefined && now.getTime() < until.getTime()) return { delayMs, spends: false };
  if (spent + 1 >= policy.maxAttempts) return undefined;
  return { delayMs, spends: true };
}
