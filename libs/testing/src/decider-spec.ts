import { Command, Decider, DomainError, DomainEvent, registry } from '@continuum/contracts';

export interface ThenOptions {
  /** check every emitted event's data against its schema in @continuum/contracts (default true) */
  readonly validateSchemas?: boolean;
}

/**
 * Specification-style tests for a pure decider:
 *
 *   spec(orderDecider).given([orderPlaced]).when(cancel).then([orderCancelled]);
 *   spec(orderDecider).given([]).when(cancel).thenThrows('ORDER_NOT_FOUND');
 *
 * `then` also checks every emitted event against its registered JSON Schema, so the schemas in
 * the contracts library cannot drift from what the deciders really emit.
 */
export function spec<C extends Command, E extends DomainEvent, S>(decider: Decider<C, E, S>) {
  return {
    given(events: readonly E[]) {
      const state = events.reduce(decider.evolve, decider.initialState());
      return {
        /** the state folded from the given events */
        state,
        when(command: C) {
          const run = () => decider.decide(command, state);
          return {
            then(expected: readonly E[], options: ThenOptions = {}): readonly E[] {
              const emitted = run();
              expect(emitted).toEqual(expected);
              if (options.validateSchemas ?? true) {
                for (const event of emitted) {
                  if (registry.has(event.type)) registry.validate(event.type, registry.current(event.type).version, event.data);
                  else throw new Error(`${event.type} has no schema in @continuum/contracts`);
                }
              }
              return emitted;
            },
            /** the command must fail with a DomainError of this code (and kind, when given) */
            thenThrows(code: string, kind?: DomainError['kind']): DomainError {
              let caught: unknown;
              try {
                run();
              } catch (error) {
                caught = error;
              }
              if (!(caught instanceof DomainError)) {
                throw new Error(`expected DomainError ${code}, got ${caught === undefined ? 'no error' : String(caught)}`);
              }
              expect(caught.code).toBe(code);
              if (kind) expect(caught.kind).toBe(kind);
              return caught;
            },
          };
        },
      };
    },
  };
}

/**
 * The DomainError a pure rule outside a decider throws (a workflow step, a status guard, the money
 * rule), for a spec to look at its code, kind and details:
 *
 *   expect(refusal(() => assertMinorUnits(1.5, { field: 'price' }))).toMatchObject({ code: 'INVALID_AMOUNT', details: { field: 'price' } });
 *
 * Any other error is thrown on; a rule that throws nothing fails the spec.
 */
export function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('not refused: expected a DomainError');
}

/** The same style for projections and `evolve`: given events, then the resulting state. */
export function projectionSpec<E, S>(evolve: (state: S, event: E) => S, initialState: () => S) {
  return {
    given(events: readonly E[]) {
      const state = events.reduce(evolve, initialState());
      return {
        then(expected: S | ((state: S) => void)): S {
          if (typeof expected === 'function') (expected as (s: S) => void)(state);
          else expect(state).toEqual(expected);
          return state;
        },
      };
    },
  };
}
