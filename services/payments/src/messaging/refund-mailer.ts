import { Inject, Injectable } from '@nestjs/common';
import { EmailKey, Mailer, Platform, SentEmailsStore } from '@continuum/platform';
import { RefundView } from '../domain';
import { PAYMENTS_SETTINGS, PaymentsSettings } from '../payments-settings';
import { PaymentsViews } from '../views';
import { PAYMENTS_MAILER, abandonedRefundMail, customerRefundMail } from './refund-emails';

/**
 * The refund emails' one port: each email is claimed under its key in `sent_emails` before the send,
 * so a redelivered event or a restart sends it at most once; the consumers only say which email an
 * event asks for.
 */
@Injectable()
export class RefundMailer {
  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(PAYMENTS_MAILER) private readonly mailer: Mailer,
    @Inject(SentEmailsStore) private readonly sentEmails: SentEmailsStore,
    @Inject(PaymentsViews) private readonly views: PaymentsViews,
    @Inject(PAYMENTS_SETTINGS) private readonly settings: PaymentsSettings,
  ) {}

  /** The customer's refund (or void) email; nothing when payments does not know the customer's email. */
  async toCustomer(key: EmailKey, customerId: string, details: Parameters<typeof customerRefundMail>[1]): Promise<void> {
    const to = await this.views.customerEmails.emailOf(customerId);
    if (!to) {
      this.platform.logger.info({ customerId, refundId: details.refundId }, 'customer email unknown: no refund email sent');
      return;
    }
    await this.sentEmails.sendOnce(
      key,
      () => this.mailer.send(customerRefundMail(to, details)),
      () => this.platform.logger.error({ key, customerId }, 'customer refund email claimed but never confirmed sent: it may be lost, resend it'),
    );
  }

  /** A refund abandoned after its last retry, to NOTIFY_EMAILS, once per refund (`abandoned:<refundId>`). */
  async abandoned(refund: RefundView): Promise<void> {
    const to = this.settings.notifyEmails;
    const sent = await this.sentEmails.sendOnce(
      `abandoned:${refund.refundId}`,
      () => this.mailer.send(abandonedRefundMail(to, refund)),
      () => this.platform.logger.error({ refundId: refund.refundId, to }, 'abandoned refund email claimed but never confirmed sent: it may be lost, tell Notify Emails by hand'),
    );
    if (!sent) return;
    this.platform.logger.info({ refundId: refund.refundId, to }, 'abandoned refund reported to Notify Emails');
  }
}
