import { Kafka, logLevel } from 'kafkajs';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { BenchFleet } from './fleet';

/** Drops what a bench run left behind: its databases, topics, consumer groups and queue keys. */
export async function cleanUp(fleet: BenchFleet): Promise<void> {
  const env = process.env;
  const connection = await mongoose.createConnection(env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017').asPromise();
  try {
    for (const service of Object.values(fleet.services)) await connection.useDb(service.database).dropDatabase().catch(() => undefined);
  } finally {
    await connection.close();
  }
  const kafka = new Kafka({ clientId: `bench-${fleet.run}-cleanup`, brokers: (env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(fleet.topicPrefix));
    if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => undefined);
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((id) => id.startsWith(fleet.topicPrefix));
    if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
  const redis = new Redis(env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 2 });
  try {
    await redis.connect();
    for (let cursor = '0'; ; ) {
      const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${fleet.queuePrefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = nextCursor;
      if (cursor === '0') break;
    }
  } catch {
    // leftover queue keys of a benchmark are harmless
  } finally {
    redis.disconnect();
  }
}
