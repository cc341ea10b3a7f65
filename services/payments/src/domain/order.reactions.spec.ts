import { CardSummary, OrderPlaced, PaymentsEvent } from '@continuum/contracts';
import { reactionSpec } from '@continuum/testing';
import { OrderPayments, OrderReactionEvent, PaymentsWork, onCodAction, onOrderEvent } from './order.reactions';
import { evolveTransaction, initialTransactionState } from './transaction.state';
import { NOW, approved, event, visa } from './transaction.fixtures';

const card: CardSummary = { token: 'tok_abc', brand: 'VISA', last4: '1111', bin: '411111' };
const nothingOnFile: OrderPayments = { cardOnFile: null, charges: [] };
const fold = (events: PaymentsEvent[]) => events.reduce(evolveTransaction, initialTransactionState());

const placed = (data: Partial<OrderPlaced['data']> = {}): OrderReactionEvent =>
  ({
    type: 'OrderPlaced',
    data: { orderId: 'o-1', customerId: 'c-1', campaignId: 'cp-1', currency: 'USD', paymentType: 'CARD', items: [], totals: { subtotal: 4500, shipping: 499, salesTax: 0, discount: 0, total: 4999, refunded: 0 }, card, ...data },
  }) as OrderReactionEvent;
const order = { orderId: 'o-1', customerId: 'c-1', amount: 4999, currency: 'USD' };

