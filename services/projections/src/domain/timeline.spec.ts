import { foldHistory } from './customer-history';
import { agent, card, event, journalOf, lander, placed, registered } from './history.fixtures';
import { formatDay, formatMoney } from './money';
import { timelineActor } from './timeline';

const options = { refundRetryDelayMs: 86_400_000 };
const summaries = (...entries: Parameters<typeof journalOf>[1]) => foldHistory(journalOf('cus-t', entries), options).timeline.map((entry) => entry.summary);

describe('timeline summaries', () => {
  it('says who did it: the envelope actor, a scheduled job told apart from other system work', () => {
    expect(timelineActor({ kind: 'agent', id: 'alice' })).toEqual({ kind: 'agent', id: 'alice' });
    expect(timelineActor({ kind: 'fulfillment-house', id: 'shipco' })).toEqual({ kind: 'fulfillment-house', id: 'shipco' });
    expect(timelineActor({ kind: 'system', id: 'refund-retries' })).toEqual({ kind: 'scheduled-job', id: 'refund-retries' });
    expect(timelineActor({ kind: 'system', id: 'settlement' })).toEqual({ kind: 'scheduled-job', id: 'settlement' });
    expect(timelineActor({ kind: 'system', id: 'outbox-relay' })).toEqual({ kind: 'system', id: 'outbox-relay' });
  });

  it('words declines, cancellations and upsells as an agent reads them', () => {
    const at = (minute: number) => `2026-12-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
    const ref = { orderId: 'ord-t', customerId: 'cus-t' };
    expect(
      summaries(
        registered('cus-t', at(0)),
        placed('ord-t', 'cus-t', at(1), 'CARD', lander),
        event(
          'PaymentDeclined',
          'transaction-txn-t',
          { ...ref, transactionId: 'txn-t', type: 'SALE', amount: 4999, currency: 'USD', card, merchantId: 'm-1', gatewayTransactionId: null, message: 'Insufficient funds', rerunOf: null, at: at(2), response: 'SOFT_DECLINE', purpose: 'ORDER' },
          at(2),
          { actor: lander },
        ),
        event('OrderDeclined', 'order-ord-t', { ...ref, paymentType: 'CARD', source: 'PAYMENT', declineType: 'SOFT', transactionId: 'txn-t', message: 'Insufficient funds' }, at(3)),
        event('OrderCancelled', 'order-ord-t', { ...ref, paymentType: 'CARD', reason: 'customer changed their mind', fullRefund: true, cancelPurchases: 'NOW', previousStatus: 'DECLINED', refundableAmount: 0 }, at(4), { actor: agent }),
      ),
    ).toEqual([
      'Customer Jane Doe registered (Jane@Example.com)',
      'Order ord-t placed: 1 item, $49.99 by card VISA 1111',
      'Charge of $49.99 declined (soft decline) on VISA 1111 for order ord-t: Insufficient funds',
      'Order ord-t declined by the payment (soft decline): Insufficient funds',
      'Order ord-t cancelled: customer changed their mind (full refund requested; purchases cancelled now)',
    ]);
  });

  it('words a customer blacklisted by an admin, with the entries and the reason', () => {
    const at = '2026-12-01T11:00:00.000Z';
    const entries = [
      { entryId: 'b-1', type: 'EMAIL', value: 'ann@example.com' },
      { entryId: 'b-2', type: 'ADDRESS', value: '1 main st austin tx 78701 us' },
    ];
    const blacklisted = event('CustomerBlacklisted', 'customer-cus-t', { customerId: 'cus-t', entries, codOnly: true, reason: 'chargebacks', by: { kind: 'admin', id: 'root' }, at }, at);
    expect(summaries(registered('cus-t', '2026-12-01T10:00:00.000Z'), blacklisted)).toContain('Customer blacklisted for COD orders by root (email, address): "chargebacks"');
  });

  it('shows every order email sent, and who asked for a resend', () => {
    const at = (minute: number) => `2026-12-01T12:${String(minute).padStart(2, '0')}:00.000Z`;
    const ref = { orderId: 'ord-m', customerId: 'cus-t' };
    const sent = (reason: string, causeEventId: string, minute: number, actor = lander) =>
      event('OrderConfirmationEmailSent', 'order-ord-m', { ...ref, to: 'jane@example.com', reason, causeEventId, at: at(minute) }, at(minute), { actor });
    const history = foldHistory(
      journalOf('cus-t', [
        registered('cus-t', at(0)),
        placed('ord-m', 'cus-t', at(1)),
        sent('ORDER_COMPLETED', 'ev-completed', 2),
        event('OrderEmailResendRequested', 'order-ord-m', { ...ref, kind: 'CONFIRMATION', at: at(3) }, at(3), { actor: agent }),
        sent('RESEND_REQUESTED', 'ev-resend', 4, agent),
      ]),
      options,
    );
    expect(history.timeline.slice(2).map((entry) => [entry.type, entry.summary, entry.actor.id, entry.orderId])).toEqual([
      ['OrderConfirmationEmailSent', 'Order confirmation email for order ord-m sent to jane@example.com (the order completed)', 'lander', 'ord-m'],
      ['OrderEmailResendRequested', 'Confirmation email of order ord-m to be sent again (asked by alice)', 'alice', 'ord-m'],
      ['OrderConfirmationEmailSent', 'Order confirmation email for order ord-m sent to jane@example.com (a resend was asked for)', 'alice', 'ord-m'],
    ]);
  });

  it('formats money in minor units and days in UTC', () => {
    expect(formatMoney(4999, 'USD')).toBe('$49.99');
    expect(formatMoney(5, 'EUR')).toBe('€0.05');
    expect(formatMoney(123456, 'CHF')).toBe('1234.56 CHF');
    expect(formatDay('2026-12-02T23:30:00.000Z', '2026-12-01T00:00:00.000Z')).toBe('Dec 2');
    expect(formatDay('2027-01-02T00:00:00.000Z', '2026-12-30T00:00:00.000Z')).toBe('Jan 2, 2027');
  });
});
