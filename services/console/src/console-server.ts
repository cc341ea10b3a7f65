import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { dirname, extname, join, normalize, sep } from 'node:path';

/** The five services the console calls, by the path segment the browser uses: `/api/<service>/...`. */
export const CONSOLE_SERVICES = ['orders', 'payments', 'fulfillment', 'subscriptions', 'projections'] as const;
export type ConsoleService = (typeof CONSOLE_SERVICES)[number];

export interface ConsoleSettings {
  readonly port: number;
  readonly host: string;
  /** where each service answers, e.g. http://127.0.0.1:3001 */
  readonly services: Readonly<Record<ConsoleService, string>>;
  /** how long a call to a service may take before the console answers 504 */
  readonly upstreamTimeoutMs: number;
}

const DEFAULT_PORTS: Record<ConsoleService, number> = { orders: 3001, payments: 3002, fulfillment: 3003, subscriptions: 3004, projections: 3005 };

/** The settings from the environment: CONSOLE_PORT (or PORT), CONSOLE_HOST, ORDERS_URL ... PROJECTIONS_URL, CONSOLE_UPSTREAM_TIMEOUT_MS. */
export function consoleSettings(env: NodeJS.ProcessEnv): ConsoleSettings {
  const port = Number(env['CONSOLE_PORT'] ?? env['PORT'] ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`CONSOLE_PORT must be a port number, got ${env['CONSOLE_PORT'] ?? env['PORT']}`);
  const timeout = Number(env['CONSOLE_UPSTREAM_TIMEOUT_MS'] ?? 30_000);
  if (!Number.isInteger(timeout) || timeout <= 0) throw new Error(`CONSOLE_UPSTREAM_TIMEOUT_MS must be a positive whole number of ms, got ${env['CONSOLE_UPSTREAM_TIMEOUT_MS']}`);
  const services = {} as Record<ConsoleService, string>;
  for (const service of CONSOLE_SERVICES) {
    const variable = `${service.toUpperCase()}_URL`;
    const url = env[variable] ?? `http://127.0.0.1:${DEFAULT_PORTS[service]}`;
    if (!/^https?:\/\/[^/]+$/.test(url.replace(/\/$/, ''))) throw new Error(`${variable} must be an http(s) origin such as http://127.0.0.1:${DEFAULT_PORTS[service]}, got ${url}`);
    services[service] = url.replace(/\/$/, '');
  }
  return { port, host: env['CONSOLE_HOST'] ?? '127.0.0.1', services, upstreamTimeoutMs: timeout };
}

/** The repository (or image) root: the nearest folder up from here with the console's web/ folder. */
export function consoleRoot(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'services', 'console', 'web', 'index.html'))) return dir;
    if (dirname(dir) === dir) throw new Error(`services/console/web not found above ${from}`);
  }
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png' };

/** Browser modules served from node_modules under /vendor/ (no build step: the page imports them through an import map). */
const VENDOR: Record<string, string> = {
  'preact.js': 'node_modules/preact/dist/preact.module.js',
  'preact-hooks.js': 'node_modules/preact/hooks/dist/hooks.module.js',
  'htm.js': 'node_modules/htm/dist/htm.module.js',
};

/** Request headers passed on to a service; everything else (cookies, host) stays here. */
const FORWARDED_REQUEST = ['authorization', 'content-type', 'idempotency-key', 'x-correlation-id', 'prefer', 'accept'];
/** Response headers passed back to the browser. */
const FORWARDED_RESPONSE = ['content-type', 'x-correlation-id', 'location', 'retry-after'];
const MAX_BODY_BYTES = 1_048_576;

/**
 * The console's server: the web app (one origin for the browser), and `/api/<service>/<path>`
 * passed on to that service with the caller's own API key, so every call is the signed-in user's
 * and every event still names that user. It keeps no session and no data of its own.
 */
export function consoleServer(settings: ConsoleSettings, root = consoleRoot()): Server {
  const web = join(root, 'services', 'console', 'web');
  const send = (res: ServerResponse, status: number, type: string, body: string) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  };
  const problem = (res: ServerResponse, status: number, title: string, detail: string) => send(res, status, 'application/problem+json', JSON.stringify({ type: 'about:blank', title, status, detail }));
  const file = (res: ServerResponse, path: string) => {
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    createReadStream(path).pipe(res);
  };

  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://console');
    const path = url.pathname;
    if (path === '/health') return send(res, 200, 'application/json', JSON.stringify({ status: 'ok', service: 'console' }));
    const api = /^\/api\/([a-z]+)(\/.*)$/.exec(path);
    if (api) {
      const service = api[1] as ConsoleService;
      if (!CONSOLE_SERVICES.includes(service)) return problem(res, 404, 'Not Found', `no service named ${api[1]}; the console calls ${CONSOLE_SERVICES.join(', ')}`);
      void forward(req, res, `${settings.services[service]}${api[2]}${url.search}`, settings.upstreamTimeoutMs, problem);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return problem(res, 405, 'Method Not Allowed', `${req.method} ${path}`);
    const vendor = /^\/vendor\/([a-z-]+\.js)$/.exec(path);
    if (vendor) {
      const target = VENDOR[vendor[1]!];
      return target ? file(res, join(root, target)) : problem(res, 404, 'Not Found', path);
    }
    if (path.startsWith('/app/')) {
      const target = normalize(join(web, path.slice('/app/'.length)));
      if (!target.startsWith(web + sep) || !existsSync(target) || !statSync(target).isFile()) return problem(res, 404, 'Not Found', path);
      return file(res, target);
    }
    // every other page is the app: it reads the path itself (/customers/c-1, /qa, ...)
    return file(res, join(web, 'index.html'));
  });
}

async function forward(req: IncomingMessage, res: ServerResponse, target: string, timeoutMs: number, problem: (res: ServerResponse, status: number, title: string, detail: string) => void): Promise<void> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return problem(res, 413, 'Payload Too Large', `a request body may hold at most ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_REQUEST) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  try {
    const answer = await fetch(target, {
      method: req.method,
      headers,
      body: chunks.length > 0 && req.method !== 'GET' && req.method !== 'HEAD' ? Buffer.concat(chunks) : undefined,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
    const out: Record<string, string> = { 'cache-control': 'no-store' };
    for (const name of FORWARDED_RESPONSE) {
      const value = answer.headers.get(name);
      if (value !== null) out[name] = value;
    }
    res.writeHead(answer.status, out);
    res.end(Buffer.from(await answer.arrayBuffer()));
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    const service = new URL(target).origin;
    problem(res, timedOut ? 504 : 502, timedOut ? 'Gateway Timeout' : 'Bad Gateway', timedOut ? `${service} did not answer within ${timeoutMs} ms` : `${service} cannot be reached (${(error as Error).message})`);
  }
}

