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
 * and is sending), whose holder either finishes it or is taken as gone once `until` has passed; or
 * a state that catches up by itself (a view trailing its stream). A consumer retries it until then
 * without spending its attempts, so it is never dead-lettered for waiting; after `until` it counts
 * as any failure. `until` is a time, or a number of ms counted from the message's first failure
 * (where the handler knows no fixed time: the runner keeps when that was).
 */
export class RetryLaterError extends Error {
  constructor(
    message: string,
    readonly until: Date | number,
  ) {
    super(message);
    this.name = 'RetryLaterError';
  }
}

/** However a failure names its time, a message waits for work held elsewhere at most this long from its first failure. */
export const MAX_HELD_MS = 900_000;

/**
 * Until when a failure is work held elsewhere: a RetryLaterError's `until` (a time, or a number of
 * ms from `firstFailedAt`), or a DomainError of kind `conflict` whose `details.retryUntil` (an ISO time)
 * says when the holder is taken as gone (a domain names it so, as payments' REFUND_IN_PROGRESS
 * names when its refund counts as stalled).
 */
export function heldUntil(error: unknown, firstFailedAt: Date): Date | undefined {
  if (error instanceof RetryLaterError) return typeof error.until === 'number' ? new Date(firstFailedAt.getTime() + error.until) : error.until;
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
  /** how long work held elsewhere may hold a message from its first failure (default MAX_HELD_MS) */
  readonly maxHeldMs?: number;
}

/**
 * What follows a failed handler call: wait `delayMs` and call again, or give up (undefined).
 * `tries`: calls made so far, this one included; `spent`: attempts spent by the failures before this
 * one; `firstFailedAt`: when the message first failed. A failure spends an attempt, and the message
 * is given up on its `maxAttempts`-th, except work held elsewhere (`heldUntil`) before its time and
 * within `maxHeldMs` (default MAX_HELD_MS) of the first failure (`spends: false`): a time that
 * moves with every try cannot hold a partition for ever. The wait doubles with `tries` either way,
 * so a holder that finishes at once is seen at once.
 */
export function nextRetry(error: unknown, tries: number, spent: number, policy: RetryPolicy, now: Date, firstFailedAt: Date = now): { delayMs: number; spends: boolean } | undefined {
  const delayMs = retryDelayMs(tries, policy.backoffMs, policy.maxBackoffMs);
  const until = heldUntil(error, firstFailedAt);
  if (until !== undefined && now.getTime() < Math.min(until.getTime(), firstFailedAt.getTime() + (policy.maxHeldMs ?? MAX_HELD_MS))) return { delayMs, spends: false };
  if (spent + 1 >= policy.maxAttempts) return undefined;
  return { delayMs, spends: true };
}
