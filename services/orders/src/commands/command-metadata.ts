import { CommandMetadata } from '@continuum/contracts';
import { CommandContext } from '@continuum/platform';

/** The metadata every domain command carries: the clock lives here, in the adapter, not in the domain. */
export function metadataFor(context: CommandContext): CommandMetadata {
  return { now: new Date().toISOString(), actor: context.actor };
}

/** The same context under a narrower idempotency key, for a flow that appends to several streams. */
export function scopedContext(context: CommandContext, scope: string): CommandContext {
  return context.idempotencyKey === undefined ? context : { ...context, idempotencyKey: `${context.idempotencyKey}:${scope}` };
}
