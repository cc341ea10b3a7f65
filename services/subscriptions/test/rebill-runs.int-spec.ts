import { Topics } from '@continuum/contracts';
import { devKeys, eventually } from '@continuum/testing';
import { BILLING_RUN_QUEUE, BillingRunQueue, DAILY_BILLING_RUN } from '../src/jobs';
import { RebillOutcomesView } from '../src/views';
import { dateInDays, daysFromNow, subscriptionsWait, useSubscriptionsService } from './subscriptions-harness';

/**
 * The purchase lifecycle on the real stack (Kafka, FerretDB, Redis): the service in-process, orders,
 * payments and fulfillment played by the probe as they answer on the real topics (RebillStandIn).
 * Each spec gives its purchase its own trial length, so the runs of one spec find only its purchase due.
 */
describe('subscriptions: purchases and rebill runs (real stack)', () => {
  const t = useSubscriptionsService();

  it('two overlapping billing runs bill a due purchase once', async () => {
    const { purchaseId } = await t.startPurchase({ trialDays: 1 });
    const asOf = daysFromNow(1.5);
    const [first, second] = await Promise.all([t.billingRun(asOf), t.billingRun(asOf)]);
    expect(first.requested + second.requested).toBe(1);
    expect(first.billed + second.billed).toBe(1);
    await t.purchaseWhen(purchaseId, (p) => p.billingCycle === 2, 'cycle 2');
    // and a run retried after the fact (a crash, a second click) bills nothing more
    expect((await t.billingRun(asOf)).requested).toBe(0);
    expect(t.rebillRequests(purchaseId)).toHaveLength(1);
  });

  it('an order for a recurring product starts a TRIAL purchase in cycle 1, next bill date = order date + trial days', async () => {
    const started = await t.startPurchase({ trialDays: 14 });
    expect(started).toMatchObject({ status: 'TRIAL', billingCycle: 1, nextBillDate: dateInDays(14), trialType: 'STANDARD', price: 5999, billingType: 'RECURRING' });
    expect(started.transactions).toEqual([expect.objectContaining({ orderId: started.orderId, response: 'SUCCESS', amount: 794, billingCycle: 1 })]);
    expect(started.history.map((h) => h.type)).toEqual(['PurchaseStarted']);
    const byOrder = (await t.http.get(`/purchases?orderId=${started.orderId}`).expect(200)).body;
    const byCustomer = (await t.http.get(`/purchases?customerId=${started.customerId}`).expect(200)).body;
    expect(byOrder.map((p: { purchaseId: string }) => p.purchaseId)).toEqual([started.purchaseId]);
    expect(byCustomer.map((p: { purchaseId: string }) => p.purchaseId)).toEqual([started.purchaseId]);
  });

  it('its first successful rebill makes it ACTIVE in cycle 2, with the rebill order, its transaction and its fulfillment', async () => {
    const { purchaseId } = await t.startPurchase({ trialDays: 3 });
    const run = await t.billingRun(daysFromNow(3.5));
    expect(run).toMatchObject({ requested: 1, billed: 1, declined: 0, pending: 0 });
    const [request] = t.rebillRequests(purchaseId);
    expect(request!.data).toMatchObject({ billingCycle: 2, quantity: 1, unitPrice: 5999, shippingPrice: 295, amount: 6294, trigger: 'SCHEDULED' });
    const active = await t.purchaseWhen(purchaseId, (p) => p.status === 'ACTIVE' && p.fulfillments.length === 1, 'ACTIVE with its fulfillment');
    const rebillOrderId = `rebill-${purchaseId}-2`;
    expect(active).toMatchObject({ billingCycle: 2, nextBillDate: dateInDays(33) });
    expect(active.transactions[1]).toMatchObject({ orderId: rebillOrderId, response: 'SUCCESS', amount: 6294, billingCycle: 2 });
    expect(active.fulfillments).toEqual([expect.objectContaining({ orderId: rebillOrderId, status: 'HOLD' })]);
    expect(active.history.map((h) => h.type)).toEqual(expect.arrayContaining(['RebillRequested', 'PurchaseRebillOrderPlaced', 'PurchaseBilled', 'PurchaseFulfillmentRecorded']));
    // the rebill order is found by its id too
    expect((await t.http.get(`/purchases?orderId=${rebillOrderId}`).expect(200)).body.map((p: { purchaseId: string }) => p.purchaseId)).toEqual([purchaseId]);
  });

  it('a soft-declining card enters RECYCLE_BILLING and after the configured retries RECYCLE_FAILED', async () => {
    const { purchaseId } = await t.startPurchase({ trialDays: 5, card: 'SOFT' });
    const run = await t.billingRun(daysFromNow(5.5));
    expect(run).toMatchObject({ requested: 1, billed: 0, declined: 1 });
    const failed = await t.purchaseWhen(purchaseId, (p) => p.status === 'RECYCLE_FAILED', 'RECYCLE_FAILED');
    const history = failed.history.map((h) => h.type);
    // RECYCLE_DELAYS_MS=300,300: the bill and two retries, each declined
    expect(history.filter((type) => type === 'PurchaseRecycleScheduled')).toHaveLength(2);
    expect(failed.transactions.filter((tx) => tx.response === 'SOFT_DECLINE')).toHaveLength(3);
    expect(t.rebillRequests(purchaseId).map((e) => (e.data as { attempt: number }).attempt)).toEqual([0, 1, 2]);
    expect(failed.billingCycle).toBe(1);
    const ops = (await t.http.get('/purchases?status=RECYCLE_FAILED').expect(200)).body;
    expect(ops.map((p: { purchaseId: string }) => p.purchaseId)).toContain(purchaseId);
    // a status list is paged: limit 1..200, after = the last purchaseId of the page before
    const page = async (query: string) => ((await t.http.get(`/purchases?status=RECYCLE_FAILED&${query}`).expect(200)).body as Array<{ purchaseId: string }>).map((p) => p.purchaseId);
    expect(await page('limit=1')).toHaveLength(1);
    expect(await page(`limit=200&after=${purchaseId}`)).not.toContain(purchaseId);
    expect(await page(`customerId=${failed.customerId}&limit=1`)).toEqual([purchaseId]);
    expect(await page(`customerId=${failed.customerId}&after=${purchaseId}`)).toEqual([]);
    for (const limit of ['0', '201']) expect((await t.http.get(`/purchases?status=RECYCLE_FAILED&limit=${limit}`).expect(400)).body.errors.map((e: { field: string }) => e.field)).toContain('limit');
    // reactivation: billed again from today; then cancelled, so the later runs of this file leave it alone
    const reactivated = (await t.http.post(`/purchases/${purchaseId}/reactivate`, {}).expect(200)).body;
    expect(reactivated).toMatchObject({ status: 'TRIAL', billingCycle: 1, nextBillDate: dateInDays(5) });
    await t.http.post(`/purchases/${purchaseId}/cancel`, { when: 'NOW', reason: 'gave up' }).expect(200);
  });

  it('a hard decline fails the recycle at once', async () => {
    const { purchaseId } = await t.startPurchase({ trialDays: 6, card: 'HARD' });
    expect(await t.billingRun(daysFromNow(6.5))).toMatchObject({ requested: 1, declined: 1 });
    const failed = await t.purchaseWhen(purchaseId, (p) => p.status === 'RECYCLE_FAILED', 'RECYCLE_FAILED');
    expect(failed.transactions.filter((tx) => tx.response === 'HARD_DECLINE')).toHaveLength(1);
    expect(t.rebillRequests(purchaseId)).toHaveLength(1);
  });

  it('cancel after next bill lets exactly one more billing happen', async () => {
    const { purchaseId } = await t.startPurchase({ trialDays: 7 });
    const scheduled = (await t.http.post(`/purchases/${purchaseId}/cancel`, { when: 'AFTER_NEXT_BILL', reason: 'moving abroad' }).expect(200)).body;
    expect(scheduled).toMatchObject({ status: 'CANCELLATION_SCHEDULED', cancellation: { when: 'AFTER_NEXT_BILL', reason: 'moving abroad' } });
    expect(await t.billingRun(daysFromNow(7.5))).toMatchObject({ requested: 1, billed: 1 });
    const cancelled = await t.purchaseWhen(purchaseId, (p) => p.status === 'CANCELLED', 'CANCELLED after its last bill');
    expect(cancelled).toMatchObject({ billingCycle: 2, nextBillDate: null });
    await t.billingRun(daysFromNow(60));
    expect(t.rebillRequests(purchaseId)).toHaveLength(1);
    const who = cancelled.history.find((h) => h.type === 'PurchaseCancellationScheduled')!;
    expect(who.actor).toEqual({ kind: 'agent', id: 'dev-agent' });
  });

  it('force bill bills now, whatever the next bill date', async () => {
    const { purchaseId } = await t.startPurchase({ trialDays: 40 });
    const forced = (await t.http.post(`/purchases/${purchaseId}/force-bill`, {}).expect(200)).body;
    expect(forced.billing).toMatchObject({ billingCycle: 2, trigger: 'FORCE' });
    const active = await t.purchaseWhen(purchaseId, (p) => p.status === 'ACTIVE', 'ACTIVE after force bill');
    expect(active.billingCycle).toBe(2);
    expect(t.rebillRequests(purchaseId).map((e) => (e.data as { trigger: string }).trigger)).toEqual(['FORCE']);
  });

  it('pause skips a due date, and resume bills again', async () => {
    const { purchaseId } = await t.startPurchase({ trialDays: 8 });
    expect((await t.http.post(`/purchases/${purchaseId}/pause`, { reason: 'travelling' }).expect(200)).body.status).toBe('PAUSED');
    expect(await t.billingRun(daysFromNow(8.5))).toMatchObject({ requested: 0 });
    expect(t.rebillRequests(purchaseId)).toHaveLength(0);
    expect((await t.http.post(`/purchases/${purchaseId}/resume`, {}).expect(200)).body).toMatchObject({ status: 'TRIAL', nextBillDate: dateInDays(8) });
    expect(await t.billingRun(daysFromNow(8.5))).toMatchObject({ requested: 1, billed: 1 });
    await t.purchaseWhen(purchaseId, (p) => p.status === 'ACTIVE' && p.billingCycle === 2, 'ACTIVE after resume');
  });

  it('update purchase refuses the fixed fields by name, and the next rebill charges what it says', async () => {
    const { purchaseId } = await t.startPurchase({ trialDays: 9 });
    const fixed = await t.http.patch(`/purchases/${purchaseId}`, { billingType: 'STRAIGHT' }).expect(422);
    expect(fixed.body).toMatchObject({ code: 'FIELD_FIXED', errors: [{ field: 'billingType' }] });
    await t.http.patch(`/purchases/${purchaseId}`, { trialType: 'ACCELERATED' }).expect(422);
    const updated = (await t.http.patch(`/purchases/${purchaseId}`, { quantity: 2, unitPrice: 3000, shippingPrice: 500, salesTax: { mode: 'CUSTOM', amount: 120 } }).expect(200)).body;
    expect(updated).toMatchObject({ quantity: 2, price: 6000, rebillAmount: 6620 });
    await t.billingRun(daysFromNow(9.5));
    expect(t.rebillRequests(purchaseId)[0]!.data).toMatchObject({ quantity: 2, unitPrice: 3000, shippingPrice: 500, salesTax: 120, amount: 6620 });
  });

  it('an order cancelled with "cancel purchases" NOW cancels the purchase it started', async () => {
    const { purchaseId, orderId, customerId } = await t.startPurchase({ trialDays: 10 });
    await t.probe.publish(Topics.ordersEvents, `order-${orderId}`, 'OrderCancelled', {
      orderId,
      customerId,
      paymentType: 'CARD',
      reason: 'fraud',
      fullRefund: true,
      cancelPurchases: 'NOW',
      previousStatus: 'COMPLETE',
      refundableAmount: 794,
      transactionId: `${orderId}-charge-1`,
    });
    const cancelled = await t.purchaseWhen(purchaseId, (p) => p.status === 'CANCELLED', 'cancelled with its order');
    expect(cancelled.history.at(-1)).toMatchObject({ type: 'PurchaseCancelled', summary: expect.stringContaining('ORDER_CANCELLED') });
  });

  it('auto-cancel on void: a voided charge of the starting order cancels its purchase', async () => {
    const { purchaseId, orderId, customerId } = await t.startPurchase({ trialDays: 12 });
    const transactionId = `${orderId}-charge-1`;
    await t.probe.publish(Topics.paymentsEvents, `transaction-${transactionId}`, 'ChargeVoided', {
      transactionId,
      orderId,
      customerId,
      voidId: `${transactionId}-void-1`,
      amount: 794,
      currency: 'USD',
      gatewayTransactionId: null,
      message: 'Voided',
      autoCancel: true,
      at: new Date().toISOString(),
    });
    const cancelled = await t.purchaseWhen(purchaseId, (p) => p.status === 'CANCELLED', 'cancelled by the void');
    expect(cancelled.history.at(-1)).toMatchObject({ type: 'PurchaseCancelled', summary: expect.stringContaining('VOID') });
  });

  it('refuses what an agent may not do, naming the rule', async () => {
    const { purchaseId } = await t.startPurchase({ trialDays: 11 });
    expect((await t.http.post(`/purchases/${purchaseId}/resume`, {}).expect(422)).body.code).toBe('NOT_PAUSED');
    expect((await t.http.post(`/purchases/${purchaseId}/cancel`, { when: 'ON_DATE', reason: 'x' }).expect(422)).body).toMatchObject({ code: 'CANCEL_DATE_REQUIRED', errors: [{ field: 'date' }] });
    await t.http.get('/purchases/none-such').expect(404);
    await t.http.get('/purchases').expect(400);
    await t.http.post('/billing-runs', {}, devKeys.agent).expect(403);
  });

  it('a rebill outcome read before its rebill order is recorded is kept, and bills the purchase once the order is recorded', async () => {
    const { purchaseId } = await t.startPurchase({ trialDays: 13 });
    // the OrderPlaced comes only once the approval was read and kept, however long that takes
    let rebillOrderId: string | undefined;
    const kept = (orderId: string) => {
      rebillOrderId = orderId;
      return eventually(async () => ((await t.app().get(RebillOutcomesView).ofOrder(orderId)).length > 0 ? true : undefined), 'the approval kept', subscriptionsWait);
    };
    t.standIn.outcomeBeforeOrder(purchaseId, kept);
    await t.http.post(`/purchases/${purchaseId}/force-bill`, {}).expect(200);
    await t.purchaseWhen(purchaseId, (p) => p.status === 'ACTIVE' && p.billingCycle === 2, 'ACTIVE once the order is recorded');
    // decided, so forgotten: nothing of the bill stays kept
    await eventually(async () => ((await t.app().get(RebillOutcomesView).ofOrder(rebillOrderId!)).length === 0 ? true : undefined), 'the kept approval forgotten', subscriptionsWait);
  });

  it('billing run jobs on the queue, one retried after another, bill a cycle once', async () => {
    const { purchaseId } = await t.startPurchase({ trialDays: 15 });
    const queue = t.app().get(BillingRunQueue).bullQueue;
    const asOf = daysFromNow(15.5);
    const before = t.probe.events('RebillRequested').length;
    const jobs = await Promise.all([queue.add('run', { asOf }), queue.add('run', { asOf })]);
    await Promise.all(jobs.map((job) => eventually(async () => (await job.isCompleted()) || undefined, 'billing job done', subscriptionsWait)));
    const results = await Promise.all(jobs.map(async (job) => (await queue.getJob(job.id!))!.returnvalue as { requested: number }));
    await t.purchaseWhen(purchaseId, (p) => p.billingCycle === 2, 'cycle 2');
    expect(t.rebillRequests(purchaseId)).toHaveLength(1);
    // (other purchases of this file may be due by then too:) the second job requested none of what the first did
    await t.probe.caughtUp();
    expect(results[0]!.requested + results[1]!.requested).toBe(t.probe.events('RebillRequested').length - before);
    expect(Math.min(results[0]!.requested, results[1]!.requested)).toBe(0);
  });

  it('dead-lettered nothing along the way', () => {
    expect(t.probe.deadLetters).toEqual([]);
  });

  it('schedules the daily billing run as a repeatable job', async () => {
    const scheduler = await t.app().get(BillingRunQueue).bullQueue.getJobScheduler(DAILY_BILLING_RUN);
    expect(scheduler).toMatchObject({ pattern: '0 2 * * *', tz: 'UTC' });
    expect(BILLING_RUN_QUEUE).toBe('billing-runs');
  });

  it('serves the dashboard of its queues (billing runs, recycle retries) to admins only', async () => {
    await t.http.get('/queues').expect(403);
    const queues = await t.http.get('/queues/api/queues', devKeys.admin).expect(200);
    expect(queues.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(['billing-runs', 'rebill-outcome', 'rebill-resolve', 'recycle-retries']);
    await t.http.get('/queues', null).expect(401);
  });
});
