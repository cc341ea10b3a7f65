import { eventually } from '@continuum/testing';
import { TEST_CARDS } from '../src/gateway';
import { RecordingGateway, paymentsWait, usePaymentsService } from './payments-harness';

type Refund = { refundId: string; status: string; amount: number; attempts: { result: string; message: string }[] };
type Row = { transactionId: string; parentTransactionId?: string; type: string; amount: number; refundedAmount?: number; settled?: boolean };

/**
 * Refund from the order falls back (docs/payments.md, "Refund from the order"): a void the gateway
 * refuses is followed by a refund; the gateway refuses that refund while the charge has not settled,
 * so it waits in the refund queue, and the retry that follows the settlement refunds it.
 */
describe('refund from the order after a failed void (Kafka, FerretDB, Redis)', () => {
  const gateway = new RecordingGateway();
  const { http, probe, placeCardOrder, settleAll } = usePaymentsService({ gateway });
  const refundOf = async (refundId: string): Promise<Refund> => (await http.get(`/refunds/${refundId}`).expect(200)).body;
  const rowsOf = async (orderId: string): Promise<Row[]> => (await http.get(`/transactions?orderId=${orderId}`).expect(200)).body;
  const gatewayCallsOf = (transactionId: string) => ({
    voids: gateway.voids.filter((v) => v.reference.startsWith(`${transactionId}:void:`)),
    refunds: gateway.refunds.filter((r) => r.gatewayTransactionId.endsWith(transactionId)),
  });

  it('card 4000000000000424: the void fails, a refund follows QUEUED (not settled), and after a settlement run its retry makes it SUCCEEDED, shown once', async () => {
    const { orderId, transactionId } = await placeCardOrder({ card: TEST_CARDS.voidAlwaysFails, total: 3100 });

    const answer = (await http.post(`/orders/${orderId}/refund`, {}).expect(200)).body;
    expect(answer).toMatchObject({ action: 'REFUND', transactionId, amount: 3100, status: 'QUEUED', voidFailed: true });
    expect(typeof answer.refundId).toBe('string');
    const { refundId } = answer;
    expect(gatewayCallsOf(transactionId).voids).toHaveLength(1);

    // the refusal is recorded as NOT_SETTLED and queued to follow the settlement, not the daily delay
    await probe.waitForEvent('VoidFailed', { transactionId });
    await probe.waitForEvent('RefundQueued', { refundId, afterSettlement: true });
    expect(probe.events('RefundFailed', { refundId })).toEqual([expect.objectContaining({ data: expect.objectContaining({ outcome: 'NOT_SETTLED', attempt: 1 }) })]);

    // nothing more can be voided or refunded while the refund holds all of the charge
    expect((await http.post(`/orders/${orderId}/refund`, {}).expect(422)).body).toMatchObject({ code: 'NOTHING_TO_REFUND' });
    expect((await http.post(`/transactions/${transactionId}/void`, {}).expect(422)).body).toMatchObject({ code: 'CHARGE_REFUNDED' });

    expect(await settleAll()).toBeGreaterThanOrEqual(1);
    const done = await eventually(async () => {
      const refund = await refundOf(refundId);
      return refund.status === 'SUCCEEDED' ? refund : undefined;
    }, 'the refund retried after the settlement', paymentsWait);
    // the one refusal before the settlement, then the retry: no retry was spent while unsettled
    expect(done.amount).toBe(3100);
    expect(done.attempts.map((a) => a.result)).toEqual(['FAILED', 'SUCCESS']);
    const calls = gatewayCallsOf(transactionId);
    expect(calls.refunds.map((r) => r.settled)).toEqual([false, true]);
    expect(calls.voids).toHaveLength(1);

    // the order's transactions show the refund once, and the charge refunded in full
    const rows = await eventually(async () => {
      const found = await rowsOf(orderId);
      return found.find((r) => r.transactionId === transactionId)?.refundedAmount === 3100 ? found : undefined;
    }, 'the refund on the transaction list', paymentsWait);
    expect(rows.filter((r) => r.type === 'REFUND')).toEqual([expect.objectContaining({ transactionId: refundId, amount: 3100 })]);
    expect(rows.filter((r) => r.type === 'VOID')).toEqual([]);
    await probe.waitForEvent('RefundSucceeded', { refundId });
    expect(probe.events('RefundSucceeded', { refundId })).toHaveLength(1);
  });

  it('a normal card still voids from the order, with no refund', async () => {
    const { orderId, transactionId } = await placeCardOrder({ card: TEST_CARDS.approve, total: 1200 });
    const answer = (await http.post(`/orders/${orderId}/refund`, {}).expect(200)).body;
    expect(answer).toMatchObject({ action: 'VOID', transactionId, amount: 1200, status: 'VOIDED' });
    expect(answer.voidFailed).toBeUndefined();
    expect(gatewayCallsOf(transactionId).refunds).toEqual([]);
  });
});
