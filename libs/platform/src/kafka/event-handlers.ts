import { DomainEvent, EnvelopeOf } from '@continuum/contracts';
import { IncomingMessage, MessageHandler } from './incoming-message';

/** One handler per event type of the union `E`; each receives the envelope typed by its own key. */
export type TypedEventHandlers<E extends DomainEvent> = {
  readonly [K in E['type']]?: (event: EnvelopeOf<Extract<E, { type: K }>>, message: IncomingMessage) => Promise<void>;
};

/**
 * The consumer runner's handler table from handlers typed per event type:
 *
 *   handlers() { return eventHandlers<PaymentsEvent>({ PaymentApproved: (event) => ... }); }
 *
 * in a class declared with `@EventConsumer({ groupId, topics })` (service/event-consumer.ts).
 *
 * The runner has validated the envelope against the event's schema (and upcast it) before a handler runs.
 */
export function eventHandlers<E extends DomainEvent>(handlers: TypedEventHandlers<E>): Record<string, MessageHandler> {
  const table: Record<string, MessageHandler> = {};
  for (const [type, handler] of Object.entries(handlers) as Array<[string, ((event: never, message: IncomingMessage) => Promise<void>) | undefined]>) {
    if (!handler) continue;
    table[type] = (message) => {
      if (!message.envelope) throw new Error(`${message.type} arrived without an event envelope`);
      return handler(message.envelope as never, message);
    };
  }
  return table;
}
