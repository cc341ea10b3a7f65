import { ProgressThrottle, RunRecord, isRunId, newRunId, prefersAsync, runAnswer, runItemKey } from './run-record';
import { runAnswerSchema, withRunId } from './run-http';

describe('prefersAsync (RFC 7240 Prefer)', () => {
  it('finds respond-async among the preferences, whatever its case, parameters or neighbours', () => {
    expect(prefersAsync('respond-async')).toBe(true);
    expect(prefersAsync('Respond-Async')).toBe(true);
    expect(prefersAsync('return=minimal, respond-async; foo=bar')).toBe(true);
    expect(prefersAsync(['wait=10', 'respond-async'])).toBe(true);
  });

  it('does not take another preference, or one that merely contains the word, for it', () => {
    expect(prefersAsync(undefined)).toBe(false);
    expect(prefersAsync('')).toBe(false);
    expect(prefersAsync('return=representation')).toBe(false);
    expect(prefersAsync('respond-asynchronously')).toBe(false);
    expect(prefersAsync('wait=respond-async')).toBe(false);
  });
});

describe('newRunId', () => {
  const fresh = (() => {
    let n = 0;
    return () => `0000000${++n}-aaaa-bbbb-cccc-000000000000`;
  })();

  it('is a new id per run without an Idempotency-Key', () => {
    const a = newRunId('export', undefined, fresh);
    const b = newRunId('export', undefined, fresh);
    expect(a).not.toBe(b);
    expect(a.startsWith('export-')).toBe(true);
    expect(isRunId(a)).toBe(true);
  });

  it('is the same id for the same kind and key (a retried request keys its items the same), another for another kind or key', () => {
    const id = newRunId('billing', 'dev-admin:k1', fresh);
    expect(newRunId('billing', 'dev-admin:k1', fresh)).toBe(id);
    expect(newRunId('settlement', 'dev-admin:k1', fresh)).not.toBe(id.replace('billing', 'settlement'));
    expect(newRunId('billing', 'dev-admin:k2', fresh)).not.toBe(id);
    expect(isRunId(id)).toBe(true);
  });

  it('rejects what no run id looks like', () => {
    expect(isRunId('export-../../x')).toBe(false);
    expect(isRunId('x')).toBe(false);
    expect(isRunId(`export-${'a'.repeat(200)}`)).toBe(false);
  });
});

describe('runItemKey', () => {
  it('keys an item by its run and its own id', () => {
    expect(runItemKey('export-1', 'f-1')).toBe('run:export-1:f-1');
    expect(runItemKey('export-1', 'f-1')).not.toBe(runItemKey('export-2', 'f-1'));
  });
});

describe('ProgressThrottle', () => {
  it('writes the first item, every 100th and the last, not each one, while the clock stands still', () => {
    const throttle = new ProgressThrottle(100, 1_000);
    const written = [];
    for (let done = 1; done <= 250; done++) if (throttle.due(done, 250, 0)) written.push(done);
    expect(written).toEqual([1, 101, 201, 250]);
  });

  it('writes after a second without 100 items, so a slow run still moves', () => {
    const throttle = new ProgressThrottle(100, 1_000);
    expect(throttle.due(1, 50, 0)).toBe(true);
    expect(throttle.due(2, 50, 400)).toBe(false);
    expect(throttle.due(3, 50, 999)).toBe(false);
    expect(throttle.due(4, 50, 1_000)).toBe(true);
    expect(throttle.due(5, 50, 1_500)).toBe(false);
  });

  it('does not write the same count twice', () => {
    const throttle = new ProgressThrottle(100, 1_000);
    expect(throttle.due(0, 0, 0)).toBe(true);
    expect(throttle.due(0, 0, 5_000)).toBe(false);
  });
});

describe('runAnswer', () => {
  const record: RunRecord<{ exported: number }> = {
    _id: 'export-1',
    kind: 'export',
    status: 'DONE',
    startedAt: '2026-03-01T00:00:00.000Z',
    finishedAt: '2026-03-01T00:00:12.100Z',
    progress: { done: 207, total: 207 },
    result: { exported: 207 },
    startedBy: { kind: 'admin', id: 'dev-admin' },
    queued: true,
    updatedAt: '2026-03-01T00:00:12.100Z',
  };

  it('answers the run as GET shows it, without what is internal (who, how it ran)', () => {
    expect(runAnswer(record)).toEqual({
      runId: 'export-1',
      status: 'DONE',
      startedAt: '2026-03-01T00:00:00.000Z',
      finishedAt: '2026-03-01T00:00:12.100Z',
      progress: { done: 207, total: 207 },
      result: { exported: 207 },
    });
  });

  it('leaves out what a running run has not got yet', () => {
    const running: RunRecord = { ...record, status: 'RUNNING', finishedAt: undefined, result: undefined, progress: { done: 3, total: 207 } };
    expect(runAnswer(running)).toEqual({ runId: 'export-1', status: 'RUNNING', startedAt: record.startedAt, progress: { done: 3, total: 207 } });
  });
});

describe('run schemas', () => {
  it('adds runId to a result schema as a required field', () => {
    expect(withRunId({ type: 'object', properties: { exported: { type: 'integer' } }, required: ['exported'] })).toMatchObject({
      properties: { exported: { type: 'integer' }, runId: { type: 'string' } },
      required: ['exported', 'runId'],
    });
  });

  it('describes GET with the statuses and the result of the synchronous call', () => {
    const schema = runAnswerSchema({ type: 'object', properties: { settled: { type: 'integer' } }, required: ['settled'] });
    expect(schema['required']).toEqual(['runId', 'status', 'startedAt', 'progress']);
    expect((schema['properties'] as Record<string, Record<string, unknown>>)['status']!['enum']).toEqual(['RUNNING', 'DONE', 'FAILED']);
    expect((schema['properties'] as Record<string, Record<string, unknown>>)['result']!['required']).toEqual(['settled']);
  });
});
