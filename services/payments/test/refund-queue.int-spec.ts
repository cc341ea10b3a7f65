import { eventually, mailsTo } from '@continuum/testing';
import { paymentsWait, usePaymentsService } from './payments-harness';

type Refund = { refundId: string; status: string; attempts: { at: string; result: string; message: string }[] };

// Seed 001: a refund the gateway rejects is queued and retried (REFUND_RETRY_DELAY_MS = 300 here)
// three times; after the third retry fails it is abandoned and Notify Emails get one email.
describe('refund retry queue on BullMQ (Kafka, FerretDB, Redis, maildev)', () => {
  const { notifyEmail, probe, http, placeCardOrder, settleAll, start, stop } = usePaymentsService();

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
});
