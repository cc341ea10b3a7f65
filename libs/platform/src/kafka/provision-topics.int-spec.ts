import { randomUUID } from 'node:crypto';
import { Admin, ConfigResourceTypes, Kafka } from 'kafkajs';
import { kafkaClient } from './kafka-client';
import { provisionTopics } from './provision-topics';

// The project-level testTimeout in jest.config.js is not applied by Jest, so the file sets its own.
jest.setTimeout(60_000);

describe('provisionTopics (Kafka)', () => {
  const suffix = randomUUID().slice(0, 8);
  const topics = [`it-provision-${suffix}.a.v1`, `it-provision-${suffix}.b.v1`];
  const raced = [`it-provision-${suffix}.c.v1`, `it-provision-${suffix}.d.v1`, `it-provision-${suffix}.e.v1`];
  const history = [`it-provision-${suffix}.events.v1`, `it-provision-${suffix}.dlq.v1`];
  let kafka: Kafka;
  let admin: Admin;

  beforeAll(async () => {
    kafka = kafkaClient({ clientId: `it-provision-${suffix}`, brokers: ['127.0.0.1:9092'] });
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.deleteTopics({ topics: [...topics, ...raced, ...history] }).catch(() => undefined);
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

  it('waits for the leaders of topics another service has only just created', async () => {
    // services starting together race to create shared topics: the loser sees them listed before
    // their partitions have leaders, and must not return (and publish) before they do
    await admin.createTopics({ waitForLeaders: false, topics: raced.map((topic) => ({ topic, numPartitions: 3 })) });
    expect(await provisionTopics(kafka, raced, 3)).toEqual([]);
    const metadata = await admin.fetchTopicMetadata({ topics: raced });
    expect(metadata.topics).toHaveLength(3);
    expect(metadata.topics.every((t) => t.partitions.length === 3 && t.partitions.every((p) => p.leader >= 0))).toBe(true);
  });

  it('lets several services provision the same new topics at once', async () => {
    const more = raced.map((topic) => `${topic}.again`);
    raced.push(...more);
    const results = await Promise.all([1, 2, 3].map((n) => provisionTopics(kafkaClient({ clientId: `it-provision-${suffix}-${n}`, brokers: ['127.0.0.1:9092'] }), more, 2)));
    expect(new Set(results.flat())).toEqual(new Set(more));
  });

  it('creates event topics with unlimited retention (views are rebuilt from them), other topics with the broker default', async () => {
    await provisionTopics(kafka, history, 1);
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: history.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['retention.ms'] })),
    });
    const retention = Object.fromEntries(described.resources.map((r) => [r.resourceName, r.configEntries.find((c) => c.configName === 'retention.ms')]));
    expect(retention[history[0]!]).toMatchObject({ configValue: '-1', isDefault: false });
    expect(retention[history[1]!]).toMatchObject({ isDefault: true });
  });
});
