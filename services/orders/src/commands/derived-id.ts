import { createHash } from 'node:crypto';

/**
 * A UUID-shaped id derived from `seed`, so a retried create (same Idempotency-Key, same
 * clientOrderId, same rebill cycle) lands on the same stream instead of making a second aggregate.
 *
 *   derivedId('order:alice:key-1') // always the same 8-4-4-4-12 hex id
 */
export function derivedId(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
