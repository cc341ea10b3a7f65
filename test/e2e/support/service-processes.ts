import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

export interface RunningService {
  readonly name: string;
  readonly url: string;
  readonly process: ChildProcess;
  /** the last lines the process printed, for failure messages */
  readonly output: string[];
}

/** A port the OS says is free right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForHealth(service: RunningService, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (service.process.exitCode !== null) break;
    try {
      const response = await fetch(`${service.url}/health`);
      if (response.status === 200) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${service.name} did not become healthy (${last}); output:\n${service.output.join('')}`);
}

/**
 * Starts the named services as real processes (as `npm start` would, from the TypeScript sources)
 * against the local stack, each with its own port and database, all sharing one topic and queue
 * prefix that is unique to this run, so the scenario sees only its own events.
 */
export interface ServiceFleet {
  readonly services: Record<string, RunningService>;
  /** unique to this run: topic prefix `e2e-<run>.`, databases `e2e_<run>_<service>`, queue prefix `e2e-<run>` */
  readonly run: string;
  /** kills one service at once (SIGKILL: no shutdown hooks run, as in a crash) */
  readonly kill: (name: string) => Promise<void>;
  /** starts a killed service again with the same port, database and prefixes, and waits for /health */
  readonly restart: (name: string) => Promise<void>;
  readonly stop: () => Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
}

/**
 * Starts the named services as real processes (as `npm start` would, from the TypeScript sources)
 * against the local stack, each with its own port and database, all sharing one topic and queue
 * prefix that is unique to this run, so the scenario sees only its own events.
 */
export async function startServices(names: readonly string[], extraEnv: Record<string, string> = {}): Promise<ServiceFleet> {
  const run = randomUUID().slice(0, 8);
  const services: Record<string, RunningService> = {};
  const ports: Record<string, number> = {};

  const launch = (name: string): RunningService => {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', join('services', name, 'src', 'main.ts')],
      {
        cwd: root,
        env: {
          ...process.env,
          TS_NODE_PROJECT: join(root, 'tsconfig.json'),
          PORT: String(ports[name]),
          MONGO_DB: `e2e_${run}_${name}`,
          KAFKA_TOPIC_PREFIX: `e2e-${run}.`,
          QUEUE_PREFIX: `e2e-${run}`,
          LOG_LEVEL: 'warn',
          ...extraEnv,
        },
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
    const service = { name, url: `http://127.0.0.1:${ports[name]}`, process: child, output };
    services[name] = service;
    return service;
  };

  const stopOne = async (service: RunningService) => {
    if (service.process.exitCode !== null || service.process.signalCode !== null) return;
    const timer = setTimeout(() => service.process.kill('SIGKILL'), 15_000);
    service.process.kill('SIGTERM');
    await exited(service.process);
    clearTimeout(timer);
  };
  const stop = async () => {
    await Promise.all(Object.values(services).map(stopOne));
  };

  for (const name of names) {
    ports[name] = await freePort();
    launch(name);
  }
  try {
    await Promise.all(Object.values(services).map((service) => waitForHealth(service, 90_000)));
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    services,
    run,
    stop,
    kill: async (name) => {
      const service = services[name]!;
      service.process.kill('SIGKILL');
      await exited(service.process);
    },
    restart: async (name) => {
      await waitForHealth(launch(name), 90_000);
    },
  };
}

/** A tiny JSON client for one service with one API key. */
export function client(baseUrl: string, apiKey: string) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body: unknown = {}, headers?: Record<string, string>) => call('POST', path, body, headers),
  };
}

/**
 * An order's transactions as the payments service lists them. The list is a view the payments
 * service writes right after storing its events, so it may trail the orders service by moments:
 * poll until it shows at least `count` rows.
 */
export async function transactionsOf(payments: ReturnType<typeof client>, orderId: string, count = 1): Promise<any[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const response = await payments.get(`/transactions?orderId=${orderId}`);
    if (Array.isArray(response.body) && response.body.length >= count) return response.body;
    if (Date.now() > deadline) throw new Error(`payments listed ${JSON.stringify(response.body)} for order ${orderId}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
