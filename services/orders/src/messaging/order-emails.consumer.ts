import { Inject } from '@nestjs/common';
import { EnvelopeOf, OrderEvent, Topics } from '@continuum/contracts';
import { CommandContext, DeclaredConsumer, EventConsumer, eventHandlers, Mailer, MessageHandler, Platform, reactionContext, runReactionWork, SentEmailsStore, workStep } from '@continuum/platform';
import { OrdersAggregates } from '../commands/aggregates';
import { ConfirmationEmailCause, ConfirmationEmailWork, customerView, onConfirmationEmailCause, PlacedOrder } from '../domain';
import { ORDERS_MAILER, orderConfirmationMail } from './order-emails';

export const ORDER_EMAILS_GROUP = 'order-emails';

/**
 * The customer's order confirmation email: once when the order completes (OrderCompleted, or
 * OrderApproved of a non-COD order), and once per OrderEmailResendRequested of kind CONFIRMATION; the
 * rule is `onConfirmationEmailCause` (domain). Each email is claimed under its key in `sent_emails`
 * before the send, so a redelivered event or a restart sends nothing twice; the send is then recorded
 * on the order (RecordConfirmationEmailSent -> OrderConfirmationEmailSent, the customer's timeline).
 */
@EventConsumer({ groupId: ORDER_EMAILS_GROUP, topics: [Topics.ordersEvents] })
export class OrderEmailsConsumer implements DeclaredConsumer {
  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(ORDERS_MAILER) private readonly mailer: Mailer,
    @Inject(SentEmailsStore) private readonly sentEmails: SentEmailsStore,
    @Inject(OrdersAggregates) private readonly aggregates: OrdersAggregates,
  ) {}

  handlers(): Record<string, MessageHandler> {
    const react = (event: EnvelopeOf<ConfirmationEmailCause>) => this.react(event);
    return eventHandlers<OrderEvent>({ OrderCompleted: react, OrderApproved: react, OrderEmailResendRequested: react });
  }

  private async react(event: EnvelopeOf<ConfirmationEmailCause>): Promise<void> {
    const { state } = await this.aggregates.orders.load(event.data.orderId);
    const work = onConfirmationEmailCause(event, state);
    if (state.status === 'ABSENT' || work.length === 0) return;
    await runReactionWork(
      work.map((item) => workStep(`confirmation-email:${item.key}`, (context) => this.send(item, state, context))),
      reactionContext(ORDER_EMAILS_GROUP, event),
    );
  }

  private async send(item: ConfirmationEmailWork, state: PlacedOrder, context: CommandContext): Promise<void> {
    const to = customerView(await this.aggregates.customers.state(item.customerId))?.email;
    if (!to) {
      this.platform.logger.warn({ orderId: item.orderId, customerId: item.customerId }, 'customer has no email: no order confirmation email sent');
      return;
    }
    const sent = await this.sentEmails.sendOnce(
      item.key,
      () => this.mailer.send(orderConfirmationMail(to, state.order)),
      () => this.platform.logger.error({ key: item.key, orderId: item.orderId }, 'order confirmation email claimed but never confirmed sent: it may be lost, resend it'),
    );
    // sent now, or sent before a crash kept it from being recorded: record it (once, under this step's key)
    if (!sent && !(await this.sentEmails.wasSent(item.key))) return;
    await this.aggregates.orders.run(item.orderId, { type: 'RecordConfirmationEmailSent', data: { orderId: item.orderId, to, reason: item.reason, causeEventId: item.causeEventId } }, context);
  }
}
