import { expectContractKept, useServiceUnderTest } from '@continuum/testing';
import { PaymentsModule } from '../src/payments.module';
import { ChargeQueue, RefundRetryQueue, SettlementQueue } from '../src/jobs';

describe('payments: the server refuses exactly what its OpenAPI document declares invalid', () => {
  const sut = useServiceUnderTest({ service: 'payments', module: PaymentsModule, queues: (app) => [app.get(ChargeQueue).bullQueue, app.get(RefundRetryQueue).bullQueue, app.get(SettlementQueue).bullQueue] });

  it('every declared constraint and required filter is enforced (400 naming the field), and no document-valid request is refused', async () => {
    // the vault's own card rules, which its fields' descriptions state: a Luhn sum, an expiry not in the past
    const statedInWords = { 'POST /cards': ['number', 'expYear'] };
    const report = await expectContractKept(sut, { statedInWords });
    // the transactions' required orderId, the refunds' status and every refund, chargeback and card field at least
    expect(report.invalidCases).toBeGreaterThanOrEqual(30);
  });
});
