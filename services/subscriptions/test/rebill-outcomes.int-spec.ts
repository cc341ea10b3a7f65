import { AssignerProtocol } from 'kafkajs';
import { EnvelopeOf, PaymentsEvent, Topics } from '@continuum/contracts';
import { LEASES_COLLECTION, LeaseDocument, OUTBOX_LEASE_ID } from '@continuum/platform';
import { devKeys, eventually } from '@continuum/testing';
import { REBILL_OUTCOME_SWEEPER, RebillOutcomeSweeper } from '../src/jobs';
import { ORDER_REACTIONS_GROUP, PAYMENT_REACTIONS_GROUP } from '../src/messaging';
import { PurchasesView, RebillOutcomesView } from '../src/views';
import { startSecondInstance, subscriptionsWait, useSubscriptionsService } from './subscriptions-harness';

/**
 * Every terminal outcome of a rebill reaches its purchase: orders' refusal (RebillRefused),
 * a QA decline or approval of the rebill order, its cancellation; and a bill left in flight with no
 * answer is requested again by the rebill-outcome sweeper, as the same request. A rebill charge's
 * outcome read before its order was recorded is kept and decided once, on one instance or two, and
 * nothing of it stays kept.
 */
describe('rebill outcomes reach the purchase', () => {
  const t = useSubscriptionsService({ REBILL_OUTCOME_TIMEOUT_MS: '1000' });

  /** Force-bills the purchase with the stand-in silent, and answers as orders would for that request. */
  const forceBillUnanswered = async (purchaseId: string) => {
    t.standIn.leaveUnanswered(purchaseId);
    const seen = t.rebillRequests(purchaseId).length;
    await t.http.post(`/purchases/${purchaseId}/force-bill`, {}).expect(200);
    const request = await eventually(async () => t.rebillRequests(purchaseId)[seen], 'the RebillRequested of the force bill', subscriptionsWait);
    // taken in (and left unanswered) by the stand-in before a spec lets it answer again
    await eventually(async () => t.standIn.hasTaken(request.eventId), 'the stand-in left the request unanswered', subscriptionsWait);
    return request.data as { purchaseId: string; customerId: string; originalOrderId: string; billingCycle: number; attempt: number; campaignId: string; productId: string; quantity: number; unitPrice: number; shippingPrice: number };
  };

  type Request = Awaited<ReturnType<typeof forceBillUnanswered>>;
  /** The order snapshot orders publishes for the rebill order `orderId` answering `request` (OrderPlaced without qa and placedAt). */
  const rebillSnapshot = (request: Request, orderId: string, paymentType: 'CARD' | 'EXTERNAL', billingCycle = request.billingCycle) => ({
    orderId,
    customerId: request.customerId,
    campaignId: request.campaignId,
    currency: 'USD',
    paymentType,
    items: [{ orderItemId: 'oi-1', productId: request.productId, sku: 'SUB', name: 'Monthly box', quantity: 1, unitPrice: 5999, price: 5999, shippingPrice: 295, billingType: 'RECURRING', rebillPrice: 5999, intervalDays: 30 }],
    totals: { subtotal: 5999, shipping: 295, salesTax: 0, discount: 0, total: 6294, refunded: 0 },
    rebill: { purchaseId: request.purchaseId, billingCycle, originalOrderId: request.originalOrderId },
  });

  it('a rebill orders refused releases the bill: RECYCLE_FAILED, and force bill no longer answers BILL_IN_PROGRESS', async () => {
    const { purchaseId } = await t.startPurchase();
    const request = await forceBillUnanswered(purchaseId);
    expect((await t.http.post(`/purchases/${purchaseId}/force-bill`, {}).expect(422)).body.code).toBe('BILL_IN_PROGRESS');

    await t.probe.publish(Topics.ordersEvents, `rebill-answer-o-refused-${purchaseId}`, 'RebillRefused', {
      purchaseId,
      customerId: request.customerId,
      originalOrderId: request.originalOrderId,
      billingCycle: request.billingCycle,
      attempt: request.attempt,
      orderId: `o-refused-${purchaseId}`,
      code: 'BLACKLISTED',
      reason: 'This order matches blacklist rule EMAIL',
      at: new Date().toISOString(),
    });
    const failed = await t.purchaseWhen(purchaseId, (p) => p.status === 'RECYCLE_FAILED', 'RECYCLE_FAILED after the refusal');
    expect(failed).toMatchObject({ billingCycle: 1, billing: null });
    expect(failed.history.map((h) => h.type)).toEqual(expect.arrayContaining(['PurchaseRebillNotBilled', 'PurchaseRecycleFailed']));
    expect((await t.http.post(`/purchases/${purchaseId}/force-bill`, {}).expect(422)).body.code).toBe('RECYCLE_FAILED');

    // once the cause is fixed, an agent reactivates and bills again: a new request of the cycle
    t.standIn.leaveUnanswered(purchaseId, false);
    await t.http.post(`/purchases/${purchaseId}/reactivate`, {}).expect(200);
    expect((await t.http.post(`/purchases/${purchaseId}/force-bill`, {}).expect(200)).body.billing).toMatchObject({ billingCycle: 2, trigger: 'FORCE' });
    await t.purchaseWhen(purchaseId, (p) => p.status === 'ACTIVE' && p.billingCycle === 2, 'billed after the reactivation');
    // the refused request (maybe asked again by the sweeper while unanswered, as itself), then one new request
    expect([...new Set(t.rebillRequests(purchaseId).map((e) => (e.data as { attempt: number }).attempt))]).toEqual([0, 1]);
  });

  it('an EXTERNAL rebill order QA declines is not billed; one QA approves is billed', async () => {
    const declinedOne = await t.startPurchase();
    const approvedOne = await t.startPurchase();
    for (const [{ purchaseId }, decision] of [
      [declinedOne, 'DECLINE'],
      [approvedOne, 'APPROVE'],
    ] as const) {
      const request = await forceBillUnanswered(purchaseId);
      const orderId = `o-ext-${purchaseId}`;
      const snapshot = rebillSnapshot(request, orderId, 'EXTERNAL', 2);
      await t.probe.publish(Topics.ordersEvents, `order-${orderId}`, 'OrderPlaced', { ...snapshot, qa: { required: true, reasons: ['EXTERNAL'] }, placedAt: new Date().toISOString() });
      await t.purchaseWhen(purchaseId, (p) => (p['billing'] as { orderId: string | null } | null)?.orderId === orderId, 'the rebill order recorded');
      await t.probe.publish(Topics.ordersEvents, `order-${orderId}`, 'OrderSentToQa', { orderId, customerId: request.customerId, reasons: ['EXTERNAL'], transactionId: `${orderId}-ext` }, { streamVersion: 2 });
      if (decision === 'DECLINE') {
        await t.probe.publish(Topics.ordersEvents, `order-${orderId}`, 'OrderDeclined', { orderId, customerId: request.customerId, paymentType: 'EXTERNAL', source: 'QA', transactionId: `${orderId}-ext`, message: 'Declined by QA' }, { streamVersion: 3 });
      } else {
        await t.probe.publish(Topics.ordersEvents, `order-${orderId}`, 'OrderApproved', { ...snapshot, transactionId: `${orderId}-ext` }, { streamVersion: 3 });
      }
    }
    await t.purchaseWhen(declinedOne.purchaseId, (p) => p.status === 'RECYCLE_FAILED' && p['billing'] === null, 'QA decline recorded');
    const billed = await t.purchaseWhen(approvedOne.purchaseId, (p) => p.status === 'ACTIVE' && p.billingCycle === 2, 'QA approval billed');
    expect(billed.transactions.map((tx) => tx.response)).toEqual(['SUCCESS', 'SUCCESS']);
  });

  it('a rebill order cancelled before it was paid makes the cycle due again', async () => {
    const { purchaseId } = await t.startPurchase();
    const request = await forceBillUnanswered(purchaseId);
    const orderId = `o-cancel-${purchaseId}`;
    const snapshot = rebillSnapshot(request, orderId, 'EXTERNAL', 2);
    await t.probe.publish(Topics.ordersEvents, `order-${orderId}`, 'OrderPlaced', { ...snapshot, qa: { required: true, reasons: ['EXTERNAL'] }, placedAt: new Date().toISOString() });
    await t.purchaseWhen(purchaseId, (p) => (p['billing'] as { orderId: string | null } | null)?.orderId === orderId, 'the rebill order recorded');
    await t.probe.publish(
      Topics.ordersEvents,
      `order-${orderId}`,
      'OrderCancelled',
      { orderId, customerId: request.customerId, paymentType: 'EXTERNAL', reason: 'wrong address', fullRefund: false, previousStatus: 'PENDING', refundableAmount: 6294 },
      { streamVersion: 2 },
    );
    const released = await t.purchaseWhen(purchaseId, (p) => p['billing'] === null, 'the bill released');
    expect(released).toMatchObject({ status: 'TRIAL', billingCycle: 1 });
    t.standIn.leaveUnanswered(purchaseId, false);
    await t.http.post(`/purchases/${purchaseId}/force-bill`, {}).expect(200);
    await t.purchaseWhen(purchaseId, (p) => p.status === 'ACTIVE' && p.billingCycle === 2, 'billed by a new request');
  });

  it('a bill left in flight with no answer is requested again by the sweeper, as the same request, and billed once', async () => {
    const { purchaseId } = await t.startPurchase();
    await forceBillUnanswered(purchaseId);
    expect((await t.http.post(`/purchases/${purchaseId}/force-bill`, {}).expect(422)).body.code).toBe('BILL_IN_PROGRESS');
    // orders answers again from now on; the sweeper finds the bill older than REBILL_OUTCOME_TIMEOUT_MS (1 s)
    t.standIn.leaveUnanswered(purchaseId, false);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    // (the sweeper also runs every second here: this sweep or the last one asked for it again)
    const sweep = await t.app().get(RebillOutcomeSweeper).sweep();
    expect(sweep.failed).toBe(0);
    await eventually(async () => t.rebillRequests(purchaseId)[1], 'the request asked again', subscriptionsWait);
    const billed = await t.purchaseWhen(purchaseId, (p) => p.status === 'ACTIVE' && p.billingCycle === 2, 'billed after the request was asked again');
    const requests = t.rebillRequests(purchaseId).map((e) => e.data as { billingCycle: number; attempt: number });
    // only ever the one request of cycle 2, asked again: the same rebill order, billed once
    expect(new Set(requests.map(({ billingCycle, attempt }) => `${billingCycle}:${attempt}`))).toEqual(new Set(['2:0']));
    expect(requests.length).toBeGreaterThanOrEqual(2);
    expect(billed.history.filter((h) => h.type === 'PurchaseBilled')).toHaveLength(1);
    expect(billed.transactions.filter((tx) => tx.billingCycle === 2)).toHaveLength(1);

    // the sweeper is a scheduled job of the queue rebill-outcome: its runs are on GET /ops and /metrics
    const ops = await eventually(async () => {
      const body = (await t.http.get('/ops', devKeys.admin).expect(200)).body as { queues: { name: string; completed: number }[]; sweepers: { name: string; runs: { ok: number } }[] };
      return (body.sweepers.find((s) => s.name === REBILL_OUTCOME_SWEEPER)?.runs.ok ?? 0) > 0 ? body : undefined;
    }, 'a scheduled sweep reported', subscriptionsWait);
    expect(ops.sweepers).toContainEqual(expect.objectContaining({ name: REBILL_OUTCOME_SWEEPER, lastRunAt: expect.any(String), lastResult: expect.objectContaining({ ok: true, inFlight: expect.any(Number) }) }));
    expect(ops.queues.find((q) => q.name === 'rebill-outcome')?.completed).toBeGreaterThan(0);
    expect((await t.http.get('/metrics', devKeys.admin).expect(200)).text).toMatch(/^sweeper_runs\{service="subscriptions",sweeper="rebill-outcome-sweeper",result="ok"\} [1-9]/m);
  });

  /** The types of the events stored on the purchase's stream, in order. */
  const streamEventTypes = async (purchaseId: string) => (await t.commits({ streamId: `purchase-${purchaseId}` })).flatMap((commit) => commit.events.map((event) => event.type));

  /** The card rebill order orders places for `request` (OrderPlaced) and payments' approval of its charge (PaymentApproved, purpose REBILL), as published. */
  const rebillOrder = (request: Request, orderId: string) => {
    const card = { token: 'tok_approve', brand: 'VISA', last4: '1111', bin: '411111' };
    const transactionId = `${orderId}-charge-1`;
    const placed = () =>
      t.probe.publish(Topics.ordersEvents, `order-${orderId}`, 'OrderPlaced', {
        ...rebillSnapshot(request, orderId, 'CARD'),
        card,
        qa: { required: false, reasons: [] },
        placedAt: new Date().toISOString(),
      });
    const approved = async () =>
      (await t.probe.publish(Topics.paymentsEvents, `transaction-${transactionId}`, 'PaymentApproved', {
        transactionId,
        orderId,
        customerId: request.customerId,
        type: 'SALE',
        amount: 6294,
        currency: 'USD',
        card,
        merchantId: 'mid-1',
        gatewayTransactionId: `g-${orderId}`,
        rerunOf: null,
        at: new Date().toISOString(),
        purpose: 'REBILL',
        message: 'Approved',
        response: 'SUCCESS',
        prepaid: false,
      })) as unknown as EnvelopeOf<PaymentsEvent>;
    return { placed, approved };
  };

  it('a kept outcome left behind by an attempt that failed after the purchase knew the order is removed when the outcome comes again; billed once', async () => {
    const { purchaseId } = await t.startPurchase();
    const orderId = `o-leak-${purchaseId}`;
    const order = rebillOrder(await forceBillUnanswered(purchaseId), orderId);
    await order.placed();
    await t.purchaseWhen(purchaseId, (p) => (p['billing'] as { orderId: string | null } | null)?.orderId === orderId, 'the rebill order recorded');
    const approved = await order.approved();
    await t.purchaseWhen(purchaseId, (p) => p.status === 'ACTIVE' && p.billingCycle === 2, 'billed by the approval');
    await t.handled(PAYMENT_REACTIONS_GROUP, approved.eventId);

    // what an attempt leaves that kept the approval, found the order on its second look and failed
    // deciding (a store error): the kept document, and no handled record, so the approval comes again
    const kept = t.app().get(RebillOutcomesView);
    await kept.keep(approved);
    expect(await kept.ofOrder(orderId)).toHaveLength(1);
    const handled = t.platform().connection.db!.collection<{ _id: string }>('handled_events');
    expect((await handled.deleteMany({ _id: { $regex: new RegExp(`${PAYMENT_REACTIONS_GROUP}:${approved.eventId}$`) } })).deletedCount).toBe(1);
    await t.probe.publishEnvelope(Topics.paymentsEvents, approved);

    await t.handled(PAYMENT_REACTIONS_GROUP, approved.eventId);
    await eventually(async () => ((await kept.ofOrder(orderId)).length === 0 ? true : undefined), 'the kept approval removed once the approval came again', subscriptionsWait);
    expect((await streamEventTypes(purchaseId)).filter((type) => type === 'PurchaseBilled')).toHaveLength(1);
    expect(await t.purchase(purchaseId)).toMatchObject({ status: 'ACTIVE', billingCycle: 2, billing: null });
  });

  it('a rebill order recorded while the purchases view trails (the relay lease held by a hung instance past the 5 s a command waits) waits for the view, so its approval kept meanwhile bills once', async () => {
    const { purchaseId } = await t.startPurchase();
    const orderId = `o-lag-${purchaseId}`;
    const order = rebillOrder(await forceBillUnanswered(purchaseId), orderId);
    const kept = t.app().get(RebillOutcomesView);

    // the lease holder's relay feeds the purchases view: with the lease held by an instance that
    // hangs, commands find their views not showing them, and the view trails the purchase's stream
    await t.platform().relay.stop();
    const leases = t.platform().connection.db!.collection<LeaseDocument>(LEASES_COLLECTION);
    const [latest] = await leases.find({ lease: OUTBOX_LEASE_ID }).sort({ term: -1 }).limit(1).toArray();
    const hung = { _id: `${OUTBOX_LEASE_ID}:${(latest?.term ?? 0) + 1}`, lease: OUTBOX_LEASE_ID, term: (latest?.term ?? 0) + 1, owner: 'an instance that hangs', expiresAt: new Date(Date.now() + 120_000) };
    await leases.insertOne(hung);
    try {
      await order.placed();
      await eventually(async () => ((await streamEventTypes(purchaseId)).includes('PurchaseRebillOrderPlaced') ? true : undefined), 'the rebill order recorded on the stream', subscriptionsWait);
      // the charge's approval comes once the record's own wait for its views (5 s) is over, when
      // order-reactions has gone on: payment-reactions finds no purchase knowing the order in the
      // view, and keeps it. Had order-reactions read the kept outcomes then (none yet), or decided
      // them on the view without the record and forgotten them, nobody would decide this approval
      await new Promise((resolve) => setTimeout(resolve, 7_000));
      const approved = await order.approved();
      await t.handled(PAYMENT_REACTIONS_GROUP, approved.eventId);
      expect(await kept.ofOrder(orderId)).toHaveLength(1);
      expect((await streamEventTypes(purchaseId)).filter((type) => type === 'PurchaseBilled')).toHaveLength(0);
      expect(t.probe.deadLetters.filter((letter) => JSON.stringify(letter).includes(orderId))).toEqual([]);
    } finally {
      // the hung instance gives the lease up: this instance's relay takes it and applies what waited
      await leases.updateOne({ _id: hung._id }, { $set: { expiresAt: new Date(0) } });
      t.platform().relay.start();
    }
    await t.purchaseWhen(purchaseId, (p) => p.status === 'ACTIVE' && p.billingCycle === 2 && p['billing'] === null, 'billed by the kept approval once the view shows the order');
    expect((await streamEventTypes(purchaseId)).filter((type) => type === 'PurchaseBilled')).toHaveLength(1);
    await eventually(async () => ((await kept.ofOrder(orderId)).length === 0 ? true : undefined), 'the kept approval removed', subscriptionsWait);
  });

  it('two instances in the same consumer groups: approvals read before or after their rebill order bill each purchase once, none stays in flight or kept', async () => {
    const outcomes = t.app().get(RebillOutcomesView);
    const purchases = t.app().get(PurchasesView);
    // the second instance joins while the purchases start and are billed (their RebillRequested left
    // unanswered). Six purchases: each command of the instance without the relay's lease waits for the
    // holder's relay poll (docs/architecture.md, "Read your writes"), and a kept outcome costs its
    // order-reactions two commands, so the step's time grows by up to 2 s per purchase on one partition
    const [second, requests] = await Promise.all([startSecondInstance(), Promise.all(Array.from({ length: 6 }, async () => forceBillUnanswered((await t.startPurchase()).purchaseId)))]);
    try {
      // both instances hold partitions of both groups that decide rebill outcomes
      const admin = t.platform().kafka.admin();
      await admin.connect();
      try {
        const groupIds = [ORDER_REACTIONS_GROUP, PAYMENT_REACTIONS_GROUP].map((group) => t.platform().consumerGroupId(group));
        const partitionsPerMember = async () =>
          (await admin.describeGroups(groupIds)).groups.map((group) => group.members.map((member) => Object.values(AssignerProtocol.MemberAssignment.decode(member.memberAssignment)?.assignment ?? {}).flat().length));
        await eventually(async () => ((await partitionsPerMember()).every((members) => members.length === 2 && members.every((partitions) => partitions > 0)) ? true : undefined), 'two members with partitions in each group', subscriptionsWait);
      } finally {
        await admin.disconnect();
      }
      // each purchase's events are keyed by its own order and transaction streams, so they spread over
      // the partitions, and so over both instances: 2 approvals published first and their OrderPlaced
      // only once the approval is kept; 2 approvals published first and their OrderPlaced at once (either
      // consumer may come first); 2 OrderPlaced first, as usual
      const orderIds = await Promise.all(
        requests.map(async (request, at) => {
          const orderId = `o-two-${request.purchaseId}`;
          const order = rebillOrder(request, orderId);
          if (at >= 4) {
            await order.placed();
            await order.approved();
            return orderId;
          }
          await order.approved();
          if (at < 2) {
            await eventually(async () => ((await outcomes.ofOrder(orderId)).length > 0 ? true : undefined), `the approval of ${orderId} kept`, subscriptionsWait);
          }
          await order.placed();
          return orderId;
        }),
      );
      await Promise.all(requests.map(({ purchaseId }) => t.purchaseWhen(purchaseId, (p) => p.status === 'ACTIVE' && p.billingCycle === 2 && p['billing'] === null, `${purchaseId} billed`)));

      for (const { purchaseId } of requests) {
        const types = await streamEventTypes(purchaseId);
        const outcomesRecorded = { billed: types.filter((type) => type === 'PurchaseBilled').length, other: types.filter((type) => type === 'PurchaseRebillDeclined' || type === 'PurchaseRebillNotBilled').length };
        expect({ purchaseId, ...outcomesRecorded }).toEqual({ purchaseId, billed: 1, other: 0 });
      }
      const ids = requests.map(({ purchaseId }) => purchaseId);
      expect((await purchases.withBillInFlight()).filter((id) => ids.includes(id))).toEqual([]);
      await eventually(async () => ((await Promise.all(orderIds.map((orderId) => outcomes.ofOrder(orderId)))).every((kept) => kept.length === 0) ? true : undefined), 'nothing of the bills kept', subscriptionsWait);
    } finally {
      await second.close();
    }
  });
});
