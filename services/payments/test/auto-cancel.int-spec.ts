import { randomUUID } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Topics } from '@continuum/contracts';
import { eventually } from '@continuum/testing';
import { KafkaProbe, TestNames, agent, applyEnv, orderPlaced, paymentsWait, purgeAndClose, startApp, uniqueNames } from './payments-harness';

// The account option AUTO_CANCEL_ON_REFUND=true: voids and refunds tell fulfillment and subscriptions to cancel.
describe('payments with AUTO_CANCEL_ON_REFUND=true (Kafka, FerretDB, Redis)', () => {
  let names: TestNames;
  let app: NestExpressApplication;
  let probe: KafkaProbe;
  let http: ReturnType<typeof agent>;

  beforeAll(async () => {
    names = uniqueNames();
    applyEnv(names, { AUTO_CANCEL_ON_REFUND: 'true' });
    app = await startApp();
    http = agent(app);
    probe = new KafkaProbe(names);
    await probe.start();
  });

  afterAll(async () => {
    await probe?.stop();
    await purgeAndClose(app);
    delete process.env.AUTO_CANCEL_ON_REFUND;
  });

  async function placeCardOrder(total: number): Promise<string> {
    const orderId = `ord-${randomUUID().slice(0, 8)}`;
    await probe.publish(Topics.ordersEvents, `order-${orderId}`, 'OrderPlaced', orderPlaced(orderId, { total }));
    const transactionId = `${orderId}-charge-1`;
    await probe.waitForEvent('PaymentApproved', transactionId);
    // the approval is published after it is stored, so the charge is readable now
    await eventually(async () => (await http.get(`/transactions/${transactionId}`)).status === 200, `charge ${transactionId}`, paymentsWait);
    return transactionId;
  }

  it('puts autoCancel: true on ChargeVoided', async () => {
    const transactionId = await placeCardOrder(2500);
    await http.post(`/transactions/${transactionId}/void`).expect(200);
    const voided = await probe.waitForEvent('ChargeVoided', transactionId);
    expect(voided.data).toMatchObject({ transactionId, amount: 2500, autoCancel: true });
  });

  it('puts autoCancel: true on RefundSucceeded', async () => {
    const transactionId = await placeCardOrder(3000);
    await http.post('/settlement-runs', { asOf: new Date(Date.now() + 60_000).toISOString() }, 'dev-admin').expect(200);
    const { refundId } = (await http.post(`/transactions/${transactionId}/refund`, { amount: 1000 }).expect(200)).body;
    const refunded = await eventually(
      () => probe.published.find((e) => e.type === 'RefundSucceeded' && (e.data as { refundId: string }).refundId === refundId),
      `RefundSucceeded ${refundId}`,
      paymentsWait,
    );
    expect(refunded.data).toMatchObject({ transactionId, amount: 1000, fullyRefunded: false, autoCancel: true });
  });
});
