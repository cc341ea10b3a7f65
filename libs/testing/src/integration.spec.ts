import { EventEmitter } from 'node:events';
import type { Consumer } from 'kafkajs';
import { eventually, testRun, waitForGroupJoin } from './integration';

describe('eventually', () => {
  const quick = { timeoutMs: 200, intervalMs: 5 };

  it('resolves with the first truthy value the check returns', async () => {
    let calls = 0;
    const value = await eventually(() => (++calls === 3 ? { calls } : undefined), 'the third call', quick);
    expect(value).toEqual({ calls: 3 });
  });

  it('awaits an async check', async () => {
    await expect(eventually(async () => 'ready', 'an async value', quick)).resolves.toBe('ready');
  });

  it('keeps polling through every falsy value', async () => {
    const answers: unknown[] = [undefined, null, false, 0, '', 'done'];
    let seen = 0;
    const value = await eventually(() => answers[seen++] as string | undefined, 'the last answer', quick);
    expect(value).toBe('done');
    expect(seen).toBe(answers.length);
  });

  it('retries a check that throws until it returns a value', async () => {
    let calls = 0;
    const value = await eventually(
      async () => {
        calls++;
        if (calls < 3) throw new Error(`not yet ${calls}`);
        return calls;
      },
      'a check that recovers',
      quick,
    );
    expect(value).toBe(3);
  });

  it('times out with what it waited for and the last error', async () => {
    let calls = 0;
    const failure = eventually(
      () => {
        calls++;
        throw new Error(`still missing (${calls})`);
      },
      'the order to be paid',
      { timeoutMs: 30, intervalMs: 5 },
    );
    await expect(failure).rejects.toThrow(/^timed out after 30 ms waiting for the order to be paid; last error: still missing \(\d+\)$/);
    const error = await failure.catch((e: Error) => e);
    // the last error, not the first one, is reported and kept as the cause
    expect(error.message).toContain(`still missing (${calls})`);
    expect((error.cause as Error).message).toBe(`still missing (${calls})`);
    expect(calls).toBeGreaterThan(1);
  });

  it('times out without an error suffix when the check only returned falsy values', async () => {
    await expect(eventually(() => false, 'a flag', { timeoutMs: 20, intervalMs: 5 })).rejects.toThrow(/^timed out after 20 ms waiting for a flag$/);
  });

  it('reports an error that was followed by falsy values', async () => {
    let calls = 0;
    const check = () => {
      if (++calls === 1) throw new Error('connection refused');
      return undefined;
    };
    await expect(eventually(check, 'the broker', { timeoutMs: 20, intervalMs: 5 })).rejects.toThrow('waiting for the broker; last error: connection refused');
  });
});

describe('testRun', () => {
  it('derives every name from one short id', () => {
    const run = testRun('orders');
    expect(run.id).toMatch(/^[a-z0-9]{10}$/);
    expect(run.database).toBe(`it_orders_${run.id}`);
    expect(run.topicPrefix).toBe(`it-${run.id}.`);
    expect(run.queuePrefix).toBe(`it-${run.id}`);
    expect(run.group('reader')).toBe(`it-${run.id}.reader`);
    expect(run.name('ops')).toBe(`ops-${run.id}`);
  });

  it('gives every run its own id', () => {
    const ids = new Set(Array.from({ length: 200 }, () => testRun('x').id));
    expect(ids.size).toBe(200);
  });

  it('sanitises the label into a valid MongoDB, Kafka and BullMQ name', () => {
    const run = testRun('Payments / Refund: "queue".v2$');
    expect(run.database).toBe(`it_payments_refund_queue_v2_${run.id}`);
    // MongoDB forbids /\. "$ and more than 63 bytes; Kafka allows [a-zA-Z0-9._-]; BullMQ forbids ':'
    const long = testRun('a'.repeat(500));
    for (const name of [run.database, long.database]) {
      expect(name).toMatch(/^[a-z0-9_]+$/);
      expect(name.length).toBeLessThanOrEqual(63);
    }
    for (const name of [run.topicPrefix + 'orders.events.v1', run.group('probe'), run.queuePrefix]) expect(name).toMatch(/^[a-zA-Z0-9._-]+$/);
  });

  it('falls back to a fixed label when nothing of the given one survives', () => {
    const run = testRun('///');
    expect(run.database).toBe(`it_run_${run.id}`);
  });
});

describe('waitForGroupJoin', () => {
  /** Just enough of a kafkajs consumer: `on` returns the listener's remover, as kafkajs does. */
  const fakeConsumer = () => {
    const emitter = new EventEmitter();
    const consumer = {
      events: { GROUP_JOIN: 'consumer.group_join' },
      on: (event: string, listener: () => void) => {
        emitter.on(event, listener);
        return () => void emitter.off(event, listener);
      },
    };
    return { consumer: consumer as unknown as Consumer, emitter };
  };

  it('resolves when the consumer joins its group and stops listening', async () => {
    const { consumer, emitter } = fakeConsumer();
    const joined = waitForGroupJoin(consumer, 1000);
    expect(emitter.listenerCount('consumer.group_join')).toBe(1);
    emitter.emit('consumer.group_join', { payload: { groupId: 'g' } });
    await expect(joined).resolves.toBeUndefined();
    expect(emitter.listenerCount('consumer.group_join')).toBe(0);
  });

  it('ignores other consumer events', async () => {
    const { consumer, emitter } = fakeConsumer();
    const joined = waitForGroupJoin(consumer, 30);
    emitter.emit('consumer.connect');
    emitter.emit('consumer.fetch_start');
    await expect(joined).rejects.toThrow('timed out after 30 ms waiting for the consumer group join');
  });

  it('rejects when no join arrives before the timeout and removes its listener', async () => {
    const { consumer, emitter } = fakeConsumer();
    await expect(waitForGroupJoin(consumer, 20)).rejects.toThrow('timed out after 20 ms waiting for the consumer group join');
    expect(emitter.listenerCount('consumer.group_join')).toBe(0);
  });
});
