import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { eventually, EventuallyOptions, HttpAgent, RoundRobinAgent, ServiceProcess, freePort, launchService, processExited, roundRobinAgent, waitForHealth } from '@continuum/testing';

export type RunningService = ServiceProcess;

/**
 * Services started as real processes for one scenario (see startServices).
 */
export interface ServiceFleet {
  /** the first instance of each service (the one kill and restart act on) */
  readonly services: Record<string, RunningService>;
  /** every instance of each service, in order (one each unless `instances` said more) */
  readonly instances: Record<string, RunningService[]>;
  /** requests to a service's instances in turn (1, 2, 1, 2, ...), as a load balancer would send them; one turn per service */
  readonly agent: (name: string) => RoundRobinAgent;
  /** unique to this run: topic prefix `e2e-<run>.`, databases `e2e_<run>_<service>`, queue prefix `e2e-<run>` */
  readonly run: string;
  /** the Kafka topic prefix of this run (for a KafkaProbe) */
  readonly topicPrefix: string;
  /** the database of one service */
  readonly database: (name: string) => string;
  /** kills one service at once (SIGKILL: no shutdown hooks run, as in a crash) */
  readonly kill: (name: string) => Promise<void>;
  /** starts a killed service again with the same port, database and prefixes, and waits for /health */
  readonly restart: (name: string) => Promise<void>;
  readonly stop: () => Promise<void>;
}

export interface FleetOptions {
  /** how many instances of each service (default 1): each on its own port, all on the service's one database, topics, queues and consumer groups */
  readonly instances?: number;
  /** per service, instead of `instances` */
  readonly instancesOf?: Readonly<Record<string, number>>;
}

/**
 * Starts the named services as real processes (as `npm start` would, from the TypeScript sources)
 * against the local stack, each with its own port and database, all sharing one topic and queue
 * prefix that is unique to this run, so the scenario sees only its own events. When payments is
 * one of them, orders tokenises cards at its vault (CARD_VAULT_URL, the first payments instance).
 * With `instances: 2`, two processes of each service run side by side as two replicas would (one
 * store, one set of topics and consumer groups; only the port differs); `agent(name)` spreads
 * requests over them.
 */
export async function startServices(names: readonly string[], extraEnv: Record<string, string> = {}, options: FleetOptions = {}): Promise<ServiceFleet> {
  const run = randomUUID().slice(0, 8);
  const topicPrefix = `e2e-${run}.`;
  const database = (name: string) => `e2e_${run}_${name}`;
  const count = options.instances ?? 1;
  const countOf = (name: string): number => options.instancesOf?.[name] ?? count;
  const services: Record<string, RunningService> = {};
  const instances: Record<string, RunningService[]> = {};
  const ports: Record<string, number[]> = {};
  for (const name of names) {
    ports[name] = [];
    for (let i = 0; i < countOf(name); i++) ports[name]!.push(await freePort());
  }

  const launch = (name: string, index = 0): RunningService => {
    const service = launchService(name, ports[name]![index]!, {
      MONGO_DB: database(name),
      KAFKA_TOPIC_PREFIX: topicPrefix,
      QUEUE_PREFIX: `e2e-${run}`,
      LOG_LEVEL: 'warn',
      ...(ports['payments'] !== undefined ? { CARD_VAULT_URL: `http://127.0.0.1:${ports['payments'][0]}` } : {}),
      ...extraEnv,
    });
    (instances[name] ??= [])[index] = service;
    if (index === 0) services[name] = service;
    return service;
  };
  const all = () => Object.values(instances).flat();
  const stop = async () => {
    await Promise.all(all().map((service) => service.stop()));
  };

  try {
    // the first instance of each service, then the others once those are healthy, as a rolling start
    // would (instances started at the same moment: services/projections/test/two-instances.int-spec.ts)
    const most = Math.max(...names.map(countOf));
    for (let i = 0; i < most; i++) {
      const started = names.filter((name) => i < countOf(name)).map((name) => launch(name, i));
      await Promise.all(started.map((service) => waitForHealth(service, 90_000)));
    }
    // the first instances' groups gave the newcomers their share of the partitions: all joined again
    if (most > 1) await Promise.all(all().map((service) => waitForHealth(service, 90_000)));
  } catch (error) {
    await stop();
    throw error;
  }
  const agents = new Map<string, RoundRobinAgent>();
  return {
    services,
    instances,
    agent: (name) => {
      if (!instances[name]) throw new Error(`${name} is not in this fleet`);
      if (!agents.has(name)) agents.set(name, roundRobinAgent(instances[name]));
      return agents.get(name)!;
    },
    run,
    topicPrefix,
    database,
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

/**
 * Reads the databases of the fleet's services with one connection of its own:
 * `await readDatabases(fleet, (db) => db('orders').collection('commits').find({ correlationId }).toArray())`.
 */
export async function readDatabases<T>(fleet: ServiceFleet, read: (db: (service: string) => mongoose.mongo.Db) => Promise<T>): Promise<T> {
  const connection = await mongoose.createConnection(process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017').asPromise();
  try {
    return await read((service) => connection.useDb(fleet.database(service)).db!);
  } finally {
    await connection.close();
  }
}

/** The order once the orders service shows it in `status` (its reactions to other services' events take moments). */
export function orderReaches(orders: HttpAgent, orderId: string, status: string, options?: EventuallyOptions): Promise<any> {
  return eventually(
    async () => {
      const response = await orders.get(`/orders/${orderId}`);
      return response.body?.status === status ? response.body : undefined;
    },
    `order ${orderId} to be ${status}`,
    options,
  );
}

/**
 * An order's transactions as the payments service lists them. The list is a view the payments
 * service writes right after storing its events, so it may trail the orders service by moments:
 * waits until it shows at least `count` rows.
 */
export function transactionsOf(payments: HttpAgent, orderId: string, count = 1): Promise<any[]> {
  return eventually(
    async () => {
      const response = await payments.get(`/transactions?orderId=${orderId}`);
      return Array.isArray(response.body) && response.body.length >= count ? (response.body as any[]) : undefined;
    },
    `${count} transaction(s) of order ${orderId} listed by payments`,
  );
}
