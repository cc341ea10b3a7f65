import { randomUUID } from 'node:crypto';
import { Topics } from '@continuum/contracts';
import { jobId } from '@continuum/platform';
import { eventually } from '@continuum/testing';
import { GatewayResult, RefundRequest, VoidRequest } from '../src/gateway';
import { SettlementQueue } from '../src/jobs';
import { ORDER_REACTIONS_GROUP } from '../src/messaging';
import { RecordingGateway, paymentsWait, usePaymentsService } from './payments-harness';

/** A gateway answer the test gives when it lets a held call go. */
type Answer = GatewayResult | 'gateway';

/**
 * The recording test gateway whose refund and void calls for a held gateway transaction id wait
 * until the test releases them: a gateway call that is in flight for as long as the test needs.
 * Void answers can also be scripted without a hold (one per call).
 */
class HeldGateway extends RecordingGateway {
  private readonly holds = new Map<string, { promise: Promise<Answer>; release: (answer: Answer) => void }>();
  readonly voidScript = new Map<string, GatewayResult[]>();

  /** Holds the next calls for `gatewayTransactionId` until `release(answer)`. */
  hold(gatewayTransactionId: string): (answer?: Answer) => void {
    let release!: (answer: Answer) => void;
    const promise = new Promise<Answer>((resolve) => (release = resolve));
    this.holds.set(gatewayTransactionId, { promise, release });
    return (answer = 'gateway') => {
      this.holds.delete(gatewayTransactionId);
      release(answer);
    };
  }

  override async refund(request: RefundRequest): Promise<GatewayResult> {
    const hold = this.holds.get(request.gatewayTransactionId);
    if (!hold) return super.refund(request);
    this.refunds.push(request);
    const answer = await hold.promise;
    if (answer !== 'gateway') return answer;
    this.refunds.splice(this.refunds.indexOf(request), 1);
    return super.refund(request);
  }

  override async void(request: VoidRequest): Promise<GatewayResult> {
    const scripted = this.voidScript.get(request.gatewayTransactionId)?.shift();
    if (scripted) {
      this.voids.push(request);
      return scripted;
    }
    const hold = this.holds.get(request.gatewayTransactionId);
    if (!hold) return super.void(request);
    this.voids.push(request);
    const answer = await hold.promise;
    if (answer !== 'gateway') return answer;
    this.voids.splice(this.voids.indexOf(request), 1);
    return super.void(request);
  }
}

const REJECTED: GatewayResult = { succeeded: false, message: 'Void rejected' };

