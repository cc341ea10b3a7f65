import IORedis, { Redis } from 'ioredis';

/**
 * One ioredis connection for BullMQ and health checks. BullMQ workers need
 * `maxRetriesPerRequest: null` so a Redis restart blocks commands instead of failing them.
 */
export function createRedisConnection(url: string): Redis {
  return new IORedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false });
}
