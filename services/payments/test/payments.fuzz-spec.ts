import request from 'supertest';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Topics } from '@continuum/contracts';
import { Platform, configureApp, createNestApp, loadPlatformConfig } from '@continuum/platform';
import { eventually, fuzz, operations, summary } from '@continuum/testing';
import { PaymentsModule } from '../src/payments.module';
import { TEST_CARDS } from '../src/gateway';
import { KafkaProbe, applyEnv, newOrderId, orderPlaced, paymentsWait, purgeAndClose, tokenise, uniqueNames } from './payments-harness';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 1500);
const SEED = Number(process.env['FUZZ_SEED'] ?? Date.now() % 1e9);
jest.setTimeout(30 * 60_000);

describe('payments: fuzzing from its own OpenAPI document', () => {
  const names = uniqueNames();
  const probe = new KafkaProbe(names);
  let app: NestExpressApplication;
  const agent = { Authorization: 'Bearer dev-agent' };

  beforeAll(async () => {
    applyEnv(names);
    // as the service starts (createNestApp adds /health and /metrics), not the harness's bare module
    const options = { config: loadPlatformConfig('payments', process.env, { port: 0 }), title: 'Continuum payments (fuzz)' };
    app = configureApp(await createNestApp(PaymentsModule, options), options);
    await app.init();
    await probe.start();
  });

  afterAll(async () => {
    await probe.stop();
    await purgeAndClose(app);
  });

  it(`answers ${RUNS} generated requests (seed ${SEED}) with no 5xx, only documented statuses and schemas, and writes nothing when it refuses`, async () => {
    const server = () => app.getHttpServer();
    // real charges to act on, settled and not; the fuzzer reuses their ids
    const orders: { orderId: string; transactionId: string }[] = [];
    for (let n = 0; n < 6; n++) {
      const orderId = newOrderId();
      const card = await tokenise(app, TEST_CARDS.approve);
      await probe.publish(Topics.ordersEvents, `order-${orderId}`, 'OrderPlaced', orderPlaced(orderId, { total: 1000 + n * 1111, card }));
      orders.push({ orderId, transactionId: `${orderId}-charge-1` });
    }
    for (const { orderId, transactionId } of orders) {
      await eventually(async () => ((await request(server()).get(`/transactions?orderId=${orderId}`).set(agent)).body as { transactionId: string }[]).some((row) => row.transactionId === transactionId), `charge of ${orderId}`, paymentsWait);
    }
    await request(server()).post('/settlement-runs').set('Authorization', 'Bearer dev-admin').send({ asOf: new Date(Date.now() + 60_000).toISOString() }).expect(200);
    const doc = (await request(server()).get('/docs-json').expect(200)).body;
    const started = Date.now();
    const stats = await fuzz(doc, { server, keys: { agent: 'dev-agent', admin: 'dev-admin', service: 'dev-service', 'fulfillment-house': 'dev-fulfillment-house' } }, {
      runs: RUNS,
      seed: SEED,
      correlationPrefix: `fuzz-payments-${SEED}`,
      seedIds: { orderId: orders.map((o) => o.orderId), transactionId: orders.map((o) => o.transactionId) },
    });
    console.log(summary('payments', stats, operations(doc).length, Date.now() - started));
    expect(stats.findings.slice(0, 10)).toEqual([]);
    const commits = app.get(Platform).connection.collection('commits');
    const refusedWrites = await commits.find({ correlationId: { $in: stats.refused } }).toArray();
    expect(refusedWrites.map((c) => c['correlationId'])).toEqual([]);
    expect(stats.operationsHit.size).toBe(operations(doc).length);
    await request(server()).get('/health').expect(200);
  });
});
