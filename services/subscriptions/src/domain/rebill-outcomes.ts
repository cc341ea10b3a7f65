import { IncomingEvent, PaymentsEvent } from '@continuum/contracts';
import { PaymentReactionState, PurchaseWork, keepsRebillOutcome, onPaymentEvent } from './purchase.reactions';

/**
 * What the payment-reactions consumer does with one payment event, given the purchases that know its
 * order (docs/subscriptions.md, "Reactions"):
 * - `keep`: a rebill charge's outcome whose order no purchase knows yet; it is kept by order id and
 *   the purchases are looked up again (`keepsRebillOutcome`);
 * - `decide`: the purchase work (`onPaymentEvent`), then, for a rebill charge's outcome whose purchase
 *   knows the order, `forgetKept` names that order: whatever is kept for it is removed after the work,
 *   whether this delivery kept it, an earlier attempt did (and failed before removing it), or nothing
 *   was kept at all. Removing depends on the purchase state only, never on what an attempt remembers.
 */
export type PaymentEventPlan =
  | { readonly kind: 'keep' }
  | { readonly kind: 'decide'; readonly work: readonly PurchaseWork[]; readonly forgetKept: string | null };

export function planPaymentEvent(event: IncomingEvent<PaymentsEvent>, state: PaymentReactionState): PaymentEventPlan {
  if (keepsRebillOutcome(event, state.purchases)) return { kind: 'keep' };
  const work = onPaymentEvent(event, state);
  // not kept, so a purchase knows the order of a rebill outcome: decided now (or found decided before)
  const rebillOutcome = (event.type === 'PaymentApproved' || event.type === 'PaymentDeclined') && event.data.purpose === 'REBILL';
  return { kind: 'decide', work, forgetKept: rebillOutcome ? event.data.orderId : null };
}
