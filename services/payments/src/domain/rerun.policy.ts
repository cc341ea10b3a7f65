import { DomainError } from '@continuum/contracts';
import { TransactionState } from './transaction.state';

/** A card charge of the order that pays the order itself (not an upsell item). */
type OrderCharge = Extract<TransactionState, { purpose: unknown }>;

/**
 * The amount a rerun charges: the amount of the declined charge it reruns, never the order's total
 * (which also counts upsells, charged on their own). The declined charge is `previousTransactionId`
 * when it names one of the order's own charges, else the latest ORDER/RERUN/REBILL charge of the order.
 * `charges` are the order's transactions; `rerunTransactionId` (the rerun's own charge, present on a
 * redelivery) is left out. Refused when that charge was not declined (NOT_DECLINED) or there is none
 * (NOTHING_TO_RERUN).
 * Example: a declined 4999 ORDER charge and an approved 1500 UPSELL → 4999.
 */
export function rerunAmount(charges: readonly TransactionState[], rerunTransactionId: string, previousTransactionId?: string): number {
  const own = charges.filter((c): c is OrderCharge => 'purpose' in c && c.purpose !== 'UPSELL' && c.transactionId !== rerunTransactionId);
  const named = own.find((c) => c.transactionId === previousTransactionId);
  const latest = own.reduce<OrderCharge | undefined>((last, c) => (last === undefined || c.createdAt >= last.createdAt ? c : last), undefined);
  const reruns = named ?? latest;
  if (!reruns) throw new DomainError('NOTHING_TO_RERUN', 'the order has no charge of its own to rerun');
  if (reruns.status !== 'DECLINED') throw new DomainError('NOT_DECLINED', `the charge to rerun (${reruns.transactionId}) was not declined`);
  return reruns.amount;
}
