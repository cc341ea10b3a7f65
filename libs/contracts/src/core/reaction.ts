import { DomainEvent, EventEnvelope } from './envelope';

/** An event as a reaction sees it: its type and data, plus its id (ids derived from the cause use it). */
export type IncomingEvent<E extends DomainEvent> = E & { readonly eventId: string };

/** The envelope of a stored or consumed event whose `type` and `data` are those of `E`. */
export type EnvelopeOf<E extends DomainEvent> = E extends DomainEvent ? Omit<EventEnvelope, 'type' | 'data'> & { readonly type: E['type']; readonly data: E['data'] } : never;

/**
 * What a service does when another service's event arrives, as a pure decision: the event and the
 * local state it needs (looked up by the consumer) in, the work to run out. No I/O, no clock: ids
 * are derived from the event, time comes with the state or later with the command.
 *
 *   const onCancelled: Reaction<OrderCancelled, OrderCharges, PaymentsWork> = (event, charges) =>
 *     event.data.fullRefund ? [{ type: 'RefundOrder', data: { orderId: event.data.orderId, mode: { full: true } } }] : [];
 *
 * Tested like a decider, with `reactionSpec` of @continuum/testing: given state, when event, then work.
 */
export type Reaction<E extends DomainEvent, S, W> = (event: IncomingEvent<E>, state: S) => readonly W[];
