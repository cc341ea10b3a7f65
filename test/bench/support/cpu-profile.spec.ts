import { CpuProfile, partOf, summarise } from './cpu-profile';

// A hand-made profile: root -> handler (libs/platform) -> find (mongodb driver) -> serialize (bson),
// and root -> (idle); samples every 1000 us.
const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 9 });
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', ''), children: [2, 5] },
    { id: 2, callFrame: frame('onMessage', 'file:///repo/dist/libs/platform/src/kafka/consumer-runner.js'), children: [3] },
    { id: 3, callFrame: frame('find', 'file:///repo/node_modules/mongodb/lib/collection.js'), children: [4] },
    { id: 4, callFrame: frame('serializeInto', 'file:///repo/node_modules/bson/lib/bson.cjs') },
    { id: 5, callFrame: frame('(idle)', '') },
  ],
  startTime: 1_000_000,
  endTime: 1_008_000,
  // at 1,001,000 .. 1,007,000 us; each sample stands for the time until the next one
  samples: [2, 3, 4, 4, 5, 3, 2],
  timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 1000],
};

describe('cpu profile summary', () => {
  it('names the part of the code of a frame from its file', () => {
    expect(partOf(frame('x', 'file:///repo/node_modules/@nestjs/core/router.js'))).toBe('nest');
    expect(partOf(frame('x', 'file:///repo/node_modules/kafkajs/src/consumer/runner.js'))).toBe('kafkajs');
    expect(partOf(frame('x', 'file:///repo/dist/services/orders/src/domain/order.decider.js'))).toBe('orders domain');
    expect(partOf(frame('x', 'file:///repo/services/orders/src/http/orders.controller.ts'))).toBe('orders (not domain)');
    expect(partOf(frame('x', 'node:internal/timers'))).toBe('node internals');
    expect(partOf(frame('(garbage collector)', ''))).toBe('gc');
  });

  it('counts self time by function and total time by part once per sample, leaving idle out', () => {
    const summary = summarise(profile);
    // the last sample has no next one: it stands for no time
    expect(summary.busyMs).toBe(5);
    expect(summary.functions.map((f) => [f.name.split(' ')[0], f.selfMs])).toEqual([
      ['find', 2],
      ['serializeInto', 2],
      ['onMessage', 1],
    ]);
    const parts = Object.fromEntries(summary.parts.map((p) => [p.part, [p.selfMs, p.totalMs]]));
    expect(parts).toEqual({ 'platform/kafka': [1, 5], 'mongodb driver': [2, 4], bson: [2, 2] });
  });

  it('counts only the samples inside a window of the monotonic clock', () => {
    const summary = summarise(profile, { fromUs: 1_002_500, toUs: 1_004_500 });
    expect(summary.busyMs).toBe(2);
    expect(summary.functions.map((f) => f.name.split(' ')[0])).toEqual(['serializeInto']);
  });
});
