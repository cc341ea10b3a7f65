/**
 * `npm run dlq -- list [service] [--json]`, `npm run dlq -- show <id>`,
 * `npm run dlq -- replay <id> [--force]`, `npm run dlq -- replay --all [service] [--topic <topic>]`:
 * the dead letters of every service (or one), read from `<service>.dlq.v1`, with the same functions
 * as `GET/POST /ops/dead-letters` (DeadLetters). A replay publishes the original record again to its
 * source topic and marks the dead letter in `dead_letter_replays` of the service's database.
 *
 * Configured like the services: KAFKA_BROKERS (default 127.0.0.1:9092), KAFKA_TOPIC_PREFIX (empty),
 * MONGO_URL (default mongodb://127.0.0.1:27017); each database is `continuum_<service>` unless
 * MONGO_DB_<SERVICE> names another. Exit code 0 done, 1 refused or not found, 2 could not run.
 */
import { logLevel } from 'kafkajs';
import { Connection, createConnection } from 'mongoose';
import { DomainError } from '@continuum/contracts';
import { ConfigError, Env, envList, envString, envUrl } from '../config';
import { KafkaPublisher, kafkaClient } from '../kafka';
import { DeadLetterEntry, DeadLetters, parseDeadLetterId } from './dead-letters';

const SERVICES = ['orders', 'payments', 'fulfillment', 'subscriptions', 'projections'] as const;
type Service = (typeof SERVICES)[number];

const USAGE = [
  'usage: npm run dlq -- list [service] [--json]',
  '       npm run dlq -- show <id>',
  '       npm run dlq -- replay <id> [--force]',
  '       npm run dlq -- replay --all [service] [--topic <source topic>]',
  `service: one of ${SERVICES.join(', ')}; id: <dlq topic>:<partition>:<offset> as list prints it`,
].join('\n');

class UsageError extends Error {}

interface Settings {
  readonly brokers: string[];
  readonly prefix: string;
  readonly mongoUrl: string;
  readonly database: (service: Service) => string;
}

function settings(env: Env): Settings {
  return {
    brokers: envList(env, 'KAFKA_BROKERS', ['127.0.0.1:9092']),
    prefix: envString(env, 'KAFKA_TOPIC_PREFIX', ''),
    mongoUrl: envUrl(env, 'MONGO_URL', 'mongodb://127.0.0.1:27017', ['mongodb', 'mongodb+srv']),
    database: (service) => envString(env, `MONGO_DB_${service.toUpperCase()}`, `continuum_${service}`),
  };
}

function serviceArg(value: string | undefined): Service[] {
  if (value === undefined) return [...SERVICES];
  if (!SERVICES.includes(value as Service)) throw new UsageError(`unknown service ${value}`);
  return [value as Service];
}

/** The service a dead-letter id belongs to: its topic is `<prefix><service>.dlq.v1`. */
function serviceOfId(id: string, prefix: string): Service {
  const where = parseDeadLetterId(id);
  const service = where && where.topic.startsWith(prefix) ? where.topic.slice(prefix.length).replace(/\.dlq\.v1$/, '') : undefined;
  if (!where || !SERVICES.includes(service as Service) || `${prefix}${service}.dlq.v1` !== where.topic) {
    throw new UsageError(`${id} is not a dead-letter id (<service>.dlq.v1:<partition>:<offset>)`);
  }
  return service as Service;
}

function line(entry: DeadLetterEntry): string {
  const letter = entry.deadLetter;
  const replayed = entry.replayed ? `replayed x${entry.replayed.replays} ${entry.replayed.lastReplayedAt}` : entry.notReplayable ? 'not replayable' : 'not replayed';
  if (!letter) return `${entry.id}  ${entry.timestamp}  (not a dead letter record)`;
  const error = `${letter.error.code ?? letter.error.name}: ${letter.error.message}`.slice(0, 160);
  return `${entry.id}  ${letter.failedAt}  ${letter.reason}  ${letter.groupId}  from ${letter.source.topic} key ${letter.source.key ?? '-'}  ${replayed}\n    ${error}`;
}

