import { RequestContext } from '../observability';

/**
 * The parts of the Express request and response the platform uses (no @types/express in the repo).
 * `platformContext` is the request's RequestContext, attached by the correlation middleware.
 */
export interface PlatformRequest {
  method: string;
  originalUrl: string;
  baseUrl: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  route?: { path?: string };
  platformContext?: RequestContext;
}

export interface PlatformResponse {
  statusCode: number;
  headersSent: boolean;
  setHeader(name: string, value: string): void;
  status(code: number): PlatformResponse;
  json(body: unknown): void;
  send(body: unknown): void;
  type(contentType: string): PlatformResponse;
  on(event: 'finish' | 'close', listener: () => void): void;
}

/** A header's single value: the first one when a client sent it twice. */
export function headerValue(request: PlatformRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
