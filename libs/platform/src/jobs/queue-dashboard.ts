import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiKey, ApiRole } from '../config';
import { PROBLEM_CONTENT_TYPE, problem } from '../http/problem';

/** The part of an Express application the dashboard needs. */
export interface MountTarget {
  use(path: string, ...handlers: unknown[]): unknown;
}

export interface QueueDashboardOptions {
  /** where the dashboard is served, e.g. '/queues' */
  readonly basePath: string;
  readonly queues: readonly Queue[];
  readonly apiKeys: readonly ApiKey[];
  /** roles that may open it (the queue dashboard is for admins, docs/operations.md) */
  readonly roles?: readonly ApiRole[];
}

/**
 * Serves the @bull-board dashboard of `queues` on an Express app, behind the API keys: `Authorization:
 * Bearer <key>`, or HTTP Basic with the key as password (so a browser can log in). Mount it before
 * the app's not-found handler, e.g. from a provider's onModuleInit:
 * `mountQueueDashboard(httpAdapterHost.httpAdapter.getInstance(), { basePath: '/queues', queues, apiKeys })`.
 */
export function mountQueueDashboard(app: MountTarget, options: QueueDashboardOptions): void {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(options.basePath);
  createBullBoard({ queues: options.queues.map((queue) => new BullMQAdapter(queue)), serverAdapter });
  app.use(options.basePath, dashboardAuth(options.apiKeys, options.roles ?? ['admin']), serverAdapter.getRouter());
}

/** Express middleware: 401 without a known key, 403 for a role that may not see the dashboard. */
export function dashboardAuth(apiKeys: readonly ApiKey[], roles: readonly ApiRole[]) {
  const byKey = new Map(apiKeys.map((apiKey) => [apiKey.key, apiKey]));
  return (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    const key = keyOf(request.headers.authorization);
    const apiKey = key === undefined ? undefined : byKey.get(key);
    if (!apiKey) {
      response.setHeader('WWW-Authenticate', 'Basic realm="queues", charset="UTF-8"');
      deny(response, 401, key === undefined ? 'An API key is required: Authorization: Bearer <key>.' : 'Unknown API key.');
      return;
    }
    if (!roles.includes(apiKey.role)) {
      deny(response, 403, `Role ${apiKey.role} may not open the queue dashboard; allowed: ${roles.join(', ')}.`);
      return;
    }
    next();
  };
}

function keyOf(authorization: string | undefined): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (bearer) return bearer[1];
  const basic = /^Basic\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!basic) return undefined;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const password = decoded.slice(decoded.indexOf(':') + 1);
  return password === '' ? undefined : password;
}

function deny(response: ServerResponse, status: number, detail: string): void {
  response.statusCode = status;
  response.setHeader('Content-Type', PROBLEM_CONTENT_TYPE);
  response.end(JSON.stringify(problem(status, detail)));
}
