import fc from 'fast-check';
import {
  Actor,
  CampaignLimits,
  CampaignSnapshot,
  checkOrderTotalLimit,
  checkQuantityLimit,
  DomainError,
  OrderEvent,
  orderLimitsOf,
  OrderTotals,
  PaymentType,
  rebillOrderTotals,
} from '@continuum/contracts';
import { ItemRequest, OrderCommand, PlaceOrder } from './order.commands';
import { orderDecider } from './order.decider';
import { OrderState } from './order.state';

/**
 * Property-based tests of the order decider (money you can prove): any placement, then
 * any sequence of payment outcomes, QA, refunds, upsells, cancels and reruns. Whatever happens, the
 * totals stay whole and non-negative, add up (total = subtotal + shipping + sales tax - discount, the
 * lines make the subtotal and shipping), refunds never pass the total, and the order keeps to its
 * campaign's limits. A rebill order is priced exactly as `rebillOrderTotals` says, which is how
 * subscriptions checks a purchase change, so a purchase and its rebill order cannot disagree.
 *
 * The player plays payments as it behaves (a refund within what its transaction took, one outcome per
 * upsell charge): the order decider alone does not keep `refunded <= total` when an upsell is taken off
 * after refunds of the order's charge that the total no longer covers (found by this spec; see
 * docs/api-limits.md "Money invariants").
 */
const NOW = '2026-03-01T10:00:00.000Z';
const admin: Actor = { kind: 'admin', id: 'ops' };
const card = { token: 'tok_1', brand: 'VISA', last4: '1111', bin: '411111' };

const limitsArb: fc.Arbitrary<CampaignLimits | undefined> = fc.option(
  fc.record({ maxQuantity: fc.integer({ min: 1, max: 1000 }), maxOrderTotal: fc.integer({ min: 1, max: 100_000_000 }) }, { requiredKeys: [] }),
  { nil: undefined },
);

const campaignArb: fc.Arbitrary<CampaignSnapshot> = fc
  .record({
    prices: fc.array(fc.record({ price: fc.integer({ min: 0, max: 200_000 }), shippingPrice: fc.integer({ min: 0, max: 5_000 }) }), { minLength: 1, maxLength: 4 }),
    limits: limitsArb,
  })
  .map(({ prices, limits }) => ({
    campaignId: 'c-1',
    name: 'Campaign',
    currency: 'USD',
    qaRate: 0.2,
    skipQaForExternal: false,
    products: prices.map((p, i) => ({ productId: `p-${i}`, sku: `SKU-${i}`, name: `Product ${i}`, ...p, billingType: 'STRAIGHT' as const })),
    ...(limits ? { limits } : {}),
  }));

const lineArb = (products: number) =>
  fc.record(
    {
      product: fc.integer({ min: 0, max: products - 1 }),
      quantity: fc.oneof(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 1000 })),
      unitPrice: fc.oneof(fc.integer({ min: 0, max: 50_000 }), fc.integer({ min: 0, max: 100_000_000 })),
      shippingPrice: fc.integer({ min: 0, max: 10_000 }),
    },
    { requiredKeys: ['product', 'quantity'] },
  );

type Placement = { readonly campaign: CampaignSnapshot; readonly command: PlaceOrder };

const placementArb: fc.Arbitrary<Placement> = campaignArb.chain((campaign) =>
  fc
    .record({
      lines: fc.array(lineArb(campaign.products.length), { minLength: 1, maxLength: 4 }),
      paymentType: fc.constantFrom<PaymentType>('CARD', 'EXTERNAL', 'COD'),
      forceQa: fc.boolean(),
      qaRoll: fc.double({ min: 0, max: 0.999, noNaN: true }),
    })
    .map(({ lines, paymentType, forceQa, qaRoll }) => ({
      campaign,
      command: {
        type: 'PlaceOrder',
        data: {
          orderId: 'o-1',
          customerId: 'cu-1',
          campaign,
          items: lines.map(
            (line, i): ItemRequest => ({
              orderItemId: `oi-${i}`,
              productId: `p-${line.product}`,
              quantity: line.quantity,
              ...(line.unitPrice !== undefined ? { unitPrice: line.unitPrice } : {}),
              ...(line.shippingPrice !== undefined ? { shippingPrice: line.shippingPrice } : {}),
            }),
          ),
          paymentType,
          ...(paymentType === 'CARD' ? { card } : {}),
          forceQa,
          qaRoll,
          blacklistMatch: null,
        },
        metadata: { now: NOW, actor: admin },
      },
    })),
);

