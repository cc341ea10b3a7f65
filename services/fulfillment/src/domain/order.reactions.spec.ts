import { OrderCompleted, PaymentApproved } from '@continuum/contracts';
import { fold, reactionSpec, testOrderSnapshot } from '@continuum/testing';
import { austin, cancelled, codCreated, created, exported, shipped } from './fulfillment.fixtures';
import { fulfillmentDecider } from './fulfillment.decider';
import { Fulfillment } from './fulfillment.state';
import { FulfillmentWork, NO_ORDER_FACTS, customerAddress, evolveOrderFacts, evolveShipTo, houseCommand, onOrderEvent } from './index';

const fulfillment = (...events: Parameters<typeof fulfillmentDecider.evolve>[1][]) => fold(fulfillmentDecider, events) as Fulfillment;

/** The kit's paid card order, for customer c-1: two of one item shipped to Austin, charged by t-1. */
const snapshot = (extra: Partial<OrderCompleted['data']> = {}): OrderCompleted['data'] => ({
  ...testOrderSnapshot({
    customerId: 'c-1',
    items: [{ orderItemId: 'i-1', productId: 'p-1', sku: 'SKU-1', name: 'Serum', quantity: 2, unitPrice: 1000, price: 2000, shippingPrice: 500, billingType: 'STRAIGHT' }],
    totals: { subtotal: 2000, shipping: 500, salesTax: 0, discount: 0, total: 2500, refunded: 0 },
    shippingAddress: austin,
  }),
  transactionId: 't-1',
  ...extra,
});
const createWork = (extra: Record<string, unknown> = {}): FulfillmentWork => ({
  type: 'CreateFulfillment',
  data: {
    fulfillmentId: 'o-1-F1',
    orderId: 'o-1',
    customerId: 'c-1',
    reference: 'o-1-F1',
    items: [{ productId: 'p-1', sku: 'SKU-1', name: 'Serum', quantity: 2 }],
    shippingAddress: austin,
    shippingMethod: 'STANDARD',
    cod: null,
    reshipOf: null,
    campaignId: 'camp-1',
    ...extra,
  } as Extract<FulfillmentWork, { type: 'CreateFulfillment' }>['data'],
});
const cancelWork = (reason: string, fulfillmentId = 'o-1-F1'): FulfillmentWork => ({ type: 'CancelIfUnshipped', data: { fulfillmentId, reason } });
const react = reactionSpec(onOrderEvent);

describe('onOrderEvent: orders and payments events create and cancel fulfillments', () => {
  it('an order becoming COMPLETE creates its fulfillment in HOLD with its items, address and shipping method', () => {
    react.given([]).when({ type: 'OrderCompleted', data: snapshot() }).then([createWork()]);
    react.given([]).when({ type: 'OrderCompleted', data: snapshot({ shippingMethod: 'EXPRESS', shippingAddress: undefined }) }).then([
      createWork({ shippingMethod: 'EXPRESS', shippingAddress: null }),
    ]);
  });

  it('a COD order waiting for payment (COD_PENDING) gets a fulfillment that tells the house what to collect', () => {
    react.given([]).when({ type: 'OrderAwaitingCod', data: snapshot({ paymentType: 'COD' }) }).then([createWork({ cod: { amount: 2500, currency: 'USD' } })]);
  });

  it('an order approved out of QA gets its fulfillment', () => {
    react.given([]).when({ type: 'OrderApproved', data: snapshot() }).then([createWork()]);
  });

  it('an order that has its fulfillment gets no second one (COD paid completes the order later; approved + awaiting COD)', () => {
    react.given([fulfillment(codCreated(), exported())]).when({ type: 'OrderCompleted', data: snapshot({ paymentType: 'COD' }) }).thenNothing();
    react.given([fulfillment(created())]).when({ type: 'OrderAwaitingCod', data: snapshot({ paymentType: 'COD' }) }).thenNothing();
  });

  it('a rebill order (an order of its own) creates a new fulfillment', () => {
    const rebill = snapshot({ orderId: 'o-2', rebill: { purchaseId: 'pu-1', billingCycle: 2, originalOrderId: 'o-1' } });
    react.given([]).when({ type: 'OrderCompleted', data: rebill }).then([
      { type: 'CreateFulfillment', data: { ...(createWork().data as Extract<FulfillmentWork, { type: 'CreateFulfillment' }>['data']), fulfillmentId: 'o-2-F1', orderId: 'o-2', reference: 'o-2-F1' } },
    ]);
  });

  it('a cancelled order cancels every fulfillment that has not shipped, and leaves shipped ones alone', () => {
    const reshipHold = fold(fulfillmentDecider, [created({ fulfillmentId: 'o-1-F1-R1', reference: 'o-1-F1-R1', reshipOf: 'o-1-F1' })]) as Fulfillment;
    const cancelledOrder = { type: 'OrderCancelled' as const, data: { orderId: 'o-1', customerId: 'c-1', paymentType: 'CARD' as const, reason: 'fraud', fullRefund: true, previousStatus: 'COMPLETE' as const, refundableAmount: 2500 } };
    react.given([fulfillment(created(), exported()), reshipHold]).when(cancelledOrder).then([cancelWork('order cancelled: fraud'), cancelWork('order cancelled: fraud', 'o-1-F1-R1')]);
    react.given([fulfillment(created(), exported(), shipped())]).when(cancelledOrder).thenNothing();
    react.given([fulfillment(created(), cancelled())]).when(cancelledOrder).thenNothing();
  });

  const voided = (autoCancel: boolean) => ({
    type: 'ChargeVoided' as const,
    data: { transactionId: 't-1', orderId: 'o-1', customerId: 'c-1', voidId: 'v-1', amount: 2500, currency: 'USD', gatewayTransactionId: 'gw', message: 'Voided', autoCancel, at: '2026-03-01T10:00:00.000Z' },
  });

  it('a void or refund with auto-cancel cancels the unshipped fulfillment; without it nothing', () => {
    react.given([fulfillment(created())]).when(voided(true) as never).then([cancelWork('payment voided (auto-cancel)')]);
    react.given([fulfillment(created())]).when(voided(false) as never).thenNothing();
    const refunded = { type: 'RefundSucceeded' as const, data: { transactionId: 't-1', orderId: 'o-1', customerId: 'c-1', autoCancel: true } };
    react.given([fulfillment(created(), exported())]).when(refunded as never).then([cancelWork('payment refunded (auto-cancel)')]);
    react.given([fulfillment(created(), exported(), shipped())]).when(refunded as never).thenNothing();
  });
});

