import { EventEnvelope } from '@continuum/contracts';
import { CommandContext } from '@continuum/platform';

/**
 * The context of a command caused by another service's event: same correlation id, caused by that
 * event, idempotent per consumer group and event. The actor stays the event's own actor, so an
 * order's history shows who started the chain (the agent or service that placed it), not "orders".
 */
export function reactionContext(group: string, envelope: EventEnvelope): CommandContext {
  return {
    correlationId: envelope.correlationId,
    causationId: envelope.eventId,
    actor: envelope.actor,
    idempotencyKey: `orders.${group}:${envelope.eventId}`,
  };
}
