import { DEV_API_KEYS } from './api-keys';
import { ConfigError } from './config-error';
import { loadPlatformConfig } from './platform-config';

describe('loadPlatformConfig', () => {
  it('falls back to the local stack defaults', () => {
    expect(loadPlatformConfig('orders', {}, { port: 3001 })).toEqual({
      service: 'orders',
      port: 3001,
      nodeEnv: 'development',
      kafkaBrokers: ['127.0.0.1:9092'],
      kafkaPartitions: 3,
      mongoUrl: 'mongodb://127.0.0.1:27017',
      mongoDb: 'continuum_orders',
      redisUrl: 'redis://127.0.0.1:6379',
      smtpUrl: 'smtp://127.0.0.1:1025',
      apiKeys: DEV_API_KEYS,
      logLevel: 'info',
    });
  });

  it('reads every variable', () => {
    const config = loadPlatformConfig('payments', {
      PORT: '8080',
      NODE_ENV: 'production',
      KAFKA_BROKERS: 'k1:9092, k2:9093',
      KAFKA_PARTITIONS: '6',
      MONGO_URL: 'mongodb://db:27017',
      MONGO_DB: 'pay',
      REDIS_URL: 'redis://cache:6379',
      SMTP_URL: 'smtp://mail:25',
      API_KEYS: 'alice:agent:k1',
      LOG_LEVEL: 'debug',
    });
    expect(config).toEqual({
      service: 'payments',
      port: 8080,
      nodeEnv: 'production',
      kafkaBrokers: ['k1:9092', 'k2:9093'],
      kafkaPartitions: 6,
      mongoUrl: 'mongodb://db:27017',
      mongoDb: 'pay',
      redisUrl: 'redis://cache:6379',
      smtpUrl: 'smtp://mail:25',
      apiKeys: [{ user: 'alice', role: 'agent', key: 'k1' }],
      logLevel: 'debug',
    });
  });

  it('has no keys in production without API_KEYS', () => {
    expect(loadPlatformConfig('orders', { NODE_ENV: 'production' }).apiKeys).toEqual([]);
    expect(loadPlatformConfig('orders', { NODE_ENV: 'production', API_KEYS: ' ' }).apiKeys).toEqual([]);
  });

  it('uses port 3000 when the caller gives no default', () => {
    expect(loadPlatformConfig('x', {}).port).toBe(3000);
  });

  it.each([
    ['PORT', 'http', /PORT="http"/],
    ['PORT', '70000', /at most 65535/],
    ['KAFKA_PARTITIONS', '0', /KAFKA_PARTITIONS="0": must be at least 1/],
    ['KAFKA_BROKERS', 'kafka', /"kafka" is not host:port/],
    ['MONGO_URL', 'postgres://db', /MONGO_URL/],
    ['REDIS_URL', 'localhost:6379', /REDIS_URL/],
    ['LOG_LEVEL', 'verbose', /LOG_LEVEL="verbose"/],
    ['API_KEYS', 'alice:root:k', /API_KEYS/],
  ])('rejects %s=%s', (variable, value, message) => {
    expect(() => loadPlatformConfig('orders', { [variable]: value })).toThrow(ConfigError);
    expect(() => loadPlatformConfig('orders', { [variable]: value })).toThrow(message);
  });
});
