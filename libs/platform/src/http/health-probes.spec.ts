import { runHealthProbes, withConsumers } from './health-probes';

describe('runHealthProbes', () => {
  it('is ok when every probe answers', async () => {
    const report = await runHealthProbes([
      { name: 'kafka', check: async () => undefined },
      { name: 'mongo', check: async () => undefined },
    ]);
    expect(report).toEqual({ status: 'ok', checks: { kafka: 'up', mongo: 'up' } });
  });

  it('is down with the reason when one probe fails, a throw included', async () => {
    const report = await runHealthProbes([
      { name: 'kafka', check: async () => undefined },
      { name: 'redis', check: async () => Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6379')) },
      {
        name: 'mongo',
        check: () => {
          throw new Error('not connected');
        },
      },
    ]);
    expect(report).toEqual({
      status: 'down',
      checks: { kafka: 'up', redis: 'down', mongo: 'down' },
      errors: { redis: 'ECONNREFUSED 127.0.0.1:6379', mongo: 'not connected' },
    });
  });

  it('counts a probe that does not answer in time as down', async () => {
    const report = await runHealthProbes([{ name: 'kafka', check: () => new Promise<void>(() => undefined) }], 20);
    expect(report).toEqual({ status: 'down', checks: { kafka: 'down' }, errors: { kafka: 'no answer within 20 ms' } });
  });

  it('is degraded, not down, when only a non-critical probe fails; a critical failure still makes it down', async () => {
    const lagging = { name: 'lag', critical: false, check: async () => Promise.reject(new Error('90 s behind')) };
    expect(await runHealthProbes([{ name: 'kafka', check: async () => undefined }, lagging])).toEqual({
      status: 'degraded',
      checks: { kafka: 'up', lag: 'degraded' },
      errors: { lag: '90 s behind' },
    });
    const down = await runHealthProbes([{ name: 'kafka', check: async () => Promise.reject(new Error('no broker')) }, lagging]);
    expect(down).toMatchObject({ status: 'down', checks: { kafka: 'down', lag: 'degraded' } });
  });

  it('is ok with no probes', async () => {
    expect(await runHealthProbes([])).toEqual({ status: 'ok', checks: {} });
  });
});

describe('withConsumers', () => {
  const ok = { status: 'ok' as const, checks: { mongodb: 'up' as const } };

  it('lists the groups and keeps ok when every one runs', () => {
    expect(withConsumers(ok, { 'orders.payment-outcomes': 'running' })).toEqual({ ...ok, consumers: { 'orders.payment-outcomes': 'running' } });
  });

  it('is degraded (not down) while a group is still joining or has failed, naming it', () => {
    const report = withConsumers(ok, { 'orders.payment-outcomes': 'running', 'orders.rebills': 'joining' });
    expect(report).toEqual({ status: 'degraded', checks: { mongodb: 'up' }, consumers: { 'orders.payment-outcomes': 'running', 'orders.rebills': 'joining' } });
    expect(withConsumers(ok, { 'orders.rebills': 'failed' }).status).toBe('degraded');
  });

  it('leaves a down report down and a degraded one degraded', () => {
    const down = { status: 'down' as const, checks: { mongodb: 'down' as const }, errors: { mongodb: 'no answer' } };
    expect(withConsumers(down, { 'orders.rebills': 'joining' })).toEqual({ ...down, consumers: { 'orders.rebills': 'joining' } });
    const degraded = { status: 'degraded' as const, checks: { kafka: 'degraded' as const }, errors: { kafka: 'no broker' } };
    expect(withConsumers(degraded, { 'orders.rebills': 'running' }).status).toBe('degraded');
  });

  it('changes nothing for a service without consumer groups', () => {
    expect(withConsumers(ok, {})).toEqual(ok);
  });
});
