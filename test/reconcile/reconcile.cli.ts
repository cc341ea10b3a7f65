/**
 * `npm run reconcile [-- --json] [--db <service>=<database>] [--db-prefix <prefix>] [--no-history]`:
 * reads every service's event store and the projections' customer history and reports, per order,
 * what disagrees (test/reconcile/reconcile.ts lists the codes), then `N orders checked, M
 * disagreements`. Exit code 0 when nothing disagrees, 1 when something does, 2 when it could not run.
 *
 * Configured like the services: MONGO_URL (default mongodb://127.0.0.1:27017); each database is
 * `continuum_<service>` unless MONGO_DB_<SERVICE> (e.g. MONGO_DB_ORDERS, MONGO_DB_PROJECTIONS), or
 * the flags, name another.
 */
import { mongo } from 'mongoose';
import { ConfigError, Env, envString, envUrl } from '@continuum/platform';
import { formatReport, jsonReport } from './reconcile';
import { EVENT_STORES, EventStoreService, reconcileStores, ReconcileTarget } from './reconcile.store';

const SERVICES = [...EVENT_STORES, 'projections'] as const;
type Service = (typeof SERVICES)[number];

export interface CliOptions {
  readonly json: boolean;
  readonly mongoUrl: string;
  readonly target: ReconcileTarget;
}

export class UsageError extends Error {}

const USAGE = 'usage: npm run reconcile -- [--json] [--db <service>=<database>]... [--db-prefix <prefix>] [--no-history]';

/** The options from the command line and the environment; throws UsageError or ConfigError naming what is wrong. */
export function parseOptions(argv: readonly string[], env: Env): CliOptions {
  let json = false;
  let history = true;
  let prefix: string | null = null;
  const named: Partial<Record<Service, string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${arg} needs a value\n${USAGE}`);
      return next;
    };
    if (arg === '--json') json = true;
    else if (arg === '--no-history') history = false;
    else if (arg === '--db-prefix') prefix = value();
    else if (arg === '--db') {
      const [service, database] = value().split('=');
      if (!SERVICES.includes(service as Service) || !database) throw new UsageError(`--db takes <service>=<database>, service one of ${SERVICES.join(', ')}\n${USAGE}`);
      named[service as Service] = database;
    } else throw new UsageError(`unknown argument ${arg}\n${USAGE}`);
  }
  const database = (service: Service) => named[service] ?? (prefix !== null ? `${prefix}${service}` : envString(env, `MONGO_DB_${service.toUpperCase()}`, `continuum_${service}`));
  const databases = Object.fromEntries(EVENT_STORES.map((service) => [service, database(service)])) as Record<EventStoreService, string>;
  return {
    json,
    mongoUrl: envUrl(env, 'MONGO_URL', 'mongodb://127.0.0.1:27017', ['mongodb', 'mongodb+srv']),
    target: { databases, projections: history ? database('projections') : null },
  };
}

async function main(): Promise<number> {
  let options: CliOptions;
  try {
    options = parseOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const client = new mongo.MongoClient(options.mongoUrl, { serverSelectionTimeoutMS: 10_000 });
  try {
    await client.connect();
    const started = process.hrtime.bigint();
    const { report, notes, read } = await reconcileStores(client, options.target);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    process.stdout.write(options.json ? jsonReport(report, notes) : formatReport(report, notes));
    if (!options.json) process.stderr.write(`read ${read.commits} commits (${read.events} events) and ${read.journals} customer journals in ${seconds.toFixed(1)} s\n`);
    return report.disagreements.length === 0 ? 0 : 1;
  } finally {
    await client.close();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`reconcile: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(2);
    },
  );
}
