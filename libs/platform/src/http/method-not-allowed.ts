import { problem } from './problem';
import { PlatformRequest, PlatformResponse } from './platform-request';
import { sendProblem } from './request-body.guard';

/** One documented path: its OpenAPI template as a regular expression and the methods it answers. */
export interface RouteMethods {
  readonly template: string;
  readonly pattern: RegExp;
  readonly methods: readonly string[];
}

const OPERATION_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `/orders/{id}/qa` → /^\/orders\/[^/]+\/qa\/?$/ */
export function templatePattern(template: string): RegExp {
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => (/^\{[^}]+\}$/.test(part) ? '[^/]+' : escapeRegExp(part)))
    .join('');
  return new RegExp(`^${source}/?$`, 'i');
}

/** The methods of every path of an OpenAPI document (HEAD goes with GET, as Express answers it). */
export function routeMethods(paths: Record<string, Record<string, unknown>>): RouteMethods[] {
  return Object.entries(paths).map(([template, item]) => {
    const methods = OPERATION_METHODS.filter((method) => item[method] !== undefined).map((method) => method.toUpperCase());
    if (methods.includes('GET') && !methods.includes('HEAD')) methods.push('HEAD');
    return { template, pattern: templatePattern(template), methods };
  });
}

/**
 * A request to a documented path with a method the path does not answer (TRACE, or DELETE on a
 * path that only reads) is 405 with `Allow`, before authentication; an unknown path stays 404.
 * `routes` is read per request, so the table can be filled once the document exists.
 */
export function methodNotAllowedMiddleware(routes: () => readonly RouteMethods[]) {
  return (request: PlatformRequest, response: PlatformResponse, next: () => void): void => {
    const matching = routes().filter((route) => route.pattern.test(request.path));
    if (matching.length === 0) return next();
    const allowed = [...new Set(matching.flatMap((route) => route.methods))].sort();
    if (allowed.includes(request.method.toUpperCase())) return next();
    response.setHeader('Allow', allowed.join(', '));
    sendProblem(response, problem(405, `${request.method} is not allowed here; allowed: ${allowed.join(', ')}.`, { type: 'urn:continuum:problem:method-not-allowed' }));
  };
}
