import { TransactionState, isSettleable } from './transaction.state';

/**
 * Whether a settlement run at `asOf` should settle this transaction: an approved, unvoided,
 * unsettled SALE (or captured AUTHORIZE) that has waited `settlementDelayMs` since it was charged
 * (or captured). Example: `isDueForSettlement(state, '2026-03-02T10:00:00Z', 86_400_000)`.
 */
export function isDueForSettlement(state: TransactionState, asOf: string, settlementDelayMs: number): boolean {
  if (state.status !== 'APPROVED' || state.settledAt !== null || !isSettleable(state)) return false;
  const chargedAt = state.capture?.at ?? state.createdAt;
  return Date.parse(chargedAt) + settlementDelayMs <= Date.parse(asOf);
}

/**
 * What a charge's own settle job (it came due) does: `SETTLE` an approved, unsettled charge; `WAIT`
 * while a void of it is reserved (at the gateway right now: the job is retried, and then finds the
 * charge voided, nothing to settle, or the void failed, and settles); `LEAVE` anything else (voided,
 * already settled, declined, not a card charge). Example: `settleJobStep(fold([approved()]))` is
 * `{ kind: 'SETTLE' }`.
 */
export function settleJobStep(state: TransactionState): { readonly kind: 'SETTLE' | 'LEAVE' } | { readonly kind: 'WAIT'; readonly voidId: string } {
  if (state.status !== 'APPROVED' || state.settledAt !== null) return { kind: 'LEAVE' };
  return state.pendingVoid !== null ? { kind: 'WAIT', voidId: state.pendingVoid.voidId } : { kind: 'SETTLE' };
}
