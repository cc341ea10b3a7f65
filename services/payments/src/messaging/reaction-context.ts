import { EventEnvelope } from '@continuum/contracts';
import { CommandContext, IncomingMessage } from '@continuum/platform';

/**
 * The context of a command caused by a consumed event: same correlation id, causationId = the
 * event's id, the event's actor, and idempotencyKey `<group>:<eventId>` so a redelivery appends nothing.
 */
export function reactionContext(group: string, envelope: EventEnvelope): CommandContext {
  return { correlationId: envelope.correlationId, causationId: envelope.eventId, actor: envelope.actor, idempotencyKey: `${group}:${envelope.eventId}` };
}

/** The envelope of a consumed domain event with its data typed as `T` (the runner has validated it). */
export function envelopeOf<T>(message: IncomingMessage): EventEnvelope<string, T> {
  if (!message.envelope) throw new Error(`${message.type} arrived without an event envelope`);
  return message.envelope as EventEnvelope<string, T>;
}
