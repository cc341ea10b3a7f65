import { randomUUID } from 'node:crypto';
import { Topics } from '@continuum/contracts';
import { FULFILLMENT_REACTIONS_GROUP, JOB_SCHEDULER_GROUP } from '../src/messaging';
import { recurringOrderCompleted, useSubscriptionsService } from './subscriptions-harness';

/**
 * On the real stack: a purchase that learns its order after the
 * order's fulfillments went by (`onOrderLearned`) records every one of them. Its commands on the one
 * purchase are one commit under the event's key; run one by one under that key, every one after the
 * first was answered as a replay of the first and only one fulfillment was recorded.
 */
describe('subscriptions: the fulfillments of an order seen before its purchase started (real stack)', () => {
  const t = useSubscriptionsService();

  it('an order with two fulfillments on one purchase records both, in one commit under the PurchaseStarted key', async () => {
    const orderId = `ord-${randomUUID().slice(0, 8)}`;
    const customerId = `cus-${randomUUID().slice(0, 8)}`;
    const purchaseId = `${orderId}-oi-1`;
    const fulfillment = (fulfillmentId: string, at: string) =>
      t.probe.publish(Topics.fulfillmentEvents, `fulfillment-${fulfillmentId}`, 'FulfillmentCreated', {
        fulfillmentId,
        orderId,
        customerId,
        reference: `F-${fulfillmentId}`,
        items: [{ productId: 'p-sub', sku: 'SUB', name: 'Monthly box', quantity: 1 }],
        shippingAddress: { line1: '1 Main St', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' },
        shippingMethod: 'STANDARD',
        cod: null,
        reshipOf: null,
        at,
      });

    // both fulfillments are read before the order's completion: the service only remembers them
    const first = await fulfillment(`f1-${orderId}`, '2026-03-01T10:00:00.000Z');
    const second = await fulfillment(`f2-${orderId}`, '2026-03-01T10:05:00.000Z');
    await t.handled(FULFILLMENT_REACTIONS_GROUP, first.eventId);
    await t.handled(FULFILLMENT_REACTIONS_GROUP, second.eventId);
    expect(await t.commits({ streamId: `purchase-${purchaseId}` })).toHaveLength(0);

    await t.probe.publish(Topics.ordersEvents, `order-${orderId}`, 'OrderCompleted', recurringOrderCompleted(orderId, customerId));

    const started = await t.probe.waitForEvent('PurchaseStarted', { purchaseId });
    await t.handled(JOB_SCHEDULER_GROUP, started.eventId);
    const purchase = await t.purchaseWhen(purchaseId, (p) => p.fulfillments.length === 2, 'both fulfillments on the purchase');
    expect(purchase.fulfillments.map((f) => [f.fulfillmentId, f.orderId]).sort()).toEqual([
      [`f1-${orderId}`, orderId],
      [`f2-${orderId}`, orderId],
    ]);

    // one commit for the reaction, under the key of the event that caused it
    const learned = await t.commits({ streamId: `purchase-${purchaseId}`, idempotencyKey: `${JOB_SCHEDULER_GROUP}:${started.eventId}` });
    expect(learned).toHaveLength(1);
    expect(learned[0]!.events.map((e) => (e.data as { fulfillmentId: string }).fulfillmentId).sort()).toEqual([`f1-${orderId}`, `f2-${orderId}`]);
    // nothing refused on the way (a second command under the one key is IDEMPOTENCY_KEY_REUSED now)
    await t.probe.caughtUp();
    expect(t.probe.deadLetters).toHaveLength(0);
  });
});
