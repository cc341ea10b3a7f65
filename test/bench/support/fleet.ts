import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';

// Starts services as real processes for a benchmark: the approach of test/e2e/support/service-processes.ts
// (ts-node from the sources, own port each, health polled), with names of the benchmark's own:
// databases `bench_<run>_<service>`, topic prefix `bench-<run>.`, queue prefix `bench-<run>`.

const root = join(__dirname, '..', '..', '..');

export interface BenchService {
  readonly name: string;
  readonly url: string;
  /** the service's database (MONGO_DB) */
  readonly database: string;
  readonly process: ChildProcess;
  readonly output: string[];
}

export interface BenchFleet {
  readonly run: string;
  readonly topicPrefix: string;
  readonly queuePrefix: string;
  readonly services: Record<string, BenchService>;
  readonly stop: () => Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

async function waitForHealth(service: BenchService, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  let last = 'no answer yet';
  while (Date.now() < deadline && service.process.exitCode === null) {
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

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
}

export async function startFleet(names: readonly string[], extraEnv: Record<string, string> = {}): Promise<BenchFleet> {
  const run = randomUUID().slice(0, 8);
  const topicPrefix = `bench-${run}.`;
  const queuePrefix = `bench-${run}`;
  const services: Record<string, BenchService> = {};
  for (const name of names) {
    const port = await freePort();
    const database = `bench_${run}_${name}`;
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', join('services', name, 'src', 'main.ts')],
      {
        cwd: root,
        env: {
          ...process.env,
          TS_NODE_PROJECT: join(root, 'tsconfig.json'),
          PORT: String(port),
          MONGO_DB: database,
          KAFKA_TOPIC_PREFIX: topicPrefix,
          QUEUE_PREFIX: queuePrefix,
          LOG_LEVEL: process.env['BENCH_LOG_LEVEL'] ?? 'warn',
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
    services[name] = { name, url: `http://127.0.0.1:${port}`, database, process: child, output };
  }
  const stop = async () => {
    await Promise.all(
      Object.values(services).map(async (service) => {
        if (service.process.exitCode !== null || service.process.signalCode !== null) return;
        const timer = setTimeout(() => service.process.kill('SIGKILL'), 15_000);
        service.process.kill('SIGTERM');
        await exited(service.process);
        clearTimeout(timer);
      }),
    );
  };
  try {
    await Promise.all(Object.values(services).map((service) => waitForHealth(service, 120_000)));
  } catch (error) {
    await stop();
    throw error;
  }
  return { run, topicPrefix, queuePrefix, services, stop };
}

/** A JSON client for one service with one API key. */
export function client(baseUrl: string, apiKey: string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body: unknown = {}) => call('POST', path, body),
  };
}

export type Client = ReturnType<typeof client>;
