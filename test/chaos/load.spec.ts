import { interleave, kindOf, withRetries } from './load';

const settled = async (promise: Promise<unknown>): Promise<boolean> => {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe('the chaos load', () => {
  it('places card orders most, then one COD and one recurring of every seven', () => {
    const kinds = Array.from({ length: 14 }, (_, i) => kindOf(i));
    expect(kinds.filter((k) => k === 'card')).toHaveLength(10);
    expect(kinds.filter((k) => k === 'cod')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'recurring')).toHaveLength(2);
  });

  it('holds fault k until batch k is sent, and batch k + 1 until fault k has begun', async () => {
    const pacing = interleave(6, 2); // batches: orders 0-1, 2-3, 4-5
    expect(await settled(pacing.load.before(0))).toBe(true);
    expect(await settled(pacing.beforeFault(0))).toBe(false);
    pacing.load.sent(0);
    expect(await settled(pacing.beforeFault(0))).toBe(false);
    pacing.load.sent(1);
    expect(await settled(pacing.beforeFault(0))).toBe(true);
    expect(await settled(pacing.load.before(2))).toBe(false);
    pacing.faultBegan(0);
    expect(await settled(pacing.load.before(2))).toBe(true);
    expect(await settled(pacing.load.before(4))).toBe(false);
    pacing.load.sent(2);
    pacing.load.sent(3);
    expect(await settled(pacing.beforeFault(1))).toBe(true);
  });

  it('lets every fault go when there are fewer orders than faults', async () => {
    const pacing = interleave(1, 3);
    pacing.load.sent(0);
    for (let k = 0; k < 3; k++) expect(await settled(pacing.beforeFault(k))).toBe(true);
  });

  it('retries refused connections, 5xx and 409 in-progress, and returns any other answer', async () => {
    const answers: (() => { status: number; body: any })[] = [
      () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:1');
      },
      () => ({ status: 503, body: {} }),
      () => ({ status: 409, body: { type: 'urn:continuum:problem:idempotency-key-in-progress' } }),
      () => ({ status: 422, body: { code: 'SOME_RULE' } }),
    ];
    const tally = { retries: { connection: 0, server: 0, inProgress: 0 } };
    const answer = await withRetries(async () => answers.shift()!(), tally, { budgetMs: 10_000, requestTimeoutMs: 1_000 });
    expect(answer).toEqual({ status: 422, body: { code: 'SOME_RULE' } });
    expect(tally.retries).toEqual({ connection: 1, server: 1, inProgress: 1 });
  });

  it('gives up with the last failure once the budget is spent', async () => {
    const tally = { retries: { connection: 0, server: 0, inProgress: 0 } };
    const answer = await withRetries(async () => ({ status: 500, body: { title: 'boom' } }), tally, { budgetMs: 300, requestTimeoutMs: 100 });
    expect(answer).toEqual({ gaveUp: expect.stringContaining('500') });
    expect(tally.retries.server).toBeGreaterThan(0);
  });
});
