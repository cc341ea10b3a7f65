import { Command, Decider, DomainError, DomainEvent, defineEvent, obj, int } from '@continuum/contracts';
import { projectionSpec, refusal, spec } from './decider-spec';

// A tiny counter decider, enough to prove the kit itself.
defineEvent('TestCounterIncremented', 'test.events.v1', 'kit self-test', obj({ by: int({ minimum: 1 }) }));
type Incremented = DomainEvent<'TestCounterIncremented', { by: number }>;
type Unschemed = DomainEvent<'TestCounterUnschemed', { by: number }>;
type Increment = Command<'Increment', { by: number; unschemed?: boolean }>;
const meta = { now: '2026-01-01T00:00:00.000Z', actor: { kind: 'agent' as const, id: 'alice' } };

const counter: Decider<Increment, Incremented | Unschemed, { total: number }> = {
  initialState: () => ({ total: 0 }),
  evolve: (state, event) => ({ total: state.total + event.data.by }),
  decide: (command, state) => {
    if (state.total + command.data.by > 10) throw new DomainError('LIMIT', 'at most 10');
    if (command.data.unschemed) return [{ type: 'TestCounterUnschemed', data: { by: command.data.by } }];
    return [{ type: 'TestCounterIncremented', data: { by: command.data.by } }];
  },
};
const inc = (by: number, unschemed = false): Increment => ({ type: 'Increment', data: { by, unschemed }, metadata: meta });
const incremented = (by: number): Incremented => ({ type: 'TestCounterIncremented', data: { by } });

describe('spec(decider)', () => {
  it('folds the given events before deciding', () => {
    expect(spec(counter).given([incremented(3), incremented(4)]).state).toEqual({ total: 7 });
  });

  it('passes when the emitted events equal the expected ones', () => {
    spec(counter).given([]).when(inc(2)).then([incremented(2)]);
  });

  it('fails when the emitted events differ', () => {
    expect(() => spec(counter).given([]).when(inc(2)).then([incremented(3)])).toThrow();
  });

  it('fails when an emitted event breaks its schema', () => {
    expect(() => spec(counter).given([]).when(inc(0)).then([incremented(0)])).toThrow(/must be >= 1/);
  });

  it('fails when an emitted event has no schema at all', () => {
    expect(() =>
      spec(counter).given([]).when(inc(1, true)).then([{ type: 'TestCounterUnschemed', data: { by: 1 } }]),
    ).toThrow(/has no schema/);
  });

  it('thenThrows passes on the expected DomainError code', () => {
    const error = spec(counter).given([incremented(9)]).when(inc(2)).thenThrows('LIMIT', 'rule');
    expect(error.message).toBe('at most 10');
  });

  it('thenThrows fails when the command succeeds or fails with another code', () => {
    expect(() => spec(counter).given([]).when(inc(1)).thenThrows('LIMIT')).toThrow(/no error/);
    expect(() => spec(counter).given([incremented(9)]).when(inc(2)).thenThrows('OTHER')).toThrow();
  });
});

describe('projectionSpec', () => {
  it('compares the folded state with the expected value or runs a check', () => {
    projectionSpec(counter.evolve, counter.initialState).given([incremented(1), incremented(2)]).then({ total: 3 });
    projectionSpec(counter.evolve, counter.initialState)
      .given([incremented(5)])
      .then((s) => expect(s.total).toBe(5));
    expect(() => projectionSpec(counter.evolve, counter.initialState).given([incremented(1)]).then({ total: 2 })).toThrow();
  });
});

describe('refusal (the DomainError of a rule outside a decider)', () => {
  it('answers the DomainError the rule threw, with its code, kind and details', () => {
    const error = refusal(() => {
      throw new DomainError('TOO_MANY', 'At most three', 'rule', { field: 'quantity' });
    });
    expect(error).toMatchObject({ code: 'TOO_MANY', kind: 'rule', details: { field: 'quantity' } });
  });

  it('throws on any other error, and fails when the rule throws nothing', () => {
    expect(() =>
      refusal(() => {
        throw new TypeError('a bug, not a refusal');
      }),
    ).toThrow(TypeError);
    expect(() => refusal(() => 42)).toThrow(/not refused/);
  });
});
