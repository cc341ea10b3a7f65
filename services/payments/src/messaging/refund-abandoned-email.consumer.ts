import { Inject } from '@nestjs/common';
import { EnvelopeOf, PaymentsEvent, RefundAbandoned, Topics } from '@continuum/contracts';
import { DeclaredConsumer, EventConsumer, eventHandlers, MessageHandler } from '@continuum/platform';
import { TransactionAggregate } from '../commands';
import { refundView } from '../domain';
import { RefundMailer } from './refund-mailer';

export const REFUND_ABANDONED_EMAIL_GROUP = 'refund-abandoned-email';

/**
 * RefundAbandoned -> one email to NOTIFY_EMAILS with the refund, order, amount and every attempt.
 * At most once per refund: the key `abandoned:<refundId>` is claimed before the send, so an event
 * redelivered after a crash between the send and the handled-event record mails nothing.
 */
@EventConsumer({ groupId: REFUND_ABANDONED_EMAIL_GROUP, topics: [Topics.paymentsEvents] })
export class RefundAbandonedEmailConsumer implements DeclaredConsumer {
  constructor(
    @Inject(TransactionAggregate) private readonly transactions: TransactionAggregate,
    @Inject(RefundMailer) private readonly mailer: RefundMailer,
  ) {}

  handlers(): Record<string, MessageHandler> {
    return eventHandlers<PaymentsEvent>({ RefundAbandoned: (event) => this.onAbandoned(event) });
  }

  private async onAbandoned({ data: { transactionId, refundId } }: EnvelopeOf<RefundAbandoned>): Promise<void> {
    const { state } = await this.transactions.load(transactionId);
    const refund = refundView(state, refundId);
    if (!refund) throw new Error(`refund ${refundId} not found on transaction ${transactionId}`);
    await this.mailer.abandoned(refund);
  }
}
