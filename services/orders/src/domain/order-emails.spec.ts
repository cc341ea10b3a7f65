import { OrderEvent, OrderSnapshot } from '@continuum/contracts';
import { fold, reactionSpec, spec } from '@continuum/testing';
import { OrderCommand } from './order.commands';
import { orderDecider } from './order.decider';
import { ConfirmationEmailCause, ConfirmationEmailWork, onConfirmationEmailCause } from './order-emails';

const agent = { kind: 'agent' as const, id: 'alice' };
const NOW = '2026-03-01T10:00:00.000Z';
const metadata = { now: NOW, actor: agent };
const totals = { subtotal: 3999, shipping: 495, salesTax: 0, discount: 0, total: 4494, refunded: 0 };
const line = { orderItemId: 'oi-1', productId: 'p-1', sku: 'BR-1', name: 'Bladder Relief 1 bottle', quantity: 1, unitPrice: 3999, price: 3999, shippingPrice: 495, billingType: 'STRAIGHT' as const };
const snapshot: OrderSnapshot = { orderId: 'o-1', customerId: 'cu-1', campaignId: 'c-1', currency: 'USD', paymentType: 'CARD', items: [line], totals };

const placed: OrderEvent = { type: 'OrderPlaced', data: { ...snapshot, qa: { required: false, reasons: [] }, placedAt: NOW } };
const placedCod: OrderEvent = { type: 'OrderPlaced', data: { ...snapshot, paymentType: 'COD', qa: { required: true, reasons: ['FORCED'] }, placedAt: NOW } };
const completed: OrderEvent = { type: 'OrderCompleted', data: { ...snapshot, transactionId: 't-1' } };
const sentToQa: OrderEvent = { type: 'OrderSentToQa', data: { orderId: 'o-1', customerId: 'cu-1', reasons: ['PREPAID'], transactionId: 't-1' } };
const approved: OrderEvent = { type: 'OrderApproved', data: { ...snapshot, transactionId: 't-1' } };
const approvedCod: OrderEvent = { type: 'OrderApproved', data: { ...snapshot, paymentType: 'COD' } };
const refunded: OrderEvent = {
  type: 'OrderRefunded',
  data: { orderId: 'o-1', customerId: 'cu-1', transactionId: 't-1', refundId: 'r-1', kind: 'REFUND', amount: 1000, refundedTotal: 1000, fullyRefunded: false },
};
const cancelledUnpaid: OrderEvent = {
  type: 'OrderCancelled',
  data: { orderId: 'o-1', customerId: 'cu-1', paymentType: 'CARD', reason: 'customer request', fullRefund: false, previousStatus: 'PROCESSING', refundableAmount: 0 },
};
const confirmationSent: OrderEvent = {
  type: 'OrderConfirmationEmailSent',
  data: { orderId: 'o-1', customerId: 'cu-1', to: 'ann@example.test', reason: 'ORDER_COMPLETED', causeEventId: 'ev-completed', at: NOW },
};

const resend = (kind: 'CONFIRMATION' | 'REFUND'): OrderCommand => ({ type: 'ResendOrderEmail', data: { orderId: 'o-1', kind }, metadata });
const recordSent = (reason: 'ORDER_COMPLETED' | 'RESEND_REQUESTED', causeEventId: string): OrderCommand => ({
  type: 'RecordConfirmationEmailSent',
  data: { orderId: 'o-1', to: 'ann@example.test', reason, causeEventId },
  metadata: { now: NOW, actor: { kind: 'system' as const, id: 'payments' } },
});
const resendRequested = (kind: 'CONFIRMATION' | 'REFUND'): ConfirmationEmailCause => ({ type: 'OrderEmailResendRequested', data: { orderId: 'o-1', customerId: 'cu-1', kind, at: NOW } });

describe('resending an order email (ResendOrderEmail)', () => {
  it('records who asked for the confirmation of a completed order, and when', () => {
    spec(orderDecider)
      .given([placed, completed])
      .when(resend('CONFIRMATION'))
      .then([{ type: 'OrderEmailResendRequested', data: { orderId: 'o-1', customerId: 'cu-1', kind: 'CONFIRMATION', at: NOW } }]);
  });

  it('still resends the confirmation of a refunded order, or one whose confirmation was recorded before it was cancelled', () => {
    spec(orderDecider).given([placed, completed, refunded]).when(resend('CONFIRMATION')).then([expect.objectContaining({ type: 'OrderEmailResendRequested' }) as never]);
    const cancelledAfterConfirmation: OrderEvent = { ...cancelledUnpaid, data: { ...cancelledUnpaid.data, previousStatus: 'COMPLETE' } } as OrderEvent;
    spec(orderDecider).given([placed, completed, confirmationSent, cancelledAfterConfirmation]).when(resend('CONFIRMATION')).then([expect.objectContaining({ type: 'OrderEmailResendRequested' }) as never]);
  });

  it('refuses the confirmation of an order that never completed (ORDER_NOT_COMPLETE, naming kind)', () => {
    const error = spec(orderDecider).given([placed]).when(resend('CONFIRMATION')).thenThrows('ORDER_NOT_COMPLETE');
    expect(error.details).toMatchObject({ field: 'kind', status: 'PROCESSING' });
    spec(orderDecider).given([placed, sentToQa]).when(resend('CONFIRMATION')).thenThrows('ORDER_NOT_COMPLETE');
    spec(orderDecider).given([placed, cancelledUnpaid]).when(resend('CONFIRMATION')).thenThrows('ORDER_NOT_COMPLETE');
  });

  it('resends the refund email only of an order with a refund or void recorded (NO_REFUND otherwise)', () => {
    spec(orderDecider)
      .given([placed, completed, refunded])
      .when(resend('REFUND'))
      .then([{ type: 'OrderEmailResendRequested', data: { orderId: 'o-1', customerId: 'cu-1', kind: 'REFUND', at: NOW } }]);
    const error = spec(orderDecider).given([placed, completed]).when(resend('REFUND')).thenThrows('NO_REFUND');
    expect(error.details).toMatchObject({ field: 'kind' });
  });

  it('is ORDER_NOT_FOUND (404) for an order that does not exist', () => {
    const error = spec(orderDecider).given([]).when(resend('CONFIRMATION')).thenThrows('ORDER_NOT_FOUND');
    expect(error.kind).toBe('not-found');
  });
});

