import { installShutdownWith } from './install-shutdown';

describe('installShutdownWith', () => {
  it('runs every closer once, in order, on the first signal, even when one fails', async () => {
    const calls: string[] = [];
    let exits = 0;
    const errors: unknown[] = [];
    let exited!: () => void;
    const done = new Promise<void>((resolve) => (exited = resolve));
    installShutdownWith(
      { signals: ['SIGUSR2'], exit: () => { exits++; exited(); }, onError: (e) => errors.push(e) },
      async () => { calls.push('consumer'); },
      () => { calls.push('broken'); throw new Error('already closed'); },
      async () => { calls.push('mongo'); },
    );

    process.emit('SIGUSR2');
    process.emit('SIGUSR2');
    await done;

    expect(calls).toEqual(['consumer', 'broken', 'mongo']);
    expect(exits).toBe(1);
    expect(errors).toHaveLength(1);
    expect(process.listenerCount('SIGUSR2')).toBe(0);
  });

  it('returns a shutdown that can be run without a signal and runs the closers only once', async () => {
    let runs = 0;
    const shutdown = installShutdownWith({ signals: ['SIGUSR2'], exit: () => undefined }, () => { runs++; });
    await Promise.all([shutdown(), shutdown()]);
    expect(runs).toBe(1);
    expect(process.listenerCount('SIGUSR2')).toBe(0);
  });
});
