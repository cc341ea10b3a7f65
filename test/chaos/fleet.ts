// Two instances of every service as real processes on the chaos stack, as a deployment behind a load
// balancer runs them: one database, one set of topics and consumer groups per service, only the
// port differs. `kill` ends one instance with SIGKILL; `restart` starts it again on the same port
// (as the supervisor of `npm start` does) and resolves once it answers HTTP.
import { randomUUID } from 'node:crypto';
import { freePort, launchService, processExited, RoundRobinAgent, roundRobinAgent, ServiceProcess, waitForHealth } from '@continuum/testing';

export const SERVICES = ['orders', 'payments', 'fulfillment', 'subscriptions', 'projections'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** Instances of each service, projections included (two split one consumer group: docs/projections.md). */
export const INSTANCES = 2;

export const instancesOf = (_name: ServiceName): number => INSTANCES;

export interface ChaosFleet {
  /** every instance of each service, in order; an entry is replaced in place when it restarts */
  readonly instances: Record<ServiceName, ServiceProcess[]>;
  /** requests to a service's instances in turn (1, 2, 1, 2, ...) */
  readonly agent: (name: ServiceName) => RoundRobinAgent;
  readonly run: string;
  readonly topicPrefix: string;
  readonly database: (name: ServiceName) => string;
  /** SIGKILL of one instance (0-based); resolves once it has exited */
  readonly kill: (name: ServiceName, index: number) => Promise<void>;
  /** starts a killed instance again on its port; resolves once `GET /health` answers 200 (its consumer groups may still be joining) */
  readonly restart: (name: ServiceName, index: number) => Promise<void>;
  readonly stop: () => Promise<void>;
}

/** Starts every service `instancesOf` times against the stack named by `stackEnv` (KAFKA_BROKERS, MONGO_URL, REDIS_URL, SMTP_URL). */
export async function startFleet(stackEnv: Record<string, string>, logLevel = 'warn'): Promise<ChaosFleet> {
  const run = randomUUID().slice(0, 8);
  const topicPrefix = `chaos-${run}.`;
  const database = (name: ServiceName) => `chaos_${run}_${name}`;
  const ports = {} as Record<ServiceName, number[]>;
  for (const name of SERVICES) {
    ports[name] = [];
    for (let i = 0; i < instancesOf(name); i++) ports[name].push(await freePort());
  }
  const instances = Object.fromEntries(SERVICES.map((name) => [name, [] as ServiceProcess[]])) as Record<ServiceName, ServiceProcess[]>;
  const launch = (name: ServiceName, index: number): ServiceProcess => {
    const service = launchService(name, ports[name][index]!, {
      ...stackEnv,
      MONGO_DB: database(name),
      KAFKA_TOPIC_PREFIX: topicPrefix,
      QUEUE_PREFIX: `chaos-${run}`,
      LOG_LEVEL: logLevel,
      CARD_VAULT_URL: `http://127.0.0.1:${ports.payments[0]}`,
    });
    // in place: the round-robin agents hold this array
    instances[name][index] = service;
    return service;
  };
  const all = () => Object.values(instances).flat();
  const stop = async () => {
    await Promise.all(all().map((service) => service.stop()));
  };
  try {
    // the first instance of each service, then the second once those are healthy (a rolling start)
    for (let i = 0; i < INSTANCES; i++) {
      const started = SERVICES.filter((name) => i < instancesOf(name)).map((name) => launch(name, i));
      await Promise.all(started.map((service) => waitForHealth(service, 180_000)));
    }
    // the first instances' groups gave the newcomers their share of the partitions: all joined again
    await Promise.all(all().map((service) => waitForHealth(service, 180_000)));
  } catch (error) {
    await stop();
    throw error;
  }
  const agents = new Map<ServiceName, RoundRobinAgent>();
  return {
    instances,
    agent: (name) => {
      if (!agents.has(name)) agents.set(name, roundRobinAgent(instances[name]));
      return agents.get(name)!;
    },
    run,
    topicPrefix,
    database,
    stop,
    kill: async (name, index) => {
      const service = instances[name][index]!;
      service.process.kill('SIGKILL');
      await processExited(service.process);
    },
    restart: async (name, index) => {
      await waitForHealth(launch(name, index), 180_000, { consumers: false });
    },
  };
}
