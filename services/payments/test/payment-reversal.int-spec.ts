import { EventEnvelope, Topics } from '@continuum/contracts';
import { eventually, republished } from '@continuum/testing';
import { TransactionAggregate } from '../src/commands';
import { ORDER_REACTIONS_GROUP } from '../src/messaging';
import { RecordingGateway, paymentsWait, upsellAdded, usePaymentsService } from './payments-harness';

// OrderPaymentReversalRequested: a charge approved after its order was cancelled is given back,
// that transaction only (void first, else refund what remains), and a redelivery moves no more money.
describe('payments reversal of a charge approved after the cancel (Kafka, FerretDB, Redis)', () => {
  const gateway = new RecordingGateway();
  const { probe, http, app, placeCardOrder, settleAll, handled } = usePaymentsService({ gateway });

  /** Publishes the event as the orders service does, on the order's stream. */
  const requestReversal = (orderId: string, transactionId: string, amount: number): Promise<EventEnvelope> =>
    probe.publish(Topics.ordersEvents, `order-${orderId}`, 'OrderPaymentReversalRequested', { orderId, customerId: `cus-${orderId}`, transactionId, amount, currency: 'USD' });
  const streamVersion = async (transactionId: string): Promise<number> => (await app().get(TransactionAggregate).load(transactionId)).version;

  it('voids an unsettled approved charge, and names the request as its cause', async () => {
    const { orderId, transactionId } = await placeCardOrder({ total: 3100 });
    // an upsell of the same order stays charged: only the named transaction is reversed
    await probe.publish(Topics.ordersEvents, `order-${orderId}`, 'UpsellAdded', upsellAdded(orderId, { orderItemId: 'oi-2', price: 1200, orderTotal: 3100 }));
    const upsellId = `${orderId}-upsell-oi-2`;
    await probe.waitForEvent('PaymentApproved', { transactionId: upsellId });

    const request = await requestReversal(orderId, transactionId, 3100);
    const voided = await probe.waitForEvent('ChargeVoided', { transactionId });
    expect(voided.data).toMatchObject({ transactionId, orderId, amount: 3100 });
    expect(voided.causationId).toBe(request.eventId);
    expect(voided.correlationId).toBe(request.correlationId);
    expect((await http.get(`/transactions/${transactionId}`).expect(200)).body).toMatchObject({ voided: true, refundedAmount: 0 });
    expect(gateway.voids.filter((v) => v.reference === `${transactionId}:void:1`)).toHaveLength(1);
    expect(gateway.refunds.filter((r) => r.gatewayTransactionId === `test_ch_${transactionId}`)).toHaveLength(0);
    await handled(ORDER_REACTIONS_GROUP, request.eventId);
    expect((await http.get(`/transactions/${upsellId}`).expect(200)).body).toMatchObject({ voided: false, amount: 1200 });
  });

  it('refunds only what remains of a settled charge that was partly refunded before', async () => {
    const { orderId, transactionId } = await placeCardOrder({ total: 5000 });
    await settleAll();
    await http.post(`/transactions/${transactionId}/refund`, { amount: 1200 }).expect(200);

    // the event's amount is the charge's; what is given back is what remains of it
    const request = await requestReversal(orderId, transactionId, 5000);
    const refunds = await eventually(() => {
      const found = probe.events('RefundSucceeded', { transactionId });
      return found.length >= 2 ? found : undefined;
    }, 'the reversal refund published', paymentsWait);
    expect(refunds.map((e) => (e.data as { amount: number }).amount)).toEqual([1200, 3800]);
    expect(refunds[1].causationId).toBe(request.eventId);
    expect((await http.get(`/transactions/${transactionId}`).expect(200)).body).toMatchObject({ settled: true, voided: false, refundedAmount: 5000 });
  });

  it('changes nothing when the request is delivered again, under its own or a new event id', async () => {
    const { orderId, transactionId } = await placeCardOrder({ total: 2700 });
    await settleAll();
    const request = await requestReversal(orderId, transactionId, 2700);
    await handled(ORDER_REACTIONS_GROUP, request.eventId);
    expect((await http.get(`/transactions/${transactionId}`).expect(200)).body.refundedAmount).toBe(2700);
    const version = await streamVersion(transactionId);
    const gatewayCalls = gateway.refunds.filter((r) => r.gatewayTransactionId === `test_ch_${transactionId}`).length;
    expect(gatewayCalls).toBe(1);

    // Kafka's redelivery (same event id), then a copy under a new id (the handled record lost):
    // same key, so the copy is handled after the redelivery and waiting for it covers both.
    await probe.publishEnvelope(Topics.ordersEvents, request);
    const copy = republished(request);
    await probe.publishEnvelope(Topics.ordersEvents, copy);
    await handled(ORDER_REACTIONS_GROUP, copy.eventId);

    expect(await streamVersion(transactionId)).toBe(version);
    expect(gateway.refunds.filter((r) => r.gatewayTransactionId === `test_ch_${transactionId}`)).toHaveLength(gatewayCalls);
    expect((await http.get(`/transactions/${transactionId}`).expect(200)).body.refundedAmount).toBe(2700);
    expect(probe.deadLetters.filter((d) => (d.original ?? '').includes(orderId))).toEqual([]);
  });
});
