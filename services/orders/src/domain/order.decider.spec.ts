import { CampaignSnapshot, OrderEvent, OrderItem, OrderSnapshot } from '@continuum/contracts';
import { refusal, spec } from '@continuum/testing';
import { OrderCommand, PlaceOrder } from './order.commands';
import { orderDecider } from './order.decider';
import { orderView } from './order.view';
import { GuardedOrderCommand, ORDER_TRANSITIONS, PlacedOrderStatus } from './order.transitions';

const agent = { kind: 'agent' as const, id: 'alice' };
const NOW = '2026-03-01T10:00:00.000Z';
const metadata = { now: NOW, actor: agent };
const address = { line1: '1 Main St', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' };

// Lets every role set a unit price, so the pricing rules are seen apart from who may use them (order-limits.spec.ts).
const campaign: CampaignSnapshot = {
  campaignId: 'c-1',
  name: 'Bladder Relief 911',
  currency: 'USD',
  qaRate: 0.1,
  skipQaForExternal: false,
  limits: { unitPriceRoles: ['agent', 'admin', 'service'] },
  products: [
    { productId: 'p-1', sku: 'BR-1', name: 'Bladder Relief 1 bottle', price: 3999, shippingPrice: 495, billingType: 'STRAIGHT' },
    {
      productId: 'p-2',
      sku: 'BR-SUB',
      name: 'Bladder Relief monthly',
      price: 499,
      shippingPrice: 0,
      billingType: 'RECURRING',
      trial: { price: 499, days: 14, type: 'STANDARD' },
      rebillPrice: 5999,
      intervalDays: 30,
      finalBillCycle: 6,
    },
  ],
};
const card = { token: 'tok_1', brand: 'VISA', last4: '1111', bin: '41111111', expMonth: 12, expYear: 2030 };

const place = (data: Partial<PlaceOrder['data']> = {}): OrderCommand => ({
  type: 'PlaceOrder',
  data: {
    orderId: 'o-1',
    customerId: 'cu-1',
    campaign,
    items: [{ orderItemId: 'oi-1', productId: 'p-1', quantity: 2 }],
    paymentType: 'CARD',
    card,
    shippingAddress: address,
    forceQa: false,
    qaRoll: 0.5,
    blacklistMatch: null,
    ...data,
  },
  metadata,
});
const cmd = <T extends Exclude<OrderCommand['type'], 'PlaceOrder'>>(type: T, data: Omit<Extract<OrderCommand, { type: T }>['data'], 'orderId'>) =>
  ({ type, data: { orderId: 'o-1', ...data }, metadata }) as OrderCommand;

const lineP1: OrderItem = {
  orderItemId: 'oi-1',
  productId: 'p-1',
  sku: 'BR-1',
  name: 'Bladder Relief 1 bottle',
  quantity: 2,
  unitPrice: 3999,
  price: 7998,
  shippingPrice: 495,
  billingType: 'STRAIGHT',
};
const totals = { subtotal: 7998, shipping: 495, salesTax: 0, discount: 0, total: 8493, refunded: 0 };
const snapshot: OrderSnapshot = {
  orderId: 'o-1',
  customerId: 'cu-1',
  campaignId: 'c-1',
  currency: 'USD',
  paymentType: 'CARD',
  items: [lineP1],
  totals,
  shippingAddress: address,
};
const placedCard: OrderEvent = {
  type: 'OrderPlaced',
  data: {
    ...snapshot,
    card: { token: 'tok_1', brand: 'VISA', last4: '1111', bin: '41111111' },
    qa: { required: false, reasons: [] },
    placedAt: NOW,
  },
};
/** The OrderPlaced the decider emits for `place(data)`, for building histories. */
const placedWith = (data: Partial<PlaceOrder['data']>) => orderDecider.decide(place(data) as PlaceOrder, orderDecider.initialState())[0];
const placedExternal = placedWith({ paymentType: 'EXTERNAL', card: undefined, items: [{ orderItemId: 'oi-1', productId: 'p-1', quantity: 1, unitPrice: 0 }] });
const placedCod = placedWith({ paymentType: 'COD', card: undefined });
const placedCodQa = placedWith({ paymentType: 'COD', card: undefined, forceQa: true });

const completed: OrderEvent = { type: 'OrderCompleted', data: { ...snapshot, transactionId: 't-1' } };
const sentToQa: OrderEvent = { type: 'OrderSentToQa', data: { orderId: 'o-1', customerId: 'cu-1', reasons: ['PREPAID'], transactionId: 't-1' } };
const softDecline: OrderEvent = {
  type: 'OrderDeclined',
  data: { orderId: 'o-1', customerId: 'cu-1', paymentType: 'CARD', source: 'PAYMENT', declineType: 'SOFT', transactionId: 't-1', message: 'Insufficient funds' },
};
const hardDecline: OrderEvent = { ...softDecline, data: { ...softDecline.data, declineType: 'HARD', message: 'Stolen card' } } as OrderEvent;
const cancelled: OrderEvent = {
  type: 'OrderCancelled',
  data: { orderId: 'o-1', customerId: 'cu-1', paymentType: 'CARD', reason: 'customer request', fullRefund: true, previousStatus: 'COMPLETE', transactionId: 't-1', refundableAmount: 8493 },
};
const refunded = (amount: number, refundedTotal: number, refundId = 'r-1'): OrderEvent => ({
  type: 'OrderRefunded',
  data: { orderId: 'o-1', customerId: 'cu-1', transactionId: 't-1', refundId, kind: 'REFUND', amount, refundedTotal, fullyRefunded: refundedTotal === 8493 },
});
const statusAfter = (events: OrderEvent[]) => orderView(spec(orderDecider).given(events).state)?.status;

describe('order decider', () => {
  describe('PlaceOrder', () => {
    it('prices a card order (line = quantity x unit price), keeps only the card summary and starts PROCESSING', () => {
      spec(orderDecider).given([]).when(place()).then([placedCard]);
      expect(statusAfter([placedCard])).toBe('PROCESSING');
    });

    it('lets an agent override the unit price; a line at 0 is a free replacement that ships free', () => {
      const [event] = spec(orderDecider)
        .given([])
        .when(place({ items: [{ orderItemId: 'oi-1', productId: 'p-1', quantity: 3, unitPrice: 2500 }, { orderItemId: 'oi-2', productId: 'p-1', quantity: 1, unitPrice: 0 }] }))
        .then([expect.objectContaining({ type: 'OrderPlaced' }) as any]);
      const data = (event as Extract<OrderEvent, { type: 'OrderPlaced' }>).data;
      expect(data.items.map((i) => [i.unitPrice, i.price, i.shippingPrice])).toEqual([
        [2500, 7500, 495],
        [0, 0, 0],
      ]);
      expect(data.totals).toEqual({ subtotal: 7500, shipping: 495, salesTax: 0, discount: 0, total: 7995, refunded: 0 });
    });

    it('copies the recurring terms of the product onto the line', () => {
      const event = placedWith({ items: [{ orderItemId: 'oi-1', productId: 'p-2', quantity: 1 }] }) as Extract<OrderEvent, { type: 'OrderPlaced' }>;
      expect(event.data.items[0]).toMatchObject({
        billingType: 'RECURRING',
        trial: { price: 499, days: 14, type: 'STANDARD' },
        rebillPrice: 5999,
        intervalDays: 30,
        finalBillCycle: 6,
        price: 499,
      });
    });

    it('carries rebill details and a purchase-specific shipping price', () => {
      const rebill = { purchaseId: 'pu-1', billingCycle: 2, originalOrderId: 'o-0' };
      const event = placedWith({
        rebill,
        clientOrderId: 'rebill-pu-1-2',
        items: [{ orderItemId: 'oi-1', productId: 'p-2', quantity: 1, unitPrice: 5999, shippingPrice: 295 }],
      }) as Extract<OrderEvent, { type: 'OrderPlaced' }>;
      expect(event.data).toMatchObject({ rebill, clientOrderId: 'rebill-pu-1-2', totals: { subtotal: 5999, shipping: 295, total: 6294 } });
    });

    it("adds a rebill's sales tax (the purchase's) to its totals; no other order takes one", () => {
      const rebill = { purchaseId: 'pu-1', billingCycle: 2, originalOrderId: 'o-0' };
      const items = [{ orderItemId: 'oi-1', productId: 'p-2', quantity: 1, unitPrice: 5999, shippingPrice: 295 }];
      const taxed = placedWith({ rebill, items, salesTax: 480 }) as Extract<OrderEvent, { type: 'OrderPlaced' }>;
      expect(taxed.data.totals).toMatchObject({ subtotal: 5999, shipping: 295, salesTax: 480, total: 6774 });
      const plain = placedWith({ items, salesTax: 480 }) as Extract<OrderEvent, { type: 'OrderPlaced' }>;
      expect(plain.data.totals).toMatchObject({ salesTax: 0, total: 6294 });
    });

    it('places a rebill on a card from an earlier order, whose expiry orders never kept', () => {
      const storedCard = { token: 'tok_1', brand: 'VISA', last4: '1111', bin: '41111111' };
      const event = placedWith({ card: storedCard }) as Extract<OrderEvent, { type: 'OrderPlaced' }>;
      expect(event.data.card).toEqual(storedCard);
    });

    it.each([
      [{ forceQa: true }, ['FORCED']],
      [{ qaRoll: 0.05 }, ['QA_RATE']],
      [{ qaRoll: 0.1 }, []],
      [{ paymentType: 'EXTERNAL' as const, card: undefined }, ['EXTERNAL']],
      [{ paymentType: 'EXTERNAL' as const, card: undefined, campaign: { ...campaign, skipQaForExternal: true } }, []],
      [{ paymentType: 'EXTERNAL' as const, card: undefined, forceQa: true, qaRoll: 0 }, ['FORCED', 'QA_RATE', 'EXTERNAL']],
    ])('decides QA up front: %p -> %p', (data, reasons) => {
      const event = placedWith(data as Partial<PlaceOrder['data']>) as Extract<OrderEvent, { type: 'OrderPlaced' }>;
      expect(event.data.qa).toEqual({ required: reasons.length > 0, reasons });
    });

    it('rejects a blacklisted order with the matching rule and records nothing', () => {
      const blacklistMatch = { entryId: 'bl-1', type: 'EMAIL' as const, value: 'fraud@example.com', reason: 'chargebacks' };
      const error = spec(orderDecider).given([]).when(place({ blacklistMatch })).thenThrows('BLACKLISTED', 'rule');
      expect(error.details).toEqual({ rule: blacklistMatch });
    });

    it('rejects a product the campaign does not offer', () => {
      const error = spec(orderDecider).given([]).when(place({ items: [{ orderItemId: 'oi-1', productId: 'nope', quantity: 1 }] })).thenThrows('UNKNOWN_PRODUCT', 'rule');
      expect(error.details).toEqual({ productId: 'nope' });
    });

    it('refuses to place the same order twice', () => {
      spec(orderDecider).given([placedCard]).when(place()).thenThrows('ORDER_EXISTS', 'conflict');
    });

    it('needs a card for CARD and refuses one for EXTERNAL or COD', () => {
      spec(orderDecider).given([]).when(place({ card: undefined })).thenThrows('CARD_REQUIRED', 'rule');
      spec(orderDecider).given([]).when(place({ paymentType: 'EXTERNAL' })).thenThrows('CARD_NOT_ALLOWED', 'rule');
      spec(orderDecider).given([]).when(place({ paymentType: 'COD' })).thenThrows('CARD_NOT_ALLOWED', 'rule');
      spec(orderDecider).given([]).when(place({ card: { ...card, last4: '11' } })).thenThrows('INVALID_CARD', 'rule');
    });

    it('refuses bad items and a QA roll outside [0, 1)', () => {
      spec(orderDecider).given([]).when(place({ items: [] })).thenThrows('ITEMS_REQUIRED');
      const twice = { orderItemId: 'oi-1', productId: 'p-1', quantity: 1 };
      spec(orderDecider).given([]).when(place({ items: [twice, twice] })).thenThrows('DUPLICATE_ORDER_ITEM');
      spec(orderDecider).given([]).when(place({ items: [{ ...twice, quantity: 0 }] })).thenThrows('INVALID_QUANTITY');
      spec(orderDecider).given([]).when(place({ items: [{ ...twice, unitPrice: 19.99 }] })).thenThrows('INVALID_AMOUNT');
      spec(orderDecider).given([]).when(place({ qaRoll: 1 })).thenThrows('INVALID_QA_ROLL');
    });
  });

  describe('PlaceOrder with a discount', () => {
    const placedDiscounted = (amount: number, actor = agent) =>
      spec(orderDecider)
        .given([])
        .when({ ...place({ discount: { amount, reason: 'damaged box last time' } }), metadata: { now: NOW, actor } } as OrderCommand);

    it('takes an agent\'s discount off the total and keeps its reason on OrderPlaced', () => {
      placedDiscounted(1000).then([
        { ...placedCard, data: { ...(placedCard.data as object), totals: { ...totals, discount: 1000, total: 7493 }, discountReason: 'damaged box last time' } } as OrderEvent,
      ]);
    });

    it('allows at most the subtotal plus shipping, and nobody but agents and admins', () => {
      // the whole order off is allowed on an EXTERNAL order; a CARD order must still charge something
      const free = placedWith({ paymentType: 'EXTERNAL', card: undefined, discount: { amount: 8493, reason: 'goodwill' } }) as Extract<OrderEvent, { type: 'OrderPlaced' }>;
      expect(free.data.totals).toMatchObject({ discount: 8493, total: 0 });
      expect(placedDiscounted(8494).thenThrows('DISCOUNT_EXCEEDS_TOTAL', 'rule').details).toMatchObject({ field: 'discount.amount', max: 8493 });
      placedDiscounted(8493).thenThrows('ZERO_CARD_TOTAL', 'rule');
      expect(placedDiscounted(100, { kind: 'service', id: 'lander' } as never).thenThrows('DISCOUNT_NOT_ALLOWED', 'rule').details).toMatchObject({ field: 'discount' });
      placedDiscounted(100, { kind: 'admin', id: 'root' } as never).then([expect.objectContaining({ type: 'OrderPlaced' }) as never]);
      expect(placedDiscounted(0).thenThrows('INVALID_AMOUNT', 'rule').details).toMatchObject({ field: 'discount.amount' });
    });

    it('keeps the discount when an upsell changes the lines', () => {
      const discounted = placedWith({ discount: { amount: 1000, reason: 'goodwill' } });
      const [added] = spec(orderDecider)
        .given([discounted])
        .when(cmd('AddUpsell', { orderItemId: 'oi-2', productId: 'p-2', quantity: 1, unitPrice: 299, campaign }))
        .then([expect.objectContaining({ type: 'UpsellAdded' }) as never]);
      expect((added as Extract<OrderEvent, { type: 'UpsellAdded' }>).data.newTotals).toEqual({ ...totals, subtotal: 8297, discount: 1000, total: 7792 });
    });
  });

  describe('PlaceOrder with custom fields', () => {
    it('keeps the custom fields on OrderPlaced and shows them, leaving out those given ""', () => {
      spec(orderDecider)
        .given([])
        .when(place({ customFields: { giftMessage: 'Happy birthday', channel: 'phone', empty: '' } }))
        .then([{ ...placedCard, data: { ...(placedCard.data as object), customFields: { giftMessage: 'Happy birthday', channel: 'phone' } } } as unknown as OrderEvent]);
      const placed = placedWith({ customFields: { giftMessage: 'Happy birthday' } });
      expect(orderView(spec(orderDecider).given([placed]).state)?.customFields).toEqual({ giftMessage: 'Happy birthday' });
    });

    it('refuses 21 fields or a 41-character name (INVALID_CUSTOM_FIELD, naming the field), placing nothing', () => {
      const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`f${i}`, 'x']));
      expect(spec(orderDecider).given([]).when(place({ customFields: many })).thenThrows('INVALID_CUSTOM_FIELD', 'rule').details).toMatchObject({ field: 'customFields' });
      const long = 'n'.repeat(41);
      expect(spec(orderDecider).given([]).when(place({ customFields: { [long]: 'x' } })).thenThrows('INVALID_CUSTOM_FIELD', 'rule').details).toMatchObject({ field: `customFields.${long}` });
    });
  });

  describe('PlaceOrder: which recurring lines subscribe', () => {
    const recurring = (subscribe?: boolean) => [{ orderItemId: 'oi-1', productId: 'p-2', quantity: 1, ...(subscribe !== undefined ? { subscribe } : {}) }];
    const subscribeOf = (data: Partial<PlaceOrder['data']>) => (placedWith(data) as Extract<OrderEvent, { type: 'OrderPlaced' }>).data.items.map((item) => item.subscribe);

    it('a CARD order subscribes unless told not to', () => {
      expect(subscribeOf({ items: recurring() })).toEqual([true]);
      expect(subscribeOf({ items: recurring(false) })).toEqual([false]);
      expect(subscribeOf({ items: [{ orderItemId: 'oi-1', productId: 'p-1', quantity: 1, subscribe: true }] })).toEqual([undefined]);
    });

    it('an EXTERNAL or COD order subscribes only when asked and the customer has a card on file', () => {
      for (const paymentType of ['EXTERNAL', 'COD'] as const) {
        expect(subscribeOf({ paymentType, card: undefined, items: recurring() })).toEqual([false]);
        expect(subscribeOf({ paymentType, card: undefined, items: recurring(true), cardOnFile: true })).toEqual([true]);
        const refused = refusal(() => orderDecider.decide(place({ paymentType, card: undefined, items: recurring(true), cardOnFile: false }) as PlaceOrder, orderDecider.initialState()));
        expect({ code: refused.code, kind: refused.kind, field: refused.details?.['field'] }).toEqual({ code: 'SUBSCRIPTION_NEEDS_CARD', kind: 'rule', field: 'items.0.subscribe' });
      }
    });

    it('a rebill order\'s line carries nothing: it bills a purchase', () => {
      expect(subscribeOf({ items: recurring(), rebill: { purchaseId: 'pu-1', billingCycle: 2, originalOrderId: 'o-0' } })).toEqual([undefined]);
    });
  });

  describe('card payment outcomes', () => {
    it('completes an approved order that needs no QA, with what fulfillment and subscriptions need', () => {
      spec(orderDecider).given([placedCard]).when(cmd('RecordPaymentApproved', { transactionId: 't-1', amount: 8493, prepaid: false })).then([completed]);
      expect(statusAfter([placedCard, completed])).toBe('COMPLETE');
    });

    it('holds an approved PREPAID card for QA, after any reason decided at placing', () => {
      spec(orderDecider).given([placedCard]).when(cmd('RecordPaymentApproved', { transactionId: 't-1', amount: 8493, prepaid: true })).then([sentToQa]);
      spec(orderDecider)
        .given([placedWith({ forceQa: true })])
        .when(cmd('RecordPaymentApproved', { transactionId: 't-1', amount: 8493, prepaid: true }))
        .then([{ type: 'OrderSentToQa', data: { orderId: 'o-1', customerId: 'cu-1', reasons: ['FORCED', 'PREPAID'], transactionId: 't-1' } }]);
      expect(statusAfter([placedCard, sentToQa])).toBe('PENDING');
    });

    it('ignores a redelivered approval', () => {
      spec(orderDecider).given([placedCard, completed]).when(cmd('RecordPaymentApproved', { transactionId: 't-1', amount: 8493, prepaid: false })).then([]);
      spec(orderDecider).given([placedCard, sentToQa]).when(cmd('RecordPaymentApproved', { transactionId: 't-1', amount: 8493, prepaid: true })).then([]);
    });

    it('accepts an approval only while the payment is awaited, and only for card orders', () => {
      spec(orderDecider).given([placedCard, completed]).when(cmd('RecordPaymentApproved', { transactionId: 't-2', amount: 1, prepaid: false })).thenThrows('ORDER_NOT_AWAITING_PAYMENT');
      spec(orderDecider).given([placedExternal]).when(cmd('RecordPaymentApproved', { transactionId: 't-2', amount: 0, prepaid: false })).thenThrows('PAYMENT_TYPE_MISMATCH');
    });

    it('declines the order on a soft or hard decline', () => {
      spec(orderDecider)
        .given([placedCard])
        .when(cmd('RecordPaymentDeclined', { transactionId: 't-1', response: 'SOFT_DECLINE', message: 'Insufficient funds' }))
        .then([softDecline]);
      spec(orderDecider).given([placedCard]).when(cmd('RecordPaymentDeclined', { transactionId: 't-1', response: 'HARD_DECLINE', message: 'Stolen card' })).then([hardDecline]);
      expect(statusAfter([placedCard, softDecline])).toBe('DECLINED');
    });

    it('asks payments to reverse a charge approved after the order was cancelled; the order stays CANCELLED', () => {
      const cancelledWhileProcessing: OrderEvent = {
        type: 'OrderCancelled',
        data: { orderId: 'o-1', customerId: 'cu-1', paymentType: 'CARD', reason: 'changed mind', fullRefund: false, previousStatus: 'PROCESSING', refundableAmount: 8493 },
      };
      const reversal: OrderEvent = { type: 'OrderPaymentReversalRequested', data: { orderId: 'o-1', customerId: 'cu-1', transactionId: 't-1', amount: 8493, currency: 'USD' } };
      const late = cmd('RecordPaymentApproved', { transactionId: 't-1', amount: 8493, prepaid: false });
      spec(orderDecider).given([placedCard, cancelledWhileProcessing]).when(late).then([reversal]);
      // with a full refund too: that refund ran before payments knew of this charge
      spec(orderDecider).given([placedCard, { ...cancelledWhileProcessing, data: { ...cancelledWhileProcessing.data, fullRefund: true } } as OrderEvent]).when(late).then([reversal]);
      expect(statusAfter([placedCard, cancelledWhileProcessing, reversal])).toBe('CANCELLED');
      // asked once per transaction, however often the approval is delivered
      spec(orderDecider).given([placedCard, cancelledWhileProcessing, reversal]).when(late).then([]);
      // a rerun approval of another transaction is reversed on its own
      spec(orderDecider)
        .given([placedCard, cancelledWhileProcessing, reversal])
        .when(cmd('RecordPaymentApproved', { transactionId: 't-2', amount: 8493, prepaid: false }))
        .then([{ type: 'OrderPaymentReversalRequested', data: { orderId: 'o-1', customerId: 'cu-1', transactionId: 't-2', amount: 8493, currency: 'USD' } }]);
    });

    it('asks for no reversal of the charge the order was paid with before it was cancelled', () => {
      spec(orderDecider).given([placedCard, completed, cancelled]).when(cmd('RecordPaymentApproved', { transactionId: 't-1', amount: 8493, prepaid: false })).then([]);
    });

    it('ignores a redelivered decline', () => {
      spec(orderDecider).given([placedCard, softDecline]).when(cmd('RecordPaymentDeclined', { transactionId: 't-1', response: 'SOFT_DECLINE', message: 'x' })).then([]);
    });
  });

  describe('external payments and QA', () => {
    const externalSentToQa: OrderEvent = { type: 'OrderSentToQa', data: { orderId: 'o-1', customerId: 'cu-1', reasons: ['EXTERNAL'], transactionId: 'ext-1' } };

    it('holds a $0 external order in PENDING, and approving it makes it COMPLETE', () => {
      expect((placedExternal as Extract<OrderEvent, { type: 'OrderPlaced' }>).data.totals.total).toBe(0);
      spec(orderDecider).given([placedExternal]).when(cmd('RecordExternalPayment', { transactionId: 'ext-1' })).then([externalSentToQa]);
      expect(statusAfter([placedExternal, externalSentToQa])).toBe('PENDING');
      const [approved] = spec(orderDecider)
        .given([placedExternal, externalSentToQa])
        .when(cmd('ApproveQa', {}))
        .then([expect.objectContaining({ type: 'OrderApproved', data: expect.objectContaining({ orderId: 'o-1', paymentType: 'EXTERNAL', transactionId: 'ext-1' }) }) as any]);
      expect(statusAfter([placedExternal, externalSentToQa, approved])).toBe('COMPLETE');
    });

    it('completes an external order at once when the campaign skips QA for external payments', () => {
      const placed = placedWith({ paymentType: 'EXTERNAL', card: undefined, campaign: { ...campaign, skipQaForExternal: true } });
      const [event] = spec(orderDecider).given([placed]).when(cmd('RecordExternalPayment', { transactionId: 'ext-1' })).then([expect.objectContaining({ type: 'OrderCompleted' }) as any]);
      expect(statusAfter([placed, event])).toBe('COMPLETE');
    });

    it('ignores a redelivered external payment and refuses one on a card order', () => {
      spec(orderDecider).given([placedExternal, externalSentToQa]).when(cmd('RecordExternalPayment', { transactionId: 'ext-1' })).then([]);
      spec(orderDecider).given([placedCard]).when(cmd('RecordExternalPayment', { transactionId: 'ext-1' })).thenThrows('PAYMENT_TYPE_MISMATCH');
    });

    it('declines in QA, naming the charge that must be voided or refunded', () => {
      spec(orderDecider)
        .given([placedCard, sentToQa])
        .when(cmd('DeclineQa', {}))
        .then([{ type: 'OrderDeclined', data: { orderId: 'o-1', customerId: 'cu-1', paymentType: 'CARD', source: 'QA', transactionId: 't-1' } }]);
    });

    it('approves or declines only an order held for QA', () => {
      spec(orderDecider).given([placedCard]).when(cmd('ApproveQa', {})).thenThrows('ORDER_NOT_IN_QA', 'rule');
      spec(orderDecider).given([placedCard, completed]).when(cmd('DeclineQa', {})).thenThrows('ORDER_NOT_IN_QA', 'rule');
    });
  });

  describe('COD', () => {
    const codSnapshot = { ...snapshot, paymentType: 'COD' as const };
    const awaiting: OrderEvent = { type: 'OrderAwaitingCod', data: { ...codSnapshot, transactionId: 'cod-1' } };

    it('waits in COD_PENDING once the COD transaction is open', () => {
      spec(orderDecider).given([placedCod]).when(cmd('RecordCodOpened', { transactionId: 'cod-1' })).then([awaiting]);
      expect(statusAfter([placedCod, awaiting])).toBe('COD_PENDING');
      spec(orderDecider).given([placedCod, awaiting]).when(cmd('RecordCodOpened', { transactionId: 'cod-1' })).then([]);
    });

    it('completes when COD is paid and declines when the customer refuses it', () => {
      const paid: OrderEvent = { type: 'OrderCompleted', data: { ...codSnapshot, transactionId: 'cod-1' } };
      spec(orderDecider).given([placedCod, awaiting]).when(cmd('RecordCodPaid', { transactionId: 'cod-1' })).then([paid]);
      expect(statusAfter([placedCod, awaiting, paid])).toBe('COMPLETE');
      spec(orderDecider).given([placedCod, awaiting, paid]).when(cmd('RecordCodPaid', { transactionId: 'cod-1' })).then([]);
      const refused: OrderEvent = {
        type: 'OrderDeclined',
        data: { orderId: 'o-1', customerId: 'cu-1', paymentType: 'COD', source: 'COD', declineType: 'HARD', transactionId: 'cod-1' },
      };
      spec(orderDecider).given([placedCod, awaiting]).when(cmd('RecordCodDeclined', { transactionId: 'cod-1' })).then([refused]);
      spec(orderDecider).given([placedCod, awaiting, refused]).when(cmd('RecordCodDeclined', { transactionId: 'cod-1' })).then([]);
    });

    it('takes COD outcomes only in COD_PENDING and for its own transaction', () => {
      spec(orderDecider).given([placedCod]).when(cmd('RecordCodPaid', { transactionId: 'cod-1' })).thenThrows('ORDER_NOT_COD_PENDING');
      spec(orderDecider).given([placedCod, awaiting]).when(cmd('RecordCodPaid', { transactionId: 'cod-2' })).thenThrows('TRANSACTION_MISMATCH');
      spec(orderDecider).given([placedCard]).when(cmd('RecordCodOpened', { transactionId: 'cod-1' })).thenThrows('PAYMENT_TYPE_MISMATCH');
    });

    it('holds a COD order that needs QA, and approval sends it to wait for payment on delivery', () => {
      const held: OrderEvent = { type: 'OrderSentToQa', data: { orderId: 'o-1', customerId: 'cu-1', reasons: ['FORCED'], transactionId: 'cod-1' } };
      spec(orderDecider).given([placedCodQa]).when(cmd('RecordCodOpened', { transactionId: 'cod-1' })).then([held]);
      const events = spec(orderDecider)
        .given([placedCodQa, held])
        .when(cmd('ApproveQa', {}))
        .then([
          { type: 'OrderApproved', data: { ...codSnapshot, transactionId: 'cod-1' } },
          { type: 'OrderAwaitingCod', data: { ...codSnapshot, transactionId: 'cod-1' } },
        ]);
      expect(statusAfter([placedCodQa, held, ...events])).toBe('COD_PENDING');
    });
  });

  describe('refunds and voids', () => {
    it('tracks a partial refund and marks the order REFUNDED', () => {
      spec(orderDecider)
        .given([placedCard, completed])
        .when(cmd('RecordRefund', { refundId: 'r-1', transactionId: 't-1', amount: 1000, kind: 'REFUND' }))
        .then([refunded(1000, 1000)]);
      const view = orderView(spec(orderDecider).given([placedCard, completed, refunded(1000, 1000)]).state);
      expect(view).toMatchObject({ status: 'REFUNDED', totals: { refunded: 1000, total: 8493 } });
    });

    it('adds up refunds until the total, never above it', () => {
      spec(orderDecider)
        .given([placedCard, completed, refunded(1000, 1000)])
        .when(cmd('RecordRefund', { refundId: 'r-2', transactionId: 't-1', amount: 7493, kind: 'REFUND' }))
        .then([refunded(7493, 8493, 'r-2')]);
      const error = spec(orderDecider)
        .given([placedCard, completed, refunded(1000, 1000)])
        .when(cmd('RecordRefund', { refundId: 'r-2', transactionId: 't-1', amount: 7494, kind: 'REFUND' }))
        .thenThrows('REFUND_EXCEEDS_TOTAL', 'rule');
      expect(error.details).toEqual({ remaining: 7493 });
    });

    it('ignores a redelivered refund or void', () => {
      spec(orderDecider).given([placedCard, completed, refunded(1000, 1000)]).when(cmd('RecordRefund', { refundId: 'r-1', transactionId: 't-1', amount: 1000, kind: 'REFUND' })).then([]);
      const voided: OrderEvent = {
        type: 'OrderRefunded',
        data: { orderId: 'o-1', customerId: 'cu-1', transactionId: 't-1', kind: 'VOID', amount: 8493, refundedTotal: 8493, fullyRefunded: true },
      };
      spec(orderDecider).given([placedCard, completed]).when(cmd('RecordRefund', { transactionId: 't-1', amount: 8493, kind: 'VOID' })).then([voided]);
      spec(orderDecider).given([placedCard, completed, voided]).when(cmd('RecordRefund', { transactionId: 't-1', amount: 8493, kind: 'VOID' })).then([]);
    });

    it('keeps an order held for QA PENDING while tracking the refunded amount (PENDING means held for QA, nothing else)', () => {
      spec(orderDecider)
        .given([placedCard, sentToQa])
        .when(cmd('RecordRefund', { refundId: 'r-1', transactionId: 't-1', amount: 1000, kind: 'REFUND' }))
        .then([refunded(1000, 1000)]);
      const history = [placedCard, sentToQa, refunded(1000, 1000)];
      expect(orderView(spec(orderDecider).given(history).state)).toMatchObject({ status: 'PENDING', qa: { required: true, reasons: ['PREPAID'] }, totals: { refunded: 1000, total: 8493 } });
      // still in QA: it can be approved or declined
      spec(orderDecider).given(history).when(cmd('ApproveQa', {})).then([expect.objectContaining({ type: 'OrderApproved' }) as any]);
      spec(orderDecider).given(history).when(cmd('DeclineQa', {})).then([expect.objectContaining({ type: 'OrderDeclined' }) as any]);
      const fully = [placedCard, sentToQa, refunded(8493, 8493)];
      expect(statusAfter(fully)).toBe('PENDING');
    });

    it('refuses to approve a fully refunded order held for QA: decline it instead', () => {
      const fully = [placedCard, sentToQa, refunded(1000, 1000), refunded(7493, 8493, 'r-2')];
      const error = spec(orderDecider).given(fully).when(cmd('ApproveQa', {})).thenThrows('ORDER_FULLY_REFUNDED', 'rule');
      expect(error.message).toContain('decline it instead');
      expect(error.details).toEqual({ refunded: 8493, total: 8493 });
      spec(orderDecider).given(fully).when(cmd('DeclineQa', {})).then([expect.objectContaining({ type: 'OrderDeclined', data: expect.objectContaining({ source: 'QA' }) }) as any]);
    });

    it('approving a partly refunded order completes QA and leaves it REFUNDED, not COMPLETE', () => {
      const history = [placedCard, sentToQa, refunded(1000, 1000)];
      const [approved] = spec(orderDecider)
        .given(history)
        .when(cmd('ApproveQa', {}))
        .then([{ type: 'OrderApproved', data: { ...snapshot, totals: { ...totals, refunded: 1000 }, transactionId: 't-1' } }]);
      expect(orderView(spec(orderDecider).given([...history, approved]).state)).toMatchObject({ status: 'REFUNDED', totals: { refunded: 1000, total: 8493 } });
      spec(orderDecider).given([...history, approved]).when(cmd('ApproveQa', {})).thenThrows('ORDER_NOT_IN_QA', 'rule');
    });

    it('keeps a cancelled order CANCELLED while tracking the refunded amount', () => {
      const view = orderView(spec(orderDecider).given([placedCard, completed, cancelled, refunded(8493, 8493)]).state);
      expect(view).toMatchObject({ status: 'CANCELLED', totals: { refunded: 8493 } });
    });

    it('refuses a refund before anything was paid, or of a non-positive amount', () => {
      spec(orderDecider).given([placedCard]).when(cmd('RecordRefund', { refundId: 'r-1', transactionId: 't-1', amount: 100, kind: 'REFUND' })).thenThrows('ORDER_NOT_REFUNDABLE');
      spec(orderDecider).given([placedCard, completed]).when(cmd('RecordRefund', { refundId: 'r-1', transactionId: 't-1', amount: 0, kind: 'REFUND' })).thenThrows('INVALID_AMOUNT');
    });
  });

  describe('CancelOrder', () => {
    it('cancels with a reason, telling payments what to refund and subscriptions what to cancel', () => {
      spec(orderDecider)
        .given([placedCard, completed])
        .when(cmd('CancelOrder', { reason: '  customer request ', fullRefund: true }))
        .then([cancelled]);
      spec(orderDecider)
        .given([placedCard])
        .when(cmd('CancelOrder', { reason: 'duplicate', fullRefund: false, cancelPurchases: 'AFTER_NEXT_BILL' }))
        .then([
          {
            type: 'OrderCancelled',
            data: { orderId: 'o-1', customerId: 'cu-1', paymentType: 'CARD', reason: 'duplicate', fullRefund: false, cancelPurchases: 'AFTER_NEXT_BILL', previousStatus: 'PROCESSING', refundableAmount: 8493 },
          },
        ]);
      expect(orderView(spec(orderDecider).given([placedCard, completed, cancelled]).state)).toMatchObject({ status: 'CANCELLED', cancelReason: 'customer request' });
    });

    it('requires a reason', () => {
      spec(orderDecider).given([placedCard, completed]).when(cmd('CancelOrder', { reason: '   ', fullRefund: false })).thenThrows('REASON_REQUIRED', 'rule');
    });

    it('refuses to cancel a cancelled or declined order', () => {
      spec(orderDecider).given([placedCard, completed, cancelled]).when(cmd('CancelOrder', { reason: 'again', fullRefund: false })).thenThrows('ORDER_ALREADY_CANCELLED', 'rule');
      spec(orderDecider).given([placedCard, softDecline]).when(cmd('CancelOrder', { reason: 'x', fullRefund: false })).thenThrows('ORDER_DECLINED', 'rule');
    });
  });

  describe('RerunOrder', () => {
    const rerun: OrderEvent = {
      type: 'OrderRerunRequested',
      data: { orderId: 'o-1', customerId: 'cu-1', currency: 'USD', card: { token: 'tok_1', brand: 'VISA', last4: '1111', bin: '41111111' }, merchantId: 'm-2', previousTransactionId: 't-1' },
    };

    it('reruns a soft-declined order, optionally on another merchant account, and it can then complete', () => {
      spec(orderDecider).given([placedCard, softDecline]).when(cmd('RerunOrder', { merchantId: 'm-2' })).then([rerun]);
      expect(statusAfter([placedCard, softDecline, rerun])).toBe('PROCESSING');
      spec(orderDecider)
        .given([placedCard, softDecline, rerun])
        .when(cmd('RecordPaymentApproved', { transactionId: 't-2', amount: 8493, prepaid: false }))
        .then([{ type: 'OrderCompleted', data: { ...snapshot, transactionId: 't-2' } }]);
    });

    it('refuses a hard decline: new payment details are needed', () => {
      spec(orderDecider).given([placedCard, hardDecline]).when(cmd('RerunOrder', {})).thenThrows('HARD_DECLINE_NEEDS_NEW_PAYMENT', 'rule');
    });

    it('refuses orders declined by QA or COD, and orders that are not declined', () => {
      const qaDeclined: OrderEvent = { type: 'OrderDeclined', data: { orderId: 'o-1', customerId: 'cu-1', paymentType: 'CARD', source: 'QA', transactionId: 't-1' } };
      spec(orderDecider).given([placedCard, sentToQa, qaDeclined]).when(cmd('RerunOrder', {})).thenThrows('ORDER_NOT_RERUNNABLE', 'rule');
      spec(orderDecider).given([placedCard, completed]).when(cmd('RerunOrder', {})).thenThrows('ORDER_NOT_DECLINED', 'rule');
    });
  });

  describe('AddUpsell', () => {
    const upsellItem: OrderItem = { ...lineP1, orderItemId: 'oi-2', productId: 'p-2', sku: 'BR-SUB', name: 'Bladder Relief monthly', quantity: 1, unitPrice: 299, price: 299, shippingPrice: 0, billingType: 'RECURRING', trial: { price: 499, days: 14, type: 'STANDARD' }, rebillPrice: 5999, intervalDays: 30, finalBillCycle: 6 };
    const upsell: OrderEvent = {
      type: 'UpsellAdded',
      data: {
        orderId: 'o-1',
        customerId: 'cu-1',
        currency: 'USD',
        paymentType: 'CARD',
        card: { token: 'tok_1', brand: 'VISA', last4: '1111', bin: '41111111' },
        orderItemId: 'oi-2',
        item: upsellItem,
        amount: 299,
        newTotals: { ...totals, subtotal: 8297, total: 8792 },
      },
    };
    const addUpsell = (data: Partial<Extract<OrderCommand, { type: 'AddUpsell' }>['data']> = {}) =>
      cmd('AddUpsell', { orderItemId: 'oi-2', productId: 'p-2', quantity: 1, unitPrice: 299, campaign, ...data });

    it('appends a priced item to a processing, pending or complete order', () => {
      for (const history of [[placedCard], [placedCard, sentToQa], [placedCard, completed]]) {
        spec(orderDecider).given(history).when(addUpsell()).then([upsell]);
      }
      const view = orderView(spec(orderDecider).given([placedCard, completed, upsell]).state);
      expect(view?.items.map((i) => i.orderItemId)).toEqual(['oi-1', 'oi-2']);
      expect(view?.totals.total).toBe(8792);
      expect(view?.status).toBe('COMPLETE');
    });

    it('refuses upsells on declined, cancelled or refunded orders', () => {
      spec(orderDecider).given([placedCard, softDecline]).when(addUpsell()).thenThrows('ORDER_NOT_UPSELLABLE', 'rule');
      spec(orderDecider).given([placedCard, completed, cancelled]).when(addUpsell()).thenThrows('ORDER_NOT_UPSELLABLE', 'rule');
      spec(orderDecider).given([placedCard, completed, refunded(100, 100)]).when(addUpsell()).thenThrows('ORDER_NOT_UPSELLABLE', 'rule');
    });

    it('refuses upsells on COD orders: the COD amount was fixed when the order was placed', () => {
      const codAwaiting: OrderEvent = { type: 'OrderAwaitingCod', data: { ...snapshot, paymentType: 'COD', transactionId: 'cod-1' } };
      for (const history of [[placedCod], [placedCod, codAwaiting], [placedCodQa]]) {
        spec(orderDecider).given(history).when(addUpsell()).thenThrows('UPSELL_NOT_AVAILABLE_FOR_COD', 'rule');
      }
    });

    describe('a declined upsell charge', () => {
      const declinedUpsell: OrderEvent = {
        type: 'UpsellDeclined',
        data: { orderId: 'o-1', customerId: 'cu-1', orderItemId: 'oi-2', transactionId: 'o-1-upsell-oi-2', amount: 299, newTotals: totals },
      };
      const recordDeclined = (orderItemId = 'oi-2') => cmd('RecordUpsellDeclined', { orderItemId, transactionId: `o-1-upsell-${orderItemId}` });

      it('takes the item and its amount off the order, whatever the order status', () => {
        for (const history of [[placedCard], [placedCard, sentToQa], [placedCard, completed]]) {
          spec(orderDecider).given([...history, upsell]).when(recordDeclined()).then([declinedUpsell]);
        }
        const view = orderView(spec(orderDecider).given([placedCard, completed, upsell, declinedUpsell]).state);
        expect(view?.items.map((i) => i.orderItemId)).toEqual(['oi-1']);
        expect(view?.totals).toEqual(totals);
        expect(view?.status).toBe('COMPLETE');
        expect(statusAfter([placedCard, upsell, declinedUpsell])).toBe('PROCESSING');
      });

      it('removes only that upsell and keeps the refunded amount', () => {
        const second: OrderEvent = {
          ...upsell,
          data: { ...(upsell as Extract<OrderEvent, { type: 'UpsellAdded' }>).data, orderItemId: 'oi-3', item: { ...upsellItem, orderItemId: 'oi-3' }, newTotals: { ...totals, subtotal: 8596, total: 9091 } },
        } as OrderEvent;
        const partRefund: OrderEvent = { ...refunded(1000, 1000) };
        spec(orderDecider)
          .given([placedCard, completed, upsell, second, partRefund])
          .when(recordDeclined('oi-2'))
          .then([
            {
              type: 'UpsellDeclined',
              data: { orderId: 'o-1', customerId: 'cu-1', orderItemId: 'oi-2', transactionId: 'o-1-upsell-oi-2', amount: 299, newTotals: { ...totals, subtotal: 8297, total: 8792, refunded: 1000 } },
            },
          ]);
      });

      it('changes nothing when delivered again, or for an upsell the order never took', () => {
        spec(orderDecider).given([placedCard, completed, upsell, declinedUpsell]).when(recordDeclined()).then([]);
        spec(orderDecider).given([placedCard, completed]).when(recordDeclined('oi-9')).then([]);
      });

      it('never removes an item the order was placed with', () => {
        const error = spec(orderDecider).given([placedCard, completed]).when(recordDeclined('oi-1')).thenThrows('NOT_AN_UPSELL_ITEM', 'rule');
        expect(error.details).toEqual({ orderItemId: 'oi-1' });
      });

      it('lets the same product be upsold again under a new item id after a decline', () => {
        spec(orderDecider)
          .given([placedCard, completed, upsell, declinedUpsell])
          .when(addUpsell({ orderItemId: 'oi-4' }))
          .then([expect.objectContaining({ type: 'UpsellAdded', data: expect.objectContaining({ orderItemId: 'oi-4', newTotals: { ...totals, subtotal: 8297, total: 8792 } }) }) as any]);
      });
    });

    describe('an approved upsell charge', () => {
      const recordApproved = (orderItemId = 'oi-2', transactionId = `o-1-upsell-${orderItemId}`) =>
        cmd('RecordUpsellApproved', { orderItemId, transactionId, amount: 299 });
      const reversal: OrderEvent = {
        type: 'OrderPaymentReversalRequested',
        data: { orderId: 'o-1', customerId: 'cu-1', transactionId: 'o-1-upsell-oi-2', amount: 299, currency: 'USD' },
      };
      const declinedUpsell: OrderEvent = {
        type: 'UpsellDeclined',
        data: { orderId: 'o-1', customerId: 'cu-1', orderItemId: 'oi-2', transactionId: 'o-1-upsell-oi-2', amount: 299, newTotals: totals },
      };

      it('records nothing while the order carries the item, and never moves the status', () => {
        for (const history of [[placedCard, upsell], [placedCard, sentToQa, upsell], [placedCard, completed, upsell], [placedCard, completed, upsell, refunded(100, 100)]]) {
          spec(orderDecider).given(history).when(recordApproved()).then([]);
        }
        // an item the order was placed with, or one it never took: nothing to record either
        spec(orderDecider).given([placedCard, completed]).when(recordApproved('oi-1')).then([]);
        spec(orderDecider).given([placedCard, completed]).when(recordApproved('oi-9')).then([]);
      });

      it('asks payments to reverse it when the order was cancelled; the order stays CANCELLED, asked once', () => {
        spec(orderDecider).given([placedCard, completed, upsell, cancelled]).when(recordApproved()).then([reversal]);
        // cancelled before the main charge was even approved
        const cancelledWhileProcessing: OrderEvent = {
          type: 'OrderCancelled',
          data: { orderId: 'o-1', customerId: 'cu-1', paymentType: 'CARD', reason: 'changed mind', fullRefund: false, previousStatus: 'PROCESSING', refundableAmount: 8792 },
        };
        spec(orderDecider).given([placedCard, upsell, cancelledWhileProcessing]).when(recordApproved()).then([reversal]);
        expect(statusAfter([placedCard, completed, upsell, cancelled, reversal])).toBe('CANCELLED');
        spec(orderDecider).given([placedCard, completed, upsell, cancelled, reversal]).when(recordApproved()).then([]);
      });

      it('asks payments to reverse it when the item was taken off after a decline; the status stays, asked once', () => {
        spec(orderDecider).given([placedCard, completed, upsell, declinedUpsell]).when(recordApproved()).then([reversal]);
        expect(statusAfter([placedCard, completed, upsell, declinedUpsell, reversal])).toBe('COMPLETE');
        spec(orderDecider).given([placedCard, completed, upsell, declinedUpsell, reversal]).when(recordApproved()).then([]);
        // upsold again under the same item id: the order carries it again, so its charge buys it
        spec(orderDecider).given([placedCard, completed, upsell, declinedUpsell, upsell]).when(recordApproved()).then([]);
      });
    });

    it('takes only products of the order campaign, under a new item id', () => {
      spec(orderDecider).given([placedCard]).when(addUpsell({ productId: 'nope' })).thenThrows('UNKNOWN_PRODUCT', 'rule');
      spec(orderDecider).given([placedCard]).when(addUpsell({ campaign: { ...campaign, campaignId: 'c-2' } })).thenThrows('CAMPAIGN_MISMATCH', 'rule');
      spec(orderDecider).given([placedCard]).when(addUpsell({ orderItemId: 'oi-1' })).thenThrows('DUPLICATE_ORDER_ITEM', 'conflict');
    });
  });

  describe('ReassignOrderCustomer', () => {
    it('moves the order to the surviving customer; later events carry the new customer', () => {
      const reassigned: OrderEvent = { type: 'OrderCustomerReassigned', data: { orderId: 'o-1', fromCustomerId: 'cu-1', customerId: 'cu-9' } };
      spec(orderDecider).given([placedCard, completed]).when(cmd('ReassignOrderCustomer', { customerId: 'cu-9' })).then([reassigned]);
      spec(orderDecider).given([placedCard, completed, reassigned]).when(cmd('ReassignOrderCustomer', { customerId: 'cu-9' })).then([]);
      spec(orderDecider)
        .given([placedCard, completed, reassigned])
        .when(cmd('CancelOrder', { reason: 'merged duplicate', fullRefund: false }))
        .then([expect.objectContaining({ data: expect.objectContaining({ customerId: 'cu-9' }) }) as any]);
    });
  });

  it('answers not-found for every command on an order that does not exist', () => {
    const commands: OrderCommand[] = [
      cmd('RecordPaymentApproved', { transactionId: 't-1', amount: 1, prepaid: false }),
      cmd('RecordExternalPayment', { transactionId: 't-1' }),
      cmd('RecordPaymentDeclined', { transactionId: 't-1', response: 'SOFT_DECLINE', message: 'x' }),
      cmd('RecordUpsellApproved', { orderItemId: 'oi-2', transactionId: 't-1', amount: 1 }),
      cmd('RecordUpsellDeclined', { orderItemId: 'oi-2', transactionId: 't-1' }),
      cmd('RecordCodOpened', { transactionId: 't-1' }),
      cmd('RecordCodPaid', { transactionId: 't-1' }),
      cmd('RecordCodDeclined', { transactionId: 't-1' }),
      cmd('RecordRefund', { transactionId: 't-1', amount: 1, kind: 'REFUND' }),
      cmd('ApproveQa', {}),
      cmd('DeclineQa', {}),
      cmd('CancelOrder', { reason: 'x', fullRefund: false }),
      cmd('RerunOrder', {}),
      cmd('AddUpsell', { orderItemId: 'oi-2', productId: 'p-1', quantity: 1, campaign }),
      cmd('ReassignOrderCustomer', { customerId: 'cu-2' }),
    ];
    for (const command of commands) spec(orderDecider).given([]).when(command).thenThrows('ORDER_NOT_FOUND', 'not-found');
  });

  describe('orderView', () => {
    it('shows an order as GET /orders/:id does', () => {
      expect(orderView(spec(orderDecider).given([placedCard]).state)).toEqual({
        orderId: 'o-1',
        customerId: 'cu-1',
        campaignId: 'c-1',
        status: 'PROCESSING',
        paymentType: 'CARD',
        currency: 'USD',
        items: [{ orderItemId: 'oi-1', productId: 'p-1', sku: 'BR-1', name: 'Bladder Relief 1 bottle', quantity: 2, unitPrice: 3999, price: 7998, shippingPrice: 495, billingType: 'STRAIGHT' }],
        totals,
        qa: { required: false, reasons: [] },
        card: { brand: 'VISA', last4: '1111' },
        customFields: {},
        createdAt: NOW,
      });
    });

    it('shows why an order is held or declined', () => {
      expect(orderView(spec(orderDecider).given([placedCard, sentToQa]).state)?.qa).toEqual({ required: true, reasons: ['PREPAID'] });
      expect(orderView(spec(orderDecider).given([placedCard, hardDecline]).state)?.decline).toEqual({ source: 'PAYMENT', declineType: 'HARD' });
    });

    it('is null for an order never placed', () => {
      expect(orderView(orderDecider.initialState())).toBeNull();
    });
  });
});

