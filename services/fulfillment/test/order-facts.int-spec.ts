import { eventEnvelope, republished } from '@continuum/testing';
import { OrderFactsView, ShipToView } from '../src/views';
import { austin, newOrderId, orderSnapshot, useFulfillmentService } from './fulfillment-harness';

jest.setTimeout(60_000);

// The read models of other services' events on the real store (FerretDB): each stream that feeds a
// document guards its own events by version, so a redelivered event changes nothing and events of
// another stream about the same order are never passed over. (Kafka's part, the consumer that feeds
// them, is covered by fulfillment-flows.int-spec.ts: QA holds, a test card, the customer's ship-to.)
describe('order facts and ship-to read models (FerretDB)', () => {
  const sut = useFulfillmentService();
  const orderFacts = () => sut.app().get(OrderFactsView);
  const shipTo = () => sut.app().get(ShipToView);

  it('given an order sent to QA and approved, when the QA event is delivered again, then the order is still out of QA', async () => {
    const orderId = newOrderId();
    const sentToQa = eventEnvelope('OrderSentToQa', `order-${orderId}`, { orderId, customerId: 'cus-1', reasons: ['PREPAID'], transactionId: `${orderId}-charge-1` }, { streamVersion: 2 });
    await orderFacts().apply(sentToQa as never);
    expect(await orderFacts().order(orderId)).toEqual({ inQa: true, testCardOnLiveGateway: false });
    await orderFacts().apply(eventEnvelope('OrderApproved', `order-${orderId}`, orderSnapshot(orderId, 'cus-1'), { streamVersion: 3 }) as never);
    await orderFacts().apply(republished(sentToQa) as never);
    expect(await orderFacts().order(orderId)).toEqual({ inQa: false, testCardOnLiveGateway: false });
  });

  it("given an order's own events applied up to version 3, when its payment's first event arrives, then it is applied (each stream guards its own versions)", async () => {
    const orderId = newOrderId();
    await orderFacts().apply(eventEnvelope('OrderApproved', `order-${orderId}`, orderSnapshot(orderId, 'cus-1'), { streamVersion: 3 }) as never);
    const approved = eventEnvelope(
      'PaymentApproved',
      `transaction-${orderId}-charge-1`,
      {
        transactionId: `${orderId}-charge-1`,
        orderId,
        customerId: 'cus-1',
        type: 'SALE',
        amount: 5000,
        currency: 'USD',
        card: { token: 'tok_test', brand: 'VISA', last4: '1111', bin: '411111' },
        merchantId: 'm-1',
        gatewayTransactionId: 'gw-1',
        message: 'Approved',
        rerunOf: null,
        at: '2026-03-01T10:00:00.000Z',
        response: 'SUCCESS',
        prepaid: false,
        testCardOnLiveGateway: true,
        purpose: 'ORDER',
      },
      { streamVersion: 1 },
    );
    await orderFacts().apply(approved as never);
    expect(await orderFacts().order(orderId)).toEqual({ inQa: false, testCardOnLiveGateway: true });
  });

  it("given a customer registered and renamed, when the registration is delivered again, then the new name stays", async () => {
    const customerId = `cus-${newOrderId()}`;
    const registered = eventEnvelope('CustomerRegistered', `customer-${customerId}`, { customerId, firstName: 'Ann', lastName: 'Lee', email: `${customerId}@example.test`, billingAddress: austin });
    await shipTo().apply(registered as never);
    await shipTo().apply(eventEnvelope('CustomerUpdated', `customer-${customerId}`, { customerId, changes: { lastName: 'Park' } }, { streamVersion: 2 }) as never);
    await shipTo().apply(republished(registered) as never);
    expect(await shipTo().shipTo(customerId)).toEqual({ name: 'Ann Park', shippingAddress: null, billingAddress: austin });
  });

  it('given a customer fulfillment has not seen, when its ship-to is asked for, then it is unknown', async () => {
    expect(await shipTo().shipTo('cus-never-seen')).toBeNull();
  });
});
