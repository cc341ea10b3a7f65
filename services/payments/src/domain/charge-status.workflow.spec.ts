import { PaymentsEvent } from '@continuum/contracts';
import { chargeStatusFromGateway, chargeStatusStart } from './charge-status.workflow';
import { evolveTransaction, initialTransactionState } from './transaction.state';
import { NOW, approved, event } from './transaction.fixtures';

const fold = (...events: PaymentsEvent[]) => events.reduce(evolveTransaction, initialTransactionState());
const none = initialTransactionState();
const declined = () =>
  event('PaymentDeclined', {
    type: 'SALE',
    response: 'SOFT_DECLINE',
    amount: 5000,
    currency: 'USD',
    card: { token: 'tok_visa-on-file', brand: 'VISA', last4: '1111', bin: '411111' },
    merchantId: 'm-1',
    gatewayTransactionId: 'gw-1',
    message: 'Insufficient funds',
    rerunOf: null,
    at: NOW,
    purpose: 'REBILL',
  } as never);

describe("an order's charge status (a rebill whose outcome never arrived)", () => {
  it('given the charge recorded approved, when asked, then it answers APPROVED from the record with the card and amount', () => {
    expect(chargeStatusStart('o-1', fold(approved(5000, { purpose: 'REBILL' })), [])).toEqual({
      kind: 'ANSWER',
      answer: { orderId: 'o-1', transactionId: 't-1', status: 'APPROVED', source: 'RECORD', response: 'SUCCESS', amount: 5000, currency: 'USD', cardLast4: '1111', cardBrand: 'VISA', gatewayTransactionId: 'gw-1', message: 'Approved', at: NOW },
    });
  });

  it('given the charge declined but a rerun of it approved, when asked, then the rerun answers APPROVED', () => {
    const rerun = fold(approved(5000, { purpose: 'RERUN', transactionId: 't-2' } as never));
    expect(chargeStatusStart('o-1', fold(declined()), [rerun])).toMatchObject({ kind: 'ANSWER', answer: { status: 'APPROVED', transactionId: 't-2' } });
  });

  it('given the charge recorded declined, when asked, then it answers DECLINED with the response', () => {
    expect(chargeStatusStart('o-1', fold(declined()), [])).toMatchObject({ kind: 'ANSWER', answer: { status: 'DECLINED', response: 'SOFT_DECLINE', source: 'RECORD' } });
  });

  it('given an order paid another way, when asked, then it is NOT_A_CARD_CHARGE (orders tells its outcome)', () => {
    const external = fold(event('ExternalPaymentRecorded', { amount: 5000, currency: 'USD', at: NOW }));
    expect(chargeStatusStart('o-1', none, [external])).toMatchObject({ kind: 'ANSWER', answer: { status: 'NOT_A_CARD_CHARGE', transactionId: null } });
  });

  it('given nothing recorded, when asked, then the gateway is asked about the charge reference', () => {
    expect(chargeStatusStart('o-1', none, [])).toEqual({ kind: 'ASK', query: { operation: 'charge', reference: 'o-1-charge-1' } });
  });

  it('given the gateway answers, then it is APPROVED, DECLINED or NOT_CHARGED from the gateway', () => {
    expect(chargeStatusFromGateway('o-1', { found: false })).toEqual({ orderId: 'o-1', transactionId: 'o-1-charge-1', status: 'NOT_CHARGED', source: 'GATEWAY', message: 'the gateway never received the charge' });
    expect(chargeStatusFromGateway('o-1', { found: true, succeeded: true, response: 'SUCCESS', message: 'Approved', amount: 1999, currency: 'USD', gatewayTransactionId: 'gw-9' })).toEqual({
      orderId: 'o-1',
      transactionId: 'o-1-charge-1',
      status: 'APPROVED',
      source: 'GATEWAY',
      response: 'SUCCESS',
      amount: 1999,
      currency: 'USD',
      gatewayTransactionId: 'gw-9',
      message: 'Approved',
    });
    expect(chargeStatusFromGateway('o-1', { found: true, succeeded: false, response: 'HARD_DECLINE', message: 'Do not honor' })).toMatchObject({ status: 'DECLINED', response: 'HARD_DECLINE' });
  });
});
