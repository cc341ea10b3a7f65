import { createHash } from 'node:crypto';

/**
 * A UUID-shaped id derived from `seed`: what a command that would otherwise draw a fresh id (a
 * refund's id) uses under an idempotency key, so a retry decides the same command (same data, same
 * `commandHash`) and is answered as a replay instead of refused as a key reused for another command.
 *
 *   derivedId(`refund:${transactionId}:${idempotencyKey}`) // always the same 8-4-4-4-12 hex id
 */
export function derivedId(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
