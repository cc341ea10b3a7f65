import { randomUUID } from 'node:crypto';
import { runWithContext } from '../observability';
import { PlatformRequest, PlatformResponse, headerValue } from './platform-request';

export const CORRELATION_HEADER = 'X-Correlation-Id';

const VALID_CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The caller's correlation id when it is safe to log and store (1..128 of `[A-Za-z0-9._:-]`),
 * otherwise a fresh uuid: a bad header is replaced, not rejected, so tracing never fails a request.
 */
export function resolveCorrelationId(given: string | undefined, generate: () => string = randomUUID): string {
  return given !== undefined && VALID_CORRELATION_ID.test(given) ? given : generate();
}

/**
 * Express middleware: settles the request's correlation id, echoes it on the response and runs the
 * rest of the request inside its RequestContext, so logs and the events it causes carry the id.
 */
export function correlationIdMiddleware(request: PlatformRequest, response: PlatformResponse, next: () => void): void {
  const context = request.platformContext ?? { correlationId: resolveCorrelationId(headerValue(request, CORRELATION_HEADER)), causationId: null };
  request.platformContext = context;
  response.setHeader(CORRELATION_HEADER, context.correlationId);
  runWithContext(context, next);
}

/**
 * The first middleware: settles and echoes the correlation id before the body is read, so even a
 * request refused while reading its body (413, 415, bad JSON) answers with its X-Correlation-Id.
 * correlationIdMiddleware, later, runs the request inside the same context.
 */
export function correlationIdHeaderMiddleware(request: PlatformRequest, response: PlatformResponse, next: () => void): void {
  const context = { correlationId: resolveCorrelationId(headerValue(request, CORRELATION_HEADER)), causationId: null };
  request.platformContext = context;
  response.setHeader(CORRELATION_HEADER, context.correlationId);
  next();
}
