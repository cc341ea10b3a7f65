import { Command, DomainEvent } from '@continuum/contracts';
import { AggregateRunner, CommandInput } from './aggregate-runner';
import { CommandContext, stepContext } from './command-context';

/** A command of a reaction's work for one stream: which aggregate, which id, what to decide. */
export interface StreamWork {
  readonly kind: 'stream';
  readonly aggregate: AggregateRunner<any, any, any>;
  readonly id: string;
  readonly command: CommandInput<Command>;
}

/**
 * A step of a reaction's work that is not one decision on one stream: a use case of several steps
 * (a refund: reserve, call the gateway, record), a job to enqueue. It runs under its own key,
 * `stepContext(context, step)`, so `step` names the item uniquely within its reaction
 * (`refund-order:<orderId>`).
 */
export interface StepWork {
  readonly kind: 'step';
  readonly step: string;
  readonly run: (context: CommandContext) => Promise<unknown>;
}

export type ReactionWork = StreamWork | StepWork;

/** `onStream(purchases, purchaseId, { type: 'RecordFulfillment', data })`: a command for that stream. */
export function onStream<C extends Command, E extends DomainEvent, S>(aggregate: AggregateRunner<C, E, S>, id: string, command: CommandInput<C>): StreamWork {
  return { kind: 'stream', aggregate: aggregate as unknown as StreamWork['aggregate'], id, command: command as CommandInput<Command> };
}

/** `workStep('refund-order:o-1', (context) => refunds.refundOrder(...))`: a step under its own key. */
export function workStep(step: string, run: (context: CommandContext) => Promise<unknown>): StepWork {
  return { kind: 'step', step, run };
}

/**
 * Runs a reaction's work, the one way every consumer does: the commands for one stream (same
 * aggregate, same id) are one `react()`: decided in order on one read and appended as one commit
 * under the reaction's key, at the place of the first of them; a redelivery replays that commit.
 * Each step runs in its place under `stepContext(context, step)`. So every append has a key of its
 * own stream and every step a key of its own: no key serves two commands.
 *
 *   await runReactionWork(onOrderEvent(event, state).map(toWork), reactionContext(GROUP, event));
 */
export async function runReactionWork(work: readonly ReactionWork[], context: CommandContext): Promise<void> {
  const streams = new Map<string, { aggregate: StreamWork['aggregate']; id: string; commands: CommandInput<Command>[] }>();
  const order: Array<{ stream: string } | StepWork> = [];
  const steps = new Set<string>();
  for (const item of work) {
    if (item.kind === 'step') {
      if (steps.has(item.step)) throw new Error(`reaction work names step '${item.step}' twice: each step needs a key of its own`);
      steps.add(item.step);
      order.push(item);
      continue;
    }
    const stream = item.aggregate.streamOf(item.id);
    const group = streams.get(stream);
    if (group) {
      if (group.aggregate !== item.aggregate) throw new Error(`reaction work sends stream ${stream} commands through two aggregates`);
      group.commands.push(item.command);
      continue;
    }
    streams.set(stream, { aggregate: item.aggregate, id: item.id, commands: [item.command] });
    order.push({ stream });
  }
  for (const next of order) {
    if ('kind' in next) {
      await next.run(stepContext(context, next.step));
      continue;
    }
    const { aggregate, id, commands } = streams.get(next.stream)!;
    await aggregate.react(id, () => commands, context);
  }
}