describe('onOrderEvent: what payments does when an order event arrives', () => {
  it('charges a card order once under an id derived from the order (purpose ORDER, REBILL for a rebill order)', () => {
    reactionSpec(onOrderEvent).given(nothingOnFile).when(placed()).then([{ type: 'ChargeCard', data: { ...order, transactionId: 'o-1-charge-1', card, for: { purpose: 'ORDER' } } }]);
    reactionSpec(onOrderEvent)
      .given(nothingOnFile)
      .when(placed({ rebill: { purchaseId: 'pu-1', billingCycle: 2, originalOrderId: 'o-0' } }))
      .then([{ type: 'ChargeCard', data: { ...order, transactionId: 'o-1-charge-1', card, for: { purpose: 'REBILL' } } }]);
  });

  it("charges a rebill on its purchase's merchant account when the purchase names one", () => {
    reactionSpec(onOrderEvent)
      .given(nothingOnFile)
      .when(placed({ rebill: { purchaseId: 'pu-1', billingCycle: 2, originalOrderId: 'o-0', merchantId: 'mid-2' } }))
      .then([{ type: 'ChargeCard', data: { ...order, transactionId: 'o-1-charge-1', card, for: { purpose: 'REBILL' }, merchantId: 'mid-2' } }]);
  });

  it('records an external payment and opens a COD transaction without a gateway', () => {
    reactionSpec(onOrderEvent).given(nothingOnFile).when(placed({ paymentType: 'EXTERNAL', card: undefined })).then([
      { type: 'RecordNonCardPayment', data: { ...order, kind: 'EXTERNAL', transactionId: 'o-1-external' } },
    ]);
    reactionSpec(onOrderEvent).given(nothingOnFile).when(placed({ paymentType: 'COD', card: undefined })).then([
      { type: 'RecordNonCardPayment', data: { ...order, kind: 'COD', transactionId: 'o-1-cod' } },
    ]);
  });

  it('refuses a card order that carries no card (the event is dead-lettered with CARD_MISSING)', () => {
    expect(() => onOrderEvent({ ...placed({ card: undefined }), eventId: 'e-1' } as never, nothingOnFile)).toThrow(expect.objectContaining({ code: 'CARD_MISSING' }));
  });

  it('reruns the declined charge on the card on file at the declined amount, not the order total', () => {
    const declinedCharge = fold([
      event('PaymentDeclined', { transactionId: 'o-1-charge-1', type: 'SALE', response: 'SOFT_DECLINE', amount: 4999, currency: 'USD', card: visa, merchantId: 'm-1', gatewayTransactionId: null, message: 'Insufficient funds', rerunOf: null, at: NOW, purpose: 'ORDER' }),
    ]);
    const upsellCharge = fold([approved(1500, { transactionId: 'o-1-upsell-oi-2', purpose: 'UPSELL', orderItemId: 'oi-2' })]);
    const rerun = { type: 'OrderRerunRequested', data: { orderId: 'o-1', customerId: 'c-1', currency: 'USD', previousTransactionId: 'o-1-charge-1' } } as OrderReactionEvent;
    reactionSpec(onOrderEvent)
      .given({ cardOnFile: card, charges: [declinedCharge, upsellCharge] })
      .when(rerun, 'evt-rerun')
      .then([
        {
          type: 'ChargeCard',
          data: { transactionId: 'o-1-rerun-evt-rerun', orderId: 'o-1', customerId: 'c-1', amount: 4999, currency: 'USD', card, rerunOf: 'o-1-charge-1', for: { purpose: 'RERUN' } },
        },
      ]);
  });

  it('refuses a rerun of a charge that was not declined', () => {
    const approvedCharge = fold([approved(4999, { transactionId: 'o-1-charge-1' })]);
    const rerun = { type: 'OrderRerunRequested', data: { orderId: 'o-1', customerId: 'c-1', currency: 'USD', previousTransactionId: 'o-1-charge-1' }, eventId: 'e-2' } as never;
    expect(() => onOrderEvent(rerun, { cardOnFile: card, charges: [approvedCharge] })).toThrow(expect.objectContaining({ code: 'NOT_DECLINED' }));
  });

  it('charges a card upsell on the card on file; a non-card upsell moves no money here', () => {
    const upsell = (paymentType: string) => ({ type: 'UpsellAdded', data: { orderId: 'o-1', customerId: 'c-1', orderItemId: 'oi-2', amount: 1500, currency: 'USD', paymentType } }) as OrderReactionEvent;
    reactionSpec(onOrderEvent).given({ cardOnFile: card, charges: [] }).when(upsell('CARD')).then([
      { type: 'ChargeCard', data: { transactionId: 'o-1-upsell-oi-2', orderId: 'o-1', customerId: 'c-1', amount: 1500, currency: 'USD', card, for: { purpose: 'UPSELL', orderItemId: 'oi-2' } } },
    ]);
    reactionSpec(onOrderEvent).given({ cardOnFile: card, charges: [] }).when(upsell('EXTERNAL')).thenNothing();
  });

  it('gives back everything on a QA decline or a cancel with full refund, and nothing otherwise', () => {
    const fullRefund: PaymentsWork[] = [{ type: 'RefundOrder', data: { orderId: 'o-1', mode: { full: true } } }];
    reactionSpec(onOrderEvent).given(nothingOnFile).when({ type: 'OrderDeclined', data: { orderId: 'o-1', customerId: 'c-1', source: 'QA' } } as OrderReactionEvent).then(fullRefund);
    reactionSpec(onOrderEvent).given(nothingOnFile).when({ type: 'OrderDeclined', data: { orderId: 'o-1', customerId: 'c-1', source: 'PAYMENT' } } as OrderReactionEvent).thenNothing();
    reactionSpec(onOrderEvent).given(nothingOnFile).when({ type: 'OrderCancelled', data: { orderId: 'o-1', customerId: 'c-1', reason: 'asked', fullRefund: true } } as OrderReactionEvent).then(fullRefund);
    reactionSpec(onOrderEvent).given(nothingOnFile).when({ type: 'OrderCancelled', data: { orderId: 'o-1', customerId: 'c-1', reason: 'asked', fullRefund: false } } as OrderReactionEvent).thenNothing();
  });

  it('reverses only the one charge a cancelled order asks to reverse', () => {
    reactionSpec(onOrderEvent)
      .given(nothingOnFile)
      .when({ type: 'OrderPaymentReversalRequested', data: { orderId: 'o-1', customerId: 'c-1', transactionId: 'o-1-rerun-x', amount: 4999 } } as OrderReactionEvent)
      .then([{ type: 'RefundOrder', data: { orderId: 'o-1', mode: { full: true, transactionId: 'o-1-rerun-x' } } }]);
  });
});

