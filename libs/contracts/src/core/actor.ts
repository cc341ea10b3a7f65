/** Who caused a change: recorded on every event. */
export const ACTOR_KINDS = ['agent', 'admin', 'service', 'system', 'fulfillment-house'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

export interface Actor {
  readonly kind: ActorKind;
  readonly id: string;
}

/** The actor for work a service does on its own (relays, scheduled jobs, reactions). */
export const systemActor = (id: string): Actor => ({ kind: 'system', id });
