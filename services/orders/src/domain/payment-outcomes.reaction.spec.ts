import { CampaignSnapshot, PaymentApproved, PaymentDeclined } from '@continuum/contracts';
import { reactionSpec } from '@continuum/testing';
import { OrderCommand, PlaceOrder } from './order.commands';
import { orderDecider } from './order.decider';
import { OrderState } from './order.state';
import { onPaymentOutcome, PaymentOutcome } from './payment-outcomes.reaction';

const metadata = { now: '2026-03-01T10:00:00.000Z', actor: { kind: 'agent' as const, id: 'alice' } };
const campaign: CampaignSnapshot = {
  campaignId: 'c-1',
  name: 'Bladder Relief 911',
  currency: 'USD',
  qaRate: 0,
  skipQaForExternal: false,
  products: [{ productId: 'p-1', sku: 'BR-1', name: 'Bladder Relief 1 bottle', price: 3999, shippingPrice: 495, billingType: 'STRAIGHT' }],
};
const place = (paymentType: PlaceOrder['data']['paymentType']): OrderCommand => ({
  type: 'PlaceOrder',
  data: {
    orderId: 'o-1',
    customerId: 'cu-1',
    campaign,
    items: [{ orderItemId: 'oi-1', productId: 'p-1', quantity: 1 }],
    paymentType,
    ...(paymentType === 'CARD' ? { card: { token: 'tok_1', brand: 'VISA', last4: '1111', bin: '41111111', expMonth: 12, expYear: 2030 } } : {}),
    shippingAddress: { line1: '1 Main St', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' },
    forceQa: false,
    qaRoll: 0.5,
    blacklistMatch: null,
  },
  metadata,
});

/** The order after running these commands through the real decider. */
function orderAfter(...commands: OrderCommand[]): OrderState {
  return commands.reduce((state, command) => orderDecider.decide(command, state).reduce(orderDecider.evolve, state), orderDecider.initialState());
}
const change = (type: string, data: Record<string, unknown>) => ({ type, data: { orderId: 'o-1', ...data }, metadata }) as OrderCommand;

const charge = { orderId: 'o-1', customerId: 'cu-1', type: 'SALE', amount: 4494, currency: 'USD' };
const approved = (transactionId: string, extra: Record<string, unknown> = { purpose: 'ORDER' }): PaymentOutcome =>
  ({ type: 'PaymentApproved', data: { ...charge, transactionId, response: 'SUCCESS', prepaid: false, ...extra } }) as unknown as PaymentApproved;
const declined = (transactionId: string, extra: Record<string, unknown> = { purpose: 'ORDER' }): PaymentOutcome =>
  ({ type: 'PaymentDeclined', data: { ...charge, transactionId, response: 'SOFT_DECLINE', message: 'insufficient funds', ...extra } }) as unknown as PaymentDeclined;
const codOutcome = (type: 'CodPaymentReceived' | 'CodDeliveryFailed', transactionId: string, final = true): PaymentOutcome =>
  ({ type, data: { orderId: 'o-1', customerId: 'cu-1', transactionId, status: 'DECLINED', final, response: 'HARD_DECLINE', at: metadata.now } }) as unknown as PaymentOutcome;

describe('onPaymentOutcome: what a payment outcome does to its order', () => {
  const processing = orderAfter(place('CARD'));

  it('records the approval of the order charge while the order waits for it', () => {
    reactionSpec(onPaymentOutcome)
      .given(processing)
      .when(approved('t-1'))
      .then([{ type: 'RecordPaymentApproved', data: { orderId: 'o-1', transactionId: 't-1', amount: 4494, prepaid: false } }]);
  });

  it('records an approval that arrives after a cancel, so the order asks for its reversal', () => {
    const cancelled = orderAfter(place('CARD'), change('CancelOrder', { reason: 'customer called', fullRefund: true }));
    expect(cancelled.status).toBe('CANCELLED');
    reactionSpec(onPaymentOutcome).given(cancelled).when(approved('t-late')).then([
      { type: 'RecordPaymentApproved', data: { orderId: 'o-1', transactionId: 't-late', amount: 4494, prepaid: false } },
    ]);
  });

  it('ignores the approval of a rerun sibling once the order is paid, and passes the redelivery of its own charge to the decider', () => {
    const complete = orderAfter(place('CARD'), change('RecordPaymentApproved', { transactionId: 't-1', amount: 4494, prepaid: false }));
    expect(complete.status).toBe('COMPLETE');
    reactionSpec(onPaymentOutcome).given(complete).when(approved('t-sibling', { purpose: 'RERUN' })).thenNothing();
    reactionSpec(onPaymentOutcome).given(complete).when(approved('t-1')).then([
      { type: 'RecordPaymentApproved', data: { orderId: 'o-1', transactionId: 't-1', amount: 4494, prepaid: false } },
    ]);
    expect(orderDecider.decide(change('RecordPaymentApproved', { transactionId: 't-1', amount: 4494, prepaid: false }), complete)).toEqual([]);
  });

  it('sends an outcome for an unknown order on, so the decider refuses it and it is dead-lettered', () => {
    reactionSpec(onPaymentOutcome).given(orderDecider.initialState()).when(declined('t-1')).then([
      { type: 'RecordPaymentDeclined', data: { orderId: 'o-1', transactionId: 't-1', response: 'SOFT_DECLINE', message: 'insufficient funds' } },
    ]);
  });

  it('turns upsell outcomes into upsell commands whatever the order status', () => {
    const complete = orderAfter(place('CARD'), change('RecordPaymentApproved', { transactionId: 't-1', amount: 4494, prepaid: false }));
    reactionSpec(onPaymentOutcome).given(complete).when(approved('t-up', { purpose: 'UPSELL', orderItemId: 'oi-9' })).then([
      { type: 'RecordUpsellApproved', data: { orderId: 'o-1', orderItemId: 'oi-9', transactionId: 't-up', amount: 4494 } },
    ]);
    reactionSpec(onPaymentOutcome).given(complete).when(declined('t-up', { purpose: 'UPSELL', orderItemId: 'oi-9' })).then([
      { type: 'RecordUpsellDeclined', data: { orderId: 'o-1', orderItemId: 'oi-9', transactionId: 't-up' } },
    ]);
  });

  it('ignores a decline of a charge once the order moved on', () => {
    const complete = orderAfter(place('CARD'), change('RecordPaymentApproved', { transactionId: 't-1', amount: 4494, prepaid: false }));
    reactionSpec(onPaymentOutcome).given(complete).when(declined('t-2', { purpose: 'RERUN' })).thenNothing();
  });

  describe('COD', () => {
    const codPending = orderAfter(place('COD'), change('RecordCodOpened', { transactionId: 'cod-1' }));

    it('completes the order on the payment of its own COD transaction', () => {
      expect(codPending.status).toBe('COD_PENDING');
      reactionSpec(onPaymentOutcome).given(codPending).when(codOutcome('CodPaymentReceived', 'cod-1')).then([
        { type: 'RecordCodPaid', data: { orderId: 'o-1', transactionId: 'cod-1' } },
      ]);
    });

    it('declines the order only on the final refusal; a reattempt or pickup changes nothing', () => {
      reactionSpec(onPaymentOutcome).given(codPending).when(codOutcome('CodDeliveryFailed', 'cod-1', true)).then([
        { type: 'RecordCodDeclined', data: { orderId: 'o-1', transactionId: 'cod-1' } },
      ]);
      reactionSpec(onPaymentOutcome).given(codPending).when(codOutcome('CodDeliveryFailed', 'cod-1', false)).thenNothing();
    });

    it('ignores the outcome of another COD transaction (an upsell is never COD)', () => {
      reactionSpec(onPaymentOutcome).given(codPending).when(codOutcome('CodPaymentReceived', 'cod-other')).thenNothing();
    });
  });

  it('counts refunds and voids on the order', () => {
    const refund = { type: 'RefundSucceeded', data: { orderId: 'o-1', customerId: 'cu-1', transactionId: 't-1', refundId: 'rf-1', amount: 1000, currency: 'USD' } } as unknown as PaymentOutcome;
    reactionSpec(onPaymentOutcome).given(processing).when(refund).then([
      { type: 'RecordRefund', data: { orderId: 'o-1', refundId: 'rf-1', transactionId: 't-1', amount: 1000, kind: 'REFUND' } },
    ]);
    const voided = { type: 'ChargeVoided', data: { orderId: 'o-1', customerId: 'cu-1', transactionId: 't-1', voidId: 'v-1', amount: 4494, currency: 'USD' } } as unknown as PaymentOutcome;
    reactionSpec(onPaymentOutcome).given(processing).when(voided).then([
      { type: 'RecordRefund', data: { orderId: 'o-1', transactionId: 't-1', amount: 4494, kind: 'VOID' } },
    ]);
  });
});
