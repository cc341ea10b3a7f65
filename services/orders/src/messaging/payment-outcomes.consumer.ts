import { Inject } from '@nestjs/common';
import { EnvelopeOf, Topics } from '@continuum/contracts';
import { DeclaredConsumer, EventConsumer, eventHandlers, MessageHandler, Platform, reactionContext } from '@continuum/platform';
import { OrdersAggregates } from '../commands/aggregates';
import { onPaymentOutcome, orderIdOfOutcome, PAYMENT_OUTCOME_TYPES, PaymentOutcome } from '../domain';

export const PAYMENT_OUTCOMES_GROUP = 'payment-outcomes';

/** payments.events.v1 -> the order's Record* commands; the rule is `onPaymentOutcome` (domain). */
@EventConsumer({
  groupId: PAYMENT_OUTCOMES_GROUP,
  topics: [Topics.paymentsEvents],
  // no handled-event records: the reaction is one react() on the order's stream under the key
  // `payment-outcomes:<eventId>`, so a redelivery is answered by the commit that key is on (from
  // the commit cache, most times without a store read), and a reaction that changed nothing is
  // decided again on the order as it is, which asks for nothing again
  dedup: false,
})
export class PaymentOutcomesConsumer implements DeclaredConsumer {
  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(OrdersAggregates) private readonly aggregates: OrdersAggregates,
  ) {}

  handlers(): Record<string, MessageHandler> {
    const handle = (event: EnvelopeOf<PaymentOutcome>) => this.react(event);
    return eventHandlers<PaymentOutcome>(Object.fromEntries(PAYMENT_OUTCOME_TYPES.map((type) => [type, handle])));
  }

  private async react(event: EnvelopeOf<PaymentOutcome>): Promise<void> {
    const orderId = orderIdOfOutcome(event);
    const result = await this.aggregates.orders.react(orderId, (order) => onPaymentOutcome(event, order), reactionContext(PAYMENT_OUTCOMES_GROUP, event));
    if (result.commands.length === 0 && !result.replayed) {
      this.platform.logger.info({ type: event.type, eventId: event.eventId, orderId, status: result.state.status, correlationId: event.correlationId }, 'payment outcome is not the order payment; ignored');
    }
  }
}
