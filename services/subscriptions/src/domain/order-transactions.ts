import { PaymentsEvent } from '@continuum/contracts';
import { PurchaseTransaction } from './purchase.profile';
import { ExistingPurchase } from './purchase.state';

/** What happened to a charge after it was taken, as a row of the purchase's transactions. */
export type ChargeFollowUpType = 'REFUND' | 'VOID' | 'CHARGEBACK' | 'CHARGEBACK_REVERSAL';

/**
 * A refund, void, chargeback or chargeback reversal of one charge of an order, as payments published
 * it. `transactionId` is the refund's or void's own id; a chargeback has none of its own, so its rows
 * carry the charge's id. `parentTransactionId` is always the charge.
 */
export interface ChargeFollowUp {
  readonly transactionId: string;
  readonly parentTransactionId: string;
  readonly orderId: string;
  readonly type: ChargeFollowUpType;
  readonly response: 'SUCCESS';
  readonly amount: number;
  readonly currency?: string;
  readonly message: string;
  readonly at: string;
}

/** The row a payments event adds to its order's transactions (ChargeVoided, RefundSucceeded, ChargebackMarked, ChargebackReverted), or null for any other. */
export function chargeFollowUp(event: PaymentsEvent): ChargeFollowUp | null {
  const common = { parentTransactionId: event.data.transactionId, orderId: event.data.orderId, response: 'SUCCESS' as const };
  switch (event.type) {
    case 'ChargeVoided': {
      const d = event.data;
      return { ...common, transactionId: d.voidId, type: 'VOID', amount: d.amount, currency: d.currency, message: d.message, at: d.at };
    }
    case 'RefundSucceeded': {
      const d = event.data;
      return { ...common, transactionId: d.refundId, type: 'REFUND', amount: d.amount, currency: d.currency, message: d.message, at: d.at };
    }
    case 'ChargebackMarked': {
      const d = event.data;
      return { ...common, transactionId: d.transactionId, type: 'CHARGEBACK', amount: d.amount, message: `Chargeback ${d.reasonCode} of ${d.date}${d.note ? `: ${d.note}` : ''}`, at: d.at };
    }
    case 'ChargebackReverted': {
      const d = event.data;
      return { ...common, transactionId: d.transactionId, type: 'CHARGEBACK_REVERSAL', amount: d.amount, message: 'Chargeback reverted', at: d.at };
    }
    default:
      return null;
  }
}

/** The orders whose charges are the purchase's: the order that started it and every rebill order. */
export const ordersOf = (p: ExistingPurchase): string[] => [p.orderId, ...Object.keys(p.rebillOrders).filter((orderId) => orderId !== p.orderId)];

/** The billing cycle an order of the purchase paid: 1 for the starting order, the rebill's cycle for a rebill order. */
const cycleOf = (p: ExistingPurchase, orderId: string): number => (orderId === p.orderId ? 1 : (p.rebillOrders[orderId]?.billingCycle ?? p.billingCycle));

/**
 * The purchase's transactions: its charges (the starting order's and every rebill's, declines
 * included) and the refunds, voids and chargebacks of its orders' charges, oldest first (a charge
 * before what followed it at the same time).
 */
export function purchaseTransactions(p: ExistingPurchase, charges: readonly PurchaseTransaction[], followUps: readonly ChargeFollowUp[]): PurchaseTransaction[] {
  const orders = new Set(ordersOf(p));
  const rows: PurchaseTransaction[] = followUps
    .filter((row) => orders.has(row.orderId))
    .map((row) => ({ ...row, billingCycle: cycleOf(p, row.orderId), currency: row.currency ?? p.currency }));
  const ranked = [...charges.map((row, index) => ({ row, rank: 0, index })), ...rows.map((row, index) => ({ row, rank: 1, index }))];
  return ranked.sort((a, b) => a.row.at.localeCompare(b.row.at) || a.rank - b.rank || a.index - b.index).map(({ row }) => row);
}
