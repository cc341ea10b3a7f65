import { PaymentsEvent, SubscriptionEvent } from '@continuum/contracts';
import { ChargeFollowUp, chargeFollowUp, ordersOf, purchaseTransactions } from './order-transactions';
import { billed, orderPlaced, rebillRequested, started } from './purchase.fixtures';
import { PurchaseTransaction } from './purchase.profile';
import { ExistingPurchase, evolvePurchase, exists, initialPurchaseState } from './purchase.state';

const purchaseOf = (events: readonly SubscriptionEvent[]): ExistingPurchase => {
  const state = events.reduce(evolvePurchase, initialPurchaseState());
  if (!exists(state)) throw new Error('no purchase');
  return state;
};
/** started by o-1 (charge o-1-charge-1), cycle 2 billed by rebill order o-r2 (charge o-r2-charge-1) */
const purchase = purchaseOf([started, rebillRequested(2, '2026-03-15'), orderPlaced('o-r2', 2), billed('o-r2', 2, '2026-04-14')]);
const ids = (transactionId: string, orderId: string) => ({ transactionId, orderId, customerId: 'cu-1' });

const refunded: PaymentsEvent = {
  type: 'RefundSucceeded',
  data: {
    ...ids('o-r2-charge-1', 'o-r2'),
    refundId: 'rf-1',
    amount: 1000,
    currency: 'USD',
    attempt: 1,
    gatewayTransactionId: 'g-9',
    message: 'Refunded',
    refundedTotal: 1000,
    fullyRefunded: false,
    autoCancel: false,
    at: '2026-03-16T09:00:00.000Z',
  },
};
const voided: PaymentsEvent = {
  type: 'ChargeVoided',
  data: { ...ids('o-1-charge-1', 'o-1'), voidId: 'vd-1', amount: 794, currency: 'USD', gatewayTransactionId: null, message: 'Voided', autoCancel: false, at: '2026-03-01T11:00:00.000Z' },
};
const chargeback: PaymentsEvent = {
  type: 'ChargebackMarked',
  data: { ...ids('o-r2-charge-1', 'o-r2'), amount: 6294, date: '2026-03-20', reasonCode: '10.4', note: 'not recognised', at: '2026-03-20T08:00:00.000Z' },
};
const reverted: PaymentsEvent = { type: 'ChargebackReverted', data: { ...ids('o-r2-charge-1', 'o-r2'), amount: 6294, at: '2026-03-21T08:00:00.000Z' } };

describe('order transactions: what a payments event adds to its order', () => {
  it('given a refund, a void, a chargeback and its reversal, then each is one row naming its charge, with the money moved and when', () => {
    expect([refunded, voided, chargeback, reverted].map(chargeFollowUp)).toEqual([
      { transactionId: 'rf-1', parentTransactionId: 'o-r2-charge-1', orderId: 'o-r2', type: 'REFUND', response: 'SUCCESS', amount: 1000, currency: 'USD', message: 'Refunded', at: '2026-03-16T09:00:00.000Z' },
      { transactionId: 'vd-1', parentTransactionId: 'o-1-charge-1', orderId: 'o-1', type: 'VOID', response: 'SUCCESS', amount: 794, currency: 'USD', message: 'Voided', at: '2026-03-01T11:00:00.000Z' },
      {
        transactionId: 'o-r2-charge-1',
        parentTransactionId: 'o-r2-charge-1',
        orderId: 'o-r2',
        type: 'CHARGEBACK',
        response: 'SUCCESS',
        amount: 6294,
        message: 'Chargeback 10.4 of 2026-03-20: not recognised',
        at: '2026-03-20T08:00:00.000Z',
      },
      { transactionId: 'o-r2-charge-1', parentTransactionId: 'o-r2-charge-1', orderId: 'o-r2', type: 'CHARGEBACK_REVERSAL', response: 'SUCCESS', amount: 6294, message: 'Chargeback reverted', at: '2026-03-21T08:00:00.000Z' },
    ]);
  });

  it('given an event that moved no money back (a settlement, a refund attempt that failed), then there is no row', () => {
    expect(chargeFollowUp({ type: 'ChargeSettled', data: { ...ids('o-1-charge-1', 'o-1'), amount: 794, settledAt: '2026-03-02T00:00:00.000Z' } })).toBeNull();
    expect(
      chargeFollowUp({ type: 'RefundFailed', data: { ...ids('o-1-charge-1', 'o-1'), refundId: 'rf-2', amount: 100, attempt: 1, message: 'not settled', outcome: 'REJECTED', at: '2026-03-01T12:00:00.000Z' } }),
    ).toBeNull();
  });
});

describe('purchase transactions: its charges and what followed them', () => {
  const charges: PurchaseTransaction[] = [
    { transactionId: 'o-1-charge-1', orderId: 'o-1', billingCycle: 1, type: 'SALE', response: 'SUCCESS', amount: 794, currency: 'USD', message: 'Order payment', at: '2026-03-01T10:00:00.000Z' },
    { transactionId: 'o-r2-charge-1', orderId: 'o-r2', billingCycle: 2, type: 'SALE', response: 'SUCCESS', amount: 6294, currency: 'USD', message: 'Approved', at: '2026-03-15T01:00:00.000Z' },
  ];
  const rows = (events: readonly PaymentsEvent[]) => events.map(chargeFollowUp).filter((row): row is ChargeFollowUp => row !== null);

  it('the orders of a purchase are the one that started it and each rebill order', () => {
    expect(ordersOf(purchase)).toEqual(['o-1', 'o-r2']);
  });

  it('given rows of its orders, then they sit among its charges oldest first, with the cycle their order paid and the currency of the purchase when payments gave none', () => {
    const listed = purchaseTransactions(purchase, charges, rows([refunded, chargeback, reverted, voided]));
    expect(listed.map((t) => [t.type, t.transactionId, t.billingCycle, t.currency])).toEqual([
      ['SALE', 'o-1-charge-1', 1, 'USD'],
      ['VOID', 'vd-1', 1, 'USD'],
      ['SALE', 'o-r2-charge-1', 2, 'USD'],
      ['REFUND', 'rf-1', 2, 'USD'],
      ['CHARGEBACK', 'o-r2-charge-1', 2, 'USD'],
      ['CHARGEBACK_REVERSAL', 'o-r2-charge-1', 2, 'USD'],
    ]);
  });

  it("given a row of another order, then it is not the purchase's", () => {
    const otherOrder: PaymentsEvent = { ...refunded, data: { ...refunded.data, ...ids('o-9-charge-1', 'o-9'), refundId: 'rf-9' } } as PaymentsEvent;
    expect(purchaseTransactions(purchase, charges, rows([otherOrder])).map((t) => t.transactionId)).toEqual(['o-1-charge-1', 'o-r2-charge-1']);
  });

  it('given a refund at the very time of its charge, then the charge comes first', () => {
    const atOnce = { ...refunded, data: { ...refunded.data, at: '2026-03-15T01:00:00.000Z' } } as PaymentsEvent;
    expect(purchaseTransactions(purchase, charges, rows([atOnce])).map((t) => t.type)).toEqual(['SALE', 'SALE', 'REFUND']);
  });
});
