import { Topics } from '@continuum/contracts';
import { devKeys, eventEnvelope, eventually, mailsTo } from '@continuum/testing';
import { TEST_CARDS } from '../src/gateway';
import { CustomerEmailsView } from '../src/views';
import { newOrderId, orderCancelled, orderPlaced, paymentsWait, upsellAdded, usePaymentsService } from './payments-harness';

// Charges through Kafka, voids and refunds over HTTP, settlement, COD and the customer's refund email.
describe('payments service (Kafka, FerretDB, Redis, maildev)', () => {
  const { probe, http, placeCardOrder, settleAll, registerCustomer, tokenise, app } = usePaymentsService();

  it('charges an approved card order: PaymentApproved on the payments topic and a SALE row', async () => {
    const { orderId, transactionId, placed } = await placeCardOrder();
    const approved = await probe.waitForEvent('PaymentApproved', { transactionId });
    expect(approved.data).toMatchObject({ orderId, amount: 4999, response: 'SUCCESS', card: { last4: '1111', brand: 'VISA' }, purpose: 'ORDER' });
    expect(approved.data).not.toHaveProperty('orderItemId');
    expect(approved.version).toBe(2);
    // the reaction keeps the correlation id and names the OrderPlaced event as its cause
    expect(approved.causationId).toBe(placed.eventId);
    expect(approved.correlationId).toBe(placed.correlationId);
    expect(approved.actor).toEqual(placed.actor);
    // the list is a view written right after the events, so it may trail the published event by moments
    const rows = await eventually(async () => {
      const listed = (await http.get(`/transactions?orderId=${orderId}`).expect(200)).body;
      return listed.length > 0 && listed;
    }, 'the SALE row', paymentsWait);
    expect(rows).toEqual([
      expect.objectContaining({ transactionId, orderId, type: 'SALE', response: 'SUCCESS', amount: 4999, refundedAmount: 0, settled: false, card: 'VISA 1111' }),
    ]);
  });

  it('records a hard decline as PaymentDeclined', async () => {
    const { transactionId } = await placeCardOrder({ card: '4000000000000002' });
    const declined = await probe.waitForEvent('PaymentDeclined', { transactionId });
    expect(declined.data).toMatchObject({ response: 'HARD_DECLINE' });
    expect((await http.get(`/transactions/${transactionId}`).expect(200)).body).toMatchObject({ response: 'HARD_DECLINE', settled: false });
  });

  it('voids an unsettled charge, but refuses to void a settled one (422)', async () => {
    const unsettled = await placeCardOrder();
    const voided = await http.post(`/transactions/${unsettled.transactionId}/void`).expect(200);
    expect(voided.body).toMatchObject({ transactionId: unsettled.transactionId, amount: 4999, status: 'VOIDED' });
    await probe.waitForEvent('ChargeVoided', { transactionId: unsettled.transactionId });

    const settled = await placeCardOrder();
    expect(await settleAll()).toBeGreaterThanOrEqual(1);
    expect((await http.get(`/transactions/${settled.transactionId}`).expect(200)).body.settled).toBe(true);
    const refused = await http.post(`/transactions/${settled.transactionId}/void`).expect(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ status: 422, code: 'CHARGE_SETTLED' });
  });

  it('adds partial refunds up and refuses a refund above what remains (422)', async () => {
    const { orderId, transactionId } = await placeCardOrder({ total: 5000 });
    await settleAll();
    expect((await http.post(`/transactions/${transactionId}/refund`, { amount: 1000 }).expect(200)).body).toMatchObject({ status: 'SUCCEEDED' });
    expect((await http.post(`/transactions/${transactionId}/refund`, { amount: 1500 }).expect(200)).body).toMatchObject({ status: 'SUCCEEDED' });
    const tooMuch = await http.post(`/transactions/${transactionId}/refund`, { amount: 2501 }).expect(422);
    expect(tooMuch.body.code).toBe('REFUND_EXCEEDS_REMAINING');
    const rows = (await http.get(`/transactions?orderId=${orderId}`).expect(200)).body;
    expect(rows[0]).toMatchObject({ type: 'SALE', refundedAmount: 2500 });
    expect(rows.filter((r: { type: string }) => r.type === 'REFUND').map((r: { amount: number; parentTransactionId: string }) => [r.amount, r.parentTransactionId])).toEqual([
      [1000, transactionId],
      [1500, transactionId],
    ]);
    // the rest, by default all that remains
    expect((await http.post(`/transactions/${transactionId}/refund`, {}).expect(200)).body).toMatchObject({ status: 'SUCCEEDED', amount: 2500 });
    expect((await http.get(`/transactions/${transactionId}`).expect(200)).body.refundedAmount).toBe(5000);
  });

  it('refunds from the order: void first while unsettled, a refund once settled', async () => {
    const first = await placeCardOrder();
    expect((await http.post(`/orders/${first.orderId}/refund`, {}).expect(200)).body).toMatchObject({ action: 'VOID', status: 'VOIDED' });
    const second = await placeCardOrder();
    await settleAll();
    const refund = (await http.post(`/orders/${second.orderId}/refund`, { amount: 999 }).expect(200)).body;
    expect(refund).toMatchObject({ action: 'REFUND', status: 'SUCCEEDED', amount: 999 });
    expect((await http.get(`/refunds/${refund.refundId}`).expect(200)).body).toMatchObject({ transactionId: second.transactionId, amount: 999, status: 'SUCCEEDED' });
  });

  it('voids the charge when the order is cancelled with a full refund, and ignores a cancel without one', async () => {
    const kept = await placeCardOrder();
    const cancelled = await placeCardOrder();
    const cancel = (orderId: string, fullRefund: boolean) =>
      // one key for both, so they share a partition and are handled in this order
      probe.publish(Topics.ordersEvents, `order-${cancelled.orderId}`, 'OrderCancelled', orderCancelled(orderId, { fullRefund, refundableAmount: 4999 }));
    await cancel(kept.orderId, false);
    await cancel(cancelled.orderId, true);
    const voided = await probe.waitForEvent('ChargeVoided', { transactionId: cancelled.transactionId });
    expect(voided.data).toMatchObject({ amount: 4999, autoCancel: false });
    // the first cancel came earlier on the same partition, so it has been handled by now
    expect(probe.events('ChargeVoided', { transactionId: kept.transactionId })).toEqual([]);
    expect((await http.get(`/transactions/${kept.transactionId}`).expect(200)).body.voided).toBe(false);
  });

  it('charges a rerun on the card on file, naming the declined charge it reruns', async () => {
    const { orderId, transactionId } = await placeCardOrder({ card: '4000000000009995' });
    await probe.waitForEvent('PaymentDeclined', { transactionId });
    const rerun = await probe.publish(Topics.ordersEvents, `order-${orderId}`, 'OrderRerunRequested', {
      orderId,
      customerId: `cus-${orderId}`,
      currency: 'USD',
      previousTransactionId: transactionId,
    });
    const rerunId = `${orderId}-rerun-${rerun.eventId}`;
    const declined = await probe.waitForEvent('PaymentDeclined', { transactionId: rerunId });
    expect(declined.data).toMatchObject({ response: 'SOFT_DECLINE', rerunOf: transactionId, card: { last4: '9995' }, purpose: 'RERUN' });
    expect(declined.causationId).toBe(rerun.eventId);
    expect(declined.correlationId).toBe(rerun.correlationId);
  });

  it('charges an upsell on a CARD order its own amount on the card on file, marked UPSELL with its order item', async () => {
    const { orderId, transactionId } = await placeCardOrder({ total: 4999 });
    await probe.waitForEvent('PaymentApproved', { transactionId });
    // no card on the event: payments charges the one it remembered from OrderPlaced
    await probe.publish(Topics.ordersEvents, `order-${orderId}`, 'UpsellAdded', upsellAdded(orderId, { orderItemId: 'oi-2', price: 1200, shippingPrice: 300, orderTotal: 4999 }));
    const upsellId = `${orderId}-upsell-oi-2`;
    const approved = await probe.waitForEvent('PaymentApproved', { transactionId: upsellId });
    expect(approved.data).toMatchObject({ orderId, amount: 1500, response: 'SUCCESS', card: { last4: '1111' }, purpose: 'UPSELL', orderItemId: 'oi-2' });
    const rows = (await eventually(async () => {
      const listed = (await http.get(`/transactions?orderId=${orderId}`).expect(200)).body;
      return listed.length >= 2 && listed;
    }, 'the upsell row', paymentsWait)) as { transactionId: string; type: string; amount: number }[];
    expect(rows.map((r) => [r.transactionId, r.type, r.amount]).sort()).toEqual([
      [transactionId, 'SALE', 4999],
      [upsellId, 'SALE', 1500],
    ]);
  });

  it('charges the first charge of a rebill order as REBILL', async () => {
    const orderId = newOrderId();
    const placed = { ...orderPlaced(orderId, { total: 2298, card: await tokenise(TEST_CARDS.approve) }), rebill: { purchaseId: `pur-${orderId}`, billingCycle: 2, originalOrderId: `ord-original` } };
    await probe.publish(Topics.ordersEvents, `order-${orderId}`, 'OrderPlaced', placed);
    const approved = await probe.waitForEvent('PaymentApproved', { transactionId: `${orderId}-charge-1` });
    expect(approved.data).toMatchObject({ orderId, amount: 2298, purpose: 'REBILL' });
  });

  it('never records a gateway timeout as a decline: the charge is retried, then dead-lettered with the reason', async () => {
    const orderId = newOrderId();
    await probe.publish(Topics.ordersEvents, `order-${orderId}`, 'OrderPlaced', orderPlaced(orderId, { card: await tokenise(TEST_CARDS.timeout) }));
    const letter = await probe.waitForDeadLetter((d) => (d.original ?? '').includes(orderId), 'dead letter');
    expect(letter).toMatchObject({ reason: 'failed', error: { name: 'GatewayTimeoutError' } });
    expect(letter.error.message).toContain('timed out');
    expect((await http.get(`/transactions?orderId=${orderId}`).expect(200)).body).toEqual([]);
    expect(probe.events(undefined, { orderId })).toEqual([]);
  });

  it('serves the queue dashboard to admins only', async () => {
    await http.get('/queues').expect(403);
    const queues = await http.get('/queues/api/queues', devKeys.admin).expect(200);
    expect(queues.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(['charges', 'payments-sweeps', 'refund-retries', 'settlement-runs', 'settlements']);
    await http.get('/queues', null).expect(401);
  });

  it('opens a COD transaction as PENDING and records SUCCESS when fulfillment marks it paid', async () => {
    const orderId = newOrderId();
    await probe.publish(Topics.ordersEvents, `order-${orderId}`, 'OrderPlaced', orderPlaced(orderId, { paymentType: 'COD', total: 3000 }));
    const transactionId = `${orderId}-cod`;
    const opened = await eventually(async () => (await http.get(`/transactions?orderId=${orderId}`)).body[0], 'COD transaction', paymentsWait);
    expect(opened).toMatchObject({ transactionId, type: 'COD', response: 'PENDING', card: 'COD', amount: 3000 });
    await probe.publish(Topics.fulfillmentEvents, `fulfillment-${orderId}`, 'CodMarkedPaid', { fulfillmentId: `ful-${orderId}`, orderId, deliveryConfirmation: 'DC-123', date: '2026-03-01' });
    await probe.waitForEvent('CodPaymentReceived', { transactionId });
    expect((await http.get(`/transactions/${transactionId}`).expect(200)).body).toMatchObject({ type: 'COD', response: 'SUCCESS' });
  });

  it('records an undelivered COD reattempt as a soft decline that stays pending, and DECLINED as the final hard decline', async () => {
    const orderId = newOrderId();
    await probe.publish(Topics.ordersEvents, `order-${orderId}`, 'OrderPlaced', orderPlaced(orderId, { paymentType: 'COD', total: 3000 }));
    const transactionId = `${orderId}-cod`;
    await probe.waitForEvent('CodTransactionOpened', { transactionId });
    const undelivered = (status: string) =>
      probe.publish(Topics.fulfillmentEvents, `fulfillment-${orderId}`, 'CodMarkedUndelivered', { fulfillmentId: `ful-${orderId}`, orderId, status });

    await undelivered('SCHEDULED_FOR_REATTEMPT');
    const soft = await probe.waitForEvent('CodDeliveryFailed', { transactionId });
    expect(soft.data).toMatchObject({ status: 'SCHEDULED_FOR_REATTEMPT', final: false, response: 'SOFT_DECLINE' });
    expect((await http.get(`/transactions/${transactionId}`).expect(200)).body).toMatchObject({ type: 'COD', response: 'SOFT_DECLINE', amount: 3000 });

    // still open: the carrier's final refusal is recorded on the same transaction
    await undelivered('DECLINED');
    const hard = await probe.waitForEvent('CodDeliveryFailed', { transactionId, final: true });
    expect(hard.data).toMatchObject({ status: 'DECLINED', final: true, response: 'HARD_DECLINE' });
    expect((await http.get(`/transactions/${transactionId}`).expect(200)).body).toMatchObject({ type: 'COD', response: 'HARD_DECLINE' });
    expect(probe.events('CodPaymentReceived', { transactionId })).toEqual([]);
  });

  it('marks a chargeback over HTTP, shows it on the transaction, and reverts it', async () => {
    const { transactionId } = await placeCardOrder({ total: 4000 });
    const url = `/transactions/${transactionId}/chargeback`;
    // a chargeback disputes settled money (an unsettled charge is voided instead)
    expect((await http.post(url, { amount: 100, date: '2026-03-02', reasonCode: '10.4' }).expect(422)).body.code).toBe('CHARGE_NOT_SETTLED');
    await settleAll();
    await eventually(async () => (await http.get(`/transactions/${transactionId}`).expect(200)).body.settled === true, 'charge settled', paymentsWait);
    const tooMuch = await http.post(url, { amount: 4001, date: '2026-03-02', reasonCode: '10.4' }).expect(422);
    expect(tooMuch.body.code).toBe('CHARGEBACK_EXCEEDS_CHARGE');
    await http.post(url, { amount: 0, date: '2026-03-02', reasonCode: '10.4' }).expect(400);

    const marked = await http.post(url, { amount: 2500, date: '2026-03-02', reasonCode: '10.4', note: 'stolen card' }).expect(200);
    const chargeback = { amount: 2500, date: '2026-03-02', reasonCode: '10.4', note: 'stolen card' };
    expect(marked.body).toMatchObject({ transactionId, chargeback });
    expect((await http.get(`/transactions/${transactionId}`).expect(200)).body.chargeback).toEqual(chargeback);
    expect((await probe.waitForEvent('ChargebackMarked', { transactionId })).data).toMatchObject(chargeback);
    expect((await http.post(url, { amount: 100, date: '2026-03-03', reasonCode: '13.1' }).expect(422)).body.code).toBe('CHARGEBACK_ALREADY_MARKED');

    const del = () => http.delete(url);
    const reverted = await del().expect(200);
    expect(reverted.body).toMatchObject({ transactionId, chargeback: null });
    expect((await http.get(`/transactions/${transactionId}`).expect(200)).body.chargeback).toBeNull();
    expect((await probe.waitForEvent('ChargebackReverted', { transactionId })).data).toMatchObject({ amount: 2500 });
    expect((await del().expect(422)).body.code).toBe('NO_CHARGEBACK');
  });

  it("emails the customer's refund and sends it again on resend-email (RefundEmailResent), also when an agent asks orders for the order's refund email", async () => {
    const { customerId, email } = await registerCustomer();
    const { transactionId } = await placeCardOrder({ total: 2000, customerId });
    await settleAll();
    const { refundId } = (await http.post(`/transactions/${transactionId}/refund`, {}).expect(200)).body;
    const firstMail = await eventually(async () => ((await mailsTo(email)).length >= 1 ? mailsTo(email) : undefined), 'refund email', paymentsWait);
    expect(firstMail[0].subject).toContain(transactionId.replace(/-charge-1$/, ''));
    expect(firstMail[0].text).toContain('USD 20.00');
    const resent = await http.post(`/refunds/${refundId}/resend-email`).expect(200);
    expect(resent.body).toEqual({ refundId, to: email });
    await probe.waitForEvent('RefundEmailResent', { transactionId });
    const mails = await eventually(async () => ((await mailsTo(email)).length >= 2 ? mailsTo(email) : undefined), 'resent email', paymentsWait);
    expect(mails).toHaveLength(2);

    // an agent's POST /orders/:id/resend-email {kind: REFUND} on orders: payments resends the order's last refund email
    const orderId = transactionId.replace(/-charge-1$/, '');
    await probe.publish(Topics.ordersEvents, `order-${orderId}`, 'OrderEmailResendRequested', { orderId, customerId, kind: 'REFUND', at: new Date().toISOString() });
    await eventually(() => (probe.events('RefundEmailResent', { transactionId }).length >= 2 ? true : undefined), 'the refund email resent for the order', paymentsWait);
    expect(probe.events('RefundEmailResent', { transactionId }).map((event) => (event.data as { refundId: string }).refundId)).toEqual([refundId, refundId]);
    await eventually(async () => ((await mailsTo(email)).length >= 3 ? true : undefined), 'the third refund email', paymentsWait);
    expect((await mailsTo(email)).filter((mail) => mail.subject.includes(orderId))).toHaveLength(3);
  });
  it("keeps the customer's latest email: a late or redelivered customer event changes nothing (no handled-event records)", async () => {
    const { customerId, email } = await registerCustomer();
    const emails = app().get(CustomerEmailsView);
    await probe.publish(Topics.customersEvents, `customer-${customerId}`, 'CustomerUpdated', { customerId, changes: { email: 'new@example.test' } }, { streamVersion: 3 });
    await eventually(async () => (await emails.emailOf(customerId)) === 'new@example.test', 'the changed email', paymentsWait);
    // the registration (version 1) again, then a change from version 2 arriving after version 3
    const change = (to: string, streamVersion: number) =>
      emails.store.applyEvent(eventEnvelope('CustomerUpdated', `customer-${customerId}`, { customerId, changes: { email: to } }, { streamVersion }));
    expect(await change(email, 1)).toBe(0);
    expect(await change('older@example.test', 2)).toBe(0);
    expect(await emails.emailOf(customerId)).toBe('new@example.test');
    expect(await change('newest@example.test', 4)).toBe(1);
    expect(await emails.emailOf(customerId)).toBe('newest@example.test');
  });
});
