import { registry } from '../core/registry';
import { Topics } from '../core/topics';
import { PAYMENTS_EVENT_TYPES, chargeForTransaction } from './payment-events';

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
  purpose: 'ORDER',
};
const validate = (type: string, data: unknown) => registry.validate(type, registry.current(type).version, data);

describe('payments events', () => {
  it('every payments event is registered on payments.events.v1 and carries the transaction, order and customer', () => {
    for (const type of Object.values(PAYMENTS_EVENT_TYPES)) {
      const definition = registry.current(type);
      expect(definition.topic).toBe(Topics.paymentsEvents);
      expect(definition.kind).toBe('event');
      expect((definition.schema as { required: string[] }).required).toEqual(expect.arrayContaining(['transactionId', 'orderId', 'customerId']));
    }
  });

  it('PAYMENTS_EVENT_TYPES names every event defined on payments.events.v1, each under its own type, and nothing else', () => {
    const defined = [...new Set(registry.all().filter((definition) => definition.topic === Topics.paymentsEvents && definition.kind === 'event').map((definition) => definition.type))];
    expect(Object.keys(PAYMENTS_EVENT_TYPES).sort()).toEqual(defined.sort());
    for (const [key, type] of Object.entries(PAYMENTS_EVENT_TYPES)) expect(type).toBe(key);
    expect(defined).toEqual(expect.arrayContaining(['PaymentApproved', 'ChargeSettled', 'CodPaymentReceived', 'RefundSucceeded', 'ChargebackMarked']));
  });

  it('RefundFailed carries an optional outcome, REJECTED or UNKNOWN (absent on events stored before it)', () => {
    const failed = { ...ids, refundId: 'r-1', amount: 500, attempt: 1, message: 'gateway timed out', at: '2026-03-01T10:00:00.000Z' };
    expect(() => validate('RefundFailed', failed)).not.toThrow();
    expect(() => validate('RefundFailed', { ...failed, outcome: 'UNKNOWN' })).not.toThrow();
    expect(() => validate('RefundFailed', { ...failed, outcome: 'REJECTED' })).not.toThrow();
    expect(() => validate('RefundFailed', { ...failed, outcome: 'MAYBE' })).toThrow();
  });

  it('accepts a well-formed PaymentApproved', () => {
    expect(() => validate('PaymentApproved', approved)).not.toThrow();
  });

  it('PaymentApproved may say the card is a test card on a live gateway (fulfillment keeps such orders in HOLD)', () => {
    expect(() => validate('PaymentApproved', { ...approved, testCardOnLiveGateway: true })).not.toThrow();
    expect(() => validate('PaymentApproved', { ...approved, testCardOnLiveGateway: 'yes' })).toThrow(/testCardOnLiveGateway/);
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

  describe('charge purpose (PaymentApproved / PaymentDeclined version 2)', () => {
    const { prepaid: _prepaid, ...declinedBase } = { ...approved, response: 'SOFT_DECLINE' };

    it.each(['ORDER', 'RERUN', 'REBILL'])('accepts %s without an order item and refuses one with it', (purpose) => {
      expect(() => validate('PaymentApproved', { ...approved, purpose })).not.toThrow();
      expect(() => validate('PaymentDeclined', { ...declinedBase, purpose })).not.toThrow();
      expect(() => validate('PaymentApproved', { ...approved, purpose, orderItemId: 'i-1' })).toThrow(/orderItemId/);
    });

    it('requires the order item of an UPSELL', () => {
      expect(() => validate('PaymentApproved', { ...approved, purpose: 'UPSELL', orderItemId: 'i-1' })).not.toThrow();
      expect(() => validate('PaymentDeclined', { ...declinedBase, purpose: 'UPSELL', orderItemId: 'i-1' })).not.toThrow();
      expect(() => validate('PaymentApproved', { ...approved, purpose: 'UPSELL' })).toThrow(/orderItemId/);
      expect(() => validate('PaymentDeclined', { ...declinedBase, purpose: 'UPSELL' })).toThrow(/orderItemId/);
    });

    it('requires a known purpose', () => {
      const { purpose: _purpose, ...withoutPurpose } = approved;
      expect(() => validate('PaymentApproved', withoutPurpose)).toThrow(/purpose/);
      expect(() => validate('PaymentApproved', { ...approved, purpose: 'TIP' })).toThrow(/purpose/);
    });

    it('reads a version 1 event with the purpose its transaction id tells', () => {
      const { purpose: _purpose, ...v1 } = approved;
      expect(() => registry.validate('PaymentApproved', 1, v1)).not.toThrow();
      const upcast = (transactionId: string, rerunOf: string | null = null) =>
        registry.upcast('PaymentApproved', 1, { ...v1, transactionId, rerunOf });
      expect(upcast('o-1-charge-1')).toEqual({ version: 2, data: { ...v1, transactionId: 'o-1-charge-1', purpose: 'ORDER' } });
      expect(upcast('o-1-upsell-i-9').data).toMatchObject({ purpose: 'UPSELL', orderItemId: 'i-9' });
      expect(upcast('o-1-rerun-e-1').data).toMatchObject({ purpose: 'RERUN' });
      expect(upcast('t-2', 't-1').data).toMatchObject({ purpose: 'RERUN' });
      for (const id of ['o-1-charge-1', 'o-1-upsell-i-9', 'o-1-rerun-e-1']) {
        const current = upcast(id);
        expect(() => registry.validate('PaymentApproved', current.version, current.data)).not.toThrow();
      }
      const { purpose: _declinedPurpose, ...declinedV1 } = declinedBase;
      expect(() => registry.validate('PaymentDeclined', 1, declinedV1)).not.toThrow();
      const declined = registry.upcast('PaymentDeclined', 1, { ...declinedV1, transactionId: 'o-1-upsell-i-2' });
      expect(declined.data).toMatchObject({ purpose: 'UPSELL', orderItemId: 'i-2' });
    });

    it('tells the purpose from the derived transaction ids', () => {
      expect(chargeForTransaction('9f0c-charge-1', null)).toEqual({ purpose: 'ORDER' });
      expect(chargeForTransaction('9f0c-upsell-a-b-c', null)).toEqual({ purpose: 'UPSELL', orderItemId: 'a-b-c' });
      expect(chargeForTransaction('9f0c-rerun-e1', null)).toEqual({ purpose: 'RERUN' });
    });
  });
});
