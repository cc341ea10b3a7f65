import { randomUUID } from 'node:crypto';
import { EventEnvelope, Topics } from '@continuum/contracts';
import { eventually, mailsTo, republished } from '@continuum/testing';
import { GatewayResult, GatewayTimeoutError, RefundRequest } from '../src/gateway';
import { CUSTOMER_REFUND_EMAIL_GROUP, REFUND_ABANDONED_EMAIL_GROUP } from '../src/messaging';
import { RecordingGateway, cardOnFile, orderCancelled, paymentsWait, usePaymentsService } from './payments-harness';

/** What the scripted gateway does on the next refund call of a charge. */
type RefundStep = 'timeout' | 'crash' | 'reject' | 'gateway';

/** The recording test gateway, with refund calls that time out or crash on cue (per gateway transaction id). */
class ScriptedGateway extends RecordingGateway {
  /** steps consumed one per refund call; `always` repeats until cleared */
  readonly script = new Map<string, RefundStep[]>();
  readonly always = new Map<string, RefundStep>();

  override async refund(request: RefundRequest): Promise<GatewayResult> {
    const step = this.script.get(request.gatewayTransactionId)?.shift() ?? this.always.get(request.gatewayTransactionId) ?? 'gateway';
    if (step === 'gateway') return super.refund(request);
    this.refunds.push(request);
    if (step === 'timeout') throw new GatewayTimeoutError('refund', request.reference);
    if (step === 'reject') return { succeeded: false, message: 'Refund rejected by the issuer' };
    throw new Error('connection reset by the gateway');
  }
}

type Refund = { refundId: string; transactionId: string; status: string; amount: number; attempts: { result: string; message: string }[] };

