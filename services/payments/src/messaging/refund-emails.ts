import { OutgoingMail } from '@continuum/platform';
import { RefundView } from '../domain';

/** Injection token of the service's Mailer (SMTP_URL). */
export const PAYMENTS_MAILER = Symbol('PAYMENTS_MAILER');

/** `1999, 'USD'` -> `USD 19.99`, with integer arithmetic only. */
export function formatMoney(amount: number, currency: string): string {
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  return `${sign}${currency} ${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** The Notify Emails message when a refund left the queue after its last daily retry. */
export function abandonedRefundMail(to: readonly string[], refund: RefundView): OutgoingMail {
  const attempts = refund.attempts.map((a, i) => `  ${i + 1}. ${a.at}  ${a.result}  ${a.message}`).join('\n');
  return {
    to,
    subject: `Refund ${refund.refundId} abandoned: order ${refund.orderId}, ${formatMoney(refund.amount, refund.currency)}`,
    text: [
      `The refund below failed at the gateway on every attempt and has left the refund queue. It needs a person.`,
      ``,
      `Refund:      ${refund.refundId}`,
      `Order:       ${refund.orderId}`,
      `Transaction: ${refund.transactionId}`,
      `Customer:    ${refund.customerId}`,
      `Amount:      ${formatMoney(refund.amount, refund.currency)} (${refund.amount} minor units)`,
      `Requested:   ${refund.requestedAt}`,
      ``,
      `Gateway attempts (${refund.attempts.length}):`,
      attempts,
    ].join('\n'),
  };
}

/** The customer's refund (or void) email. */
export function customerRefundMail(to: string, details: { kind: 'REFUND' | 'VOID'; orderId: string; amount: number; currency: string; refundId: string }): OutgoingMail {
  const money = formatMoney(details.amount, details.currency);
  const what = details.kind === 'VOID' ? `Your payment of ${money} for order ${details.orderId} was cancelled before it was taken from your account.` : `We refunded ${money} for order ${details.orderId}.`;
  return {
    to: [to],
    subject: `Your refund for order ${details.orderId}`,
    text: [what, '', `Reference: ${details.refundId}`, 'Depending on your bank it can take a few days to show on your statement.'].join('\n'),
  };
}
