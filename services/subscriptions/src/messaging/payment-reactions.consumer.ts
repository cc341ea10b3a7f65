import { Inject } from '@nestjs/common';
import { EnvelopeOf, PaymentsEvent, Topics } from '@continuum/contracts';
import { DeclaredConsumer, EventConsumer, eventHandlers, MessageHandler, reactionContext, runReactionWork } from '@continuum/platform';
import { PurchaseAggregate } from '../commands';
import { planPaymentEvent } from '../domain';
import { SUBSCRIPTIONS_SETTINGS, SubscriptionsSettings } from '../subscriptions-settings';
import { SubscriptionsViews } from '../views';

/** Consumer group on payments.events.v1 that turns rebill outcomes and auto-cancels into purchase work. */
export const PAYMENT_REACTIONS_GROUP = 'payment-reactions';

/**
 * payments.events.v1 -> purchases; the rules are `planPaymentEvent` and `onPaymentEvent` (domain). Also feeds the order
 * transactions read model (refunds, voids, chargebacks and their reversals) that the purchase profile
 * lists beside its charges.
 */
@EventConsumer({ groupId: PAYMENT_REACTIONS_GROUP, topics: [Topics.paymentsEvents] })
export class PaymentReactionsConsumer implements DeclaredConsumer {
  constructor(
    @Inject(PurchaseAggregate) private readonly purchases: PurchaseAggregate,
    @Inject(SubscriptionsViews) private readonly views: SubscriptionsViews,
    @Inject(SUBSCRIPTIONS_SETTINGS) private readonly settings: SubscriptionsSettings,
  ) {}

  handlers(): Record<string, MessageHandler> {
    const react = (event: EnvelopeOf<PaymentsEvent>) => this.react(event);
    // kept first, so a retried reaction finds the row already there (the stream version guard adds it once)
    const keepAndReact = async (event: EnvelopeOf<PaymentsEvent>) => {
      await this.views.orderTransactions.apply(event);
      await this.react(event);
    };
    const keep = (event: EnvelopeOf<PaymentsEvent>) => this.views.orderTransactions.apply(event);
    return eventHandlers<PaymentsEvent>({
      PaymentApproved: react,
      PaymentDeclined: react,
      ChargeVoided: keepAndReact,
      RefundSucceeded: keepAndReact,
      ChargebackMarked: keep,
      ChargebackReverted: keep,
    });
  }

  private async react(event: EnvelopeOf<PaymentsEvent>): Promise<void> {
    const isOutcome = event.type === 'PaymentApproved' || event.type === 'PaymentDeclined';
    // a new order's charge, an upsell's, a void or refund without auto-cancel: nothing of a purchase
    const concernsPurchases = isOutcome ? event.data.purpose === 'REBILL' || event.data.purpose === 'RERUN' : 'autoCancel' in event.data && event.data.autoCancel;
    if (!concernsPurchases) return;
    const incoming = { type: event.type, data: event.data, eventId: event.eventId } as Parameters<typeof planPaymentEvent>[0];
    const lookUp = async () => ({ purchases: await this.views.purchases.ofOrder(event.data.orderId), recycleDelaysMs: this.settings.recycleDelaysMs });
    let plan = planPaymentEvent(incoming, await lookUp());
    if (plan.kind === 'keep') {
      // read before this service recorded the rebill order (the orders topic is read by another
      // consumer): kept first, then looked up again, so either this look or the order-reactions
      // consumer's read of the kept outcomes after its record sees the other (onRebillOrderRecorded)
      await this.views.rebillOutcomes.keep(event);
      plan = planPaymentEvent(incoming, await lookUp());
      if (plan.kind === 'keep') return;
    }
    await runReactionWork(this.purchases.streamWork(plan.work), reactionContext(PAYMENT_REACTIONS_GROUP, event));
    // the purchase knows the order and has decided the outcome: nothing of it stays kept, whoever kept
    // it (this delivery, or an earlier attempt that failed after keeping it); removing nothing is fine
    if (plan.forgetKept !== null) await this.views.rebillOutcomes.forget(plan.forgetKept);
  }
}
