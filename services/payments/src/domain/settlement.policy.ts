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
