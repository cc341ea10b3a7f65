import { Command, Decider, DomainEvent, EnvelopeOf, EventEnvelope } from '@continuum/contracts';
import { AppendResult, ConcurrencyError, EventStore, StreamRead, commandHash } from '../event-store';
import { CommandContext } from './command-context';

export interface CommandRunnerOptions {
  /** how many more times to reload and decide after a ConcurrencyError (default 3) */
  readonly maxRetries?: number;
  /**
   * Awaited after every new append, before `run` resolves: the platform hands the commit to the
   * outbox relay here, so the service's own views show it when the caller gets its answer.
   */
  readonly afterAppend?: (result: AppendResult) => Promise<void>;
}

/** One command to run against one stream. */
export interface RunCommand<C extends Command, E extends DomainEvent, S> {
  readonly streamId: string;
  readonly decider: Decider<C, E, S>;
  readonly command: C;
  readonly context: CommandContext;
  /** the command usually starts the stream: try it on an empty stream before reading (see `plan`) */
  readonly assumeNew?: boolean;
}

/** A reaction against one stream: the commands its current state calls for (none, one or several). */
export interface PlanCommands<C extends Command, E extends DomainEvent, S> {
  readonly streamId: string;
  readonly decider: Decider<C, E, S>;
  /** pure: the state as stored now -> the commands to decide, in order */
  readonly plan: (state: S) => readonly C[];
  readonly context: CommandContext;
  /** the commands usually start the stream: try them on an empty stream before reading (see `plan`) */
  readonly assumeNew?: boolean;
  /**
   * `commandHash` of the commands when they are known before the read (`run`): stored with the
   * idempotency key, and an earlier commit with the key but another hash is refused
   * (IDEMPOTENCY_KEY_REUSED) instead of replayed. A reaction's commands depend on the state it
   * plans from, so without it the key alone answers (a redelivery replays whatever it would plan).
   */
  readonly commandHash?: string;
}

/** What a command did: the stored events, the state after them and the stream version after them. */
export interface RunResult<S, E extends DomainEvent = DomainEvent> {
  readonly events: EnvelopeOf<E>[];
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
 * A DomainError thrown by `decide` propagates unchanged and nothing is stored. The stream is read
 * once per attempt: the same read gives the state, the expected version and the earlier append of a
 * repeated idempotency key (keys belong to their stream).
 */
export class CommandRunner {
  private readonly maxRetries: number;
  private readonly afterAppend?: (result: AppendResult) => Promise<void>;

  constructor(
    private readonly eventStore: EventStore,
    options: CommandRunnerOptions = {},
  ) {
    this.maxRetries = options.maxRetries ?? 3;
    this.afterAppend = options.afterAppend;
  }

  /** The folded state and version of a stream, for reads. */
  async load<C extends Command, E extends DomainEvent, S>(streamId: string, decider: Decider<C, E, S>): Promise<{ state: S; version: number }> {
    const { events, version } = await this.eventStore.readStream(streamId);
    return { state: fold(decider, events), version };
  }

  async run<C extends Command, E extends DomainEvent, S>({ streamId, decider, command, context, assumeNew }: RunCommand<C, E, S>): Promise<RunResult<S, E>> {
    const hash = context.idempotencyKey === undefined ? undefined : commandHash([command]);
    const { events, state, version, replayed } = await this.plan({ streamId, decider, plan: () => [command], context, assumeNew, commandHash: hash });
    return { events, state, version, replayed };
  }

  /**
   * Reads the stream once, asks `plan` what the state calls for, decides those commands in order
   * (each on the state the previous one left) and appends all their events as one commit: a reaction
   * costs one read and one append, not a read to plan and another to run. On a concurrent append it
   * reads, plans and decides again; a repeated idempotency key answers the earlier commit.
   *
   * The first attempt may skip the store: a stream this process has cached is taken as cached, and
   * one it has not with `assumeNew` as empty. Appending at that version is safe either way, since a
   * newer commit (another instance's) makes the append collide on its unique commit id and the
   * stream is read for the next attempt. Only an append proves the guess, so a guess that decides
   * nothing or is refused is decided again on a read.
   */
  async plan<C extends Command, E extends DomainEvent, S>({ streamId, decider, plan, context, assumeNew, commandHash: hash }: PlanCommands<C, E, S>): Promise<PlanResult<C, S, E>> {
    let guess = true;
    for (let attempt = 0; ; ) {
      const guessed = guess ? (this.eventStore.readStreamCached(streamId) ?? (assumeNew ? EMPTY_STREAM : undefined)) : undefined;
      guess = false;
      const read = guessed ?? (await this.eventStore.readStream(streamId));
      // the key is in a stored commit, cached or read: a guess cannot be wrong here (nor about a
      // key given for another command, which throws IDEMPOTENCY_KEY_REUSED)
      const earlier = context.idempotencyKey === undefined ? null : read.appendWithKey(context.idempotencyKey, hash);
      if (earlier) return { ...replay(earlier, read, decider), commands: [] };
      const state = fold(decider, read.events);
      let commands: readonly C[];
      let after = state;
      const decided: E[] = [];
      try {
        commands = plan(state);
        for (const command of commands) {
          const events = decider.decide(command, after);
          decided.push(...events);
          after = events.reduce(decider.evolve, after);
        }
      } catch (error) {
        if (guessed) continue;
        throw error;
      }
      if (decided.length === 0) {
        if (guessed) continue;
        return { events: [], state, version: read.version, replayed: false, commands };
      }
      try {
        const result = await this.eventStore.append(
          streamId,
          read.version,
          decided,
          {
            correlationId: context.correlationId,
            causationId: context.causationId,
            actor: context.actor,
            idempotencyKey: context.idempotencyKey,
            commandHash: hash,
            occurredAt: commands[0]!.metadata.now,
          },
          { atStreamEnd: true },
        );
        // a concurrent twin with the same key may have won the race
        if (result.replayed) return { ...replay(result, await this.eventStore.readStream(streamId), decider), commands: [] };
        await this.afterAppend?.(result);
        return { events: result.events as EnvelopeOf<E>[], state: after, version: result.toVersion, replayed: false, commands };
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
        // a wrong guess is not a concurrent change: it does not use up a retry
        if (!guessed && attempt++ >= this.maxRetries) throw error;
      }
    }
  }
}

/** A stream with nothing in it, for a command that usually starts its stream. */
const EMPTY_STREAM: StreamRead = { events: [], version: 0, appendWithKey: () => null };

export interface PlanResult<C extends Command, S, E extends DomainEvent = DomainEvent> extends RunResult<S, E> {
  /** what `plan` asked for on the read that was decided (empty when nothing was to be done, or on a replay) */
  readonly commands: readonly C[];
}

/** The earlier answer, with the state as it was right after that append. */
function replay<C extends Command, E extends DomainEvent, S>(earlier: AppendResult, read: StreamRead, decider: Decider<C, E, S>): RunResult<S, E> {
  const state = fold(decider, read.events.filter((event) => event.streamVersion <= earlier.toVersion));
  return { events: earlier.events as EnvelopeOf<E>[], state, version: earlier.toVersion, replayed: true };
}

function fold<C extends Command, E extends DomainEvent, S>(decider: Decider<C, E, S>, events: readonly EventEnvelope[]): S {
  return events.reduce((state, event) => decider.evolve(state, { type: event.type, data: event.data } as E), decider.initialState());
}
