import { Kafka } from 'kafkajs';

export interface ProvisionTopicsOptions {
  /** 1 on the single-node local stack; 3 on a real cluster */
  readonly replicationFactor?: number;
}

/**
 * Creates the topics that do not exist yet and waits until each has a leader, so producers with
 * `allowAutoTopicCreation: false` can publish right away. Safe to run at every start; returns the
 * topics it created.
 */
export async function provisionTopics(
  kafka: Kafka,
  topics: string[],
  partitions = 3,
  options: ProvisionTopicsOptions = {},
): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [...new Set(topics)].filter((topic) => !existing.has(topic));
    if (missing.length === 0) return [];
    // Another instance may create the same topics at the same moment; createTopics then returns false.
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: options.replicationFactor ?? 1 })),
    });
    return missing;
  } finally {
    await admin.disconnect();
  }
}