async function main(argv: string[], env: Env): Promise<number> {
  const [command, ...rest] = argv;
  const config = settings(env);
  // kafkajs' own log lines stay out of the output: what fails is printed once, below
  const kafka = kafkaClient({ clientId: 'continuum-dlq-cli', brokers: config.brokers, logLevel: logLevel.NOTHING });
  const publisher = new KafkaPublisher(kafka);
  const connections = new Map<Service, Connection>();
  const deadLettersOf = async (service: Service): Promise<DeadLetters> => {
    let connection = connections.get(service);
    if (!connection) {
      connection = await createConnection(config.mongoUrl, { dbName: config.database(service), serverSelectionTimeoutMS: 10_000 }).asPromise();
      connections.set(service, connection);
    }
    return new DeadLetters({ kafka, connection, dlqTopic: `${config.prefix}${service}.dlq.v1`, publish: (records) => publisher.publish(records) });
  };
  const actor = `cli:${env['USER'] ?? 'ops'}`;
  try {
    if (command === 'list') {
      const json = rest.includes('--json');
      const args = rest.filter((arg) => arg !== '--json');
      if (args.length > 1) throw new UsageError('list takes at most one service');
      let unread = 0;
      for (const service of serviceArg(args[0])) {
        let entries: DeadLetterEntry[];
        try {
          entries = await (await deadLettersOf(service)).list();
        } catch (error) {
          // a service that never ran has no topic yet: say so and go on with the others
          console.error(`dlq: ${service}: ${error instanceof Error ? error.message : String(error)}`);
          unread += 1;
          continue;
        }
        if (json) for (const entry of entries) console.log(JSON.stringify(entry));
        else {
          console.log(`${service}: ${entries.length} dead letter(s) on ${config.prefix}${service}.dlq.v1`);
          for (const entry of entries) console.log(line(entry));
        }
      }
      return unread > 0 ? 2 : 0;
    }
    if (command === 'show') {
      if (rest.length !== 1) throw new UsageError('show takes one id');
      const id = rest[0]!;
      console.log(JSON.stringify(await (await deadLettersOf(serviceOfId(id, config.prefix))).show(id), null, 2));
      return 0;
    }
    if (command === 'replay') {
      await publisher.connect();
      if (rest.includes('--all')) {
        const args = rest.filter((arg) => arg !== '--all');
        const at = args.indexOf('--topic');
        let topic: string | undefined;
        if (at >= 0) {
          topic = args[at + 1];
          if (topic === undefined || topic.startsWith('--')) throw new UsageError('--topic needs a topic name');
          args.splice(at, 2);
        }
        if (args.length > 1 || args.some((arg) => arg.startsWith('--'))) throw new UsageError(`unexpected ${args.join(' ')}`);
        const sourceTopic = topic === undefined ? undefined : (name: string) => name === topic || name === `${config.prefix}${topic}`;
        let replayedCount = 0;
        for (const service of serviceArg(args[0])) {
          const { replayed, skipped } = await (await deadLettersOf(service)).replayAll({ actor, sourceTopic });
          for (const result of replayed) console.log(`replayed ${result.id} to ${result.topic} (key ${result.key ?? '-'}, x-replay-count ${result.replayCount})`);
          for (const skip of skipped) console.log(`skipped ${skip.id}: ${skip.why}`);
          replayedCount += replayed.length;
        }
        console.log(`${replayedCount} dead letter(s) replayed`);
        return 0;
      }
      const force = rest.includes('--force');
      const args = rest.filter((arg) => arg !== '--force');
      if (args.length !== 1 || args[0]!.startsWith('--')) throw new UsageError('replay takes one id, or --all');
      const id = args[0]!;
      const result = await (await deadLettersOf(serviceOfId(id, config.prefix))).replay(id, { actor, force });
      console.log(`replayed ${result.id} to ${result.topic} (key ${result.key ?? '-'}, x-replay-count ${result.replayCount}, replays ${result.replays})`);
      return 0;
    }
    throw new UsageError(command === undefined ? 'a command is needed' : `unknown command ${command}`);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`dlq: ${error.message}\n${USAGE}`);
      return 2;
    }
    if (error instanceof ConfigError) {
      console.error(`dlq: configuration error: ${error.message}`);
      return 2;
    }
    if (error instanceof DomainError) {
      console.error(`dlq: ${error.code}: ${error.message}`);
      return 1;
    }
    console.error(`dlq: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  } finally {
    await publisher.disconnect().catch(() => undefined);
    for (const connection of connections.values()) await connection.close().catch(() => undefined);
  }
}

void main(process.argv.slice(2), process.env).then((code) => process.exit(code));
