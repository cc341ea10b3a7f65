import { randomUUID } from 'node:crypto';
import { Admin, Kafka } from 'kafkajs';
import { kafkaClient } from './kafka-client';
import { provisionTopics } from './provision-topics';

// The project-level testTimeout in jest.config.js is not applied by Jest, so the file sets its own.
jest.setTimeout(60_000);

describe('provisionTopics (Kafka)', () => {
  const suffix = randomUUID().slice(0, 8);
  const topics = [`it-provision-${suffix}.a.v1`, `it-provision-${suffix}.b.v1`];
  let kafka: Kafka;
  let admin: Admin;

  beforeAll(async () => {
    kafka = kafkaClient({ clientId: `it-provision-${suffix}`, brokers: ['127.0.0.1:9092'] });
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.deleteTopics({ topics }).catch(() => undefined);
    await admin?.disconnect();
  });

  it('creates missing topics with the partition count, and does nothing the second time', async () => {
    expect(await provisionTopics(kafka, [topics[0]], 2)).toEqual([topics[0]]);
    expect(await provisionTopics(kafka, topics, 2)).toEqual([topics[1]]);
    expect(await provisionTopics(kafka, topics, 2)).toEqual([]);

    const metadata = await admin.fetchTopicMetadata({ topics });
    expect(metadata.topics.map((t) => [t.name, t.partitions.length]).sort()).toEqual([
      [topics[0], 2],
      [topics[1], 2],
    ]);
    expect(metadata.topics.every((t) => t.partitions.every((p) => p.leader >= 0))).toBe(true);
  });
});
