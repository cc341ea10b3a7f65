import { randomUUID } from 'node:crypto';
import { ServiceProcess, freePort, launchService, processExited, waitForHealth } from '@continuum/testing';

export type RunningService = ServiceProcess;

/**
 * Services started as real processes for one scenario (see startServices).
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

/**
 * Starts the named services as real processes (as `npm start` would, from the TypeScript sources)
 * against the local stack, each with its own port and database, all sharing one topic and queue
 * prefix that is unique to this run, so the scenario sees only its own events. When payments is
 * one of them, orders tokenises cards at its vault (CARD_VAULT_URL).
 */
export async function startServices(names: readonly string[], extraEnv: Record<string, string> = {}): Promise<ServiceFleet> {
  const run = randomUUID().slice(0, 8);
  const services: Record<string, RunningService> = {};
  const ports: Record<string, number> = {};
  for (const name of names) ports[name] = await freePort();

  const launch = (name: string): RunningService => {
    const service = launchService(name, ports[name]!, {
      MONGO_DB: `e2e_${run}_${name}`,
      KAFKA_TOPIC_PREFIX: `e2e-${run}.`,
      QUEUE_PREFIX: `e2e-${run}`,
      LOG_LEVEL: 'warn',
      ...(ports['payments'] !== undefined ? { CARD_VAULT_URL: `http://127.0.0.1:${ports['payments']}` } : {}),
      ...extraEnv,
    });
    services[name] = service;
    return service;
  };
  const stop = async () => {
    await Promise.all(Object.values(services).map((service) => service.stop()));
  };

  for (const name of names) launch(name);
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
      await processExited(service.process);
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