// Second review (R2, R5): a gateway call that is in flight must not be made again beside it, and
// must not leave a charge unsettled. REFUND_STALL_AFTER_MS and SETTLEMENT_DELAY_MS keep their
// defaults (2 minutes, a day): nothing here is stalled or due unless the test makes it so.
describe('payments while a gateway call is in flight (Kafka, FerretDB, Redis)', () => {
  const gateway = new HeldGateway();
  const { probe, http, app, placeCardOrder, settleAll, handled } = usePaymentsService({ gateway });
  const gatewayIdOf = (transactionId: string) => `test_ch_${transactionId}`;

  it('R2: a second refund request while the first gateway call is in flight is answered 409 REFUND_IN_PROGRESS; the gateway is called once', async () => {
    const { orderId, transactionId } = await placeCardOrder({ total: 3100 });
    await settleAll('dev-service');
    const release = gateway.hold(gatewayIdOf(transactionId));
    const key = `idem-${randomUUID()}`;
    // supertest sends on then(): the first request is under way from here
    const first = http.post(`/transactions/${transactionId}/refund`, {}).set('Idempotency-Key', key).then((r) => r);
    const call = await eventually(() => gateway.refunds.find((r) => r.gatewayTransactionId === gatewayIdOf(transactionId)), 'first refund call in flight', paymentsWait);

    // the same request again (its twin: the Idempotency-Key layer answers 409 while the first runs), a
    // new request and refund from the order (the refund rule answers REFUND_IN_PROGRESS): none calls the gateway
    await http.post(`/transactions/${transactionId}/refund`, {}).set('Idempotency-Key', key).expect(409);
    expect((await http.post(`/transactions/${transactionId}/refund`, {}).expect(409)).body.code).toBe('REFUND_IN_PROGRESS');
    expect((await http.post(`/orders/${orderId}/refund`, {}).expect(409)).body.code).toBe('REFUND_IN_PROGRESS');

    release();
    const answer = await first;
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'SUCCEEDED', amount: 3100 });
    expect(call.reference).toBe(`${answer.body.refundId}:1`);
    expect(gateway.refundsOf(answer.body.refundId)).toHaveLength(1);
    // once recorded, the twin answers with the outcome instead of 409, still without a gateway call
    const after = (await http.post(`/transactions/${transactionId}/refund`, {}).set('Idempotency-Key', key).expect(200)).body;
    expect(after).toMatchObject({ refundId: answer.body.refundId, status: 'SUCCEEDED' });
    expect(gateway.refundsOf(answer.body.refundId)).toHaveLength(1);
    expect((await http.get(`/transactions/${transactionId}`).expect(200)).body.refundedAmount).toBe(3100);
  });

  it('a reversal asked while a refund of the charge is in flight waits for that refund (REFUND_IN_PROGRESS says until when) instead of dead-lettering, then gives back what remains, once', async () => {
    const { orderId, transactionId } = await placeCardOrder({ total: 4000 });
    await settleAll('dev-service');
    const release = gateway.hold(gatewayIdOf(transactionId));
    const first = http.post(`/transactions/${transactionId}/refund`, { amount: 1500 }).then((r) => r);
    await eventually(() => gateway.refunds.find((r) => r.gatewayTransactionId === gatewayIdOf(transactionId)), 'the agent refund in flight', paymentsWait);
    // the orders service asks for the whole charge back (a charge approved after its cancel)
    const request = await probe.publish(Topics.ordersEvents, `order-${orderId}`, 'OrderPaymentReversalRequested', { orderId, customerId: `cus-${orderId}`, transactionId, amount: 4000, currency: 'USD' });
    // longer than the consumer's five attempts (about 3 s) that used to end in a dead letter
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(gateway.refunds.filter((r) => r.gatewayTransactionId === gatewayIdOf(transactionId))).toHaveLength(1);
    release();
    expect((await first).body).toMatchObject({ status: 'SUCCEEDED', amount: 1500 });
    await handled(ORDER_REACTIONS_GROUP, request.eventId);
    const refunds = await eventually(() => {
      const found = probe.events('RefundSucceeded', { transactionId });
      return found.length >= 2 ? found : undefined;
    }, 'the reversal refund published', paymentsWait);
    expect(refunds.map((e) => (e.data as { amount: number }).amount)).toEqual([1500, 2500]);
    expect(refunds[1]!.causationId).toBe(request.eventId);
    expect((await http.get(`/transactions/${transactionId}`).expect(200)).body.refundedAmount).toBe(4000);
    expect(probe.deadLetters.filter((d) => (d.original ?? '').includes(orderId))).toEqual([]);
  });

  it('R5: the settle job that comes due while a void is pending is retried, and settles the charge once the void failed', async () => {
    const { transactionId } = await placeCardOrder({ total: 2300 });
    const queue = app().get(SettlementQueue).bullQueue;
    const job = await eventually(() => queue.getJob(jobId('settle', transactionId)), 'settle job scheduled', paymentsWait);

    const release = gateway.hold(gatewayIdOf(transactionId));
    const voiding = http.post(`/transactions/${transactionId}/void`).then((r) => r);
    await eventually(() => gateway.voids.find((v) => v.gatewayTransactionId === gatewayIdOf(transactionId)), 'void call in flight', paymentsWait);
    await job.promote();

    // the job ran during the void: it failed to be retried, it did not complete unsettled
    const waited = await eventually(
      async () => {
        const current = await queue.getJob(job.id!);
        return current && current.attemptsMade >= 1 ? current : undefined;
      },
      'settle job tried once',
      paymentsWait,
    );
    expect(waited.failedReason).toContain('waits for its reserved void');
    expect(await waited.isCompleted()).toBe(false);
    expect((await http.get(`/transactions/${transactionId}`).expect(200)).body.settled).toBe(false);

    release(REJECTED);
    expect((await voiding).body.code).toBe('VOID_FAILED');
    const settled = await probe.waitForEvent('ChargeSettled', { transactionId });
    expect(settled.actor).toEqual({ kind: 'system', id: 'settlement' });
    expect(probe.events('VoidFailed', { transactionId })).toHaveLength(1);
    await eventually(async () => ((await queue.getJob(job.id!))?.returnvalue === true ? true : undefined), 'settle job completed with settled: true', paymentsWait);
  });

  it('R5: a void asked again after VoidFailed is a new gateway request with a new reference <transactionId>:void:<n>', async () => {
    const { transactionId } = await placeCardOrder({ total: 1700 });
    gateway.voidScript.set(gatewayIdOf(transactionId), [REJECTED]);
    expect((await http.post(`/transactions/${transactionId}/void`).expect(422)).body.code).toBe('VOID_FAILED');
    await http.post(`/transactions/${transactionId}/void`).expect(200);
    await probe.waitForEvent('ChargeVoided', { transactionId });
    expect(gateway.voids.filter((v) => v.gatewayTransactionId === gatewayIdOf(transactionId)).map((v) => v.reference)).toEqual([
      `${transactionId}:void:1`,
      `${transactionId}:void:2`,
    ]);
  });
});
