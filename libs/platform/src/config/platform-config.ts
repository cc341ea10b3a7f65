import { ApiKey, DEV_API_KEYS, parseApiKeys } from './api-keys';
import { Env, envString } from './env-readers';
import { defineSettings, setting, SettingsOf } from './settings';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The settings every service shares (the schema below). Services declare their own with defineSettings. */
export type PlatformConfig = { readonly service: string } & SettingsOf<ReturnType<typeof platformSchema>>;

export interface PlatformConfigDefaults {
  /** The service's own port when PORT is unset (orders 3001, payments 3002, ...). */
  readonly port?: number;
}

/** The shared variables, declared once; the port and the database name default per service. */
function platformSchema(service: string, defaults: PlatformConfigDefaults) {
  return {
    port: setting.int('PORT', defaults.port ?? 3000, { min: 0, max: 65535 }),
    nodeEnv: setting.string('NODE_ENV', 'development'),
    kafkaBrokers: setting
      .list('KAFKA_BROKERS', ['127.0.0.1:9092'])
      .where((brokers) => brokers.filter((broker) => !/^[^\s:/]+:\d{1,5}$/.test(broker)).map((broker) => `"${broker}" is not host:port`)[0])
      .where((brokers) => (brokers.length === 0 ? 'no broker given' : undefined)),
    kafkaPartitions: setting.int('KAFKA_PARTITIONS', 3, { min: 1 }),
    mongoUrl: setting.url('MONGO_URL', 'mongodb://127.0.0.1:27017', ['mongodb', 'mongodb+srv']),
    mongoDb: setting.string('MONGO_DB', `continuum_${service}`),
    redisUrl: setting.url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis', 'rediss']),
    smtpUrl: setting.url('SMTP_URL', 'smtp://127.0.0.1:1025', ['smtp', 'smtps']),
    // without API_KEYS the development keys apply, except in production, where no key is accepted
    apiKeys: setting.custom('API_KEYS', (env): readonly ApiKey[] => {
      const given = env['API_KEYS'];
      if (given !== undefined && given.trim() !== '') return parseApiKeys(given);
      return envString<string>(env, 'NODE_ENV', 'development') === 'production' ? [] : [...DEV_API_KEYS];
    }),
    logLevel: setting.string<LogLevel>('LOG_LEVEL', 'info', LOG_LEVELS),
  };
}

/**
 * Reads the shared settings, e.g. `loadPlatformConfig('orders', process.env, { port: 3001 })`.
 * Throws ConfigError on the first bad value. Without API_KEYS the four development keys apply,
 * except with NODE_ENV=production, where no key is accepted until API_KEYS is set.
 */
export function loadPlatformConfig(service: string, env: Env = process.env, defaults: PlatformConfigDefaults = {}): PlatformConfig {
  return { service, ...defineSettings('platform', platformSchema(service, defaults)).load(env) };
}
