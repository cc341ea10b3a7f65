import { opsSettings } from './ops-settings';
import { degradedReasons, failedJobEntry, OpsSnapshot, partitionLag } from './ops-status';
import { SweeperRegistry } from './sweepers';

describe('partitionLag: end offset minus committed offset', () => {
  it('counts what the group has not read yet', () => {
    expect(partitionLag({ low: '0', high: '5' }, '2')).toBe(3);
    expect(partitionLag({ low: '0', high: '5' }, '5')).toBe(0);
  });

  it('a partition the group never committed on: everything it holds', () => {
    expect(partitionLag({ low: '3', high: '10' }, '-1')).toBe(7);
  });

  it('a committed offset below what the partition still holds counts from what it holds', () => {
    expect(partitionLag({ low: '8', high: '10' }, '2')).toBe(2);
  });
});

describe('degradedReasons: /health is degraded past the operations thresholds', () => {
  const thresholds = opsSettings.load({ OPS_LAG_DEGRADED: '100', OPS_OUTBOX_AGE_DEGRADED_MS: '60000', OPS_OUTBOX_BACKLOG_DEGRADED: '50', OPS_FAILED_JOBS_DEGRADED: '3' });
  const calm: OpsSnapshot = {
    service: 'payments',
    queues: [{ name: 'charges', waiting: 0, active: 0, delayed: 0, failed: 2, completed: 9 }],
    consumers: [{ groupId: 'payments.orders', topic: 'orders.events.v1', lag: [{ partition: 0, lag: 99 }, { partition: 1, lag: 0 }] }],
    outbox: { backlog: 49, oldestAgeMs: 59_999, leaseHolder: 'host:1' },
    deadLetters: [{ topic: 'payments.dlq.v1', count: 4 }],
    sweepers: [],
  };

  it('names nothing while every value is under its threshold', () => {
    expect(degradedReasons(calm, thresholds)).toEqual({});
  });

  it('names the lagging group and partition, the outbox age and backlog, and the queue with failed jobs', () => {
    const reasons = degradedReasons(
      {
        ...calm,
        queues: [{ ...calm.queues[0]!, failed: 3 }],
        consumers: [{ ...calm.consumers[0]!, lag: [{ partition: 0, lag: 100 }, { partition: 1, lag: 0 }] }],
        outbox: { backlog: 50, oldestAgeMs: 60_000, leaseHolder: null },
      },
      thresholds,
    );
    expect(reasons).toEqual({
      'consumer-lag': 'lag at or over OPS_LAG_DEGRADED (100): payments.orders orders.events.v1[0] 100 behind',
      outbox: 'oldest unpublished commit 60000 ms old (OPS_OUTBOX_AGE_DEGRADED_MS 60000); 50 commits unpublished (OPS_OUTBOX_BACKLOG_DEGRADED 50)',
      queues: 'failed jobs at or over OPS_FAILED_JOBS_DEGRADED (3): charges 3 failed',
    });
  });

  it('an outbox that could not be read is no reason here', () => {
    expect(degradedReasons({ ...calm, outbox: null }, thresholds)).toEqual({});
  });

  it('thresholds have defaults and refuse a value that is not a positive whole number, naming the variable', () => {
    expect(opsSettings.load({})).toEqual({ lagDegraded: 10_000, outboxAgeDegradedMs: 300_000, outboxBacklogDegraded: 10_000, failedJobsDegraded: 100 });
    expect(() => opsSettings.load({ OPS_LAG_DEGRADED: '0' })).toThrow(/OPS_LAG_DEGRADED/);
  });
});

describe('SweeperRegistry', () => {
  it('lists a registered sweeper before its first run, then its last run and the runs by outcome', () => {
    const registry = new SweeperRegistry();
    const retention = registry.register('retention');
    expect(registry.list()).toEqual([{ name: 'retention', lastRunAt: null, lastResult: null, runs: { ok: 0, failed: 0 } }]);

    retention.ran({ removed: { handled_events: 3 } }, new Date('2026-03-01T10:00:00.000Z'));
    retention.failed(new Error('store away'), new Date('2026-03-01T11:00:00.000Z'));
    expect(registry.list()).toEqual([{ name: 'retention', lastRunAt: '2026-03-01T11:00:00.000Z', lastResult: { ok: false, error: 'store away' }, runs: { ok: 1, failed: 1 } }]);

    retention.ran(undefined, new Date('2026-03-01T12:00:00.000Z'));
    expect(registry.list()[0]).toMatchObject({ lastRunAt: '2026-03-01T12:00:00.000Z', lastResult: { ok: true }, runs: { ok: 2, failed: 1 } });
  });

  it('registering a name twice keeps its runs', () => {
    const registry = new SweeperRegistry(() => new Date('2026-03-02T00:00:00.000Z'));
    registry.register('b').ran();
    expect(registry.list()[0]!.lastRunAt).toBe('2026-03-02T00:00:00.000Z');
    registry.register('b');
    registry.register('a');
    expect(registry.list().map((s) => [s.name, s.runs.ok])).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
  });
});

describe('failedJobEntry: what the failed-jobs list shows of a job', () => {
  const job = { id: 'charge__t-1', name: 'charge', failedReason: 'gateway refused card 4111111111111111', attemptsMade: 3, finishedOn: Date.UTC(2026, 0, 2, 3, 4, 5), data: { card: { number: '4111111111111111', cvv: '123' } } };

  it('names the job, why it failed, its tries and when, and nothing of its data', () => {
    const entry = failedJobEntry(job as never);
    expect(entry).toEqual({ jobId: 'charge__t-1', name: 'charge', failedReason: 'gateway refused card [REDACTED]', attemptsMade: 3, failedAt: '2026-01-02T03:04:05.000Z' });
    expect(JSON.stringify(entry)).not.toContain('4111111111111111');
  });

  it('a job with no reason or time recorded says null, not a made-up value', () => {
    expect(failedJobEntry({ id: 7, name: 'n', failedReason: '', attemptsMade: 0, finishedOn: undefined } as never)).toEqual({ jobId: '7', name: 'n', failedReason: null, attemptsMade: 0, failedAt: null });
  });
});
