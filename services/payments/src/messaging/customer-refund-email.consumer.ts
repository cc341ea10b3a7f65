import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { PaymentsEvent, Topics } from '@continuum/contracts';
import { EmailKey, eventHandlers, Mailer, Platform, SentEmailsStore } from '@continuum/platform';
import { PaymentsViews } from '../views';
import { PAYMENTS_MAILER, customerRefundMail } from './refund-emails';

export const CUSTOMER_REFUND_EMAIL_GROUP = 'customer-refund-email';

/**
 * The customer's refund email: on RefundSucceeded and ChargeVoided, and again on RefundEmailResent.
 * Sent only when payments knows the customer's email (from customers.events.v1), and at most once
 * per key (`refund:<refundId>`, `void:<voidId>`, `resend:<eventId>`), claimed before the send.
 */
@Injectable()
export class CustomerRefundEmailConsumer implements OnModuleInit {
  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(PAYMENTS_MAILER) private readonly mailer: Mailer,
    @Inject(PaymentsViews) private readonly views: PaymentsViews,
    @Inject(SentEmailsStore) private readonly sentEmails: SentEmailsStore,
  ) {}

  onModuleInit(): void {
    this.platform.consumer({
      groupId: CUSTOMER_REFUND_EMAIL_GROUP,
      topics: [Topics.paymentsEvents],
      handlers: eventHandlers<PaymentsEvent>({
        RefundSucceeded: ({ data: d }) => {
          return this.send(`refund:${d.refundId}`, d.customerId, { kind: 'REFUND', orderId: d.orderId, amount: d.amount, currency: d.currency, refundId: d.refundId });
        },
        ChargeVoided: ({ data: d }) => {
          return this.send(`void:${d.voidId}`, d.customerId, { kind: 'VOID', orderId: d.orderId, amount: d.amount, currency: d.currency, refundId: d.voidId });
        },
        RefundEmailResent: (envelope) => {
          const d = envelope.data;
          return this.send(`resend:${envelope.eventId}`, d.customerId, { kind: d.kind, orderId: d.orderId, amount: d.amount, currency: d.currency, refundId: d.refundId });
        },
      }),
    });
  }

  private async send(key: EmailKey, customerId: string, details: Parameters<typeof customerRefundMail>[1]): Promise<void> {
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
}
