import { PaymentsEvent } from '@continuum/contracts';
import { evolveTransaction, initialTransactionState } from './transaction.state';
import { refundView, refundViews, transactionRows } from './transaction.view';
import { LATER, NOW, approved, codOpened, event, refundFailed, refundQueued, refundRequested, refundSucceeded, settled } from './transaction.fixtures';

const fold = (events: PaymentsEvent[]) => events.reduce(evolveTransaction, initialTransactionState());

describe('transaction views', () => {
  it('shows a settled sale with its refunds as REFUND rows', () => {
    const state = fold([
      approved(5000),
      settled(),
      refundRequested('r-1', 2000),
      refundSucceeded('r-1', 2000, 2000),
      refundRequested('r-2', 1000),
      refundFailed('r-2', 1000, 1),
      refundQueued('r-2', 1000, 1),
    ]);
    const rows = transactionRows(state);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({
      transactionId: 't-1',
      orderId: 'o-1',
      type: 'SALE',
      response: 'SUCCESS',
      amount: 5000,
      refundedAmount: 2000,
      settled: true,
      card: 'VISA 1111',
      voided: false,
      createdAt: NOW,
    });
    expect(rows[0].parentTransactionId).toBeUndefined();
    expect(rows[1]).toMatchObject({ transactionId: 'r-1', type: 'REFUND', response: 'SUCCESS', amount: 2000, parentTransactionId: 't-1', createdAt: LATER });
    expect(rows[2]).toMatchObject({ transactionId: 'r-2', type: 'REFUND', response: 'PENDING', amount: 1000, parentTransactionId: 't-1' });
  });

  it('shows a void as a VOID row', () => {
    const voided = event('ChargeVoided', { voidId: 'v-1', amount: 5000, currency: 'USD', gatewayTransactionId: 'gw', message: 'Voided', autoCancel: false, at: LATER });
    const rows = transactionRows(fold([approved(5000), voided]));
    expect(rows.map((r) => [r.transactionId, r.type, r.amount, r.parentTransactionId])).toEqual([
      ['t-1', 'SALE', 5000, undefined],
      ['v-1', 'VOID', 5000, 't-1'],
    ]);
    expect(rows[0]).toMatchObject({ voided: true, settled: false, refundedAmount: 0 });
  });

  it('shows external payments and COD by the row types an agent reads (EXTERNAL, COD)', () => {
    expect(transactionRows(fold([event('ExternalPaymentRecorded', { amount: 0, currency: 'USD', at: NOW })]))[0]).toMatchObject({
      type: 'EXTERNAL',
      response: 'SUCCESS',
      card: 'External Payment',
      amount: 0,
    });
    expect(transactionRows(fold([codOpened()]))[0]).toMatchObject({ type: 'COD', response: 'PENDING', card: 'COD', message: 'Payment marked as COD' });
    const soft = event('CodDeliveryFailed', { status: 'SCHEDULED_FOR_PICKUP', final: false, response: 'SOFT_DECLINE', at: NOW });
    expect(transactionRows(fold([codOpened(), soft]))[0]).toMatchObject({ response: 'SOFT_DECLINE' });
    const paid = event('CodPaymentReceived', { amount: 3000, response: 'SUCCESS', deliveryConfirmation: 'DC-1', date: '2026-03-05', at: NOW });
    expect(transactionRows(fold([codOpened(), soft, paid]))[0]).toMatchObject({ response: 'SUCCESS', amount: 3000 });
    const declined = event('CodDeliveryFailed', { status: 'DECLINED', final: true, response: 'HARD_DECLINE', at: NOW });
    expect(transactionRows(fold([codOpened(), declined]))[0]).toMatchObject({ response: 'HARD_DECLINE' });
  });

  it('shows a declined charge with its decline', () => {
    const declined = event('PaymentDeclined', {
      type: 'SALE',
      response: 'HARD_DECLINE',
      amount: 5000,
      currency: 'USD',
      card: { token: 't', brand: 'MASTERCARD', last4: '4444', bin: '555555' },
      merchantId: 'm-1',
      gatewayTransactionId: null,
      message: 'Do not honor',
      rerunOf: null,
      at: NOW,
      purpose: 'ORDER',
    });
    expect(transactionRows(fold([declined]))).toEqual([
      expect.objectContaining({ type: 'SALE', response: 'HARD_DECLINE', card: 'MASTERCARD 4444', settled: false, refundedAmount: 0, message: 'Do not honor' }),
    ]);
    expect(transactionRows(fold([]))).toEqual([]);
  });

  it('a refund lists every attempt, the first one included', () => {
    const state = fold([
      approved(5000),
      settled(),
      refundRequested('r-1', 5000),
      refundFailed('r-1', 5000, 1, '2026-03-02T10:00:00.000Z'),
      refundQueued('r-1', 5000, 1),
      refundSucceeded('r-1', 5000, 5000, true, 2),
    ]);
    expect(refundView(state, 'r-1')).toEqual({
      refundId: 'r-1',
      transactionId: 't-1',
      orderId: 'o-1',
      customerId: 'c-1',
      amount: 5000,
      currency: 'USD',
      status: 'SUCCEEDED',
      requestedAt: LATER,
      attempts: [
        { at: '2026-03-02T10:00:00.000Z', result: 'FAILED', message: 'Refund rejected' },
        { at: LATER, result: 'SUCCESS', message: 'Refunded' },
      ],
    });
    expect(refundView(state, 'nope')).toBeUndefined();
    expect(refundViews(fold([codOpened()]))).toEqual([]);
  });

  it('puts settlement and refunds of an authorization on its CAPTURE row', () => {
    const state = fold([
      approved(5000, { type: 'AUTHORIZE' }),
      event('AuthorizationCaptured', { captureId: 'cap-1', amount: 4000, currency: 'USD', gatewayTransactionId: null, message: 'Captured', at: NOW }),
      settled(4000),
      refundRequested('r-1', 500),
      refundSucceeded('r-1', 500, 500),
    ]);
    const rows = transactionRows(state);
    expect(rows.map((r) => [r.transactionId, r.type, r.amount, r.settled, r.refundedAmount])).toEqual([
      ['t-1', 'AUTHORIZE', 5000, false, 0],
      ['cap-1', 'CAPTURE', 4000, true, 500],
      ['r-1', 'REFUND', 500, false, 0],
    ]);
    expect(rows.map((r) => r.refundableAmount)).toEqual([undefined, 3500, undefined]);
  });

  it('shows what remains refundable on the charge row: succeeded and in-flight refunds and the chargeback count, a revert gives it back', () => {
    const marked = (amount: number) => event('ChargebackMarked', { amount, date: '2026-03-10', reasonCode: '10.4', note: null, at: NOW });
    const history = [approved(5000), settled(), refundRequested('r-1', 1000), refundSucceeded('r-1', 1000, 1000), refundRequested('r-2', 500), marked(2000)];
    expect(transactionRows(fold([approved(5000)]))[0].refundableAmount).toBe(0);
    expect(transactionRows(fold(history))[0]).toMatchObject({ refundedAmount: 1000, refundableAmount: 1500, chargeback: { amount: 2000 } });
    expect(transactionRows(fold([...history, event('ChargebackReverted', { amount: 2000, at: NOW })]))[0]).toMatchObject({ refundableAmount: 3500, chargeback: null });
    expect(transactionRows(fold([approved(5000), settled(), marked(5000)]))[0].refundableAmount).toBe(0);
  });
});
