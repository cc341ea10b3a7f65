import { FieldError, PROBLEM_CONTENT_TYPE, Problem, problem } from './problem';
import { PlatformRequest, PlatformResponse, headerValue } from './platform-request';

/**
 * What every service accepts as a request body, before any route sees it (docs/api-limits.md):
 * JSON only, at most `maxBytes`, objects nested at most `maxDepth` deep, no prototype-polluting keys
 * and no invisible control or bidirectional-override characters in any string.
 */
export const REQUEST_BODY_LIMITS = {
  /** body-parser's own default, stated so the 413 and the documents name it */
  maxBytes: 100 * 1024,
  /** the deepest real body (POST /orders: body > customer > billingAddress > field) is 4 */
  maxDepth: 16,
} as const;

export const JSON_CONTENT_TYPE = 'application/json';

/** Keys that reach Object.prototype or a class's constructor when copied; no DTO has them. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Characters that are never text: C0 controls other than tab, line feed and carriage return, DEL,
 * C1 controls, the bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069)
 * and unpaired surrogates. Matched with the `u` flag, so a surrogate pair is one (allowed) code point.
 */
export const UNSAFE_TEXT_CHARACTERS = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069\\uD800-\\uDFFF';
const UNSAFE_TEXT = new RegExp(`[${UNSAFE_TEXT_CHARACTERS}]`, 'u');

/** True when `value` holds a character that UNSAFE_TEXT_CHARACTERS names. */
export function hasUnsafeText(value: string): boolean {
  return UNSAFE_TEXT.test(value);
}

type Next = (error?: unknown) => void;

export function sendProblem(response: PlatformResponse, body: Problem): void {
  response.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

const validation = (detail: string, errors: readonly FieldError[]): Problem => problem(400, detail, { type: 'urn:continuum:problem:validation', errors });

/** Does the request carry a body (RFC 9112: a Transfer-Encoding, or a Content-Length above 0)? */
export function hasBody(request: PlatformRequest): boolean {
  if (request.headers['transfer-encoding'] !== undefined) return true;
  const length = headerValue(request, 'content-length');
  return length !== undefined && length.trim() !== '0';
}

/** The media type without parameters, lower case: `application/json; charset=utf-8` → `application/json`. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * A body the server would not read is refused before anything runs: 415 for any request whose body
 * is not `application/json` (text/plain, a form, or no Content-Type at all). A request without a
 * body is fine; its DTO then sees `{}`.
 */
export function requireJsonBody(request: PlatformRequest, response: PlatformResponse, next: Next): void {
  if (!hasBody(request) || mediaType(headerValue(request, 'content-type')) === JSON_CONTENT_TYPE) return next();
  const given = headerValue(request, 'content-type');
  sendProblem(
    response,
    problem(415, `The body must be ${JSON_CONTENT_TYPE}${given ? `, not ${mediaType(given) || given}` : '; the request has no Content-Type'}. Nothing was done.`, {
      type: 'urn:continuum:problem:unsupported-media-type',
    }),
  );
}

const pathOf = (path: readonly (string | number)[]): string => (path.length === 0 ? 'body' : path.join('.'));

/**
 * The first thing wrong with the shape of a parsed JSON body, walked without recursion so no depth
 * can overflow the stack: a top level that is not an object, nesting deeper than `maxDepth`, a
 * forbidden key, or a string with unsafe characters. Undefined when the body is acceptable.
 */
export function inspectJsonBody(body: unknown, maxDepth: number = REQUEST_BODY_LIMITS.maxDepth): Problem | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return validation('The body must be a JSON object.', [{ field: 'body', message: 'must be a JSON object' }]);
  }
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: body, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (hasUnsafeText(value)) {
        return validation('The body has a string with control or bidirectional-override characters.', [
          { field: pathOf(path), message: 'must not contain control characters, bidirectional overrides or unpaired surrogates' },
        ]);
      }
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= maxDepth) {
      return validation(`The body is nested deeper than ${maxDepth} levels.`, [{ field: pathOf(path), message: `must not nest deeper than ${maxDepth} levels` }]);
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) => stack.push({ value: item, path: [...path, index] }));
      continue;
    }
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) return validation(`The body has the forbidden field ${key}.`, [{ field: pathOf([...path, key]), message: `property ${key} should not exist` }]);
      stack.push({ value: (value as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
  return undefined;
}

/** Refuses a parsed JSON body that inspectJsonBody finds wrong, with 400, before validation runs. */
export function jsonBodyShapeGuard(request: PlatformRequest, response: PlatformResponse, next: Next): void {
  if (!hasBody(request) || request.body === undefined) return next();
  const found = inspectJsonBody(request.body);
  if (found) return sendProblem(response, found);
  next();
}

/** The problem for an error body-parser raised while reading the body, or undefined for anything else. */
export function bodyReadProblem(error: unknown): Problem | undefined {
  const type = (error as { type?: unknown } | null)?.type;
  switch (type) {
    case 'entity.too.large':
      return problem(413, `The body is larger than ${REQUEST_BODY_LIMITS.maxBytes} bytes.`, { type: 'urn:continuum:problem:payload-too-large' });
    case 'entity.parse.failed':
      return validation('The body is not valid JSON.', [{ field: 'body', message: 'must be valid JSON' }]);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return problem(415, 'The body must be UTF-8 JSON without a Content-Encoding.', { type: 'urn:continuum:problem:unsupported-media-type' });
    case 'request.aborted':
    case 'request.size.invalid':
      return problem(400, 'The body was not received as its Content-Length announced.', { type: 'urn:continuum:problem:bad-request' });
    default: {
      const status = (error as { status?: unknown } | null)?.status;
      if (typeof type === 'string' && typeof status === 'number' && status >= 400 && status < 500) return problem(status, 'The body could not be read.');
      return undefined;
    }
  }
}

/**
 * Express error middleware for everything registered before the routes (the body parser, above all):
 * a 4xx problem+json instead of the framework's 500 or HTML page.
 */
export function bodyReadErrorHandler(error: unknown, _request: PlatformRequest, response: PlatformResponse, next: Next): void {
  const found = bodyReadProblem(error);
  if (!found) return next(error);
  if (response.headersSent) return;
  sendProblem(response, found);
}
