import { Kafka, Message, Partitioners, Producer } from 'kafkajs';

/** One record to publish. `key` decides the partition (a stream id keeps an aggregate in order). */
export interface OutgoingRecord {
  readonly topic: string;
  readonly key: string | null;
  readonly value: string;
  readonly headers?: Record<string, string>;
}

/** The publish function other parts (the outbox relay, the DLQ) depend on instead of kafkajs. */
export type PublishRecords = (messages: OutgoingRecord[]) => Promise<void>;

export interface KafkaPublisherOptions {
  /** how long the broker may take to replicate a batch before the send fails */
  readonly timeoutMs?: number;
}

/**
 * Idempotent producer with `acks: -1`: a retried send is not duplicated by the broker and a batch
 * counts as sent only when every in-sync replica has it. Topics must exist (see provisionTopics).
 */
export class KafkaPublisher {
  private readonly producer: Producer;
  private readonly timeoutMs: number;

  constructor(kafka: Kafka, options: KafkaPublisherOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Passed explicitly so kafkajs does not warn about its v2 default; keys hash like the Java client.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  async connect(): Promise<void> {
    await this.producer.connect();
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }

  /** Sends all records as one batch; resolves once the broker acknowledged every one of them. */
  readonly publish: PublishRecords = async (messages) => {
    if (messages.length === 0) return;
    const byTopic = new Map<string, Message[]>();
    for (const m of messages) {
      const batch = byTopic.get(m.topic) ?? [];
      batch.push({ key: m.key, value: m.value, headers: m.headers });
      byTopic.set(m.topic, batch);
    }
    await this.producer.sendBatch({
      acks: -1,
      timeout: this.timeoutMs,
      topicMessages: [...byTopic].map(([topic, batch]) => ({ topic, messages: batch })),
    });
  };
}
