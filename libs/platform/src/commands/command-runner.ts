import { Command, Decider, DomainEvent, EventEnvelope } from '@continuum/contracts';
import { AppendResult, ConcurrencyError, EventStore } from '../event-store';
import { CommandContext } from './command-context';

export interface CommandRunnerOptions {
  /** how many more times to reload and decide after a ConcurrencyError (default 3) */
  readonly maxRetries?: number;
}

/** One command to run against one stream. */
export interface RunCommand<C extends Command, E extends DomainEvent, S> {
  readonly streamId: string;
  readonly decider: Decider<C, E, S>;
  readonly command: C;
  readonly context: CommandContext;
}

/** What a command did: the stored events, the state after them and the stream version after them. */
export interface RunResult<S> {
  readonly events: EventEnvelope[];
  readonly state: S;
  readonly version: number;
  /** true when an earlier command with the same idempotency key answered and nothing was decided */
  readonly replayed: boolean;
}

/**
 * Runs a pure decider against a stored stream: load and fold, decide, append with the expected
 * version, and on a concurrent append reload and decide again (bounded).
 *
 *   const { events, state } = await runner.run({ streamId: `order-${id}`, decider: orderDecider, command, context });
 *
 * A DomainError thrown by `decide` propagates unchanged and nothing is stored.
 */
export class CommandRunner {
  private readonly maxRetries: number;

  constructor(
    private readonly eventStore: EventStore,
    options: CommandRunnerOptions = {},
  ) {
    this.maxRetries = options.maxRetries ?? 3;
  }

  /** The folded state and version of a stream, for reads. */
  async load<C extends Command, E extends DomainEvent, S>(streamId: string, decider: Decider<C, E, S>): Promise<{ state: S; version: number }> {
    const { events, version } = await this.eventStore.readStream(streamId);
    return { state: fold(decider, events), version };
  }

  async run<C extends Command, E extends DomainEvent, S>({ streamId, decider, command, context }: RunCommand<C, E, S>): Promise<RunResult<S>> {
    if (context.idempotencyKey !== undefined) {
      const earlier = await this.eventStore.findByIdempotencyKey(context.idempotencyKey);
      if (earlier) return this.replay(earlier, decider);
    }
    for (let attempt = 0; ; attempt++) {
      const { state, version } = await this.load(streamId, decider);
      const decided = decider.decide(command, state);
      try {
        const result = await this.eventStore.append(streamId, version, decided, {
          correlationId: context.correlationId,
          causationId: context.causationId,
          actor: context.actor,
          idempotencyKey: context.idempotencyKey,
          occurredAt: command.metadata.now,
        });
        // a concurrent twin with the same key may have won the race
        if (result.replayed) return this.replay(result, decider);
        return { events: result.events, state: decided.reduce(decider.evolve, state), version: result.toVersion, replayed: false };
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= this.maxRetries) throw error;
      }
    }
  }

  /** The earlier answer, with the state as it was right after that append. */
  private async replay<C extends Command, E extends DomainEvent, S>(earlier: AppendResult, decider: Decider<C, E, S>): Promise<RunResult<S>> {
    const { events } = await this.eventStore.readStream(earlier.streamId);
    const state = fold(decider, events.filter((event) => event.streamVersion <= earlier.toVersion));
    return { events: earlier.events, state, version: earlier.toVersion, replayed: true };
  }
}

function fold<C extends Command, E extends DomainEvent, S>(decider: Decider<C, E, S>, events: readonly EventEnvelope[]): S {
  return events.reduce((state, event) => decider.evolve(state, { type: event.type, data: event.data } as E), decider.initialState());
}
