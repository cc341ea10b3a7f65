import { Command, Decider, DomainEvent } from '@continuum/contracts';
import { CommandContext } from './command-context';
import { CommandRunner, PlanResult, RunResult } from './command-runner';

/** A command as callers give it: its type and data. The runner adds the metadata (clock, actor). */
export type CommandInput<C extends Command> = C extends Command ? Pick<C, 'type' | 'data'> : never;

/** One kind of aggregate: its decider and the stream an id lives in. */
export interface AggregateDefinition<C extends Command, E extends DomainEvent, S> {
  readonly decider: Decider<C, E, S>;
  /** e.g. (orderId) => `order-${orderId}` */
  readonly streamId: (id: string) => string;
  /**
   * Command types that usually start a new stream (PlaceOrder, RegisterCustomer): the runner first
   * decides them on an empty stream without reading it. Only a hint: when the stream exists after
   * all, the append collides on its first commit id and the command is decided again on a read.
   */
  readonly startsStream?: readonly C['type'][];
}

/**
 * The one path from an adapter (controller, consumer, job, or a handler of a multi-step use case)
 * to `decide` and `append` for one aggregate kind. It owns the clock: every command is decided at
 * the time it runs, with the context's actor.
 *
 *   class OrderAggregate extends aggregateRunner({ decider: orderDecider, streamId: orderStreamId }) { ... } // service/aggregate-runner-of.ts
 *   const { state, events } = await orders.run(orderId, { type: 'CancelOrder', data: { orderId, reason } }, context);
 */
export class AggregateRunner<C extends Command, E extends DomainEvent, S> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly definition: AggregateDefinition<C, E, S>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The stream an id of this aggregate lives in. */
  streamOf(id: string): string {
    return this.definition.streamId(id);
  }

  /** The current state and version of the aggregate (its initial state when it does not exist). */
  load(id: string): Promise<{ state: S; version: number }> {
    return this.runner.load(this.definition.streamId(id), this.definition.decider);
  }

  run(id: string, input: CommandInput<C>, context: CommandContext): Promise<RunResult<S, E>> {
    return this.runner.run({
      streamId: this.definition.streamId(id),
      decider: this.definition.decider,
      command: this.command(input, context),
      context,
      assumeNew: this.definition.startsStream?.includes(input.type) ?? false,
    });
  }

  /**
   * A reaction in one read and one append: `plan` (usually a pure reaction from domain/) gets the
   * stored state and answers the commands it calls for; they are decided and appended together, as
   * one commit under the context's key (a redelivery replays it whatever the plan would say now). A
   * reaction with several commands for one stream uses this, not `run` per command under one key
   * (every run after the first would meet the key: IDEMPOTENCY_KEY_REUSED).
   *
   *   await orders.react(orderId, (order) => onPaymentOutcome(event, order), reactionContext(GROUP, event));
   */
  react(id: string, plan: (state: S) => readonly CommandInput<C>[], context: CommandContext): Promise<PlanResult<C, S, E>> {
    return this.runner.plan({
      streamId: this.definition.streamId(id),
      decider: this.definition.decider,
      plan: (state) => plan(state).map((input) => this.command(input, context)),
      context,
    });
  }

  private command(input: CommandInput<C>, context: CommandContext): C {
    return { ...input, metadata: { now: this.clock().toISOString(), actor: context.actor } } as unknown as C;
  }
}
