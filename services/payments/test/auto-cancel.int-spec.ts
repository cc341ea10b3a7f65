import { usePaymentsService } from './payments-harness';

// The account option AUTO_CANCEL_ON_REFUND=true: voids and refunds tell fulfillment and subscriptions to cancel.
describe('payments with AUTO_CANCEL_ON_REFUND=true (Kafka, FerretDB, Redis)', () => {
  const { probe, http, placeCardOrder, settleAll } = usePaymentsService({ env: { AUTO_CANCEL_ON_REFUND: 'true' } });

  async function approvedCharge(total: number): Promise<string> {
    const { transactionId } = await placeCardOrder({ total });
    await probe.waitForEvent('PaymentApproved', { transactionId });
    return transactionId;
  }

  it('puts autoCancel: true on ChargeVoided', async () => {
    const transactionId = await approvedCharge(2500);
    await http.post(`/transactions/${transactionId}/void`).expect(200);
    const voided = await probe.waitForEvent('ChargeVoided', { transactionId });
    expect(voided.data).toMatchObject({ transactionId, amount: 2500, autoCancel: true });
  });

  it('puts autoCancel: true on RefundSucceeded', async () => {
    const transactionId = await approvedCharge(3000);
    await settleAll();
    const { refundId } = (await http.post(`/transactions/${transactionId}/refund`, { amount: 1000 }).expect(200)).body;
    const refunded = await probe.waitForEvent('RefundSucceeded', { refundId });
    expect(refunded.data).toMatchObject({ transactionId, amount: 1000, fullyRefunded: false, autoCancel: true });
  });
});
