import { JsonSchema } from './registry';

/** Small builders so schemas stay short and uniform. Objects are closed (no unknown fields). */
export const str = (extra: JsonSchema = {}): JsonSchema => ({ type: 'string', ...extra });
export const id = (): JsonSchema => ({ type: 'string', minLength: 1 });
export const isoDate = (): JsonSchema => ({ type: 'string', format: 'date-time' });
/** money in integer minor units */
export const minor = (): JsonSchema => ({ type: 'integer', minimum: 0 });
export const int = (extra: JsonSchema = {}): JsonSchema => ({ type: 'integer', ...extra });
export const bool = (): JsonSchema => ({ type: 'boolean' });
export const num = (extra: JsonSchema = {}): JsonSchema => ({ type: 'number', ...extra });
export const oneOf = (...values: readonly string[]): JsonSchema => ({ type: 'string', enum: [...values] });
export const arrayOf = (items: JsonSchema, extra: JsonSchema = {}): JsonSchema => ({ type: 'array', items, ...extra });
export const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });

/** A closed object: `required` lists the keys that must be present, the rest are optional. */
export function obj(properties: Record<string, JsonSchema>, required: readonly string[] = Object.keys(properties)): JsonSchema {
  return { type: 'object', properties, required: [...required], additionalProperties: false };
}

/**
 * Answers of the HTTP APIs (their OpenAPI 3.0 documents): an object is open, so a field added later
 * does not break a client; `required` lists the keys always present.
 */
export function openObj(properties: Record<string, JsonSchema>, required: readonly string[] = Object.keys(properties)): JsonSchema {
  return { type: 'object', properties, required: [...required] };
}
/** any object, its fields described elsewhere (an HTTP answer's wide sections) */
export const anyObj = (): JsonSchema => ({ type: 'object' });
/** OpenAPI 3.0's null (`nullable: true`), for HTTP answers; event schemas use `nullable()` */
export const openApiNullable = (schema: JsonSchema): JsonSchema => ({ ...schema, nullable: true });

export const actorSchema = (): JsonSchema =>
  obj({ kind: oneOf('agent', 'admin', 'service', 'system', 'fulfillment-house'), id: id() });

/** The envelope every published event travels in (the `data` part is checked by the event's own schema). */
export const envelopeSchema = (): JsonSchema =>
  obj({
    eventId: id(),
    type: id(),
    version: int({ minimum: 1 }),
    streamId: id(),
    streamVersion: int({ minimum: 1 }),
    occurredAt: isoDate(),
    correlationId: id(),
    causationId: nullable(id()),
    actor: actorSchema(),
    data: { type: 'object' },
  });
