import { EnvelopeOf, CustomerEvent, OrderEvent } from '@continuum/contracts';
import { eventEnvelope } from '@continuum/testing';
import { customerEmailsViewDefinition } from './customer-emails.view';
import { orderPaymentMethodsViewDefinition } from './order-payment-methods.view';

const card = { token: 'tok_1', brand: 'VISA', last4: '1111', bin: '411111', expMonth: 12, expYear: 2030 };
const orderEvent = (type: string, data: object) => eventEnvelope(type, 'order-o-1', { orderId: 'o-1', ...data }) as unknown as EnvelopeOf<OrderEvent>;
const customerEvent = (type: string, data: object) => eventEnvelope(type, 'customer-c-1', { customerId: 'c-1', ...data }) as unknown as EnvelopeOf<CustomerEvent>;

describe('order payment methods read model', () => {
  const { evolve, initial, documentId } = orderPaymentMethodsViewDefinition;

  it('given no document, when OrderPlaced arrives, then the order is kept under its id with how it pays and its card', () => {
    const placed = orderEvent('OrderPlaced', { customerId: 'c-1', paymentType: 'CARD', currency: 'USD', card });
    expect(documentId!(placed)).toBe('o-1');
    expect(evolve(initial(), placed)).toEqual({ orderId: 'o-1', customerId: 'c-1', paymentType: 'CARD', currency: 'USD', card });
  });

  it('given an order without a card (COD), when OrderPlaced arrives, then its card is null', () => {
    expect(evolve(initial(), orderEvent('OrderPlaced', { customerId: 'c-1', paymentType: 'COD', currency: 'USD' }))?.card).toBeNull();
  });

  it("given a kept order, when another of the order's events arrives, then nothing changes", () => {
    const kept = evolve(initial(), orderEvent('OrderPlaced', { customerId: 'c-1', paymentType: 'CARD', currency: 'USD', card }));
    expect(evolve(kept, orderEvent('OrderCancelled', { fullRefund: true }))).toBe(kept);
  });
});

describe('customer emails read model', () => {
  const { evolve, initial, documentId } = customerEmailsViewDefinition;

  it('given no document, when CustomerRegistered arrives, then its email is kept under the customer id', () => {
    const registered = customerEvent('CustomerRegistered', { email: 'a@example.test' });
    expect(documentId!(registered)).toBe('c-1');
    expect(evolve(initial(), registered)).toEqual({ email: 'a@example.test' });
  });

  it('given a known email, when CustomerUpdated changes it, then the new one is kept; a change of something else keeps it', () => {
    const known = { email: 'a@example.test' };
    expect(evolve(known, customerEvent('CustomerUpdated', { changes: { email: 'b@example.test' } }))).toEqual({ email: 'b@example.test' });
    expect(evolve(known, customerEvent('CustomerUpdated', { changes: { firstName: 'Ann' } }))).toBe(known);
  });
});
