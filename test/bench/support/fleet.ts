import { randomUUID } from 'node:crypto';
import { ChildProcess } from 'node:child_process';
import { requestJson } from '@continuum/platform';
import { freePort, launchService, ServiceProcess, waitForHealth } from '@continuum/testing';

// Starts services as real processes for a benchmark with the test kit's launcher (ts-node from the
// sources, or the compiled dist/ with SERVICE_RUNTIME=dist: see build.ts; own port each, health polled), under names of the benchmark's own: databases
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
  /** stops one service and starts it again on the same port and names; resolves with ms from spawn to a healthy /health */
  readonly restart: (name: string) => Promise<number>;
  readonly stop: () => Promise<void>;
}

export async function startFleet(names: readonly string[], extraEnv: Record<string, string> = {}): Promise<BenchFleet> {
  const run = randomUUID().slice(0, 8);
  const topicPrefix = `bench-${run}.`;
  const queuePrefix = `bench-${run}`;
  const launched = new Map<string, ServiceProcess>();
  const services: Record<string, BenchService> = {};
  const ports = new Map<string, number>();
  for (const name of names) ports.set(name, await freePort());
  const envOf = (name: string) => ({
    // orders exchanges cards for tokens at payments' vault
    ...(name === 'orders' && ports.has('payments') ? { CARD_VAULT_URL: `http://127.0.0.1:${ports.get('payments')}` } : {}),
    MONGO_DB: `bench_${run}_${name}`,
    KAFKA_TOPIC_PREFIX: topicPrefix,
    QUEUE_PREFIX: queuePrefix,
    LOG_LEVEL: process.env['BENCH_LOG_LEVEL'] ?? 'warn',
    ...extraEnv,
  });
  const launch = (name: string, port: number) => {
    const service = launchService(name, port, envOf(name));
    launched.set(name, service);
    services[name] = { name, url: service.url, database: envOf(name).MONGO_DB, process: service.process, output: service.output };
    return service;
  };
  for (const name of names) launch(name, ports.get(name)!);
  const stop = async () => {
    await Promise.all([...launched.values()].map((service) => service.stop()));
  };
  const restart = async (name: string) => {
    const old = launched.get(name)!;
    await old.stop();
    const began = Date.now();
    await waitForHealth(launch(name, old.port), 600_000);
    return Date.now() - began;
  };
  try {
    await Promise.all([...launched.values()].map((service) => waitForHealth(service, 120_000)));
  } catch (error) {
    await stop();
    throw error;
  }
  return { run, topicPrefix, queuePrefix, services, restart, stop };
}

/** A JSON client for one service with one API key. */
export function client(baseUrl: string, apiKey: string) {
  // node:http with keep-alive, as the services call each other: fetch costs the bench several times the CPU
  const call = async (method: string, path: string, body?: unknown) =>
    requestJson(`${baseUrl}${path}`, { method, headers: { authorization: `Bearer ${apiKey}` }, body, timeoutMs: 60_000 }) as Promise<{ status: number; body: any }>;
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body: unknown = {}) => call('POST', path, body),
  };
}

export type Client = ReturnType<typeof client>;
