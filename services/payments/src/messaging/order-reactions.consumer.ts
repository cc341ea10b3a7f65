import { Inject } from '@nestjs/common';
import { EnvelopeOf, OrderEvent, Topics } from '@continuum/contracts';
import { DeclaredConsumer, EventConsumer, eventHandlers, IncomingMessage, MessageHandler } from '@continuum/platform';
import { TransactionAggregate } from '../commands';
import { needsCharges, onOrderEvent, OrderPayments, OrderReactionEvent } from '../domain';
import { PaymentsViews } from '../views';
import { PaymentsReactionWork } from './payments-work';

/** Consumer group on orders.events.v1 that turns orders' events into payments work. */
export const ORDER_REACTIONS_GROUP = 'order-reactions';

/**
 * orders.events.v1 -> payments work; the rules are `onOrderEvent` (domain). This consumer decodes,
 * keeps the order payment methods read model (OrderPlaced), looks up what the rule needs and hands
 * the work to `runReactionWork`. Charges go to the charge queue (retried there, dead-lettered with
 * this event when they keep failing). A refund of the order still in progress (REFUND_IN_PROGRESS,
 * a conflict) propagates: the consumer retries it.
 */
@EventConsumer({ groupId: ORDER_REACTIONS_GROUP, topics: [Topics.ordersEvents] })
export class OrderReactionsConsumer implements DeclaredConsumer {
  constructor(
    @Inject(TransactionAggregate) private readonly transactions: TransactionAggregate,
    @Inject(PaymentsViews) private readonly views: PaymentsViews,
    @Inject(PaymentsReactionWork) private readonly work: PaymentsReactionWork,
  ) {}

  handlers(): Record<string, MessageHandler> {
    const react = (event: EnvelopeOf<OrderReactionEvent>, message: IncomingMessage) => this.react(event, message);
    return eventHandlers<OrderEvent>({
      OrderPlaced: async (event, message) => {
        // how the order pays, so a rerun or an upsell can charge the card on file later
        await this.views.paymentMethods.store.applyEvent(event);
        // the card on file is the one just remembered: no need to read it back
        await this.react(event, message, event.data.card ?? null);
      },
      OrderRerunRequested: react,
      UpsellAdded: react,
      OrderDeclined: react,
      OrderCancelled: react,
      OrderPaymentReversalRequested: react,
      OrderEmailResendRequested: react,
    });
  }

  private async react(event: EnvelopeOf<OrderReactionEvent>, message: IncomingMessage, cardOnFile?: OrderPayments['cardOnFile']): Promise<void> {
    const orderId = event.data.orderId;
    const order: OrderPayments = {
      cardOnFile: cardOnFile !== undefined ? cardOnFile : ((await this.views.paymentMethods.find(orderId))?.card ?? null),
      // the order's transactions, from their streams (the rules need current state)
      charges: needsCharges(event.type) ? await this.transactions.states(await this.views.transactions.transactionIdsOfOrder(orderId)) : [],
    };
    await this.work.run(onOrderEvent(event, order), { group: ORDER_REACTIONS_GROUP, event, message });
  }
}