/** One thing that may happen to a placed order; ids and amounts are picked when it is played. */
type Step =
  | { readonly kind: 'approve' | 'softDecline' | 'hardDecline' | 'external' | 'codOpen' | 'codPaid' | 'codDeclined' | 'approveQa' | 'declineQa' | 'cancel' | 'rerun' | 'reassign' }
  | { readonly kind: 'refund'; readonly amount: number; readonly kindOf: 'REFUND' | 'VOID' }
  | { readonly kind: 'upsell'; readonly product: number; readonly quantity: number; readonly unitPrice?: number }
  | { readonly kind: 'upsellDeclined' | 'upsellApproved'; readonly pick: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.constantFrom<Step>(
    { kind: 'approve' },
    { kind: 'approve' },
    { kind: 'softDecline' },
    { kind: 'hardDecline' },
    { kind: 'external' },
    { kind: 'codOpen' },
    { kind: 'codPaid' },
    { kind: 'codDeclined' },
    { kind: 'approveQa' },
    { kind: 'declineQa' },
    { kind: 'cancel' },
    { kind: 'rerun' },
    { kind: 'reassign' },
  ),
  fc.record({ kind: fc.constant('refund' as const), amount: fc.oneof(fc.integer({ min: 1, max: 5_000 }), fc.integer({ min: 1, max: 2_000_000 })), kindOf: fc.constantFrom('REFUND' as const, 'VOID' as const) }),
  fc.record(
    { kind: fc.constant('upsell' as const), product: fc.integer({ min: 0, max: 3 }), quantity: fc.integer({ min: 1, max: 200 }), unitPrice: fc.integer({ min: 0, max: 500_000 }) },
    { requiredKeys: ['kind', 'product', 'quantity'] },
  ),
  fc.record({ kind: fc.constantFrom('upsellDeclined' as const, 'upsellApproved' as const), pick: fc.nat() }),
);

interface Played {
  /** every event accepted, with the state after it */
  readonly trace: readonly { readonly event: OrderEvent; readonly after: OrderState }[];
  /** codes of the refusals met on the way */
  readonly refusals: readonly string[];
}

/** Places the order and plays the steps; a refused command changes nothing (as the runner appends nothing). */
function play({ campaign, command }: Placement, steps: readonly Step[]): Played {
  let state = orderDecider.initialState();
  const trace: { event: OrderEvent; after: OrderState }[] = [];
  const refusals: string[] = [];
  let n = 0;
  // payments' side, as far as orders relies on it: the order's charge takes the placed total, a refund
  // never exceeds what its transaction took, and an upsell's charge has one outcome (approved or declined)
  let charged = 0;
  let refundedOfCharge = 0;
  const approvedUpsells = new Set<string>();
  const apply = (next: OrderCommand) => {
    try {
      for (const event of orderDecider.decide(next, state)) {
        state = orderDecider.evolve(state, event);
        trace.push({ event, after: state });
        if (event.type === 'OrderPlaced') charged = event.data.totals.total;
        if (event.type === 'OrderRefunded') refundedOfCharge += event.data.amount;
      }
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      refusals.push(error.code);
    }
  };
  const metadata = { now: NOW, actor: admin };
  const on = <T extends Exclude<OrderCommand['type'], 'PlaceOrder'>>(type: T, data: Omit<Extract<OrderCommand, { type: T }>['data'], 'orderId'>) =>
    apply({ type, data: { orderId: 'o-1', ...data }, metadata } as OrderCommand);
  apply(command);
  for (const step of steps) {
    if (state.status === 'ABSENT') break;
    const { order } = state;
    const tx = `t-${++n}`;
    switch (step.kind) {
      case 'approve':
        on('RecordPaymentApproved', { transactionId: tx, amount: order.totals.total, prepaid: n % 5 === 0 });
        break;
      case 'softDecline':
      case 'hardDecline':
        on('RecordPaymentDeclined', { transactionId: tx, response: step.kind === 'softDecline' ? 'SOFT_DECLINE' : 'HARD_DECLINE', message: 'declined' });
        break;
      case 'external':
        on('RecordExternalPayment', { transactionId: tx });
        break;
      case 'codOpen':
        on('RecordCodOpened', { transactionId: 'cod-1' });
        break;
      case 'codPaid':
        on('RecordCodPaid', { transactionId: 'cod-1' });
        break;
      case 'codDeclined':
        on('RecordCodDeclined', { transactionId: 'cod-1' });
        break;
      case 'approveQa':
        on('ApproveQa', {});
        break;
      case 'declineQa':
        on('DeclineQa', {});
        break;
      case 'cancel':
        on('CancelOrder', { reason: 'customer asked', fullRefund: n % 2 === 0 });
        break;
      case 'rerun':
        on('RerunOrder', {});
        break;
      case 'reassign':
        on('ReassignOrderCustomer', { customerId: `cu-${n}` });
        break;
      case 'refund': {
        const amount = Math.min(step.amount, charged - refundedOfCharge);
        if (amount > 0) on('RecordRefund', { refundId: `r-${n}`, transactionId: order.chargeTransactionId ?? 't-0', amount, kind: step.kindOf });
        break;
      }
      case 'upsell':
        on('AddUpsell', {
          orderItemId: `up-${n}`,
          productId: `p-${step.product % campaign.products.length}`,
          quantity: step.quantity,
          ...(step.unitPrice !== undefined ? { unitPrice: step.unitPrice } : {}),
          campaign,
        });
        break;
      case 'upsellDeclined':
      case 'upsellApproved': {
        const ids = order.upsellItemIds.filter((id) => !approvedUpsells.has(id));
        if (ids.length === 0) break;
        const orderItemId = ids[step.pick % ids.length]!;
        if (step.kind === 'upsellDeclined') on('RecordUpsellDeclined', { orderItemId, transactionId: tx });
        else {
          approvedUpsells.add(orderItemId);
          on('RecordUpsellApproved', { orderItemId, transactionId: tx, amount: 100 });
        }
        break;
      }
    }
  }
  return { trace, refusals };
}

