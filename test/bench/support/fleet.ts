import { randomUUID } from 'node:crypto';
import { ChildProcess } from 'node:child_process';
import { freePort, launchService, ServiceProcess, waitForHealth } from '@continuum/testing';

// Starts services as real processes for a benchmark with the test kit's launcher (ts-node from the
// sources, own port each, health polled), under names of the benchmark's own: databases
// `bench_<run>_<service>`, topic prefix `bench-<run>.`, queue prefix `bench-<run>`.

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

export async function startFleet(names: readonly string[], extraEnv: Record<string, string> = {}): Promise<BenchFleet> {
  const run = randomUUID().slice(0, 8);
  const topicPrefix = `bench-${run}.`;
  const queuePrefix = `bench-${run}`;
  const launched: ServiceProcess[] = [];
  const services: Record<string, BenchService> = {};
  for (const name of names) {
    const database = `bench_${run}_${name}`;
    const service = launchService(name, await freePort(), {
      MONGO_DB: database,
      KAFKA_TOPIC_PREFIX: topicPrefix,
      QUEUE_PREFIX: queuePrefix,
      LOG_LEVEL: process.env['BENCH_LOG_LEVEL'] ?? 'warn',
      ...extraEnv,
    });
    launched.push(service);
    services[name] = { name, url: service.url, database, process: service.process, output: service.output };
  }
  const stop = async () => {
    await Promise.all(launched.map((service) => service.stop()));
  };
  try {
    await Promise.all(launched.map((service) => waitForHealth(service, 120_000)));
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
