import { randomUUID } from 'node:crypto';
import { Actor, EventEnvelope, registry } from '@continuum/contracts';

/** What a spec may set on an envelope it builds; everything left out gets a fresh, valid value. */
export interface EnvelopeOverrides {
  readonly eventId?: string;
  /** schema version of `data`; by default the registry's current one */
  readonly version?: number;
  readonly streamVersion?: number;
  readonly occurredAt?: string;
  readonly correlationId?: string;
  readonly causationId?: string | null;
  readonly actor?: Actor;
}

/** The actor on events a spec publishes when it names none: another service of the company. */
export const testActor: Actor = { kind: 'service', id: 'test-kit' };

/**
 * The version a service running this code publishes `type` at: the registry's current one (1 for a
 * type the registry does not know, so a spec can send one to see it refused).
 */
export function currentVersion(type: string): number {
  return registry.has(type) ? registry.current(type).version : 1;
}

/**
 * An event as a producing service stores and publishes it, at the current schema version, with a
 * new event id and correlation id, no cause, and the test actor:
 *
 *   eventEnvelope('PaymentApproved', `transaction-${id}`, data)
 *   eventEnvelope('OrderCancelled', `order-${id}`, data, { ...causedBy(placed), actor: { kind: 'agent', id: 'dev-agent' } })
 *   { ...eventEnvelope('PaymentApproved', stream, v1Data), version: 1 }   // as stored before v2
 */
export function eventEnvelope<D>(type: string, streamId: string, data: D, overrides: EnvelopeOverrides = {}): EventEnvelope<string, D> {
  const given = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined)) as EnvelopeOverrides;
  return {
    eventId: randomUUID(),
    type,
    version: currentVersion(type),
    streamId,
    streamVersion: 1,
    occurredAt: new Date().toISOString(),
    correlationId: `corr-${randomUUID()}`,
    causationId: null,
    actor: testActor,
    ...given,
    data,
  };
}

/** Overrides that make an event the consequence of `cause`: same correlation id and actor, the cause's id as causation id. */
export function causedBy(cause: Pick<EventEnvelope, 'eventId' | 'correlationId' | 'actor'>): EnvelopeOverrides {
  return { correlationId: cause.correlationId, causationId: cause.eventId, actor: cause.actor };
}

/**
 * The same event again under a new event id, as a producer publishes it after losing the record
 * that it had (a crash between the publish and the outbox mark): consumers must not act twice.
 */
export function republished<E extends EventEnvelope>(envelope: E): E {
  return { ...envelope, eventId: randomUUID() };
}