const whole = (amount: number) => Number.isSafeInteger(amount) && amount >= 0;

function expectTotalsAddUp(totals: OrderTotals): void {
  for (const part of [totals.subtotal, totals.shipping, totals.salesTax, totals.discount, totals.total, totals.refunded]) expect(whole(part)).toBe(true);
  expect(totals.discount).toBeLessThanOrEqual(totals.subtotal + totals.shipping + totals.salesTax);
  expect(totals.total).toBe(totals.subtotal + totals.shipping + totals.salesTax - totals.discount);
  expect(totals.refunded).toBeLessThanOrEqual(totals.total);
}

const steps = fc.array(stepArb, { minLength: 0, maxLength: 40 });

describe('order decider properties (fast-check)', () => {
  it('the step player places orders, takes payments, upsells and refunds (so the properties test something)', () => {
    const campaign = fc.sample(campaignArb, { numRuns: 1, seed: 7 })[0]!;
    const command: PlaceOrder = {
      type: 'PlaceOrder',
      data: { orderId: 'o-1', customerId: 'cu-1', campaign: { ...campaign, limits: {} }, items: [{ orderItemId: 'oi-0', productId: 'p-0', quantity: 1, unitPrice: 1000 }], paymentType: 'CARD', card, forceQa: false, qaRoll: 0.5, blacklistMatch: null },
      metadata: { now: NOW, actor: admin },
    };
    const { trace } = play({ campaign: command.data.campaign, command }, [
      { kind: 'upsell', product: 0, quantity: 2, unitPrice: 500 },
      { kind: 'approve' },
      { kind: 'refund', amount: 300, kindOf: 'REFUND' },
      { kind: 'upsellDeclined', pick: 1 },
      { kind: 'cancel' },
    ]);
    expect(trace.map(({ event }) => event.type)).toEqual(['OrderPlaced', 'UpsellAdded', 'OrderCompleted', 'OrderRefunded', 'UpsellDeclined', 'OrderCancelled']);
  });

  it('for any placement and any sequence of commands the totals are whole, non-negative and add up; refunds never pass the total', () => {
    fc.assert(
      fc.property(placementArb, steps, (placement, s) => {
        for (const { event, after } of play(placement, s).trace) {
          if (after.status === 'ABSENT') throw new Error('an accepted event leaves an order');
          const { items, totals } = after.order;
          expectTotalsAddUp(totals);
          // the lines make the totals: each line is quantity x unit price, the subtotal and shipping are their sums
          for (const item of items) expect(item.price).toBe(item.quantity * item.unitPrice);
          expect(totals.subtotal).toBe(items.reduce((sum, item) => sum + item.price, 0));
          expect(totals.shipping).toBe(items.reduce((sum, item) => sum + item.shippingPrice, 0));
          if (event.type === 'UpsellAdded' || event.type === 'UpsellDeclined') {
            expectTotalsAddUp(event.data.newTotals);
            expect(event.data.amount).toBeGreaterThanOrEqual(0);
          }
          if (event.type === 'OrderRefunded') expect(event.data.refundedTotal).toBe(totals.refunded);
          if (event.type === 'OrderCancelled') expect(event.data.refundableAmount).toBe(totals.total - totals.refunded);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("an order keeps to its campaign's limits whatever is added to it: units a line and the order total", () => {
    fc.assert(
      fc.property(placementArb, steps, (placement, s) => {
        const limits = orderLimitsOf(placement.campaign);
        for (const { after } of play(placement, s).trace) {
          if (after.status === 'ABSENT') continue;
          expect(after.order.totals.total).toBeLessThanOrEqual(limits.maxOrderTotal);
          for (const item of after.order.items) expect(item.quantity).toBeLessThanOrEqual(limits.maxQuantity);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('a placement is refused by the limits exactly when its lines or total break them', () => {
    fc.assert(
      fc.property(placementArb, (placement) => {
        const { trace, refusals } = play(placement, []);
        const limits = orderLimitsOf(placement.campaign);
        const lines = placement.command.data.items;
        // priced by hand: quantity x (the line's unit price, else the catalog's) + (the line's shipping, else the catalog's, free for a $0 line)
        const total = lines.reduce((sum, line) => {
          const product = placement.campaign.products.find((p) => p.productId === line.productId)!;
          const shipping = line.shippingPrice ?? (line.unitPrice === 0 ? 0 : product.shippingPrice);
          return sum + line.quantity * (line.unitPrice ?? product.price) + shipping;
        }, 0);
        const { paymentType } = placement.command.data;
        if (lines.some((line) => line.quantity > limits.maxQuantity)) expect(refusals).toEqual(['QUANTITY_LIMIT']);
        else if (total > limits.maxOrderTotal) expect(refusals).toEqual(['ORDER_TOTAL_LIMIT']);
        else if (total === 0 && paymentType === 'CARD') expect(refusals).toEqual(['ZERO_CARD_TOTAL']);
        else {
          expect(refusals).toEqual([]);
          expect((trace[0]!.event as Extract<OrderEvent, { type: 'OrderPlaced' }>).data.totals.total).toBe(total);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("a rebill order is priced as rebillOrderTotals prices the purchase's terms, and refused by the limits exactly when those totals break them", () => {
    const terms = fc.record({
      quantity: fc.oneof(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 1000 })),
      unitPrice: fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 100_000_000 })),
      shippingPrice: fc.oneof(fc.integer({ min: 0, max: 1_000 }), fc.integer({ min: 0, max: 100_000_000 })),
      salesTax: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 100_000_000 })),
    });
    fc.assert(
      fc.property(campaignArb, terms, fc.constantFrom<PaymentType>('EXTERNAL', 'COD'), (campaign, t, paymentType) => {
        const rebill: PlaceOrder = {
          type: 'PlaceOrder',
          data: {
            orderId: 'o-r',
            customerId: 'cu-1',
            campaign,
            items: [{ orderItemId: 'oi-1', productId: 'p-0', quantity: t.quantity, unitPrice: t.unitPrice, shippingPrice: t.shippingPrice }],
            paymentType,
            forceQa: false,
            qaRoll: 0.5,
            blacklistMatch: null,
            rebill: { purchaseId: 'pu-1', billingCycle: 2, originalOrderId: 'o-1' },
            salesTax: t.salesTax,
          },
          // a force-bill by an agent: rebills are priced as the purchase agreed, whoever triggered them
          metadata: { now: NOW, actor: { kind: 'agent', id: 'alice' } },
        };
        // what subscriptions computes for the purchase (libs/contracts), and what it refuses
        const expected = rebillOrderTotals(t);
        const limits = orderLimitsOf(campaign);
        let purchaseRefusal: string | undefined;
        try {
          checkQuantityLimit(limits, t.quantity, 'quantity');
          checkOrderTotalLimit(limits, expected.total, 'unitPrice');
        } catch (error) {
          purchaseRefusal = (error as DomainError).code;
        }
        const { trace, refusals } = play({ campaign, command: rebill }, []);
        if (purchaseRefusal !== undefined) {
          expect(refusals).toEqual([purchaseRefusal]);
        } else {
          expect(refusals).toEqual([]);
          expect((trace[0]!.event as Extract<OrderEvent, { type: 'OrderPlaced' }>).data.totals).toEqual(expected);
        }
      }),
      { numRuns: 500 },
    );
  });
});
