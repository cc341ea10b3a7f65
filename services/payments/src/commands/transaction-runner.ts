import { Inject, Injectable } from '@nestjs/common';
import { Actor } from '@continuum/contracts';
import { CommandContext, Platform, RunResult } from '@continuum/platform';
import { TransactionCommand, TransactionState, transactionDecider, transactionStreamId } from '../domain';

type CommandOf<T extends TransactionCommand['type']> = Extract<TransactionCommand, { type: T }>;

/**
 * Runs transaction commands on stream `transaction-<id>` (the views follow through the relay).
 * The clock lives here: every command is decided at `new Date()`.
 */
@Injectable()
export class TransactionRunner {
  constructor(@Inject(Platform) private readonly platform: Platform) {}

  /** The current state of a transaction (NONE when it does not exist). */
  async load(transactionId: string): Promise<{ state: TransactionState; version: number }> {
    return this.platform.commands.load(transactionStreamId(transactionId), transactionDecider);
  }

  async run<T extends TransactionCommand['type']>(
    transactionId: string,
    type: T,
    data: CommandOf<T>['data'],
    context: CommandContext,
  ): Promise<RunResult<TransactionState>> {
    const command = { type, data, metadata: { now: new Date().toISOString(), actor: context.actor } } as CommandOf<T>;
    return this.platform.commands.run({ streamId: transactionStreamId(transactionId), decider: transactionDecider, command, context });
  }
}

/**
 * The context of one step of a multi-step command: the same request, its idempotency key
 * extended by `step`, so each append of a retried command is recognised on its own.
 */
export function stepContext(context: CommandContext, step: string): CommandContext {
  return context.idempotencyKey === undefined ? context : { ...context, idempotencyKey: `${context.idempotencyKey}:${step}` };
}

/** The context of work the service starts on its own (jobs). */
export function systemContext(actor: Actor, correlationId: string, causationId: string | null, idempotencyKey?: string): CommandContext {
  return { correlationId, causationId, actor, ...(idempotencyKey !== undefined ? { idempotencyKey } : {}) };
}
