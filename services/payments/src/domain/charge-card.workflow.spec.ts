import { PaymentsEvent } from '@continuum/contracts';
import { DEFAULT_MERCHANT_ID, chargeRecord, chargeStart } from './charge-card.workflow';
import { ChargeRequest } from './order.reactions';
import { evolveTransaction, initialTransactionState } from './transaction.state';
import { approved, event } from './transaction.fixtures';

const fold = (...events: PaymentsEvent[]) => events.reduce(evolveTransaction, initialTransactionState());
const request: ChargeRequest = {
  transactionId: 't-1',
  orderId: 'o-1',
  customerId: 'c-1',
  amount: 5000,
  currency: 'USD',
  card: { token: 'tok_1', brand: 'VISA', last4: '1111', bin: '41111111', expMonth: 12, expYear: 2030 } as ChargeRequest['card'],
  for: { purpose: 'ORDER' },
};
const declined = event('PaymentDeclined', {
  type: 'SALE',
  response: 'SOFT_DECLINE',
  amount: 5000,
  currency: 'USD',
  card: { token: 'tok_1', brand: 'VISA', last4: '1111', bin: '411111' },
  merchantId: 'default',
  gatewayTransactionId: null,
  message: 'Declined',
  rerunOf: null,
  at: '2026-03-01T10:00:00.000Z',
  purpose: 'ORDER',
});

describe('charge card workflow', () => {
  it('given no transaction yet, when the charge starts, then the gateway is called with the token, the amount and the transaction id as reference', () => {
    expect(chargeStart(initialTransactionState(), request)).toEqual({
      kind: 'CALL',
      call: { token: 'tok_1', amount: 5000, currency: 'USD', reference: 't-1', merchantId: DEFAULT_MERCHANT_ID, purpose: 'ORDER' },
    });
    expect(chargeStart(initialTransactionState(), { ...request, merchantId: 'm-9', for: { purpose: 'UPSELL', orderItemId: 'i-1' } })).toMatchObject({ call: { merchantId: 'm-9', purpose: 'UPSELL' } });
  });

  it('given a recorded approval or decline (a redelivered cause), when the charge starts, then its outcome is the answer and the gateway is not called again', () => {
    expect(chargeStart(fold(approved()), request)).toEqual({ kind: 'RECORDED', response: 'SUCCESS' });
    expect(chargeStart(fold(declined), request)).toEqual({ kind: 'RECORDED', response: 'SOFT_DECLINE' });
  });

  it("given the gateway's answer, when it is recorded, then RecordCharge carries the charge, a six-digit BIN and the gateway's brand", () => {
    const answer = { response: 'SUCCESS', gatewayTransactionId: 'gw-1', message: 'Approved', prepaid: false, brand: 'MASTERCARD' } as const;
    expect(chargeRecord({ ...request, rerunOf: 't-0', for: { purpose: 'RERUN' } }, answer)).toEqual({
      type: 'RecordCharge',
      data: {
        transactionId: 't-1',
        orderId: 'o-1',
        customerId: 'c-1',
        type: 'SALE',
        amount: 5000,
        currency: 'USD',
        card: { token: 'tok_1', brand: 'MASTERCARD', last4: '1111', bin: '411111' },
        merchantId: DEFAULT_MERCHANT_ID,
        gatewayResult: { response: 'SUCCESS', gatewayTransactionId: 'gw-1', message: 'Approved', prepaid: false },
        rerunOf: 't-0',
        purpose: 'RERUN',
      },
    });
  });

  it("given a gateway that does not know the brand, when recorded, then the vault's brand is kept, and an unknown one is UNKNOWN", () => {
    const answer = { response: 'HARD_DECLINE', message: 'Declined', prepaid: false, brand: 'UNKNOWN' } as const;
    expect(chargeRecord(request, answer).data.card.brand).toBe('VISA');
    expect(chargeRecord({ ...request, card: { ...request.card, brand: 'DINERS' } }, answer).data.card.brand).toBe('UNKNOWN');
  });
});