describe('onCodAction: COD actions from fulfillment (paid, reattempt, pickup, declined)', () => {
  it('records the payment or the failed delivery on the order COD transaction', () => {
    reactionSpec(onCodAction).given(undefined).when({ type: 'CodMarkedPaid', data: { fulfillmentId: 'f-1', orderId: 'o-1', deliveryConfirmation: 'DC-9', date: '2026-03-04' } }).then([
      { type: 'RecordCodOutcome', data: { transactionId: 'o-1-cod', outcome: { kind: 'PAID', deliveryConfirmation: 'DC-9', date: '2026-03-04' } } },
    ]);
    reactionSpec(onCodAction).given(undefined).when({ type: 'CodMarkedUndelivered', data: { fulfillmentId: 'f-1', orderId: 'o-1', status: 'SCHEDULED_FOR_PICKUP' } }).then([
      { type: 'RecordCodOutcome', data: { transactionId: 'o-1-cod', outcome: { kind: 'UNDELIVERED', status: 'SCHEDULED_FOR_PICKUP' } } },
    ]);
  });
});

describe('onOrderEvent: an agent asks orders to resend the refund email (OrderEmailResendRequested)', () => {
  const resend = (kind: 'REFUND' | 'CONFIRMATION') => ({ type: 'OrderEmailResendRequested', data: { orderId: 'o-1', customerId: 'c-1', kind, at: NOW } }) as OrderReactionEvent;
  const later = (refundEvent: PaymentsEvent, at: string) => ({ ...refundEvent, data: { ...refundEvent.data, at } }) as PaymentsEvent;
  const refundedOnce = fold([approved(5000), event('RefundRequested', { refundId: 'r-1', amount: 1000, currency: 'USD', at: NOW }), event('RefundSucceeded', { refundId: 'r-1', amount: 1000, currency: 'USD', attempt: 1, gatewayTransactionId: 'gw-r-1', message: 'Refunded', refundedTotal: 1000, fullyRefunded: false, autoCancel: false, at: NOW })]);
  const secondCharge = fold([
    approved(3000, { purpose: 'UPSELL', orderItemId: 'oi-2' } as never),
    event('RefundRequested', { refundId: 'r-2', amount: 500, currency: 'USD', at: NOW }),
    later(event('RefundSucceeded', { refundId: 'r-2', amount: 500, currency: 'USD', attempt: 1, gatewayTransactionId: 'gw-r-2', message: 'Refunded', refundedTotal: 500, fullyRefunded: false, autoCancel: false, at: NOW }), '2026-03-05T10:00:00.000Z'),
  ].map((e) => ({ ...e, data: { ...e.data, transactionId: 't-2' } }) as PaymentsEvent));

  it("resends the email of the order's latest succeeded refund, whichever charge it was on", () => {
    reactionSpec(onOrderEvent).given({ cardOnFile: null, charges: [refundedOnce, secondCharge] }).when(resend('REFUND')).then([{ type: 'ResendRefundEmail', data: { transactionId: 't-2', refundId: 'r-2' } }]);
  });

  it('resends the email of a void (its void id)', () => {
    const voided = fold([approved(5000), event('ChargeVoided', { voidId: 'v-1', amount: 5000, currency: 'USD', gatewayTransactionId: 'gw-v', message: 'Voided', autoCancel: false, at: NOW })]);
    reactionSpec(onOrderEvent).given({ cardOnFile: null, charges: [voided] }).when(resend('REFUND')).then([{ type: 'ResendRefundEmail', data: { transactionId: 't-1', refundId: 'v-1' } }]);
  });

  it('refuses an order whose refunds have not succeeded (NO_REFUND naming kind): the event is dead-lettered with that reason', () => {
    const queued = fold([approved(5000), event('RefundRequested', { refundId: 'r-1', amount: 1000, currency: 'USD', at: NOW })]);
    expect(() => onOrderEvent({ ...resend('REFUND'), eventId: 'e-1' } as never, { cardOnFile: null, charges: [queued] })).toThrow(expect.objectContaining({ code: 'NO_REFUND', details: { field: 'kind' } }));
  });

  it("leaves the confirmation email to orders", () => {
    reactionSpec(onOrderEvent).given({ cardOnFile: null, charges: [refundedOnce] }).when(resend('CONFIRMATION')).thenNothing();
  });
});
