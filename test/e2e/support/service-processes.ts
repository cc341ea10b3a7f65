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
export async function startServices(names: readonly string[], extraEnv: Record<string, string> = {}): Promise<{
  services: Record<string, RunningService>;
  run: string;
  stop: () => Promise<void>;
}> {
  const run = randomUUID().slice(0, 8);
  const services: Record<string, RunningService> = {};
  for (const name of names) {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', join('services', name, 'src', 'main.ts')],
      {
        cwd: root,
        env: {
          ...process.env,
          TS_NODE_PROJECT: join(root, 'tsconfig.json'),
          PORT: String(port),
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
    services[name] = { name, url: `http://127.0.0.1:${port}`, process: child, output };
  }
  const stop = async () => {
    await Promise.all(
      Object.values(services).map(
        (service) =>
          new Promise<void>((resolve) => {
            if (service.process.exitCode !== null) return resolve();
            const timer = setTimeout(() => service.process.kill('SIGKILL'), 15_000);
            service.process.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            service.process.kill('SIGTERM');
          }),
      ),
    );
  };
  try {
    await Promise.all(Object.values(services).map((service) => waitForHealth(service, 90_000)));
  } catch (error) {
    await stop();
    throw error;
  }
  return { services, run, stop };
}

/** Polls `probe` until it returns a value (not undefined) or the deadline passes. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, deadlineMs = 30_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
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