// The review findings on money: stalled and timed-out refunds, repeated requests, reruns, void vs settlement, emails.
describe('payments money safety (Kafka, FerretDB, Redis, maildev)', () => {
  const gateway = new ScriptedGateway();
  // Every refund without a recorded attempt counts as stalled at once here (the F1 specs resume them
  // on the next request); in-flight-gateway-calls.int-spec.ts proves the 2-minute default's 409.
  const { notifyEmail, probe, http, placeCardOrder, settleAll, registerCustomer, handled, tokenise } = usePaymentsService({ gateway, env: { REFUND_STALL_AFTER_MS: '0' } });

  async function settledCharge(total = 4999, customerId?: string): Promise<{ orderId: string; transactionId: string; gatewayId: string }> {
    const charge = await placeCardOrder({ total, ...(customerId ? { customerId } : {}) });
    await settleAll('dev-service');
    return { ...charge, gatewayId: `test_ch_${charge.transactionId}` };
  }

  const refundsOf = async (transactionId: string): Promise<Refund[]> =>
    ((await http.get('/refunds').expect(200)).body as Refund[]).filter((r) => r.transactionId === transactionId);
  const refundOf = async (refundId: string): Promise<Refund> => (await http.get(`/refunds/${refundId}`).expect(200)).body;
  const refundsOfTransaction = (transactionId: string) => probe.events('RefundRequested', { transactionId });
  const untilRefund = (refundId: string, status: string) =>
    eventually(async () => {
      const refund = await refundOf(refundId);
      return refund.status === status ? refund : undefined;
    }, `refund ${refundId} ${status}`, paymentsWait);

  // R4: the timed-out call may have refunded, so the retry repeats its reference for the gateway to deduplicate.
  it('F1/R4: a refund whose first gateway call times out is recorded as a failed attempt and the queue refunds it under the same reference', async () => {
    const { transactionId, gatewayId } = await settledCharge(2500);
    gateway.script.set(gatewayId, ['timeout']);
    const answer = (await http.post(`/transactions/${transactionId}/refund`, {}).expect(200)).body;
    expect(answer).toMatchObject({ status: 'QUEUED', amount: 2500 });
    const done = await untilRefund(answer.refundId, 'SUCCEEDED');
    expect(done.attempts.map((a) => [a.result, a.message])).toEqual([
      ['FAILED', 'gateway timed out'],
      ['SUCCESS', 'Refunded'],
    ]);
    expect(gateway.refundsOf(answer.refundId).map((r) => [r.attempt, r.reference])).toEqual([
      [1, `${answer.refundId}:1`],
      [2, `${answer.refundId}:1`],
    ]);
  });

  it('R4: after the gateway rejected an attempt the retry is a new request, with a new reference', async () => {
    const { transactionId, gatewayId } = await settledCharge(2600);
    gateway.script.set(gatewayId, ['reject']);
    const answer = (await http.post(`/transactions/${transactionId}/refund`, {}).expect(200)).body;
    expect(answer).toMatchObject({ status: 'QUEUED', amount: 2600 });
    await untilRefund(answer.refundId, 'SUCCEEDED');
    expect(gateway.refundsOf(answer.refundId).map((r) => r.reference)).toEqual([`${answer.refundId}:1`, `${answer.refundId}:2`]);
  });

  it('F1: a refund stalled at PENDING (the gateway call crashed) is finished by the same request again, not refused', async () => {
    const { orderId, transactionId, gatewayId } = await settledCharge(3000);
    gateway.script.set(gatewayId, ['crash']);
    await http.post(`/orders/${orderId}/refund`, {}).expect(500);
    const [stalled] = await refundsOf(transactionId);
    expect(stalled).toMatchObject({ status: 'PENDING', amount: 3000, attempts: [] });

    const again = (await http.post(`/orders/${orderId}/refund`, {}).expect(200)).body;
    expect(again).toMatchObject({ action: 'REFUND', refundId: stalled.refundId, amount: 3000, status: 'SUCCEEDED' });
    expect((await http.get(`/transactions/${transactionId}`).expect(200)).body.refundedAmount).toBe(3000);
    await eventually(() => refundsOfTransaction(transactionId).length === 1, 'RefundRequested published', paymentsWait);
  });

  it('F1: a retried OrderCancelled(fullRefund) resumes the refund a failed first cancel left PENDING', async () => {
    const { orderId, transactionId, gatewayId } = await settledCharge(4200);
    gateway.always.set(gatewayId, 'crash');
    const cancel = () =>
      probe.publish(Topics.ordersEvents, `order-${orderId}`, 'OrderCancelled', orderCancelled(orderId, { fullRefund: true, refundableAmount: 4200 }));
    await cancel();
    await probe.waitForDeadLetter((d) => (d.original ?? '').includes(orderId), 'first cancel dead-lettered');
    const [stalled] = await refundsOf(transactionId);
    expect(stalled).toMatchObject({ status: 'PENDING', attempts: [] });

    gateway.always.delete(gatewayId);
    await cancel();
    const done = await untilRefund(stalled.refundId, 'SUCCEEDED');
    expect(done.amount).toBe(4200);
    expect(await refundsOf(transactionId)).toHaveLength(1);
  });

  it('F2: a refund repeated with the same Idempotency-Key calls the gateway once, with reference <refundId>:1', async () => {
    const { transactionId } = await settledCharge(1800);
    const key = `idem-${randomUUID()}`;
    const first = (await http.post(`/transactions/${transactionId}/refund`, {}).set('Idempotency-Key', key).expect(200)).body;
    expect(first).toMatchObject({ status: 'SUCCEEDED', amount: 1800 });
    const again = (await http.post(`/transactions/${transactionId}/refund`, {}).set('Idempotency-Key', key).expect(200)).body;
    expect(again).toMatchObject({ refundId: first.refundId, status: 'SUCCEEDED', amount: 1800 });
    expect(gateway.refundsOf(first.refundId).map((r) => r.reference)).toEqual([`${first.refundId}:1`]);
    expect((await http.get(`/transactions/${transactionId}`).expect(200)).body.refundedAmount).toBe(1800);
  });

  it('F2: a refund whose first request failed after reserving it, repeated with the same Idempotency-Key, is the same command: it finishes that refund', async () => {
    const { transactionId, gatewayId } = await settledCharge(1900);
    const key = `idem-${randomUUID()}`;
    gateway.script.set(gatewayId, ['crash']);
    // the failed request releases its key in the HTTP layer, so the retry reaches the command again
    await http.post(`/transactions/${transactionId}/refund`, {}).set('Idempotency-Key', key).expect(500);
    const [stalled] = await refundsOf(transactionId);
    expect(stalled).toMatchObject({ status: 'PENDING', amount: 1900, attempts: [] });

    // its RequestRefund derives the refund id from the key: replayed, not IDEMPOTENCY_KEY_REUSED
    const again = (await http.post(`/transactions/${transactionId}/refund`, {}).set('Idempotency-Key', key).expect(200)).body;
    expect(again).toMatchObject({ refundId: stalled.refundId, status: 'SUCCEEDED', amount: 1900 });
    expect(await refundsOf(transactionId)).toHaveLength(1);
    expect((await http.get(`/transactions/${transactionId}`).expect(200)).body.refundedAmount).toBe(1900);
  });

  it('F6: a refund whose every gateway call times out is retried, abandoned after 4 attempts and reported once', async () => {
    const { orderId, transactionId, gatewayId } = await settledCharge(2700);
    gateway.always.set(gatewayId, 'timeout');
    const answer = (await http.post(`/transactions/${transactionId}/refund`, {}).expect(200)).body;
    expect(answer.status).toBe('QUEUED');
    const abandoned = await untilRefund(answer.refundId, 'ABANDONED');
    expect(abandoned.attempts).toHaveLength(4);
    expect(abandoned.attempts.every((a) => a.result === 'FAILED' && a.message === 'gateway timed out')).toBe(true);
    // R4: no answer ever came, so every attempt repeated the first reference
    expect(gateway.refundsOf(answer.refundId).map((r) => r.reference)).toEqual(Array(4).fill(`${answer.refundId}:1`));
    const mails = await eventually(async () => {
      const found = (await mailsTo(notifyEmail)).filter((m) => m.subject.includes(answer.refundId));
      return found.length > 0 ? found : undefined;
    }, 'Notify Emails message', paymentsWait);
    expect(mails[0].text).toContain(orderId);

    // F8: the same RefundAbandoned handled again (as after a crash between the send and the
    // handled-event record, here under a new event id) sends no second email.
    const original = await probe.waitForEvent('RefundAbandoned', { refundId: answer.refundId });
    const copy = await republish(original);
    await handled(REFUND_ABANDONED_EMAIL_GROUP, copy.eventId);
    expect((await mailsTo(notifyEmail)).filter((m) => m.subject.includes(answer.refundId))).toHaveLength(1);
  });

  it("F8: the customer's refund email goes out once per refund, even when RefundSucceeded is handled again; a resend is its own email", async () => {
    const { customerId, email } = await registerCustomer();
    const { transactionId } = await settledCharge(2000, customerId);
    const { refundId } = (await http.post(`/transactions/${transactionId}/refund`, {}).expect(200)).body;
    await eventually(async () => ((await mailsTo(email)).length >= 1 ? true : undefined), 'refund email', paymentsWait);
    const succeeded = await probe.waitForEvent('RefundSucceeded', { transactionId });
    await handled(CUSTOMER_REFUND_EMAIL_GROUP, (await republish(succeeded)).eventId);
    expect(await mailsTo(email)).toHaveLength(1);

    await http.post(`/refunds/${refundId}/resend-email`).expect(200);
    await eventually(async () => ((await mailsTo(email)).length >= 2 ? true : undefined), 'resent email', paymentsWait);
    expect(await mailsTo(email)).toHaveLength(2);
  });

  it('F3: a rerun charges the amount of the declined charge, not the order total that counts an upsell', async () => {
    const { orderId, transactionId } = await placeCardOrder({ card: '4000000000009995', total: 4999 });
    await probe.waitForEvent('PaymentDeclined', { transactionId });
    const rerun = await probe.publish(Topics.ordersEvents, `order-${orderId}`, 'OrderRerunRequested', {
      orderId,
      customerId: `cus-${orderId}`,
      currency: 'USD',
      card: cardOnFile(await tokenise('4111111111111111')),
    });
    const approved = await probe.waitForEvent('PaymentApproved', { transactionId: `${orderId}-rerun-${rerun.eventId}` });
    expect(approved.data).toMatchObject({ amount: 4999, purpose: 'RERUN' });
  });

  it('F5: a void is reserved (VoidRequested) before the gateway call, which carries the reference <transactionId>:void:1', async () => {
    const { transactionId } = await placeCardOrder();
    await http.post(`/transactions/${transactionId}/void`).expect(200);
    await probe.waitForEvent('ChargeVoided', { transactionId });
    const types = probe.events(undefined, { transactionId }).map((e) => e.type);
    expect(types).toEqual(['PaymentApproved', 'VoidRequested', 'ChargeVoided']);
    expect(gateway.voids.filter((v) => v.reference === `${transactionId}:void:1`)).toHaveLength(1);
    // voiding again asks the gateway nothing
    await http.post(`/transactions/${transactionId}/void`).expect(200);
    expect(gateway.voids.filter((v) => v.reference === `${transactionId}:void:1`)).toHaveLength(1);
  });

  /** Publishes a copy of a payments event under a new event id, as if it were delivered again after a crash. */
  async function republish(envelope: EventEnvelope): Promise<EventEnvelope> {
    const copy = republished(envelope);
    await probe.publishEnvelope(Topics.paymentsEvents, copy);
    return copy;
  }
});
