import { DomainError, assertMinorUnits } from '@continuum/contracts';
import { ApprovedCharge, StallClock, TransactionState, assertNotInFlight, chargedAmount, isStalled, remainingRefundable, resumableRefund } from './transaction.state';

/**
 * One step of refunding an order: void a whole unsettled charge, refund part or all of a settled one,
 * or RESUME a refund requested earlier whose first gateway attempt was never recorded (its amount is
 * reserved, so it is finished instead of planning nothing).
 */
export type OrderRefundPlan =
  | { readonly action: 'VOID'; readonly transactionId: string; readonly amount: number }
  | { readonly action: 'REFUND'; readonly transactionId: string; readonly amount: number }
  | { readonly action: 'RESUME'; readonly transactionId: string; readonly amount: number; readonly refundId: string };

/**
 * "Refund from the order": void first when possible, else refund.
 * `charges` are the order's transactions (any kind; only approved card charges count). What a
 * settled charge has left to refund is remainingRefundable: its marked chargeback counts against it.
 * - no amount: the order's one charge in full (VOID if unsettled, else REFUND of all that remains);
 * - an amount: VOID an unsettled charge of exactly that amount, else REFUND a settled charge with
 *   that much remaining; a partial amount of an unsettled charge is refused (no partial void, and an
 *   unsettled charge cannot be refunded).
 * When nothing else fits, a stalled refund (no gateway attempt recorded, requested more than
 * `clock.stallAfterMs` before `clock.now`) of that amount (or of any amount when none is given) is
 * resumed: the same request repeated after a crash. A younger one may have its first gateway call
 * in flight: REFUND_IN_PROGRESS (conflict) then, never a second gateway call beside it.
 * Example: `planOrderRefund([unsettledSale], undefined, clock)` → `{ action: 'VOID', transactionId: 't-1', amount: 5000 }`.
 */
export function planOrderRefund(charges: readonly TransactionState[], amount: number | undefined, clock: StallClock): OrderRefundPlan {
  try {
    return planNewOrderRefund(charges, amount);
  } catch (error) {
    if (!(error instanceof DomainError) || !RESUMABLE_REFUSALS.has(error.code)) throw error;
    const resume = charges.map((c) => ({ charge: c, refund: resumableRefund(c, clock, amount) })).find((x) => x.refund !== undefined);
    if (!resume) throw error;
    return { action: 'RESUME', transactionId: (resume.charge as ApprovedCharge).transactionId, amount: resume.refund!.amount, refundId: resume.refund!.refundId };
  }
}

/** The refusals a stalled refund can stand behind: its reservation is what left nothing to refund. */
const RESUMABLE_REFUSALS = new Set(['NOTHING_TO_REFUND', 'REFUND_EXCEEDS_REMAINING']);

function planNewOrderRefund(charges: readonly TransactionState[], amount?: number): OrderRefundPlan {
  const voidable = charges.filter(isVoidable);
  // a charge that can still be voided is voided, not refunded (also one whose void failed before: the void is tried again, then the refund follows)
  const refundable = charges.filter((c): c is ApprovedCharge => c.status === 'APPROVED' && !canVoid(c) && remainingRefundable(c) > 0);
  if (voidable.length + refundable.length === 0) throw new DomainError('NOTHING_TO_REFUND', 'the order has no card charge left to void or refund');

  if (amount === undefined) {
    if (voidable.length + refundable.length > 1) {
      throw new DomainError('AMOUNT_REQUIRED', 'the order has several charges: give an amount or refund each transaction');
    }
    return voidable.length === 1 ? voidPlan(voidable[0]) : refundPlan(refundable[0], remainingRefundable(refundable[0]));
  }

  assertMinorUnits(amount, { field: 'amount', min: 1 });
  const exactVoid = voidable.find((c) => voidAmount(c) === amount);
  if (exactVoid) return voidPlan(exactVoid);
  const fits = refundable.find((c) => remainingRefundable(c) >= amount);
  if (fits) return refundPlan(fits, amount);
  if (voidable.some((c) => voidAmount(c) > amount)) {
    throw new DomainError('PARTIAL_VOID_NOT_POSSIBLE', 'the charge is not settled yet: it can only be voided in full, not partly refunded');
  }
  throw new DomainError('REFUND_EXCEEDS_REMAINING', 'the amount exceeds what remains to refund on any charge of the order', 'rule', { field: 'amount' });
}

/**
 * Everything the order took, given back: each unsettled charge voided, each stalled refund resumed
 * and each settled charge refunded of all that remains (used by cancel with full refund and by a QA
 * decline; a redelivered cause finishes what a crash or a timeout left half done).
 */
export function planFullOrderRefund(charges: readonly TransactionState[], clock: StallClock): OrderRefundPlan[] {
  return charges.flatMap((c) => planWholeChargeRefund(c, clock));
}

/**
 * Everything one charge of the order took, given back (OrderPaymentReversalRequested: a charge
 * approved after the order was cancelled): the same steps as a full order refund, for that charge
 * only. Nothing when nothing remains (already voided, or refunded in full, e.g. by the cancel's own
 * refund), so a redelivered request plans nothing more. A transaction payments does not know, or of
 * another order, is refused: reversing it would move money nobody asked to move.
 * Example: `planChargeReversal(unsettledSale, 'o-1')` → `[{ action: 'VOID', transactionId: 't-1', amount: 5000 }]`.
 */
export function planChargeReversal(charge: TransactionState, orderId: string, clock: StallClock): OrderRefundPlan[] {
  if (charge.status === 'NONE') throw new DomainError('TRANSACTION_NOT_FOUND', 'no such transaction to reverse', 'not-found');
  if (charge.orderId !== orderId) throw new DomainError('TRANSACTION_NOT_OF_ORDER', `transaction ${charge.transactionId} does not belong to order ${orderId}`);
  return planWholeChargeRefund(charge, clock);
}

/**
 * One charge given back in full: void while possible, else resume stalled refunds and refund the
 * rest. A refund awaiting its first attempt that is not stalled yet stops the plan (REFUND_IN_PROGRESS).
 */
function planWholeChargeRefund(c: TransactionState, clock: StallClock): OrderRefundPlan[] {
  if (c.status !== 'APPROVED') return [];
  const charge: ApprovedCharge = c;
  if (canVoid(charge)) return [voidPlan(charge)];
  for (const refund of charge.refunds) assertNotInFlight(refund, clock);
  const resumes = charge.refunds
    .filter((r) => isStalled(r, clock))
    .map((r): OrderRefundPlan => ({ action: 'RESUME', transactionId: charge.transactionId, amount: r.amount, refundId: r.refundId }));
  const remaining = remainingRefundable(charge);
  return remaining > 0 ? [...resumes, refundPlan(charge, remaining)] : resumes;
}

const isVoidable = (c: TransactionState): c is ApprovedCharge => c.status === 'APPROVED' && canVoid(c);
const canVoid = (c: ApprovedCharge): boolean => c.settledAt === null && c.refunds.length === 0;
const voidAmount = (c: ApprovedCharge): number => (c.chargeType === 'AUTHORIZE' ? c.amount : chargedAmount(c));
const voidPlan = (c: ApprovedCharge): OrderRefundPlan => ({ action: 'VOID', transactionId: c.transactionId, amount: voidAmount(c) });
const refundPlan = (c: ApprovedCharge, amount: number): OrderRefundPlan => ({ action: 'REFUND', transactionId: c.transactionId, amount });
