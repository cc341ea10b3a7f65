import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EnvelopeOf, OrderEvent, OrderPlaced, Topics } from '@continuum/contracts';
import { eventHandlers, IncomingMessage, Platform, reactionContext } from '@continuum/platform';
import { TransactionAggregate } from '../commands';
import { needsCharges, onOrderEvent, OrderPayments, OrderReactionEvent } from '../domain';
import { OrderPaymentMethodsView, TransactionsView } from '../views';
import { PaymentsWorkRunner } from './payments-work';

/** Consumer group on orders.events.v1 that turns orders' events into payments work. */
export const ORDER_REACTIONS_GROUP = 'order-reactions';

/**
 * orders.events.v1 -> payments work; the rules are `onOrderEvent` (domain). This consumer decodes,
 * remembers each order's payment method, looks up what the rule needs and runs the work. Charges go
 * to the charge queue (retried there, dead-lettered with this event when they keep failing). A refund
 * of the order still in progress (REFUND_IN_PROGRESS, a conflict) propagates: the runner retries it.
 */
@Injectable()
export class OrderReactionsConsumer implements OnModuleInit {
  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(PaymentsWorkRunner) private readonly work: PaymentsWorkRunner,
    @Inject(OrderPaymentMethodsView) private readonly paymentMethods: OrderPaymentMethodsView,
    @Inject(TransactionsView) private readonly transactions: TransactionsView,
    @Inject(TransactionAggregate) private readonly runner: TransactionAggregate,
  ) {}

  onModuleInit(): void {
    const react = (event: EnvelopeOf<OrderReactionEvent>, message: IncomingMessage) => this.react(event, message);
    this.platform.consumer({
      groupId: ORDER_REACTIONS_GROUP,
      topics: [Topics.ordersEvents],
      handlers: eventHandlers<OrderEvent>({
        OrderPlaced: async (event, message) => {
          await this.rememberPaymentMethod(event);
          // the card on file is the one just remembered: no need to read it back
          await this.react(event, message, event.data.card ?? null);
        },
        OrderRerunRequested: react,
        UpsellAdded: react,
        OrderDeclined: react,
        OrderCancelled: react,
        OrderPaymentReversalRequested: react,
      }),
    });
  }

  private async react(event: EnvelopeOf<OrderReactionEvent>, message: IncomingMessage, cardOnFile?: OrderPayments['cardOnFile']): Promise<void> {
    const orderId = event.data.orderId;
    const order: OrderPayments = {
      cardOnFile: cardOnFile !== undefined ? cardOnFile : ((await this.paymentMethods.find(orderId))?.card ?? null),
      // the order's transactions, from their streams (the rules need current state)
      charges: needsCharges(event.type) ? await this.runner.states(await this.transactions.transactionIdsOfOrder(orderId)) : [],
    };
    await this.work.run(onOrderEvent(event, order), reactionContext(ORDER_REACTIONS_GROUP, event), { group: ORDER_REACTIONS_GROUP, event, message });
  }

  /** How the order pays, so a rerun or an upsell can charge the card on file later. */
  private async rememberPaymentMethod({ data: order }: EnvelopeOf<OrderPlaced>): Promise<void> {
    await this.paymentMethods.remember({ orderId: order.orderId, customerId: order.customerId, paymentType: order.paymentType, currency: order.currency, card: order.card ?? null });
  }
}