describe('recording a sent confirmation email (RecordConfirmationEmailSent)', () => {
  it('records the send with where it went, why and what caused it', () => {
    spec(orderDecider)
      .given([placed, completed])
      .when(recordSent('ORDER_COMPLETED', 'ev-completed'))
      .then([{ type: 'OrderConfirmationEmailSent', data: { orderId: 'o-1', customerId: 'cu-1', to: 'ann@example.test', reason: 'ORDER_COMPLETED', causeEventId: 'ev-completed', at: NOW } }]);
  });

  it('records the email of the completed order once: a second report of it changes nothing', () => {
    spec(orderDecider).given([placed, completed, confirmationSent]).when(recordSent('ORDER_COMPLETED', 'ev-approved')).then([]);
  });

  it('records every resend', () => {
    spec(orderDecider)
      .given([placed, completed, confirmationSent])
      .when(recordSent('RESEND_REQUESTED', 'ev-resend'))
      .then([expect.objectContaining({ type: 'OrderConfirmationEmailSent', data: expect.objectContaining({ reason: 'RESEND_REQUESTED', causeEventId: 'ev-resend' }) }) as never]);
  });
});

describe('which confirmation email an orders event sends (onConfirmationEmailCause)', () => {
  const paid = fold(orderDecider, [placed, completed]);
  const work = (key: string, reason: 'ORDER_COMPLETED' | 'RESEND_REQUESTED', causeEventId: string): ConfirmationEmailWork[] => [
    { type: 'SendConfirmationEmail', key, orderId: 'o-1', customerId: 'cu-1', reason, causeEventId },
  ];

  it('sends the welcome email when the order completes, keyed by the order so it goes at most once', () => {
    reactionSpec(onConfirmationEmailCause).given(paid).when(completed as ConfirmationEmailCause, 'ev-completed').then(work('confirmation:o-1', 'ORDER_COMPLETED', 'ev-completed'));
  });

  it('keys a redelivery of OrderCompleted, or a QA approval, to the same one email', () => {
    const first = onConfirmationEmailCause({ ...(completed as ConfirmationEmailCause), eventId: 'ev-1' }, paid);
    const again = onConfirmationEmailCause({ ...(completed as ConfirmationEmailCause), eventId: 'ev-1' }, paid);
    const viaQa = onConfirmationEmailCause({ ...(approved as ConfirmationEmailCause), eventId: 'ev-2' }, fold(orderDecider, [placed, sentToQa, approved]));
    expect(new Set([...first, ...again, ...viaQa].map((w) => w.key))).toEqual(new Set(['confirmation:o-1']));
  });

  it('sends nothing once the order records its confirmation sent', () => {
    reactionSpec(onConfirmationEmailCause).given(fold(orderDecider, [placed, completed, confirmationSent])).when(completed as ConfirmationEmailCause).thenNothing();
  });

  it('waits for the payment on delivery of a COD order approved by QA', () => {
    reactionSpec(onConfirmationEmailCause).given(fold(orderDecider, [placedCod, approvedCod])).when(approvedCod as ConfirmationEmailCause).thenNothing();
  });

  it('sends one more confirmation per resend request, keyed by that request', () => {
    const withSent = fold(orderDecider, [placed, completed, confirmationSent]);
    reactionSpec(onConfirmationEmailCause).given(withSent).when(resendRequested('CONFIRMATION'), 'ev-r1').then(work('resend:ev-r1', 'RESEND_REQUESTED', 'ev-r1'));
    reactionSpec(onConfirmationEmailCause).given(withSent).when(resendRequested('CONFIRMATION'), 'ev-r2').then(work('resend:ev-r2', 'RESEND_REQUESTED', 'ev-r2'));
  });

  it("leaves a refund email resend to payments, and an unknown order alone", () => {
    reactionSpec(onConfirmationEmailCause).given(fold(orderDecider, [placed, completed, refunded])).when(resendRequested('REFUND')).thenNothing();
    reactionSpec(onConfirmationEmailCause).given(orderDecider.initialState()).when(completed as ConfirmationEmailCause).thenNothing();
  });
});
