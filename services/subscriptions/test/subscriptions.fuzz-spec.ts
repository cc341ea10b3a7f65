import { devKeys, fuzz, operations, summary } from '@continuum/testing';
import { useSubscriptionsService } from './subscriptions-harness';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 1500);
const SEED = Number(process.env['FUZZ_SEED'] ?? Date.now() % 1e9);
jest.setTimeout(30 * 60_000);

describe('subscriptions: fuzzing from its own OpenAPI document', () => {
  // a billing run answers once its bills are answered or after BILLING_RUN_WAIT_MS: keep that short here
  const { app, http, commits, startPurchase } = useSubscriptionsService({ BILLING_RUN_WAIT_MS: '500' });

  it(`answers ${RUNS} generated requests (seed ${SEED}) with no 5xx, only documented statuses and schemas, and writes nothing when it refuses`, async () => {
    // real purchases to act on; the fuzzer reuses their ids
    const purchases = [];
    for (let n = 0; n < 5; n++) purchases.push(await startPurchase({ trialDays: 3 + n }));
    const doc = (await http.get('/docs-json').expect(200)).body;
    const started = Date.now();
    const stats = await fuzz(doc, { server: () => app().getHttpServer(), keys: devKeys }, {
      runs: RUNS,
      seed: SEED,
      correlationPrefix: `fuzz-subscriptions-${SEED}`,
      seedIds: { id: purchases.map((p) => p.purchaseId), orderId: purchases.map((p) => p.orderId), customerId: purchases.map((p) => p.customerId), productId: ['p-sub', 'p-none'] },
    });
    console.log(summary('subscriptions', stats, operations(doc).length, Date.now() - started));
    expect(stats.findings.slice(0, 10)).toEqual([]);
    const refusedWrites = await commits({ correlationId: { $in: stats.refused } });
    expect(refusedWrites.map((c) => c.correlationId)).toEqual([]);
    expect(stats.operationsHit.size).toBe(operations(doc).length);
    await http.get('/health', null).expect(200);
  });
});
