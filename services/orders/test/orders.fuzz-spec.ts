import { devKeys, fuzz, operations, summary } from '@continuum/testing';
import { useOrdersService } from './orders-harness';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 1500);
const SEED = Number(process.env['FUZZ_SEED'] ?? Date.now() % 1e9);
jest.setTimeout(30 * 60_000);

describe('orders: fuzzing from its own OpenAPI document', () => {
  const t = useOrdersService();

  it(`answers ${RUNS} generated requests (seed ${SEED}) with no 5xx, only documented statuses and schemas, and writes nothing when it refuses`, async () => {
    const doc = (await t.http.get('/docs-json', null).expect(200)).body;
    const started = Date.now();
    const prefix = `fuzz-orders-${SEED}`;
    const stats = await fuzz(doc, { server: () => t.app().getHttpServer(), keys: devKeys }, { runs: RUNS, seed: SEED, correlationPrefix: prefix });
    console.log(summary('orders', stats, operations(doc).length, Date.now() - started));
    expect(stats.findings.slice(0, 10)).toEqual([]);
    const refusedWrites = await t.commits({ correlationId: { $in: stats.refused } });
    expect(refusedWrites.map((c) => c.correlationId)).toEqual([]);
    expect(stats.operationsHit.size).toBe(operations(doc).length);
    await t.http.get('/health', null).expect(200);
    await t.http.get('/orders?customerId=x').expect(200);
  });
});
