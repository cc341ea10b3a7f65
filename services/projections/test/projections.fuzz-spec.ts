import { devKeys, fuzz, operations, summary } from '@continuum/testing';
import { approved, completed, placed, registered } from '../src/domain/history.fixtures';
import { uid, useProjectionsService } from './projections-harness';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 1500);
const SEED = Number(process.env['FUZZ_SEED'] ?? Date.now() % 1e9);
jest.setTimeout(30 * 60_000);

describe('projections: fuzzing from its own OpenAPI document', () => {
  const { app, http, publish, historyWhen } = useProjectionsService();

  it(`answers ${RUNS} generated requests (seed ${SEED}) with no 5xx, only documented statuses and schemas`, async () => {
    // customers and orders to read; the fuzzer reuses their ids
    const customers: string[] = [];
    const orders: string[] = [];
    for (let n = 0; n < 4; n++) {
      const [customerId, orderId, transactionId] = [uid('cus'), uid('ord'), uid('txn')];
      const at = new Date(Date.now() - (n + 1) * 3_600_000).toISOString();
      await publish(registered(customerId, at), placed(orderId, customerId, at), approved(transactionId, orderId, customerId, at), completed(orderId, customerId, at, transactionId));
      customers.push(customerId);
      orders.push(orderId);
    }
    for (const customerId of customers) await historyWhen(customerId, (history) => history.timeline.length === 4);
    const doc = (await http.get('/docs-json').expect(200)).body;
    const started = Date.now();
    const stats = await fuzz(doc, { server: () => app().getHttpServer(), keys: devKeys }, {
      runs: RUNS,
      seed: SEED,
      correlationPrefix: `fuzz-projections-${SEED}`,
      seedIds: { id: [...customers, ...orders], q: [...customers, ...orders, 'Jane', '1111'] },
    });
    console.log(summary('projections', stats, operations(doc).length, Date.now() - started));
    expect(stats.findings.slice(0, 10)).toEqual([]);
    expect(stats.operationsHit.size).toBe(operations(doc).length);
    // the views still answer
    await http.get(`/customers/${customers[0]}/history`).expect(200);
    await http.get(`/orders/${orders[0]}/summary`).expect(200);
  });
});
