import { AsyncLocalStorage } from 'node:async_hooks';
import { Actor } from '@continuum/contracts';

/**
 * What is known about the work in progress: which request or event started it, and who acts.
 * Logs read the correlation id from here; the HTTP layer turns it into a CommandContext.
 */
export interface RequestContext {
  readonly correlationId: string;
  readonly causationId?: string | null;
  /** Set by the API key guard once the caller is known, hence mutable. */
  actor?: Actor;
}

const storage = new AsyncLocalStorage<RequestContext>();

/**
 * Runs `fn` (and everything it starts asynchronously) with `context` as the current context:
 * `runWithContext({ correlationId }, () => handle(message))`.
 */
export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The context of the running request or message, or undefined outside of one. */
export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}
