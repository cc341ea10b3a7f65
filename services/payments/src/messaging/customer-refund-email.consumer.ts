import { Inject } from '@nestjs/common';
import { PaymentsEvent, Topics } from '@continuum/contracts';
import { DeclaredConsumer, EventConsumer, eventHandlers, MessageHandler } from '@continuum/platform';
import { RefundMailer } from './refund-mailer';

export const CUSTOMER_REFUND_EMAIL_GROUP = 'customer-refund-email';

/**
 * The customer's refund email: on RefundSucceeded and ChargeVoided, and again on RefundEmailResent.
 * Sent only when payments knows the customer's email (from customers.events.v1), and at most once
 * per key (`refund:<refundId>`, `void:<voidId>`, `resend:<eventId>`), claimed before the send.
 */
@EventConsumer({ groupId: CUSTOMER_REFUND_EMAIL_GROUP, topics: [Topics.paymentsEvents] })
export class CustomerRefundEmailConsumer implements DeclaredConsumer {
  constructor(@Inject(RefundMailer) private readonly mailer: RefundMailer) {}

  handlers(): Record<string, MessageHandler> {
    return eventHandlers<PaymentsEvent>({
      RefundSucceeded: ({ data: d }) => {
        return this.mailer.toCustomer(`refund:${d.refundId}`, d.customerId, { kind: 'REFUND', orderId: d.orderId, amount: d.amount, currency: d.currency, refundId: d.refundId });
      },
      ChargeVoided: ({ data: d }) => {
        return this.mailer.toCustomer(`void:${d.voidId}`, d.customerId, { kind: 'VOID', orderId: d.orderId, amount: d.amount, currency: d.currency, refundId: d.voidId });
      },
      RefundEmailResent: (envelope) => {
        const d = envelope.data;
        return this.mailer.toCustomer(`resend:${envelope.eventId}`, d.customerId, { kind: d.kind, orderId: d.orderId, amount: d.amount, currency: d.currency, refundId: d.refundId });
      },
    });
  }
}
