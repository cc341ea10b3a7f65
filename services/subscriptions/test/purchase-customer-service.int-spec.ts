import { randomUUID } from 'node:crypto';
import { Topics } from '@continuum/contracts';
import { causedBy, republished } from '@continuum/testing';
import { PAYMENT_REACTIONS_GROUP } from '../src/messaging';
import { DAY_MS, Purchase, dateInDays, daysFromNow, recurringOrderCompleted, useSubscriptionsService } from './subscriptions-harness';

/**
 * What a customer-service agent reads and changes on a purchase, on the real stack (the service
 * in-process; orders and payments played by the probe on the real topics): the refunds, voids and
 * chargebacks of its orders' charges among its transactions, an order date that is when the order was
 * placed, and a next bill date moved earlier or later but never into the past.
 */
describe('subscriptions: a purchase as customer service sees it (real stack)', () => {
  const t = useSubscriptionsService();
  type Row = Purchase['transactions'][number] & { type: string; parentTransactionId?: string; at: string };
  const rows = (purchase: Purchase) => purchase.transactions as Row[];

  it('a recurring card order refunded: the purchase lists the charge and the refund, then a chargeback of the charge and its reversal, each once', async () => {
    const started = await t.startPurchase({ trialDays: 9 });
    const chargeId = `${started.orderId}-charge-1`;
    const ids = { transactionId: chargeId, orderId: started.orderId, customerId: started.customerId };
    const stream = `transaction-${chargeId}`;
    const refund = await t.probe.publish(
      Topics.paymentsEvents,
      stream,
      'RefundSucceeded',
      { ...ids, refundId: `rf-${randomUUID().slice(0, 8)}`, amount: 300, currency: 'USD', attempt: 1, gatewayTransactionId: 'g-rf', message: 'Refunded', refundedTotal: 300, fullyRefunded: false, autoCancel: false, at: daysFromNow(0) },
      { streamVersion: 3 },
    );
    const refunded = await t.purchaseWhen(started.purchaseId, (p) => rows(p).some((row) => row.type === 'REFUND'), 'the refund among the transactions');
    expect(rows(refunded)).toEqual([
      expect.objectContaining({ transactionId: chargeId, orderId: started.orderId, type: 'SALE', response: 'SUCCESS', amount: 794, billingCycle: 1 }),
      expect.objectContaining({ transactionId: (refund.data as { refundId: string }).refundId, parentTransactionId: chargeId, orderId: started.orderId, type: 'REFUND', response: 'SUCCESS', amount: 300, billingCycle: 1, currency: 'USD' }),
    ]);
    // the same refund again (a redelivery under a new event id) adds no second row; a refund of another order none at all
    const again = republished(refund);
    await t.probe.publishEnvelope(Topics.paymentsEvents, again);
    const other = `ord-${randomUUID().slice(0, 8)}`;
    const otherRefund = await t.probe.publish(
      Topics.paymentsEvents,
      `transaction-${other}-charge-1`,
      'RefundSucceeded',
      { transactionId: `${other}-charge-1`, orderId: other, customerId: started.customerId, refundId: 'rf-other', amount: 100, currency: 'USD', attempt: 1, gatewayTransactionId: null, message: 'Refunded', refundedTotal: 100, fullyRefunded: false, autoCancel: false, at: daysFromNow(0) },
      { streamVersion: 3 },
    );
    await t.handled(PAYMENT_REACTIONS_GROUP, again.eventId);
    await t.handled(PAYMENT_REACTIONS_GROUP, otherRefund.eventId);
    const marked = await t.probe.publish(Topics.paymentsEvents, stream, 'ChargebackMarked', { ...ids, amount: 494, date: dateInDays(1), reasonCode: '10.4', note: null, at: daysFromNow(0.001) }, { ...causedBy(refund), streamVersion: 4 });
    await t.probe.publish(Topics.paymentsEvents, stream, 'ChargebackReverted', { ...ids, amount: 494, at: daysFromNow(0.002) }, { ...causedBy(marked), streamVersion: 5 });
    const reverted = await t.purchaseWhen(started.purchaseId, (p) => rows(p).some((row) => row.type === 'CHARGEBACK_REVERSAL'), 'the chargeback and its reversal');
    expect(rows(reverted).map((row) => [row.type, row.transactionId, row.amount])).toEqual([
      ['SALE', chargeId, 794],
      ['REFUND', (refund.data as { refundId: string }).refundId, 300],
      ['CHARGEBACK', chargeId, 494],
      ['CHARGEBACK_REVERSAL', chargeId, 494],
    ]);
    // the list by customer shows the same transactions
    const [listed] = (await t.http.get(`/purchases?customerId=${started.customerId}`).expect(200)).body as Purchase[];
    expect(listed!.transactions).toEqual(reverted.transactions);
  });

  it('an order held in QA for three days: its purchase dates from when the order was placed, and so does its trial', async () => {
    const orderId = `ord-${randomUUID().slice(0, 8)}`;
    const customerId = `cus-${randomUUID().slice(0, 8)}`;
    const { transactionId, ...snapshot } = recurringOrderCompleted(orderId, customerId, { trialDays: 10 });
    const placedAt = daysFromNow(-3);
    const placed = await t.probe.publish(Topics.ordersEvents, `order-${orderId}`, 'OrderPlaced', { ...snapshot, qa: { required: true, reasons: ['QA_RATE'] }, placedAt });
    await t.probe.publish(Topics.ordersEvents, `order-${orderId}`, 'OrderApproved', { ...snapshot, transactionId }, { ...causedBy(placed), streamVersion: 3 });
    const purchase = await t.purchaseWhen(`${orderId}-oi-1`, () => true, 'the purchase of the approved order');
    expect(purchase.orderDate).toBe(placedAt);
    // ten trial days from the day it was placed, not from the approval
    expect(purchase.nextBillDate).toBe(new Date(Date.parse(placedAt.slice(0, 10)) + 10 * DAY_MS).toISOString().slice(0, 10));
    expect(rows(purchase)[0]).toMatchObject({ transactionId, type: 'SALE', at: placedAt });
  });

  it('the next bill date moves earlier or later, to today at the earliest; a past date is 422 naming nextBillDate and changes nothing', async () => {
    const { purchaseId } = await t.startPurchase({ trialDays: 20 });
    expect((await t.http.patch(`/purchases/${purchaseId}`, { nextBillDate: dateInDays(25) }).expect(200)).body).toMatchObject({ nextBillDate: dateInDays(25) });
    expect((await t.http.patch(`/purchases/${purchaseId}`, { nextBillDate: dateInDays(4) }).expect(200)).body).toMatchObject({ nextBillDate: dateInDays(4) });
    expect((await t.http.patch(`/purchases/${purchaseId}`, { nextBillDate: dateInDays(0) }).expect(200)).body).toMatchObject({ nextBillDate: dateInDays(0) });
    const refused = await t.http.patch(`/purchases/${purchaseId}`, { nextBillDate: dateInDays(-1) }).expect(422);
    expect(refused.body).toMatchObject({ code: 'NEXT_BILL_DATE_IN_PAST', errors: [{ field: 'nextBillDate' }] });
    expect((await t.purchase(purchaseId)).nextBillDate).toBe(dateInDays(0));
  });
});
