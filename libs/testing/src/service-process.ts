import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type request from 'supertest';
import { devKeys, HttpAgent, httpAgent } from './http-agent';

/** The repository root (libs/testing/src is three levels down). */
const root = join(__dirname, '..', '..', '..');

/** One service running as its own process, started from its TypeScript sources as `npm start` would. */
export interface ServiceProcess {
  readonly name: string;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly process: ChildProcess;
  /** the last output chunks the process printed, for failure messages */
  readonly output: string[];
  /** ends it (SIGTERM, SIGKILL after 15 s) and resolves once it has exited */
  readonly stop: () => Promise<void>;
}

/** Ports handed out by this process, so two launches never get the same one. */
const handedOut = new Set<number>();

/**
 * A port free right now for a service to listen on. Taken below the kernel's ephemeral range (from
 * 32768 up): a port the OS hands out for `listen(0)` is one of those, and the outgoing connections of
 * the processes around (to Kafka, the store) may take it between this check and the service's
 * listen, or while a killed instance is down before its restart on the same port. Checked by
 * listening on every interface, as a service does.
 */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 500; tries++) {
    const port = 20_000 + Math.floor(Math.random() * 7_000);
    if (handedOut.has(port) || !(await canListen(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error('no free port between 20000 and 27000');
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

/** Resolves once the process has exited (at once when it already has). */
export function processExited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
}

/**
 * Extra Node options for the services this kit starts, from SERVICE_NODE_ARGS (space-separated), e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile them under a bench (NODE_OPTIONS refuses those).
 */
function nodeArgs(): string[] {
  return (process.env['SERVICE_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
}

/**
 * Spawns `services/<name>/src/main.ts` with ts-node on `port`, the environment of this process plus
 * `env`, and returns at once (see waitForHealth). Output is kept in memory, not printed.
 */
export function launchService(name: string, port: number, env: Record<string, string> = {}): ServiceProcess {
  // SERVICE_RUNTIME=dist: the JavaScript `npm run build` compiled, as the Docker image runs it
  const compiled = process.env['SERVICE_RUNTIME'] === 'dist';
  const entry = compiled
    ? ['-r', join(root, 'deploy', 'register-paths.js'), join('dist', 'services', name, 'src', 'main.js')]
    : ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', join('services', name, 'src', 'main.ts')];
  const child = spawn(
    process.execPath,
    [...nodeArgs(), ...entry],
    {
      cwd: root,
      env: { ...process.env, TS_NODE_PROJECT: join(root, 'tsconfig.json'), PORT: String(port), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  // a test run that ends without stopping it (a crash, --forceExit, Ctrl-C) must not leave it running
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.kill('SIGTERM');
    await processExited(child);
    clearTimeout(timer);
  };
  return { name, port, url: `http://127.0.0.1:${port}`, process: child, output, stop };
}

/**
 * Polls `GET /health` until it answers 200 with every consumer group it lists `running` (a service
 * listens before its groups have joined; `{ consumers: false }`: the first 200 is enough); throws
 * with the process output when it exits or `deadlineMs` passes.
 */
export async function waitForHealth(service: ServiceProcess, deadlineMs = 90_000, options: { consumers?: boolean } = {}): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (service.process.exitCode !== null) break;
    try {
      const response = await fetch(`${service.url}/health`);
      const text = await response.text();
      if (response.status === 200 && (options.consumers === false || groupsRunning(text))) return;
      last = `${response.status} ${text}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${service.name} did not become healthy (${last}); output:\n${service.output.join('')}`);
}

/** Whether a /health body lists no consumer group that is not running. */
function groupsRunning(body: string): boolean {
  try {
    const consumers = (JSON.parse(body) as { consumers?: Record<string, string> }).consumers ?? {};
    return Object.values(consumers).every((state) => state === 'running');
  } catch {
    return true;
  }
}

/**
 * Starts one service as a real process on a free port and waits until it is healthy, its consumer groups joined. An
 * integration spec of one service uses it to reach another through its API, as in production
 * (services never import each other):
 *
 *   const payments = await startServiceProcess('payments', { MONGO_DB: `${run.database}_payments`, KAFKA_TOPIC_PREFIX: `${run.topicPrefix}payments.` });
 *   process.env.CARD_VAULT_URL = payments.url;
 *   ...
 *   await payments.stop();
 */
export async function startServiceProcess(name: string, env: Record<string, string> = {}, deadlineMs = 90_000): Promise<ServiceProcess> {
  const service = launchService(name, await freePort(), env);
  try {
    await waitForHealth(service, deadlineMs);
  } catch (error) {
    await service.stop();
    throw error;
  }
  return service;
}

/** One request a round-robin agent sent: to which instance of the service (1-based), what, and what it answered. */
export interface RoutedRequest {
  readonly service: string;
  readonly instance: number;
  readonly url: string;
  readonly method: string;
  readonly path: string;
  /** when it was sent (ms since the epoch), to merge the trails of several services */
  readonly at: number;
  /** the answer's status, once it came */
  status?: number;
  /** how long the answer took (ms), once it came */
  ms?: number;
  /** the start of the answer's body (300 characters) when its status is 400 or more */
  answer?: string;
}

/** An HttpAgent over several instances of one service: each request goes to the next instance in turn. */
export interface RoundRobinAgent extends HttpAgent {
  /** the last requests it sent (at most 500, oldest first), shared by every agent `as` made from it */
  readonly trail: readonly RoutedRequest[];
  as(key: string | null): RoundRobinAgent;
}

/**
 * Requests to the instances of one service in turn (1, 2, 1, 2, ...), as a load balancer in front of
 * them would send them: `roundRobinAgent([one, two])`. The agents `as(key)` makes share the turn and
 * the trail, so the service sees one sequence whatever the key. Each request is kept in `trail` with
 * the instance that answered and its status, to say which instance answered what when a spec fails.
 */
export function roundRobinAgent(instances: readonly Pick<ServiceProcess, 'name' | 'url'>[], defaultKey: string | null = devKeys.agent): RoundRobinAgent {
  if (instances.length === 0) throw new Error('roundRobinAgent needs at least one instance');
  const state = { next: 0, trail: [] as RoutedRequest[] };
  const agentWith = (key: string | null): RoundRobinAgent => {
    const route = (method: string, path: string, send: (agent: HttpAgent) => request.Test): request.Test => {
      const index = state.next++ % instances.length;
      const instance = instances[index]!;
      const entry: RoutedRequest = { service: instance.name, instance: index + 1, url: instance.url, method: method.toUpperCase(), path, at: Date.now() };
      state.trail.push(entry);
      if (state.trail.length > 500) state.trail.shift();
      const test = send(httpAgent(instance.url, key));
      test.on('response', (response: { status: number; text?: unknown }) => {
        entry.status = response.status;
        entry.ms = Date.now() - entry.at;
        if (response.status >= 400 && typeof response.text === 'string') entry.answer = response.text.slice(0, 300);
      });
      return test;
    };
    return {
      trail: state.trail,
      get: (path, k) => route('get', path, (agent) => agent.get(path, k)),
      delete: (path, k) => route('delete', path, (agent) => agent.delete(path, k)),
      post: (path, body, k) => route('post', path, (agent) => agent.post(path, body, k)),
      patch: (path, body, k) => route('patch', path, (agent) => agent.patch(path, body, k)),
      raw: (method, path, k) => route(method, path, (agent) => agent.raw(method, path, k)),
      as: (k) => agentWith(k),
    };
  };
  return agentWith(defaultKey);
}
