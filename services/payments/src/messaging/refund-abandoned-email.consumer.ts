import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EnvelopeOf, PaymentsEvent, RefundAbandoned, Topics } from '@continuum/contracts';
import { eventHandlers, Mailer, Platform, SentEmailsStore } from '@continuum/platform';
import { TransactionAggregate } from '../commands';
import { refundView } from '../domain';
import { PAYMENTS_SETTINGS, PaymentsSettings } from '../payments-settings';
import { PAYMENTS_MAILER, abandonedRefundMail } from './refund-emails';

export const REFUND_ABANDONED_EMAIL_GROUP = 'refund-abandoned-email';

/**
 * RefundAbandoned -> one email to NOTIFY_EMAILS with the refund, order, amount and every attempt.
 * At most once per refund: the key `abandoned:<refundId>` is claimed before the send, so an event
 * redelivered after a crash between the send and the handled-event record mails nothing.
 */
@Injectable()
export class RefundAbandonedEmailConsumer implements OnModuleInit {
  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(PAYMENTS_MAILER) private readonly mailer: Mailer,
    @Inject(PAYMENTS_SETTINGS) private readonly settings: PaymentsSettings,
    @Inject(SentEmailsStore) private readonly sentEmails: SentEmailsStore,
    @Inject(TransactionAggregate) private readonly transactions: TransactionAggregate,
  ) {}

  onModuleInit(): void {
    this.platform.consumer({
      groupId: REFUND_ABANDONED_EMAIL_GROUP,
      topics: [Topics.paymentsEvents],
      handlers: eventHandlers<PaymentsEvent>({ RefundAbandoned: (event) => this.onAbandoned(event) }),
    });
  }

  private async onAbandoned({ data: { transactionId, refundId } }: EnvelopeOf<RefundAbandoned>): Promise<void> {
    const { state } = await this.transactions.load(transactionId);
    const refund = refundView(state, refundId);
    if (!refund) throw new Error(`refund ${refundId} not found on transaction ${transactionId}`);
    const sent = await this.sentEmails.sendOnce(
      `abandoned:${refundId}`,
      () => this.mailer.send(abandonedRefundMail(this.settings.notifyEmails, refund)),
      () => this.platform.logger.error({ refundId, to: this.settings.notifyEmails }, 'abandoned refund email claimed but never confirmed sent: it may be lost, tell Notify Emails by hand'),
    );
    if (!sent) return;
    this.platform.logger.info({ refundId, to: this.settings.notifyEmails }, 'abandoned refund reported to Notify Emails');
  }
}
