import { devKeys, fuzz, operations, summary } from '@continuum/testing';
import { usePaymentsService } from './payments-harness';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 1500);
const SEED = Number(process.env['FUZZ_SEED'] ?? Date.now() % 1e9);
jest.setTimeout(30 * 60_000);

describe('payments: fuzzing from its own OpenAPI document', () => {
  // as the service starts: the kit's app has /health and /metrics, as createNestApp adds them
  const { app, http, commits, placeCardOrder, settleAll } = usePaymentsService();

  it(`answers ${RUNS} generated requests (seed ${SEED}) with no 5xx, only documented statuses and schemas, and writes nothing when it refuses`, async () => {
    // real charges to act on, settled and not; the fuzzer reuses their ids
    const orders: { orderId: string; transactionId: string }[] = [];
    for (let n = 0; n < 6; n++) orders.push(await placeCardOrder({ total: 1000 + n * 1111 }));
    await settleAll();
    const doc = (await http.get('/docs-json').expect(200)).body;
    const started = Date.now();
    const stats = await fuzz(doc, { server: () => app().getHttpServer(), keys: devKeys }, {
      runs: RUNS,
      seed: SEED,
      correlationPrefix: `fuzz-payments-${SEED}`,
      seedIds: { orderId: orders.map((o) => o.orderId), transactionId: orders.map((o) => o.transactionId) },
    });
    console.log(summary('payments', stats, operations(doc).length, Date.now() - started));
    expect(stats.findings.slice(0, 10)).toEqual([]);
    const refusedWrites = await commits({ correlationId: { $in: stats.refused } });
    expect(refusedWrites.map((c) => c.correlationId)).toEqual([]);
    expect(stats.operationsHit.size).toBe(operations(doc).length);
    await http.get('/health', null).expect(200);
  });
});
