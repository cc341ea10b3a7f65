import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { RefundAbandoned, Topics } from '@continuum/contracts';
import { IncomingMessage, Mailer, Platform } from '@continuum/platform';
import { refundView, transactionDecider, transactionStreamId } from '../domain';
import { PAYMENTS_SETTINGS, PaymentsSettings } from '../payments-settings';
import { PAYMENTS_MAILER, abandonedRefundMail } from './refund-emails';
import { envelopeOf } from './reaction-context';

export const REFUND_ABANDONED_EMAIL_GROUP = 'refund-abandoned-email';

/**
 * RefundAbandoned -> one email to NOTIFY_EMAILS with the refund, order, amount and every attempt.
 * Its own consumer group, so the handled-event record keeps a redelivered event from mailing twice.
 */
@Injectable()
export class RefundAbandonedEmailConsumer implements OnModuleInit {
  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(PAYMENTS_MAILER) private readonly mailer: Mailer,
    @Inject(PAYMENTS_SETTINGS) private readonly settings: PaymentsSettings,
  ) {}

  onModuleInit(): void {
    this.platform.consumer({
      groupId: REFUND_ABANDONED_EMAIL_GROUP,
      topics: [Topics.paymentsEvents],
      handlers: { RefundAbandoned: (m) => this.onAbandoned(m) },
    });
  }

  private async onAbandoned(message: IncomingMessage): Promise<void> {
    const { transactionId, refundId } = envelopeOf<RefundAbandoned['data']>(message).data;
    const { state } = await this.platform.commands.load(transactionStreamId(transactionId), transactionDecider);
    const refund = refundView(state, refundId);
    if (!refund) throw new Error(`refund ${refundId} not found on transaction ${transactionId}`);
    await this.mailer.send(abandonedRefundMail(this.settings.notifyEmails, refund));
    this.platform.logger.info({ refundId, to: this.settings.notifyEmails }, 'abandoned refund reported to Notify Emails');
  }
}
