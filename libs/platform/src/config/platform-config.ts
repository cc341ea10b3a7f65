import { ApiKey, DEV_API_KEYS, parseApiKeys } from './api-keys';
import { ConfigError } from './config-error';
import { Env, envInt, envList, envString, envUrl } from './env-readers';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The settings every service shares. Services read their own extra settings with envInt/envUrl/... */
export interface PlatformConfig {
  readonly service: string;
  readonly port: number;
  readonly nodeEnv: string;
  readonly kafkaBrokers: readonly string[];
  readonly kafkaPartitions: number;
  readonly mongoUrl: string;
  readonly mongoDb: string;
  readonly redisUrl: string;
  readonly smtpUrl: string;
  readonly apiKeys: readonly ApiKey[];
  readonly logLevel: LogLevel;
}

export interface PlatformConfigDefaults {
  /** The service's own port when PORT is unset (orders 3001, payments 3002, ...). */
  readonly port?: number;
}

/**
 * Reads the shared settings, e.g. `loadPlatformConfig('orders', process.env, { port: 3001 })`.
 * Throws ConfigError on the first bad value. Without API_KEYS the four development keys apply,
 * except with NODE_ENV=production, where no key is accepted until API_KEYS is set.
 */
export function loadPlatformConfig(service: string, env: Env = process.env, defaults: PlatformConfigDefaults = {}): PlatformConfig {
  const nodeEnv = envString<string>(env, 'NODE_ENV', 'development');
  const brokers = envList(env, 'KAFKA_BROKERS', ['127.0.0.1:9092']);
  for (const broker of brokers) {
    if (!/^[^\s:/]+:\d{1,5}$/.test(broker)) throw new ConfigError('KAFKA_BROKERS', env['KAFKA_BROKERS'] ?? '', `"${broker}" is not host:port`);
  }
  if (brokers.length === 0) throw new ConfigError('KAFKA_BROKERS', env['KAFKA_BROKERS'] ?? '', 'no broker given');
  const apiKeysRaw = env['API_KEYS'];
  const apiKeys =
    apiKeysRaw !== undefined && apiKeysRaw.trim() !== ''
      ? parseApiKeys(apiKeysRaw)
      : nodeEnv === 'production'
        ? []
        : [...DEV_API_KEYS];
  return {
    service,
    port: envInt(env, 'PORT', defaults.port ?? 3000, { min: 0, max: 65535 }),
    nodeEnv,
    kafkaBrokers: brokers,
    kafkaPartitions: envInt(env, 'KAFKA_PARTITIONS', 3, { min: 1 }),
    mongoUrl: envUrl(env, 'MONGO_URL', 'mongodb://127.0.0.1:27017', ['mongodb', 'mongodb+srv']),
    mongoDb: envString(env, 'MONGO_DB', `continuum_${service}`),
    redisUrl: envUrl(env, 'REDIS_URL', 'redis://127.0.0.1:6379', ['redis', 'rediss']),
    smtpUrl: envUrl(env, 'SMTP_URL', 'smtp://127.0.0.1:1025', ['smtp', 'smtps']),
    apiKeys,
    logLevel: envString<LogLevel>(env, 'LOG_LEVEL', 'info', LOG_LEVELS),
  };
}
