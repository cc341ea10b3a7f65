import { registry } from '../core/registry';
import { Topics } from '../core/topics';
import { PLACE_ORDER_MESSAGE_TYPE } from './place-order.message';

const address = { line1: '1 Main St', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' };
const valid = {
  type: 'PlaceOrder',
  clientOrderId: 'lander-42',
  campaignId: 'c-1',
  customerId: 'cu-1',
  items: [{ productId: 'p-1', quantity: 2, unitPrice: 0 }],
  paymentType: 'EXTERNAL',
};
const token = { token: 'tok_Qm9vbGVhbnNBcmVGdW4xMjM0', brand: 'VISA', last4: '1111', bin: '411111', expMonth: 12, expYear: 2030 };
const validate = (message: unknown) => registry.validate(PLACE_ORDER_MESSAGE_TYPE, 1, message);
const errorPaths = (message: unknown): string[] => {
  try {
    validate(message);
    return [];
  } catch (error: any) {
    return error.errors.map((e: { path: string }) => e.path);
  }
};

describe('PlaceOrder intake message', () => {
  it('is an integration message on the intake topic', () => {
    const definition = registry.current(PLACE_ORDER_MESSAGE_TYPE);
    expect(definition.kind).toBe('message');
    expect(definition.topic).toBe(Topics.ordersIntake);
  });

  it('accepts the POST /orders body plus clientOrderId, with the card as the vault tokenised it', () => {
    expect(() => validate(valid)).not.toThrow();
    expect(() =>
      validate({
        ...valid,
        customerId: undefined,
        customer: { firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com', billingAddress: address },
        paymentType: 'CARD',
        card: token,
        version: 1,
        messageId: 'm-1',
        shippingAddress: address,
        forceQa: true,
        disableCustomerDedup: true,
        ipAddress: '10.0.0.1',
        externalReference: 'ext-1',
      }),
    ).not.toThrow();
  });

  it('takes custom fields as POST /orders does: at most 20, names 1..40 characters without a dot or a leading $, string values up to 500', () => {
    expect(() => validate({ ...valid, customFields: { giftMessage: 'Happy birthday', 'two words': '', ['n'.repeat(40)]: 'v'.repeat(500) } })).not.toThrow();
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`f${i}`, 'x']));
    expect(errorPaths({ ...valid, customFields: many }).length).toBeGreaterThan(0);
    for (const customFields of [{ ['n'.repeat(41)]: 'x' }, { 'a.b': 'x' }, { $where: 'x' }, { tier: 'v'.repeat(501) }, { tier: 3 }, { tier: null }]) {
      expect(errorPaths({ ...valid, customFields }).some((path) => path.startsWith('/customFields'))).toBe(true);
    }
  });

  it('requires clientOrderId and the PlaceOrder type', () => {
    expect(errorPaths({ ...valid, clientOrderId: undefined })).toContain('/clientOrderId');
    expect(errorPaths({ ...valid, type: 'Something' })).toContain('/type');
  });

  it('requires a customerId or a customer', () => {
    expect(errorPaths({ ...valid, customerId: undefined }).length).toBeGreaterThan(0);
  });

  it('requires a card for CARD payments and refuses one otherwise', () => {
    expect(errorPaths({ ...valid, paymentType: 'CARD' })).toContain('/card');
    expect(errorPaths({ ...valid, paymentType: 'CARD', card: token })).toEqual([]);
    expect(errorPaths({ ...valid, card: token }).length).toBeGreaterThan(0);
  });

  it('refuses a card number or cvv on the topic, with errors that name fields and never repeat the number', () => {
    const raw = { number: '4111111111111111', expMonth: 12, expYear: 2030, cvv: '123' };
    for (const card of [raw, { ...token, number: '4111111111111111' }, { ...token, cvv: '123' }, { ...token, token: '4111111111111111' }]) {
      let message = '';
      try {
        validate({ ...valid, paymentType: 'CARD', card });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/\/card/);
      expect(message).not.toContain('4111111111111111');
    }
  });

  it('rejects unknown fields, negative prices and zero quantities, naming the field', () => {
    expect(errorPaths({ ...valid, surprise: 1 })).toContain('/surprise');
    expect(errorPaths({ ...valid, items: [{ productId: 'p-1', quantity: 0 }] })).toContain('/items/0/quantity');
    expect(errorPaths({ ...valid, items: [{ productId: 'p-1', quantity: 1, unitPrice: -1 }] })).toContain('/items/0/unitPrice');
    expect(errorPaths({ ...valid, items: [{ productId: 'p-1', quantity: 1, unitPrice: 1.5 }] })).toContain('/items/0/unitPrice');
  });
});