describe('order facts: QA and test cards on a live gateway', () => {
  it('an order sent to QA is in QA until approved', () => {
    const inQa = evolveOrderFacts(NO_ORDER_FACTS, { type: 'OrderSentToQa', data: { orderId: 'o-1', customerId: 'c-1', reasons: ['FORCED'], transactionId: 't-1' } });
    expect(inQa.inQa).toBe(true);
    expect(evolveOrderFacts(inQa, { type: 'OrderApproved', data: snapshot() }).inQa).toBe(false);
  });

  it('a payment with a test card on a live gateway marks the order; other payments do not', () => {
    const approved = (testCardOnLiveGateway?: boolean) => ({ type: 'PaymentApproved', data: { purpose: 'ORDER', ...(testCardOnLiveGateway === undefined ? {} : { testCardOnLiveGateway }) } }) as unknown as PaymentApproved;
    expect(evolveOrderFacts(NO_ORDER_FACTS, approved(true)).testCardOnLiveGateway).toBe(true);
    expect(evolveOrderFacts(NO_ORDER_FACTS, approved(false)).testCardOnLiveGateway).toBe(false);
    expect(evolveOrderFacts(NO_ORDER_FACTS, approved()).testCardOnLiveGateway).toBe(false);
  });
});

describe('ship-to facts from customer events', () => {
  const billing = { ...austin, line1: '5 Bill St' };
  const registered = evolveShipTo(null, { type: 'CustomerRegistered', data: { customerId: 'c-1', firstName: 'Ann', lastName: 'Lee', email: 'a@x.test', billingAddress: billing } });

  it("ships to the customer's shipping address, else the billing address; names follow updates", () => {
    expect(registered).toEqual({ name: 'Ann Lee', shippingAddress: null, billingAddress: billing });
    expect(customerAddress(registered)).toEqual(billing);
    const moved = evolveShipTo(registered, { type: 'CustomerUpdated', data: { customerId: 'c-1', changes: { lastName: 'Park', shippingAddress: austin } } });
    expect(moved).toEqual({ name: 'Ann Park', shippingAddress: austin, billingAddress: billing });
    expect(customerAddress(moved)).toEqual(austin);
    expect(customerAddress(null)).toBeNull();
  });
});

describe('houseCommand: what a house update asks for', () => {
  it('maps each update type to its command', () => {
    const at = '2026-03-02T10:00:00Z';
    expect(houseCommand({ reference: 'r', type: 'SHIPPED', trackingNumber: '1Z', carrier: 'UPS', at })).toEqual({ type: 'ShipFulfillment', data: { trackingNumber: '1Z', carrier: 'UPS', shippedAt: at } });
    expect(houseCommand({ reference: 'r', type: 'SHIPPED', trackingNumber: '1Z', at })).toEqual({ type: 'ShipFulfillment', data: { trackingNumber: '1Z', carrier: null, shippedAt: at } });
    expect(houseCommand({ reference: 'r', type: 'DELIVERED', at })).toEqual({ type: 'DeliverFulfillment', data: { deliveredAt: at } });
    expect(houseCommand({ reference: 'r', type: 'FAILED', reason: 'bad address', at })).toEqual({ type: 'ReportFailure', data: { reason: 'bad address', at } });
    expect(houseCommand({ reference: 'r', type: 'RETURNED', at })).toEqual({ type: 'ReturnFulfillment', data: { returnedAt: at, reason: null } });
  });
});
