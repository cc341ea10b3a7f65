import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EnvelopeOf, Topics } from '@continuum/contracts';
import { eventHandlers, Platform, reactionContext } from '@continuum/platform';
import { OrderAggregate } from '../commands/aggregates';
import { onPaymentOutcome, orderIdOfOutcome, PAYMENT_OUTCOME_TYPES, PaymentOutcome } from '../domain';

export const PAYMENT_OUTCOMES_GROUP = 'payment-outcomes';

/** payments.events.v1 -> the order's Record* commands; the rule is `onPaymentOutcome` (domain). */
@Injectable()
export class PaymentOutcomesConsumer implements OnModuleInit {
  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(OrderAggregate) private readonly orders: OrderAggregate,
  ) {}

  onModuleInit(): void {
    const handle = (event: EnvelopeOf<PaymentOutcome>) => this.react(event);
    this.platform.consumer({
      groupId: PAYMENT_OUTCOMES_GROUP,
      topics: [Topics.paymentsEvents],
      handlers: eventHandlers<PaymentOutcome>(Object.fromEntries(PAYMENT_OUTCOME_TYPES.map((type) => [type, handle]))),
    });
  }

  private async react(event: EnvelopeOf<PaymentOutcome>): Promise<void> {
    const orderId = orderIdOfOutcome(event);
    const result = await this.orders.react(orderId, (order) => onPaymentOutcome(event, order), reactionContext(PAYMENT_OUTCOMES_GROUP, event));
    if (result.commands.length === 0 && !result.replayed) {
      this.platform.logger.info({ type: event.type, eventId: event.eventId, orderId, status: result.state.status, correlationId: event.correlationId }, 'payment outcome is not the order payment; ignored');
    }
  }
}
