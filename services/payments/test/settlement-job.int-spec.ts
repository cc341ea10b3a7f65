import { eventually } from '@continuum/testing';
import { paymentsWait, usePaymentsService } from './payments-harness';

// The delayed settle job (SETTLEMENT_DELAY_MS after PaymentApproved), without a settlement run.
describe('payments automatic settlement (Kafka, FerretDB, Redis)', () => {
  const { probe, http, placeCardOrder } = usePaymentsService({ env: { SETTLEMENT_DELAY_MS: '500' } });

  it('settles an approved charge on its own after SETTLEMENT_DELAY_MS, as the settlement system', async () => {
    const { orderId, transactionId } = await placeCardOrder({ total: 1999 });
    const approved = await probe.waitForEvent('PaymentApproved', { transactionId });

    const settled = await probe.waitForEvent('ChargeSettled', { transactionId });
    expect(settled.data).toMatchObject({ transactionId, orderId, amount: 1999 });
    expect(settled.actor).toEqual({ kind: 'system', id: 'settlement' });
    expect(settled.causationId).toBe(approved.eventId);
    expect(settled.correlationId).toBe(approved.correlationId);
    const row = await eventually(
      async () => {
        const body = (await http.get(`/transactions/${transactionId}`).expect(200)).body;
        return body.settled ? body : undefined;
      },
      'settled row',
      paymentsWait,
    );
    expect(row).toMatchObject({ settled: true, amount: 1999 });
    // settled: a void is refused, a refund is possible
    expect((await http.post(`/transactions/${transactionId}/void`).expect(422)).body.code).toBe('CHARGE_SETTLED');
    expect((await http.post(`/transactions/${transactionId}/refund`, { amount: 999 }).expect(200)).body).toMatchObject({ status: 'SUCCEEDED' });
  });
});
