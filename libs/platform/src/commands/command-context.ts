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
