import { ConfirmationEmailReason, DomainError, IncomingEvent, OrderApproved, OrderCompleted, OrderEmailResendRequested, OrderEvent } from '@continuum/contracts';
import { RecordConfirmationEmailSent, ResendOrderEmail } from './order.commands';
import { OrderState, PlacedOrder } from './order.state';

/**
 * The order's confirmation email went out, or is on its way: it was recorded, or the order is (or
 * was) complete. A REFUNDED order completed before its refund.
 */
const confirmed = (state: PlacedOrder): boolean => state.order.confirmationSent === true || state.status === 'COMPLETE' || state.status === 'REFUNDED';

/**
 * POST /orders/:id/resend-email. CONFIRMATION: only an order that was confirmed (ORDER_NOT_COMPLETE
 * otherwise). REFUND: only an order with a refund or void recorded (NO_REFUND otherwise); payments
 * resends the email of that refund. The event names who asked (its actor) and when.
 */
export function resendOrderEmail(command: ResendOrderEmail, state: PlacedOrder): OrderEvent[] {
  const { order } = state;
  const { kind } = command.data;
  if (kind === 'REFUND' && order.refundKeys.length === 0) {
    throw new DomainError('NO_REFUND', `Order ${order.orderId} has no refund or void, so it has no refund email to resend`, 'rule', { field: 'kind' });
  }
  if (kind === 'CONFIRMATION' && !confirmed(state)) {
    throw new DomainError('ORDER_NOT_COMPLETE', `Order ${order.orderId} is ${state.status}: only a completed order has a confirmation email to resend`, 'rule', {
      field: 'kind',
      status: state.status,
    });
  }
  return [{ type: 'OrderEmailResendRequested', data: { orderId: order.orderId, customerId: order.customerId, kind, at: command.metadata.now } }];
}

/**
 * The confirmation email was sent: recorded on the order (the customer's timeline shows it). The one
 * sent when the order completed is recorded once per order; each resend is recorded once (its command
 * runs under the resend event's key).
 */
export function recordConfirmationEmailSent(command: RecordConfirmationEmailSent, state: PlacedOrder): OrderEvent[] {
  const { order } = state;
  const { to, reason, causeEventId } = command.data;
  if (reason === 'ORDER_COMPLETED' && order.confirmationSent === true) return [];
  return [{ type: 'OrderConfirmationEmailSent', data: { orderId: order.orderId, customerId: order.customerId, to, reason, causeEventId, at: command.metadata.now } }];
}

/** One confirmation email to send: `key` makes it go out at most once (the sent-emails record). */
export interface ConfirmationEmailWork {
  readonly type: 'SendConfirmationEmail';
  /** `confirmation:<orderId>` for the one when the order completes, `resend:<eventId>` for each resend */
  readonly key: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly reason: ConfirmationEmailReason;
  readonly causeEventId: string;
}

/** The orders events that may send a confirmation email. */
export type ConfirmationEmailCause = OrderCompleted | OrderApproved | OrderEmailResendRequested;

/**
 * Which confirmation email an orders event sends, given the order as its stream folds now:
 * - OrderCompleted (paid, no QA), or OrderApproved (QA passed) of a non-COD order: the welcome email,
 *   keyed by the order, so it goes once whichever event (or redelivery) comes first; nothing once the
 *   order records it sent. A COD order approved by QA is confirmed when it is paid (OrderCompleted).
 * - OrderEmailResendRequested of kind CONFIRMATION: one more, keyed by that request.
 *   Kind REFUND is payments' (it holds the refunds): nothing here.
 */
export function onConfirmationEmailCause(event: IncomingEvent<ConfirmationEmailCause>, state: OrderState): ConfirmationEmailWork[] {
  if (state.status === 'ABSENT') return [];
  const { order } = state;
  const work = (key: string, reason: ConfirmationEmailReason): ConfirmationEmailWork[] => [
    { type: 'SendConfirmationEmail', key, orderId: order.orderId, customerId: order.customerId, reason, causeEventId: event.eventId },
  ];
  switch (event.type) {
    case 'OrderCompleted':
    case 'OrderApproved':
      if (event.type === 'OrderApproved' && event.data.paymentType === 'COD') return [];
      return order.confirmationSent === true ? [] : work(`confirmation:${order.orderId}`, 'ORDER_COMPLETED');
    case 'OrderEmailResendRequested':
      return event.data.kind === 'CONFIRMATION' ? work(`resend:${event.eventId}`, 'RESEND_REQUESTED') : [];
  }
}
