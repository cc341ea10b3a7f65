import { CampaignSnapshot, OrderEvent } from '@continuum/contracts';
import { refusal, spec } from '@continuum/testing';
import { campaignDecider, CampaignCommand } from './campaign.decider';
import { OrderCommand, PlaceOrder } from './order.commands';
import { orderDecider } from './order.decider';
import { placeOrderData } from './place-order.workflow';

const metadata = { now: '2026-03-01T10:00:00.000Z', actor: { kind: 'agent' as const, id: 'alice' } };
const product = { productId: 'p-1', sku: 'BR-1', name: 'Bladder Relief 1 bottle', price: 3999, shippingPrice: 495, billingType: 'STRAIGHT' as const };
const methods = (codes: string[]) => codes.map((code) => ({ code }));
const campaign = (codes?: string[]): CampaignSnapshot => ({
  campaignId: 'c-1',
  name: 'Bladder Relief 911',
  currency: 'USD',
  qaRate: 0,
  skipQaForExternal: false,
  products: [product],
  ...(codes ? { shippingMethods: methods(codes) } : {}),
});
const place = (data: Partial<PlaceOrder['data']>): OrderCommand => ({
  type: 'PlaceOrder',
  data: {
    orderId: 'o-1',
    customerId: 'cu-1',
    campaign: campaign(),
    items: [{ orderItemId: 'oi-1', productId: 'p-1', quantity: 1 }],
    paymentType: 'CARD',
    card: { token: 'tok_1', brand: 'VISA', last4: '1111', bin: '41111111', expMonth: 12, expYear: 2030 },
    forceQa: false,
    qaRoll: 0.5,
    blacklistMatch: null,
    ...data,
  },
  metadata,
});
const placed = (data: Partial<PlaceOrder['data']>) => orderDecider.decide(place(data) as PlaceOrder, orderDecider.initialState()) as Array<Extract<OrderEvent, { type: 'OrderPlaced' }>>;
const methodOf = (data: Partial<PlaceOrder['data']>) => placed(data)[0]!.data.shippingMethod;

describe('the shipping method of an order', () => {
  it("is the one the order names, if the campaign offers it, else the campaign's first", () => {
    expect(methodOf({ campaign: campaign(['STANDARD', 'EXPRESS']), shippingMethod: 'EXPRESS' })).toBe('EXPRESS');
    expect(methodOf({ campaign: campaign(['EXPRESS', 'STANDARD']) })).toBe('EXPRESS');
  });

  it('a campaign that lists none ships STANDARD only: named, it is recorded; unnamed, the order carries none (fulfillment sends STANDARD)', () => {
    expect(methodOf({ shippingMethod: 'STANDARD' })).toBe('STANDARD');
    expect(placed({})[0]!.data).not.toHaveProperty('shippingMethod');
  });

  it("refuses a method the campaign does not offer, naming the field and the campaign's methods", () => {
    spec(orderDecider).given([]).when(place({ campaign: campaign(['STANDARD']), shippingMethod: 'NEXT_DAY' })).thenThrows('SHIPPING_METHOD_NOT_OFFERED', 'rule');
    spec(orderDecider).given([]).when(place({ shippingMethod: 'EXPRESS' })).thenThrows('SHIPPING_METHOD_NOT_OFFERED', 'rule');
    expect(refusal(() => orderDecider.decide(place({ shippingMethod: 'EXPRESS' }), orderDecider.initialState())).details).toEqual({ field: 'shippingMethod', offered: ['STANDARD'] });
  });

  it('goes from the request (POST /orders, the intake message) into the PlaceOrder command, and is absent when not asked', () => {
    const billingAddress = { line1: '1 Main St', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' };
    const placement = (shippingMethod?: string) => ({
      orderId: 'o-1',
      request: { campaignId: 'c-1', customerId: 'cu-1', items: [{ productId: 'p-1', quantity: 1 }], paymentType: 'EXTERNAL' as const, ...(shippingMethod ? { shippingMethod } : {}) },
      campaign: campaign(['STANDARD', 'EXPRESS']),
      customer: { customerId: 'cu-1', profile: { firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com', billingAddress } },
      blacklist: [],
      itemIds: ['oi-1'],
      qaRoll: 0.5,
    });
    expect(placeOrderData(placement('EXPRESS')).shippingMethod).toBe('EXPRESS');
    expect(placeOrderData(placement())).not.toHaveProperty('shippingMethod');
  });

  it('travels on with the order: OrderCompleted (what fulfillment ships from) carries it', () => {
    const history = placed({ campaign: campaign(['STANDARD', 'EXPRESS']), shippingMethod: 'EXPRESS' });
    const [completed] = spec(orderDecider)
      .given(history)
      .when({ type: 'RecordPaymentApproved', data: { orderId: 'o-1', transactionId: 't-1', amount: 4494, prepaid: false }, metadata })
      .then([expect.objectContaining({ type: 'OrderCompleted' }) as never]);
    expect((completed as Extract<OrderEvent, { type: 'OrderCompleted' }>).data.shippingMethod).toBe('EXPRESS');
  });
});

describe('the shipping methods of a campaign', () => {
  const create = (shippingMethods?: Array<{ code: string; name?: string }>): CampaignCommand => ({
    type: 'CreateCampaign',
    data: { campaignId: 'c-1', name: 'Bladder Relief 911', currency: 'USD', products: [product], ...(shippingMethods ? { shippingMethods } : {}) },
    metadata,
  });

  it('keeps the methods listed, in order, with their names; lists none when given none', () => {
    const listed = [{ code: 'EXPRESS', name: 'Express, 2 days' }, { code: 'STANDARD' }];
    spec(campaignDecider).given([]).when(create(listed)).then([{ type: 'CampaignCreated', data: { ...campaign(), shippingMethods: listed } }]);
    spec(campaignDecider).given([]).when(create()).then([{ type: 'CampaignCreated', data: campaign() }]);
  });

  it('refuses an empty list, a code listed twice or one that is not a code, naming shippingMethods', () => {
    for (const codes of [[], ['STANDARD', 'STANDARD'], ['next day']]) {
      const error = refusal(() => campaignDecider.decide(create(methods(codes)), campaignDecider.initialState()));
      expect([error.code, error.kind, error.details]).toEqual(['INVALID_SHIPPING_METHODS', 'rule', { field: 'shippingMethods' }]);
    }
  });
});
