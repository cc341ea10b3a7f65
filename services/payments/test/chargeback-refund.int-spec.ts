import { eventually } from '@continuum/testing';
import { RecordingGateway, paymentsWait, usePaymentsService } from './payments-harness';

const chargeback = (amount: number) => ({ amount, date: '2026-03-10', reasonCode: '10.4', note: 'customer says the card was stolen' });

/**
 * A chargeback returns money to the cardholder, so it counts against what can still be
 * refunded (over HTTP, through the transaction and the order refund); a reverted chargeback gives it back.
 */
describe('chargebacks count against refunds (Kafka, FerretDB, Redis)', () => {
  const gateway = new RecordingGateway();
  const { http, placeCardOrder, settleAll } = usePaymentsService({ gateway });
  const refundCallsOf = (transactionId: string) => gateway.refunds.filter((r) => r.gatewayTransactionId.endsWith(transactionId));

  /** A settled charge of `total` (the settlement run may answer before its settle jobs ran: wait for the row). */
  async function settledCharge(total: number) {
    const placed = await placeCardOrder({ total });
    await settleAll();
    await eventually(async () => (await http.get(`/transactions/${placed.transactionId}`).expect(200)).body.settled === true, 'charge settled', paymentsWait);
    return placed;
  }

  it('a chargeback of all: a refund of 100 is 422 REFUND_EXCEEDS_REMAINING and moves no money; reverted, the refund works', async () => {
    const { orderId, transactionId } = await settledCharge(4999);

    const marked = await http.post(`/transactions/${transactionId}/chargeback`, chargeback(4999)).expect(200);
    expect(marked.body).toMatchObject({ transactionId, chargeback: { amount: 4999, reasonCode: '10.4' }, refundableAmount: 0 });

    const refused = await http.post(`/transactions/${transactionId}/refund`, { amount: 100 }).expect(422);
    expect(refused.body).toMatchObject({ status: 422, code: 'REFUND_EXCEEDS_REMAINING', errors: [{ field: 'amount' }] });
    // from the order: nothing of it is left to refund either
    expect((await http.post(`/orders/${orderId}/refund`, { amount: 100 }).expect(422)).body).toMatchObject({ code: 'NOTHING_TO_REFUND' });
    expect((await http.post(`/orders/${orderId}/refund`, {}).expect(422)).body).toMatchObject({ code: 'NOTHING_TO_REFUND' });
    expect(refundCallsOf(transactionId)).toEqual([]);
    expect((await http.get(`/transactions/${transactionId}`).expect(200)).body).toMatchObject({ refundedAmount: 0, refundableAmount: 0 });

    const reverted = await http.delete(`/transactions/${transactionId}/chargeback`).expect(200);
    expect(reverted.body).toMatchObject({ chargeback: null, refundableAmount: 4999 });
    expect((await http.post(`/transactions/${transactionId}/refund`, { amount: 100 }).expect(200)).body).toMatchObject({ status: 'SUCCEEDED' });
    expect(refundCallsOf(transactionId)).toHaveLength(1);
    expect((await http.get(`/transactions/${transactionId}`).expect(200)).body).toMatchObject({ refundedAmount: 100, refundableAmount: 4899 });
  });

  it('a partial chargeback leaves the rest to the order refund; a chargeback cannot take what refunds took', async () => {
    const { orderId, transactionId } = await settledCharge(3000);
    await http.post(`/transactions/${transactionId}/refund`, { amount: 1000 }).expect(200);

    const tooMuch = await http.post(`/transactions/${transactionId}/chargeback`, chargeback(2001)).expect(422);
    expect(tooMuch.body).toMatchObject({ code: 'CHARGEBACK_EXCEEDS_REMAINING', errors: [{ field: 'amount' }] });
    await http.post(`/transactions/${transactionId}/chargeback`, chargeback(500)).expect(200);

    // refund from the order, no amount: all that remains after the refund and the chargeback
    const steps = (await http.post(`/orders/${orderId}/refund`, {}).expect(200)).body;
    expect(steps).toMatchObject({ action: 'REFUND', status: 'SUCCEEDED' });
    const row = (await http.get(`/transactions/${transactionId}`).expect(200)).body;
    expect(row).toMatchObject({ refundedAmount: 2500, refundableAmount: 0, chargeback: { amount: 500 } });
  });

  it('an unsettled charge takes no chargeback (it is voided instead): 422 CHARGE_NOT_SETTLED', async () => {
    const { transactionId } = await placeCardOrder({ total: 2000 });
    expect((await http.post(`/transactions/${transactionId}/chargeback`, chargeback(2000)).expect(422)).body).toMatchObject({ code: 'CHARGE_NOT_SETTLED' });
    expect((await http.get(`/transactions/${transactionId}`).expect(200)).body).toMatchObject({ chargeback: null, settled: false });
  });
});
