import { RefundView } from '../domain';
import { abandonedRefundMail, customerRefundMail, formatMoney } from './refund-emails';

describe('formatMoney', () => {
  it('prints minor units with two decimals using integers only', () => {
    expect(formatMoney(1999, 'USD')).toBe('USD 19.99');
    expect(formatMoney(5, 'EUR')).toBe('EUR 0.05');
    expect(formatMoney(100000, 'USD')).toBe('USD 1000.00');
    expect(formatMoney(-250, 'USD')).toBe('-USD 2.50');
  });
});

describe('abandonedRefundMail', () => {
  const refund: RefundView = {
    refundId: 'rf-1',
    transactionId: 'o-1-charge-1',
    orderId: 'o-1',
    customerId: 'c-1',
    amount: 2599,
    currency: 'USD',
    status: 'ABANDONED',
    requestedAt: '2026-03-01T10:00:00.000Z',
    attempts: [1, 2, 3, 4].map((n) => ({ at: `2026-03-0${n}T10:00:00.000Z`, result: 'FAILED' as const, message: 'Refund rejected by the issuer' })),
  };

  it('goes to every Notify Emails address and names the refund, order, amount and each attempt', () => {
    const mail = abandonedRefundMail(['ops@a.test', 'cs@a.test'], refund);
    expect(mail.to).toEqual(['ops@a.test', 'cs@a.test']);
    expect(mail.subject).toContain('rf-1');
    expect(mail.subject).toContain('o-1');
    expect(mail.text).toContain('USD 25.99');
    expect(mail.text).toContain('Gateway attempts (4)');
    expect(mail.text.match(/FAILED/g)).toHaveLength(4);
  });
});

describe('customerRefundMail', () => {
  it('tells the customer about a refund or a cancelled payment', () => {
    const refund = customerRefundMail('ada@x.test', { kind: 'REFUND', orderId: 'o-1', amount: 1000, currency: 'USD', refundId: 'rf-1' });
    expect(refund).toMatchObject({ to: ['ada@x.test'] });
    expect(refund.text).toContain('We refunded USD 10.00 for order o-1');
    const voided = customerRefundMail('ada@x.test', { kind: 'VOID', orderId: 'o-1', amount: 1000, currency: 'USD', refundId: 'o-1-charge-1-void' });
    expect(voided.text).toContain('cancelled before it was taken');
  });
});
