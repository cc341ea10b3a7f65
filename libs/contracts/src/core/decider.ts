import { Actor } from './actor';
import { DomainEvent } from './envelope';

/** What every command carries besides its data: the clock and the acting user come from outside. */
export interface CommandMetadata {
  /** ISO-8601 UTC time at which the command is decided */
  readonly now: string;
  readonly actor: Actor;
}

export interface Command<TType extends string = string, TData = Record<string, unknown>> {
  readonly type: TType;
  readonly data: TData;
  readonly metadata: CommandMetadata;
}

/**
 * A pure decider: `decide` turns a command and the current state into new events (or throws a
 * DomainError), `evolve` folds an event into the state. No I/O, no clock, no id generation.
 */
export interface Decider<TCommand extends Command, TEvent extends DomainEvent, TState> {
  readonly decide: (command: TCommand, state: TState) => readonly TEvent[];
  readonly evolve: (state: TState, event: TEvent) => TState;
  readonly initialState: () => TState;
}

/** rule: a business rule said no (HTTP 422); not-found: the aggregate does not exist (404); conflict: a duplicate (409). */
export type DomainErrorKind = 'rule' | 'not-found' | 'conflict';

/**
 * A broken business rule. `code` is stable and machine-readable (e.g. `CHARGE_SETTLED`),
 * `message` says what to do about it in the words an agent uses.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly kind: DomainErrorKind = 'rule',
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Ends an exhaustive switch: the compiler fails when a variant is not handled. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
}
