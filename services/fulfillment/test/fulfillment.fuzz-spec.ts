import { devKeys, fuzz, operations, summary } from '@continuum/testing';
import { useFulfillmentService } from './fulfillment-harness';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 1500);
const SEED = Number(process.env['FUZZ_SEED'] ?? Date.now() % 1e9);
jest.setTimeout(30 * 60_000);

describe('fulfillment: fuzzing from its own OpenAPI document', () => {
  const { app, http, commits, orderThatShips, exportRun } = useFulfillmentService();

  it(`answers ${RUNS} generated requests (seed ${SEED}) with no 5xx, only documented statuses and schemas, and writes nothing when it refuses`, async () => {
    // fulfillments to act on, held, exported and COD; the fuzzer reuses their ids
    const fulfillments: { fulfillmentId: string; orderId: string }[] = [];
    for (let n = 0; n < 3; n++) fulfillments.push(await orderThatShips());
    await exportRun();
    for (let n = 0; n < 2; n++) fulfillments.push(await orderThatShips({ type: 'OrderAwaitingCod', paymentType: 'COD', total: 2000 }));
    fulfillments.push(await orderThatShips());
    const doc = (await http.get('/docs-json').expect(200)).body;
    const started = Date.now();
    const stats = await fuzz(doc, { server: () => app().getHttpServer(), keys: devKeys }, {
      runs: RUNS,
      seed: SEED,
      correlationPrefix: `fuzz-fulfillment-${SEED}`,
      seedIds: { fulfillmentId: fulfillments.map((f) => f.fulfillmentId), orderId: fulfillments.map((f) => f.orderId) },
    });
    console.log(summary('fulfillment', stats, operations(doc).length, Date.now() - started));
    expect(stats.findings.slice(0, 10)).toEqual([]);
    const refusedWrites = await commits({ correlationId: { $in: stats.refused } });
    expect(refusedWrites.map((c) => c.correlationId)).toEqual([]);
    expect(stats.operationsHit.size).toBe(operations(doc).length);
    await http.get('/health', null).expect(200);
  });
});
