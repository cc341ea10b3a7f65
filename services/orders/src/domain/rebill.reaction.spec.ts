import { CampaignSnapshot, DomainError, RebillRequested } from '@continuum/contracts';
import { reactionSpec } from '@continuum/testing';
import { OrderCommand } from './order.commands';
import { orderDecider } from './order.decider';
import { onRebillOrderKnown, onRebillRefused, onRebillRequested, rebillSeed, refusalOf } from './rebill.reaction';
import { rebillAnswerDecider } from './rebill-answer.decider';

const metadata = { now: '2026-03-01T10:00:00.000Z', actor: { kind: 'agent' as const, id: 'alice' } };
const campaign: CampaignSnapshot = {
  campaignId: 'c-1',
  name: 'Continuity',
  currency: 'USD',
  qaRate: 0,
  skipQaForExternal: false,
  products: [{ productId: 'p-sub', sku: 'SUB', name: 'Monthly', price: 499, shippingPrice: 0, billingType: 'RECURRING', trial: { price: 499, days: 14, type: 'STANDARD' }, rebillPrice: 5999, intervalDays: 30, finalBillCycle: 6 }],
};
const card = { token: 'tok_1', brand: 'VISA', last4: '1111', bin: '41111111', expMonth: 12, expYear: 2030 };
const address = { line1: '1 Main St', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' };
const placed: OrderCommand = {
  type: 'PlaceOrder',
  data: { orderId: 'o-1', customerId: 'cu-1', campaign, items: [{ orderItemId: 'oi-1', productId: 'p-sub', quantity: 1 }], paymentType: 'CARD', card, shippingAddress: address, forceQa: false, qaRoll: 0.5, blacklistMatch: null },
  metadata,
};
const original = orderDecider.decide(placed, orderDecider.initialState()).reduce(orderDecider.evolve, orderDecider.initialState());
const rebill: RebillRequested = {
  type: 'RebillRequested',
  data: { purchaseId: 'pu-1', customerId: 'cu-1', originalOrderId: 'o-1', campaignId: 'c-1', productId: 'p-sub', quantity: 2, unitPrice: 5999, shippingPrice: 495, billingCycle: 2 },
};

describe('onRebillRequested: a due purchase becomes one rebill order', () => {
  it('bills the purchase price and shipping on the card token and address of the original order, seeded by purchase and cycle', () => {
    reactionSpec(onRebillRequested).given(original).when(rebill).then([
      {
        seed: 'rebill:pu-1:2',
        campaignId: 'c-1',
        customerId: 'cu-1',
        items: [{ productId: 'p-sub', quantity: 2, unitPrice: 5999, shippingPrice: 495 }],
        paymentType: 'CARD',
        // an order keeps the card's token and display fields, not its expiry
        card: { token: 'tok_1', brand: 'VISA', last4: '1111', bin: '41111111' },
        shippingAddress: address,
        rebill: { purchaseId: 'pu-1', billingCycle: 2, originalOrderId: 'o-1' },
      },
    ]);
  });

  it('seeds a recycle retry of the cycle by its attempt, so it places an order of its own', () => {
    const retry: RebillRequested = { ...rebill, data: { ...rebill.data, attempt: 2, trigger: 'RECYCLE' } };
    expect(onRebillRequested({ ...retry, eventId: 'e-2' }, original).map((placement) => placement.seed)).toEqual(['rebill:pu-1:2:2']);
    const first: RebillRequested = { ...rebill, data: { ...rebill.data, attempt: 0 } };
    expect(onRebillRequested({ ...first, eventId: 'e-3' }, original).map((placement) => placement.seed)).toEqual(['rebill:pu-1:2']);
  });

  it("carries the purchase's merchant account, when it has one, for payments to charge on", () => {
    const withMerchant: RebillRequested = { ...rebill, data: { ...rebill.data, merchantId: 'mid-2' } };
    expect(onRebillRequested({ ...withMerchant, eventId: 'e-6' }, original)[0]!.rebill).toEqual({ purchaseId: 'pu-1', billingCycle: 2, originalOrderId: 'o-1', merchantId: 'mid-2' });
  });

  it("carries the purchase's sales tax, when it has one", () => {
    const taxed: RebillRequested = { ...rebill, data: { ...rebill.data, salesTax: 480 } };
    expect(onRebillRequested({ ...taxed, eventId: 'e-4' }, original)[0]).toMatchObject({ salesTax: 480 });
    expect(onRebillRequested({ ...rebill, eventId: 'e-5' }, original)[0]).not.toHaveProperty('salesTax');
  });

  it('places nothing when the original order is unknown', () => {
    reactionSpec(onRebillRequested).given(orderDecider.initialState()).when(rebill).thenNothing();
  });
});

describe('onRebillRefused: a rebill order orders will not place is answered, not dead-lettered', () => {
  const cause = { orderId: 'o-rebill', code: 'BLACKLISTED', message: 'This order matches blacklist rule EMAIL a@b.test' };
  const absent = rebillAnswerDecider.initialState();

  it('records the refusal of the request: purchase, cycle, attempt, the order id it would have had, code and reason', () => {
    const retry: RebillRequested = { ...rebill, data: { ...rebill.data, attempt: 2, trigger: 'RECYCLE' } };
    reactionSpec(onRebillRefused)
      .given({ cause: { ...cause, code: 'QUANTITY_LIMIT', message: 'At most 100 units', field: 'items.0.quantity' }, answers: absent })
      .when(retry)
      .then([
        {
          type: 'RefuseRebill',
          data: { purchaseId: 'pu-1', customerId: 'cu-1', originalOrderId: 'o-1', billingCycle: 2, attempt: 2, orderId: 'o-rebill', code: 'QUANTITY_LIMIT', reason: 'At most 100 units', field: 'items.0.quantity' },
        },
      ]);
  });

  it('counts a request without an attempt as the first (attempt 0) and names no field when the refusal names none', () => {
    const [work] = onRebillRefused({ ...rebill, eventId: 'e-7' }, { cause, answers: absent });
    expect(work!.data).toMatchObject({ attempt: 0, code: 'BLACKLISTED' });
    expect(work!.data).not.toHaveProperty('field');
  });

  it('asks for nothing when the request was refused already (a redelivery, or the purchase asking again)', () => {
    const refused = rebillAnswerDecider.evolve(absent, {
      type: 'RebillRefused',
      data: { purchaseId: 'pu-1', customerId: 'cu-1', originalOrderId: 'o-1', billingCycle: 2, attempt: 0, orderId: 'o-rebill', code: 'BLACKLISTED', reason: 'x', at: metadata.now },
    });
    reactionSpec(onRebillRefused).given({ cause, answers: refused }).when(rebill).thenNothing();
  });

  it('takes a rule or not-found DomainError as the answer, and leaves a conflict or any other failure to be retried', () => {
    expect(refusalOf(new DomainError('ORDER_TOTAL_LIMIT', 'too much', 'rule', { field: 'items', limit: 10 }))).toEqual({ code: 'ORDER_TOTAL_LIMIT', message: 'too much', field: 'items' });
    expect(refusalOf(new DomainError('CAMPAIGN_NOT_FOUND', 'gone', 'not-found'))).toEqual({ code: 'CAMPAIGN_NOT_FOUND', message: 'gone' });
    expect(refusalOf(new DomainError('BLACKLISTED', 'listed', 'rule', { rule: { type: 'EMAIL' } }))).toEqual({ code: 'BLACKLISTED', message: 'listed' });
    expect(refusalOf(new DomainError('ORDER_EXISTS', 'raced', 'conflict'))).toBeNull();
    expect(refusalOf(new Error('mongo is down'))).toBeNull();
  });

  it('derives the same seed (so the same order id) for the same request asked again, another for another attempt', () => {
    expect(rebillSeed({ purchaseId: 'pu-1', billingCycle: 3 })).toBe('rebill:pu-1:3');
    expect(rebillSeed({ purchaseId: 'pu-1', billingCycle: 3, attempt: 0 })).toBe('rebill:pu-1:3');
    expect(rebillSeed({ purchaseId: 'pu-1', billingCycle: 3, attempt: 1 })).toBe('rebill:pu-1:3:1');
  });
});

describe("onRebillOrderKnown: a request asked again whose order ended without payments' answer is told how", () => {
  const none = rebillAnswerDecider.initialState();
  const { card: _card, ...cardless } = placed.data;
  const external: OrderCommand = { ...placed, data: { ...cardless, orderId: 'o-r2', paymentType: 'EXTERNAL', rebill: { purchaseId: 'pu-1', billingCycle: 2, originalOrderId: 'o-1' } } };
  const placedExternal = orderDecider.decide(external, orderDecider.initialState()).reduce(orderDecider.evolve, orderDecider.initialState());
  const after = (...commands: Pick<OrderCommand, 'type' | 'data'>[]) =>
    commands.reduce((state, command) => orderDecider.decide({ ...command, metadata } as OrderCommand, state).reduce(orderDecider.evolve, state), placedExternal);
  const externalPaid = { type: 'RecordExternalPayment', data: { orderId: 'o-r2', transactionId: 'o-r2-ext' } } as Pick<OrderCommand, 'type' | 'data'>;
  const total = placedExternal.status === 'ABSENT' ? -1 : placedExternal.order.totals.total;
  const base = { purchaseId: 'pu-1', customerId: 'cu-1', billingCycle: 2, attempt: 0, orderId: 'o-r2', paymentType: 'EXTERNAL' as const, amount: total, currency: 'USD' };
  const declineQa = { type: 'DeclineQa', data: { orderId: 'o-r2' } } as Pick<OrderCommand, 'type' | 'data'>;

  it('QA declined it: DECLINED', () => {
    const declined = after(externalPaid, declineQa);
    expect(declined.status).toBe('DECLINED');
    reactionSpec(onRebillOrderKnown).given({ order: declined, answers: none }).when(rebill).then([{ type: 'ReportRebillOrder', data: { ...base, status: 'DECLINED', reason: 'Declined by QA' } }]);
  });

  it('QA approved it (an EXTERNAL payment): COMPLETE with its transaction', () => {
    const approved = after(externalPaid, { type: 'ApproveQa', data: { orderId: 'o-r2' } } as Pick<OrderCommand, 'type' | 'data'>);
    expect(approved.status).toBe('COMPLETE');
    reactionSpec(onRebillOrderKnown).given({ order: approved, answers: none }).when(rebill).then([{ type: 'ReportRebillOrder', data: { ...base, status: 'COMPLETE', transactionId: 'o-r2-ext' } }]);
  });

  it('an agent cancelled it: CANCELLED with the reason', () => {
    const cancelled = after(externalPaid, { type: 'CancelOrder', data: { orderId: 'o-r2', reason: 'wrong address', fullRefund: false } } as Pick<OrderCommand, 'type' | 'data'>);
    expect(cancelled.status).toBe('CANCELLED');
    reactionSpec(onRebillOrderKnown).given({ order: cancelled, answers: none }).when(rebill).then([{ type: 'ReportRebillOrder', data: { ...base, status: 'CANCELLED', reason: 'wrong address' } }]);
  });

  it('says nothing while the order is in progress, for a card order (payments announced it), or for an ending reported already', () => {
    expect(after(externalPaid).status).toBe('PENDING');
    reactionSpec(onRebillOrderKnown).given({ order: after(externalPaid), answers: none }).when(rebill).thenNothing();
    reactionSpec(onRebillOrderKnown).given({ order: original, answers: none }).when(rebill).thenNothing();
    reactionSpec(onRebillOrderKnown).given({ order: after(externalPaid, declineQa), answers: { refusal: null, reported: ['DECLINED'] } }).when(rebill).thenNothing();
  });
});
