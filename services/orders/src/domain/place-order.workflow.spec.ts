import { CampaignSnapshot } from '@continuum/contracts';
import { refusal } from '@continuum/testing';
import { CustomerState } from './customer.decider';
import { orderDecider } from './order.decider';
import { cardOnFileAsked, customerAsked, existingOrderCustomer, hasCardOnFile, newOrderCustomer, OrderPlacement, placeOrderData, replayOfPlacedOrder, survivorOf } from './place-order.workflow';

const billing = { line1: '1 Main St', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' };
const shipping = { line1: '9 Ship Rd', city: 'Dallas', state: 'TX', postalCode: '75201', country: 'US' };
const given = { line1: '5 Gift Ave', city: 'Houston', state: 'TX', postalCode: '77001', country: 'US' };
const ann = { firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com', phone: '+1 512 555 0100', billingAddress: billing };
const campaign: CampaignSnapshot = {
  campaignId: 'c-1',
  name: 'Campaign',
  currency: 'USD',
  qaRate: 0,
  skipQaForExternal: false,
  limits: {},
  products: [{ productId: 'p-1', sku: 'P1', name: 'One bottle', price: 3999, shippingPrice: 495, billingType: 'STRAIGHT' }],
};
const metadata = { now: '2026-03-01T10:00:00.000Z', actor: { kind: 'agent' as const, id: 'alice' } };
const card = { token: 'tok_1', brand: 'VISA', last4: '1111', bin: '41111111' };
const active = (customerId: string, profile = ann): CustomerState => ({ status: 'ACTIVE', customer: { ...profile, customerId, notes: [], mergedFrom: [] } });

const placement = (overrides: Partial<OrderPlacement> = {}): OrderPlacement => ({
  orderId: 'o-1',
  request: { campaignId: 'c-1', customer: ann, items: [{ productId: 'p-1', quantity: 1 }], paymentType: 'CARD', card },
  campaign,
  customer: { customerId: 'cu-1', register: ann, profile: ann },
  blacklist: [],
  itemIds: ['oi-1'],
  qaRoll: 0.5,
  ...overrides,
});

describe('place order workflow', () => {
  describe('replay of a retried create', () => {
    it('given no order under the derived id, when looked up, then placing goes on', () => {
      expect(replayOfPlacedOrder('o-1', orderDecider.initialState())).toBeNull();
    });

    it('given the order exists, when looked up, then it is answered as it is, replayed', () => {
      const [orderPlaced] = orderDecider.decide({ type: 'PlaceOrder', data: placeOrderData(placement()), metadata }, orderDecider.initialState());
      const placed = orderDecider.evolve(orderDecider.initialState(), orderPlaced);
      expect(replayOfPlacedOrder('o-1', placed)).toEqual({ orderId: 'o-1', customerId: 'cu-1', status: 'PROCESSING', replayed: true });
    });
  });

  describe('whose order it is', () => {
    it('given neither customerId nor customer, when asked, then CUSTOMER_REQUIRED names the field', () => {
      const error = refusal(() => customerAsked({}));
      expect([error.code, error.kind, error.details]).toEqual(['CUSTOMER_REQUIRED', 'rule', { field: 'customer' }]);
    });

    it('given a customer id, when asked, then that id is looked up; given details, then they are', () => {
      expect(customerAsked({ customerId: 'cu-9' })).toEqual({ customerId: 'cu-9' });
      expect(customerAsked({ customer: ann })).toEqual({ input: ann });
    });

    it('given a merged customer, when resolved, then the order goes to the survivor', () => {
      expect(survivorOf({ status: 'MERGED', customer: { ...ann, customerId: 'cu-1', notes: [], mergedFrom: [] }, intoCustomerId: 'cu-2' })).toBe('cu-2');
      expect(survivorOf(active('cu-1'))).toBeNull();
      expect(existingOrderCustomer('cu-1', active('cu-2'))).toEqual({ customerId: 'cu-2', profile: expect.objectContaining({ email: ann.email }) });
    });

    it('given a customer id that was never registered, when resolved, then CUSTOMER_NOT_FOUND (404)', () => {
      const error = refusal(() => existingOrderCustomer('cu-x', { status: 'ABSENT' }));
      expect([error.code, error.kind]).toEqual(['CUSTOMER_NOT_FOUND', 'not-found']);
    });

    it('given new details matching a customer by email and name, when resolved, then the order attaches to it and registers nobody', () => {
      const resolved = newOrderCustomer(ann, [{ customerId: 'cu-old', firstName: 'ANN', lastName: 'Other', email: 'Ann@Example.com' }], false, 'cu-new');
      expect(resolved).toEqual({ customerId: 'cu-old', profile: ann });
    });

    it('given the same match but dedup turned off, when resolved, then a new customer is registered under the new id', () => {
      const resolved = newOrderCustomer(ann, [{ customerId: 'cu-old', firstName: 'Ann', lastName: 'Lee', email: ann.email }], true, 'cu-new');
      expect(resolved).toEqual({ customerId: 'cu-new', register: ann, profile: ann });
    });
  });

  describe('the PlaceOrder command', () => {
    it('given no shipping address anywhere, when built, then the order ships to the billing address', () => {
      expect(placeOrderData(placement()).shippingAddress).toEqual(billing);
    });

    it("given the customer's shipping address, when built, then it wins over billing; the request's wins over both", () => {
      const customer = { customerId: 'cu-1', profile: { ...ann, shippingAddress: shipping } };
      expect(placeOrderData(placement({ customer })).shippingAddress).toEqual(shipping);
      expect(placeOrderData(placement({ customer, request: { ...placement().request, shippingAddress: given } })).shippingAddress).toEqual(given);
    });

    it('given the item ids drawn, when built, then each requested item carries its own, in order', () => {
      const request = { ...placement().request, items: [{ productId: 'p-1', quantity: 1 }, { productId: 'p-1', quantity: 2 }] };
      expect(placeOrderData(placement({ request, itemIds: ['oi-a', 'oi-b'] })).items.map((item) => [item.orderItemId, item.quantity])).toEqual([['oi-a', 1], ['oi-b', 2]]);
    });

    it("given an active entry for the card's BIN, when built, then the match is carried for the decider to refuse", () => {
      const blacklist = [{ entryId: 'b-1', type: 'CARD_BIN' as const, value: '411111', codOnly: false, reason: 'chargebacks' }];
      const data = placeOrderData(placement({ blacklist }));
      expect(data.blacklistMatch).toEqual({ entryId: 'b-1', type: 'CARD_BIN', value: '411111', reason: 'chargebacks' });
      expect(refusal(() => orderDecider.decide({ type: 'PlaceOrder', data, metadata }, orderDecider.initialState())).code).toBe('BLACKLISTED');
    });

    it('given a COD-only entry, when a card order is built, then nothing matches', () => {
      const blacklist = [{ entryId: 'b-2', type: 'EMAIL' as const, value: ann.email, codOnly: true }];
      expect(placeOrderData(placement({ blacklist })).blacklistMatch).toBeNull();
    });

    it('given a sales tax, when built, then only a rebill takes it', () => {
      const rebill = { purchaseId: 'pu-1', billingCycle: 2, originalOrderId: 'o-0' };
      expect(placeOrderData(placement({ request: { ...placement().request, salesTax: 300 } })).salesTax).toBeUndefined();
      expect(placeOrderData(placement({ request: { ...placement().request, salesTax: 300, rebill } })).salesTax).toBe(300);
    });
  });

  describe("the order's custom fields", () => {
    it("given custom fields on the request, when built, then the command carries them (the order's, not the customer's); none given, none carried", () => {
      const customFields = { giftMessage: 'Happy birthday' };
      expect(placeOrderData(placement({ request: { ...placement().request, customFields } })).customFields).toEqual(customFields);
      expect('customFields' in placeOrderData(placement())).toBe(false);
    });
  });

  describe('card on file for a subscription on an EXTERNAL or COD order', () => {
    const items = (subscribe?: boolean) => [{ productId: 'p-1', quantity: 1, ...(subscribe !== undefined ? { subscribe } : {}) }];

    it('given an EXTERNAL or COD order asking a line to subscribe, then the card on file is looked up; else not', () => {
      expect(cardOnFileAsked({ paymentType: 'EXTERNAL', items: items(true) })).toBe(true);
      expect(cardOnFileAsked({ paymentType: 'COD', items: items(true) })).toBe(true);
      expect(cardOnFileAsked({ paymentType: 'EXTERNAL', items: items() })).toBe(false);
      expect(cardOnFileAsked({ paymentType: 'CARD', items: items(true) })).toBe(false);
    });

    it('given the customer\'s orders, then a card is on file when one of them was paid by card', () => {
      const decide = (data: Parameters<typeof placeOrderData>[0]) =>
        orderDecider.evolve(orderDecider.initialState(), orderDecider.decide({ type: 'PlaceOrder', data: placeOrderData(data), metadata }, orderDecider.initialState())[0]!);
      const byCard = decide(placement());
      const external = decide(placement({ request: { ...placement().request, paymentType: 'EXTERNAL', card: undefined } }));
      expect(hasCardOnFile([external, byCard])).toBe(true);
      expect(hasCardOnFile([external])).toBe(false);
      expect(hasCardOnFile([])).toBe(false);
    });

    it('given a discount and the card on file, then both reach the PlaceOrder command', () => {
      const data = placeOrderData(placement({ request: { ...placement().request, discount: { amount: 100, reason: 'goodwill' } }, cardOnFile: true }));
      expect(data).toMatchObject({ discount: { amount: 100, reason: 'goodwill' }, cardOnFile: true });
    });
  });
});
