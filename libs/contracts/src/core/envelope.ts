import { Actor } from './actor';

/**
 * A domain event as a decider emits it: plain, readonly data.
 * Example: `{ type: 'OrderCancelled', data: { orderId: 'o-1', reason: 'customer request' } }`
 */
export interface DomainEvent<TType extends string = string, TData = Record<string, unknown>> {
  readonly type: TType;
  readonly data: TData;
}

/**
 * A stored and published event: the domain event plus where it sits in its stream,
 * when it happened, who did it and which request or event caused it.
 */
export interface EventEnvelope<TType extends string = string, TData = unknown> {
  readonly eventId: string;
  readonly type: TType;
  /** schema version of `data` */
  readonly version: number;
  readonly streamId: string;
  /** 1-based position of the event in its stream */
  readonly streamVersion: number;
  /** ISO-8601 UTC */
  readonly occurredAt: string;
  readonly correlationId: string;
  /** id of the event or request that caused this one; null for a request without one */
  readonly causationId: string | null;
  readonly actor: Actor;
  readonly data: TData;
}
