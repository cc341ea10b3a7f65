import { DomainEvent } from '../core/envelope';
import { defineEvent } from '../core/registry';
import { id, isoDate, obj, oneOf, str } from '../core/schema-helpers';
import { Topics } from '../core/topics';

/** The customer emails of an order an agent can have sent again (POST /orders/:id/resend-email). */
export const ORDER_EMAIL_KINDS = ['CONFIRMATION', 'REFUND'] as const;
export type OrderEmailKind = (typeof ORDER_EMAIL_KINDS)[number];

/** Why an order confirmation email went out: the order completed, or an agent asked for it again. */
export const CONFIRMATION_EMAIL_REASONS = ['ORDER_COMPLETED', 'RESEND_REQUESTED'] as const;
export type ConfirmationEmailReason = (typeof CONFIRMATION_EMAIL_REASONS)[number];

/**
 * An agent asked for an order's email again. CONFIRMATION is sent by orders itself; REFUND by
 * payments, which resends the email of the order's last refund (or void) as RefundEmailResent.
 */
export type OrderEmailResendRequested = DomainEvent<
  'OrderEmailResendRequested',
  { readonly orderId: string; readonly customerId: string; readonly kind: OrderEmailKind; readonly at: string }
>;

/** The order confirmation email went to the customer (recorded after the send; the actor is who caused it). */
export type OrderConfirmationEmailSent = DomainEvent<
  'OrderConfirmationEmailSent',
  {
    readonly orderId: string;
    readonly customerId: string;
    /** the address it went to */
    readonly to: string;
    readonly reason: ConfirmationEmailReason;
    /** the event that caused the send (OrderCompleted, OrderApproved or OrderEmailResendRequested) */
    readonly causeEventId: string;
    readonly at: string;
  }
>;

export type OrderEmailEvent = OrderEmailResendRequested | OrderConfirmationEmailSent;

defineEvent(
  'OrderEmailResendRequested',
  Topics.ordersEvents,
  "An agent asked to send an order's email to the customer again: CONFIRMATION (orders sends it) or REFUND (payments resends the email of the order's last refund or void).",
  obj({ orderId: id(), customerId: id(), kind: oneOf(...ORDER_EMAIL_KINDS), at: isoDate() }),
);

defineEvent(
  'OrderConfirmationEmailSent',
  Topics.ordersEvents,
  'The order confirmation email (its subject names the order id) was sent to the customer: once when the order completed (reason ORDER_COMPLETED), and once per resend an agent asked for (RESEND_REQUESTED). The actor is who caused it.',
  obj({ orderId: id(), customerId: id(), to: str({ minLength: 3, maxLength: 320 }), reason: oneOf(...CONFIRMATION_EMAIL_REASONS), causeEventId: id(), at: isoDate() }),
);
