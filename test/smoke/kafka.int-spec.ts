import { Admin, Consumer, Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import { eventually, testRun, waitForGroupJoin } from '@continuum/testing';
import { smokeEnv } from './smoke-env';

// Kafka on the local stack: a pre-created topic, an idempotent producer and a consumer group.
describe('smoke: Kafka', () => {
  const run = testRun('smoke-kafka');
  const topic = `${run.topicPrefix}smoke.kafka`;
  const groupId = run.group('smoke-kafka-group');
  const kafka = new Kafka({ clientId: 'smoke-kafka', brokers: smokeEnv.kafkaBrokers, logLevel: logLevel.WARN });
  let admin: Admin;
  let producer: Producer;
  let consumer: Consumer;
  const received: { key: string; value: string; partition: number }[] = [];

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    const created = await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    expect(created).toBe(true);

    producer = kafka.producer({
      allowAutoTopicCreation: false,
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();

    consumer = kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 6000,
      heartbeatInterval: 500,
      maxWaitTimeInMs: 100,
    });
    const joined = waitForGroupJoin(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        received.push({ key: String(message.key), value: String(message.value), partition });
      },
    });
    await joined;
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
    await admin?.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin?.disconnect();
  });

  it('lists the pre-created topic with its partitions', async () => {
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(meta.topics[0].partitions).toHaveLength(2);
  });

  it('delivers produced messages to the consumer group, in order per key', async () => {
    await producer.send({
      topic,
      acks: -1,
      messages: [
        { key: 'order-1', value: 'placed' },
        { key: 'order-2', value: 'placed' },
        { key: 'order-1', value: 'shipped' },
      ],
    });

    await eventually(async () => (received.length >= 3 ? true : undefined), 'three messages', { timeoutMs: 20000 });
    const order1 = received.filter((m) => m.key === 'order-1');
    expect(order1.map((m) => m.value)).toEqual(['placed', 'shipped']);
    expect(new Set(order1.map((m) => m.partition)).size).toBe(1);
    expect(received.filter((m) => m.key === 'order-2').map((m) => m.value)).toEqual(['placed']);
  });

  it('refuses to produce to a topic that was never created', async () => {
    const missing = `${run.topicPrefix}smoke.kafka.missing`;
    // A quiet producer that gives up at once: the failure is the expected outcome here.
    const strict = new Kafka({ clientId: 'smoke-kafka-strict', brokers: smokeEnv.kafkaBrokers, logLevel: logLevel.NOTHING, retry: { retries: 0 } })
      .producer({ allowAutoTopicCreation: false, retry: { retries: 0 }, createPartitioner: Partitioners.DefaultPartitioner });
    await strict.connect();
    try {
      await expect(strict.send({ topic: missing, messages: [{ value: 'x' }], timeout: 2000 })).rejects.toThrow();
    } finally {
      await strict.disconnect();
    }
    const topics = await admin.listTopics();
    expect(topics).not.toContain(missing);
  });

  it('commits the group offsets it consumed', async () => {
    const offsets = await eventually(
      async () => {
        const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const committed = entry.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
        return committed >= 3 ? committed : undefined;
      },
      'committed offsets',
      { timeoutMs: 20000 },
    );
    expect(offsets).toBe(3);
  });
});
