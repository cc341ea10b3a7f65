/**
 * Wait before retry number `attempt + 1` after `attempt` failed (1-based): base, 2×base, 4×base...
 * capped at `maxMs`. No jitter: one consumer retries one message, nothing to spread out.
 * Example: `retryDelayMs(3, 200)` is 800.
 */
export function retryDelayMs(attempt: number, baseMs: number, maxMs = 10_000): number {
  if (attempt < 1) return 0;
  return Math.min(maxMs, baseMs * 2 ** (attempt - 1));
}
