import { reactionContext, stepContext, systemContext } from './command-context';

describe('command contexts', () => {
  it('reactionContext keeps the correlation id and actor, names the event as cause and keys the command by group and event', () => {
    const event = { eventId: 'evt-1', correlationId: 'corr-1', actor: { kind: 'service' as const, id: 'lander' } };
    expect(reactionContext('order-reactions', event)).toEqual({
      correlationId: 'corr-1',
      causationId: 'evt-1',
      actor: { kind: 'service', id: 'lander' },
      idempotencyKey: 'order-reactions:evt-1',
    });
  });

  it('stepContext extends the idempotency key by the step, and leaves a context without a key alone', () => {
    const base = systemContext({ kind: 'system', id: 'refund-retries' }, 'corr-1', 'evt-1', 'refund-retry:rf-1:2');
    expect(stepContext(base, 'attempt-1').idempotencyKey).toBe('refund-retry:rf-1:2:attempt-1');
    const keyless = systemContext({ kind: 'system', id: 'settlement' }, 'corr-2', null);
    expect(keyless).toEqual({ correlationId: 'corr-2', causationId: null, actor: { kind: 'system', id: 'settlement' } });
    expect(stepContext(keyless, 'attempt-1')).toBe(keyless);
  });
});
