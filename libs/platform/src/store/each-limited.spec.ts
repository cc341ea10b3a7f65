import { eachLimited } from './each-limited';

describe('eachLimited', () => {
  it('answers in the items order with at most `limit` calls in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const answers = await eachLimited([5, 1, 4, 2, 3], 2, async (n) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return n * 10;
    });
    expect(answers).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });

  it('starts nothing after a failure and lets every started call settle before throwing the first failure', async () => {
    const started: number[] = [];
    const settled: number[] = [];
    const run = eachLimited([1, 2, 3, 4, 5, 6], 2, async (n) => {
      started.push(n);
      await new Promise((resolve) => setImmediate(resolve));
      settled.push(n);
      if (n === 2) throw new Error('item 2 failed');
      return n;
    });
    await expect(run).rejects.toThrow('item 2 failed');
    // 1 and 2 ran side by side; 2 failed, so its worker stopped; 1's worker had already taken 3
    expect(started).toEqual([1, 2, 3]);
    expect(settled.sort()).toEqual(started.sort());
  });

  it('answers nothing for no items', async () => {
    expect(await eachLimited([], 4, async () => 1)).toEqual([]);
  });
});
