import { Actor } from '@continuum/contracts';

/**
 * Where a command came from, carried onto the events it causes. From an HTTP request:
 * its correlation id, causationId null, the API key's actor, the Idempotency-Key header.
 * From an incoming event: that event's correlation id, causationId = its eventId, and
 * idempotencyKey = `<consumer group>:<eventId>`.
 */
export interface CommandContext {
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly actor: Actor;
  readonly idempotencyKey?: string;
}

/**
 * The context of one step of a use case that appends to the same stream more than once (reserve,
 * call the gateway, record the answer): the same request, its idempotency key extended by `step`, so
 * each append of a retried request is recognised on its own. Appends to different streams need no
 * step: an idempotency key belongs to its stream.
 */
export function stepContext(context: CommandContext, step: string): CommandContext {
  return context.idempotencyKey === undefined ? context : { ...context, idempotencyKey: `${context.idempotencyKey}:${step}` };
}

/**
 * The context of a command caused by a consumed event: same correlation id, caused by that event,
 * the event's actor (the history shows who started the chain), and idempotency key
 * `<group>:<eventId>`, so a redelivery appends nothing.
 */
export function reactionContext(group: string, event: { readonly eventId: string; readonly correlationId: string; readonly actor: Actor }): CommandContext {
  return { correlationId: event.correlationId, causationId: event.eventId, actor: event.actor, idempotencyKey: `${group}:${event.eventId}` };
}

/** The context of work a service starts on its own (a scheduled job), as `actor` (a system actor). */
export function systemContext(actor: Actor, correlationId: string, causationId: string | null, idempotencyKey?: string): CommandContext {
  return { correlationId, causationId, actor, ...(idempotencyKey !== undefined ? { idempotencyKey } : {}) };
}