describe('order decider reads the lifecycle table (ORDER_TRANSITIONS)', () => {
  const codOpened = orderDecider.decide({ type: 'RecordCodOpened', data: { orderId: 'o-1', transactionId: 'cod-1' }, metadata }, spec(orderDecider).given([placedCod]).state);
  /** A history that leaves the order in each status. */
  const HISTORIES: Record<PlacedOrderStatus, OrderEvent[]> = {
    PROCESSING: [placedCard],
    PENDING: [placedCard, sentToQa],
    COMPLETE: [placedCard, completed],
    REFUNDED: [placedCard, completed, refunded(100, 100)],
    DECLINED: [placedCard, softDecline],
    CANCELLED: [placedCard, completed, cancelled],
    COD_PENDING: [placedCod, ...codOpened],
  };
  /** Each guarded command with data that reaches the status check (a transaction, item or refund not seen before). */
  const COMMANDS: Record<GuardedOrderCommand, OrderCommand> = {
    RecordPaymentApproved: cmd('RecordPaymentApproved', { transactionId: 't-9', amount: 1, prepaid: false }),
    RecordExternalPayment: cmd('RecordExternalPayment', { transactionId: 't-9' }),
    RecordPaymentDeclined: cmd('RecordPaymentDeclined', { transactionId: 't-9', response: 'SOFT_DECLINE', message: 'no' }),
    RecordCodOpened: cmd('RecordCodOpened', { transactionId: 'cod-9' }),
    RecordCodPaid: cmd('RecordCodPaid', { transactionId: 'cod-9' }),
    RecordCodDeclined: cmd('RecordCodDeclined', { transactionId: 'cod-9' }),
    RecordRefund: cmd('RecordRefund', { refundId: 'r-9', transactionId: 't-1', amount: 1, kind: 'REFUND' }),
    ApproveQa: cmd('ApproveQa', {}),
    DeclineQa: cmd('DeclineQa', {}),
    CancelOrder: cmd('CancelOrder', { reason: 'changed mind', fullRefund: false }),
    RerunOrder: cmd('RerunOrder', {}),
    AddUpsell: cmd('AddUpsell', { orderItemId: 'oi-9', productId: 'p-1', quantity: 1, campaign }),
  };
  /** Statuses where a check before the status one answers first, as the rules say. */
  const DECIDED_BEFORE: Partial<Record<GuardedOrderCommand, PlacedOrderStatus[]>> = {
    RecordPaymentApproved: ['CANCELLED'], // a charge approved after the cancel is asked back
    AddUpsell: ['COD_PENDING'], // a COD order takes no upsell, whatever its status
  };
  const codeOf = (command: OrderCommand, status: PlacedOrderStatus): string | null => {
    try {
      orderDecider.decide(command, spec(orderDecider).given(HISTORIES[status]).state);
      return null;
    } catch (error) {
      return (error as { code?: string }).code ?? String(error);
    }
  };

  it('given each history, when folded, then the order is in the status it stands for', () => {
    for (const [status, events] of Object.entries(HISTORIES)) expect([status, statusAfter(events)]).toEqual([status, status]);
  });

  const guarded = Object.keys(COMMANDS) as GuardedOrderCommand[];
  it.each(guarded)('given a status the table does not list for %s, when it is decided, then the row\'s code refuses it', (type) => {
    const row = ORDER_TRANSITIONS[type];
    const refused = (Object.keys(HISTORIES) as PlacedOrderStatus[]).filter((status) => !row.from.includes(status) && !DECIDED_BEFORE[type]?.includes(status));
    expect(refused.map((status) => [status, codeOf(COMMANDS[type], status)])).toEqual(refused.map((status) => [status, row.refusals?.[status]?.code ?? row.code]));
  });

  it.each(guarded)('given a status the table lists for %s, when it is decided, then the status check lets it through', (type) => {
    const row = ORDER_TRANSITIONS[type];
    const codes = new Set([row.code, ...Object.values(row.refusals ?? {}).map((refusal) => refusal?.code)]);
    for (const status of row.from) expect([status, codes.has(codeOf(COMMANDS[type], status) ?? '')]).toEqual([status, false]);
  });

  it('given a refused status, when decided, then the refusal names it', () => {
    const error = spec(orderDecider).given(HISTORIES.COMPLETE).when(COMMANDS.ApproveQa).thenThrows('ORDER_NOT_IN_QA', 'rule');
    expect(error.details).toEqual({ status: 'COMPLETE' });
    expect(error.message).toContain('(status COMPLETE)');
  });
});
