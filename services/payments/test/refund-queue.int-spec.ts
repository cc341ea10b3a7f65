import { randomUUID } from 'node:crypto';
import { systemActor } from '@continuum/contracts';
import { systemContext } from '@continuum/platform';
import { devKeys, eventually, mailsTo } from '@continuum/testing';
import { TransactionAggregate } from '../src/commands';
import { ApprovedCharge, VOID_NEVER_SENT_MESSAGE, voidIdOf } from '../src/domain';
import { PAYMENT_GATEWAY, PaymentGateway } from '../src/gateway';
import { STALLED_REFUND_SWEEPER, VOID_RESERVATION_SWEEPER } from '../src/jobs';
import { paymentsWait, usePaymentsService } from './payments-harness';

type Refund = { refundId: string; status: string; attempts: { at: string; result: string; message: string }[] };

// A refund the gateway rejects is queued and retried (REFUND_RETRY_DELAY_MS = 300 here)
// three times; after the third retry fails it is abandoned and Notify Emails get one email.
describe('refund retry queue on BullMQ (Kafka, FerretDB, Redis, maildev)', () => {
  // the sweepers look every 300 ms; a void reservation or a refund without its first attempt is left behind after 1 s
  const { notifyEmail, probe, http, app, placeCardOrder, settleAll, start, stop } = usePaymentsService({
    env: { VOID_SWEEP_INTERVAL_MS: '300', VOID_RESERVATION_MAX_AGE_MS: '1000', REFUND_SWEEP_INTERVAL_MS: '300', REFUND_STALL_AFTER_MS: '1000' },
  });

  /** A settled charge on `card`, refunded in full over HTTP; returns the refund's first answer. */
  async function refundSettledCharge(card: string): Promise<{ transactionId: string; orderId: string; refundId: string; status: string }> {
    const { orderId, transactionId } = await placeCardOrder({ card, total: 2599 });
    await settleAll('dev-service');
    const answer = (await http.post(`/transactions/${transactionId}/refund`, {}).expect(200)).body;
    return { transactionId, orderId, ...answer };
  }

  const refundOf = async (refundId: string): Promise<Refund> => (await http.get(`/refunds/${refundId}`).expect(200)).body;

  it('queues a refund of 4000000000000119, retries it three times and abandons it with exactly one email to Notify Emails', async () => {
    const { refundId, status, orderId } = await refundSettledCharge('4000000000000119');
    expect(status).toBe('QUEUED');
    expect((await http.get('/refunds?status=QUEUED').expect(200)).body.map((r: Refund) => r.refundId)).toContain(refundId);

    const abandoned = await eventually(async () => {
      const refund = await refundOf(refundId);
      return refund.status === 'ABANDONED' ? refund : undefined;
    }, 'abandoned refund', paymentsWait);
    expect(abandoned.attempts).toHaveLength(4);
    expect(abandoned.attempts.every((a) => a.result === 'FAILED')).toBe(true);
    // each retry waited for the configured delay after the attempt before it
    const times = abandoned.attempts.map((a) => Date.parse(a.at));
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(300);
    // the list is a view written right after the stream: it follows within moments, not in the same instant
    await eventually(
      async () => !(await http.get('/refunds?status=QUEUED').expect(200)).body.map((r: Refund) => r.refundId).includes(refundId),
      'the abandoned refund to leave the refund queue list',
      paymentsWait,
    );
    // the list is paged: limit 1..200, after = the last refundId of the page before
    const abandonedIds = async (query: string) => ((await http.get(`/refunds?status=ABANDONED&${query}`).expect(200)).body as Refund[]).map((r) => r.refundId);
    expect(await abandonedIds('limit=200')).toContain(refundId);
    expect(await abandonedIds(`limit=200&after=${refundId}`)).not.toContain(refundId);
    expect((await http.get('/refunds?limit=1').expect(200)).body).toHaveLength(1);
    for (const limit of ['0', '201']) expect((await http.get(`/refunds?limit=${limit}`).expect(400)).body.errors.map((e: { field: string }) => e.field)).toContain('limit');

    const mails = await eventually(async () => {
      const found = await mailsTo(notifyEmail);
      return found.length > 0 ? found : undefined;
    }, 'Notify Emails message', paymentsWait);
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toContain(refundId);
    expect(mails[0].text).toContain(orderId);
    expect(mails[0].text).toContain('USD 25.99');
    expect(mails[0].text).toContain('Gateway attempts (4)');
    // every RefundFailed and the final RefundAbandoned went out on the payments topic
    await probe.waitForEvent('RefundAbandoned', { refundId });
    expect(probe.events('RefundFailed', { refundId })).toHaveLength(4);
  });

  it('succeeds on the first retry for 4000000000000259', async () => {
    const { refundId, status } = await refundSettledCharge('4000000000000259');
    expect(status).toBe('QUEUED');
    const done = await eventually(async () => {
      const refund = await refundOf(refundId);
      return refund.status === 'SUCCEEDED' ? refund : undefined;
    }, 'succeeded refund', paymentsWait);
    expect(done.attempts.map((a) => a.result)).toEqual(['FAILED', 'SUCCESS']);
  });

  it('still retries a queued refund after the service was closed and started again', async () => {
    // a longer delay, so the retry is surely due only after the restart
    await stop();
    await start({ REFUND_RETRY_DELAY_MS: '4000' });
    const { refundId, status } = await refundSettledCharge('4000000000000259');
    expect(status).toBe('QUEUED');
    await stop();
    const closedAt = Date.now();

    await start();
    const done = await eventually(async () => {
      const refund = await refundOf(refundId);
      return refund.status === 'SUCCEEDED' ? refund : undefined;
    }, 'refund retried by the new instance', paymentsWait);
    expect(done.attempts.map((a) => a.result)).toEqual(['FAILED', 'SUCCESS']);
    expect(Date.parse(done.attempts[1].at)).toBeGreaterThanOrEqual(closedAt);
  });
  it('sweepers: a void reserved and never recorded is completed or released from the gateway status, a refund stalled before its first attempt is resumed; GET /ops shows their runs', async () => {
    const transactions = app().get(TransactionAggregate);
    const gateway = app().get<PaymentGateway>(PAYMENT_GATEWAY);
    const crashed = systemContext(systemActor('it-crashed-request'), `it-${randomUUID()}`, null);
    // reserved, then the process died before the gateway call: the gateway never heard of the void
    const lost = await placeCardOrder({ total: 1100 });
    await transactions.run(lost.transactionId, { type: 'RequestVoid', data: { voidId: voidIdOf(lost.transactionId) } }, crashed);
    // reserved and voided at the gateway, then the process died before recording the answer
    const made = await placeCardOrder({ total: 1200 });
    const reserved = (await transactions.run(made.transactionId, { type: 'RequestVoid', data: { voidId: voidIdOf(made.transactionId) } }, crashed)).state as ApprovedCharge;
    await gateway.void({ gatewayTransactionId: reserved.gatewayTransactionId!, token: reserved.card.token, reference: `${made.transactionId}:void:1` });
    // a refund requested, then the process died before its first gateway call
    const stalled = await placeCardOrder({ total: 1300 });
    await settleAll('dev-service');
    const refundId = `rf-it-${randomUUID()}`;
    await transactions.run(stalled.transactionId, { type: 'RequestRefund', data: { refundId } }, crashed);

    const released = await probe.waitForEvent('VoidFailed', { transactionId: lost.transactionId });
    expect(released.actor).toEqual({ kind: 'system', id: VOID_RESERVATION_SWEEPER });
    expect((released.data as { message: string }).message).toBe(VOID_NEVER_SENT_MESSAGE);
    const completed = await probe.waitForEvent('ChargeVoided', { transactionId: made.transactionId });
    expect(completed.actor).toEqual({ kind: 'system', id: VOID_RESERVATION_SWEEPER });
    expect(completed.data).toMatchObject({ amount: 1200, gatewayTransactionId: `test_vd_${reserved.gatewayTransactionId}` });
    const refunded = await probe.waitForEvent('RefundSucceeded', { transactionId: stalled.transactionId });
    expect(refunded.actor).toEqual({ kind: 'system', id: STALLED_REFUND_SWEEPER });
    expect(refunded.data).toMatchObject({ refundId, attempt: 1, amount: 1300 });
    // the released charge settles again (by this run, or by the one above when the sweeper released it
    // first: a slow machine takes more than the reservation's age to place the third order); the voided
    // one never does
    await settleAll('dev-service');
    expect((await http.get(`/transactions/${lost.transactionId}`).expect(200)).body.settled).toBe(true);
    expect((await http.get(`/transactions/${made.transactionId}`).expect(200)).body.settled).toBe(false);

    const sweepers = (await http.get('/ops', devKeys.admin).expect(200)).body.sweepers as { name: string; lastResult: { ok: boolean } | null; runs: { ok: number } }[];
    for (const name of [VOID_RESERVATION_SWEEPER, STALLED_REFUND_SWEEPER]) {
      expect(sweepers).toContainEqual(expect.objectContaining({ name, lastRunAt: expect.any(String), lastResult: expect.objectContaining({ ok: true }) }));
    }
  });
});
