import { Topics } from '@continuum/contracts';
import { TEST_CARDS } from '../src/gateway';
import { newOrderId, orderPlaced, usePaymentsService } from './payments-harness';

// An order an agent discounted (orders: `discount` on POST /orders) is charged its total, the discount taken off.
describe('payments charges a discounted order its discounted total (real stack)', () => {
  const { probe, tokenise } = usePaymentsService();

  it('charges totals.total, not subtotal plus shipping', async () => {
    const orderId = newOrderId();
    const base = orderPlaced(orderId, { total: 5000, card: await tokenise(TEST_CARDS.approve) });
    const discounted = { ...base, totals: { subtotal: 5000, shipping: 500, salesTax: 0, discount: 1200, total: 4300, refunded: 0 }, discountReason: 'late delivery last time' };
    await probe.publish(Topics.ordersEvents, `order-${orderId}`, 'OrderPlaced', discounted);
    const approved = await probe.waitForEvent('PaymentApproved', { orderId });
    expect(approved.data).toMatchObject({ orderId, amount: 4300, purpose: 'ORDER' });
  });
});
