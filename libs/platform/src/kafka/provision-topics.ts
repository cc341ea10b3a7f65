import { Admin, Kafka } from 'kafkajs';

export interface ProvisionTopicsOptions {
  /** 1 on the single-node local stack; 3 on a real cluster */
  readonly replicationFactor?: number;
  /** how long to wait for new topics to get leaders (default 30 s) */
  readonly leaderTimeoutMs?: number;
}

/** Domain event topics (`<context>.events.v1`) are the history views are rebuilt from: they keep every record. */
export const isEventTopic = (topic: string): boolean => topic.endsWith('.events.v1');

/** The topic settings a new topic is created with: event topics never delete records. */
export function topicConfig(topic: string): { name: string; value: string }[] {
  return isEventTopic(topic) ? [{ name: 'retention.ms', value: '-1' }] : [];
}

/**
 * Creates the topics that do not exist yet and waits until each has a leader, so producers with
 * `allowAutoTopicCreation: false` can publish right away. Event topics are created with unlimited
 * retention (`topicConfig`). Safe to run at every start; returns the topics it created.
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
    const wanted = [...new Set(topics)];
    const missing = wanted.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      try {
        await admin.createTopics({
          // our own wait below tolerates the moments in which a new topic is not known to every
          // broker yet ("This server does not host this topic-partition"); kafkajs' wait gives up
          waitForLeaders: false,
          topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: options.replicationFactor ?? 1, configEntries: topicConfig(topic) })),
        });
      } catch (error) {
        // Another service or instance created some of the same topics at the same moment: fine, as
        // long as every topic now exists.
        if (!onlyAlreadyExists(error)) throw error;
      }
    }
    // A topic another process has just created may still be without leaders.
    await waitForLeaders(admin, wanted, options.leaderTimeoutMs ?? 30_000);
    return missing;
  } finally {
    await admin.disconnect();
  }
}

function onlyAlreadyExists(error: unknown): boolean {
  const errors: { type?: string }[] | undefined = (error as any)?.errors;
  if ((error as any)?.type === 'TOPIC_ALREADY_EXISTS') return true;
  return Array.isArray(errors) && errors.length > 0 && errors.every((e) => e.type === 'TOPIC_ALREADY_EXISTS');
}

/** Polls topic metadata until every partition of every topic has a leader. */
async function waitForLeaders(admin: Admin, topics: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
      if (metadata.length === topics.length && metadata.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`topics without a leader after ${timeoutMs} ms: ${topics.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
