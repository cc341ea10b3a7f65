import { registry } from '../core/registry';
import { Topics } from '../core/topics';
import { PAYMENTS_EVENT_TYPES } from './payment-events';

const ids = { transactionId: 't-1', orderId: 'o-1', customerId: 'c-1' };
const card = { token: '4111111111111111', brand: 'VISA', last4: '1111', bin: '411111' };
const approved = {
  ...ids,
  type: 'SALE',
  response: 'SUCCESS',
  amount: 1999,
  currency: 'USD',
  card,
  merchantId: 'm-1',
  gatewayTransactionId: null,
  message: 'Approved',
  prepaid: false,
  rerunOf: null,
  at: '2026-03-01T10:00:00.000Z',
};
const validate = (type: string, data: unknown) => registry.validate(type, 1, data);

describe('payments events', () => {
  it('every payments event is registered on payments.events.v1 and carries the transaction, order and customer', () => {
    for (const type of Object.values(PAYMENTS_EVENT_TYPES)) {
      const definition = registry.current(type);
      expect(definition.topic).toBe(Topics.paymentsEvents);
      expect(definition.kind).toBe('event');
      expect((definition.schema as { required: string[] }).required).toEqual(expect.arrayContaining(['transactionId', 'orderId', 'customerId']));
    }
  });

  it('lists the issue 5 events', () => {
    expect(Object.keys(PAYMENTS_EVENT_TYPES)).toEqual(
      expect.arrayContaining([
        'PaymentApproved',
        'PaymentDeclined',
        'ExternalPaymentRecorded',
        'CodTransactionOpened',
        'CodPaymentReceived',
        'CodDeliveryFailed',
        'ChargeSettled',
        'ChargeVoided',
        'RefundRequested',
        'RefundSucceeded',
        'RefundFailed',
        'RefundQueued',
        'RefundAbandoned',
        'RefundEmailResent',
        'ChargebackMarked',
        'ChargebackReverted',
      ]),
    );
  });

  it('accepts a well-formed PaymentApproved', () => {
    expect(() => validate('PaymentApproved', approved)).not.toThrow();
  });

  it('rejects money that is not integer minor units', () => {
    expect(() => validate('PaymentApproved', { ...approved, amount: 19.99 })).toThrow(/amount/);
    expect(() => validate('PaymentApproved', { ...approved, amount: -1 })).toThrow(/amount/);
    expect(() => validate('RefundRequested', { ...ids, refundId: 'r-1', amount: 0, currency: 'USD', at: approved.at })).toThrow(/amount/);
  });

  it('is closed: unknown fields and a missing customer are refused', () => {
    expect(() => validate('PaymentApproved', { ...approved, cvv: '123' })).toThrow(/cvv/);
    const { customerId: _customerId, ...withoutCustomer } = approved;
    expect(() => validate('PaymentApproved', withoutCustomer)).toThrow(/customerId/);
    expect(() => validate('PaymentApproved', { ...approved, card: { ...card, number: '4111111111111111' } })).toThrow(/number/);
  });

  it('limits a queued refund to the three daily retries', () => {
    const queued = { ...ids, refundId: 'r-1', amount: 100, retryNumber: 3, at: approved.at };
    expect(() => validate('RefundQueued', queued)).not.toThrow();
    expect(() => validate('RefundQueued', { ...queued, retryNumber: 4 })).toThrow(/retryNumber/);
  });
});
