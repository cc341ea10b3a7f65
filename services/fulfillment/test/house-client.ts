// A fulfillment house as its own developers would write it: a plain kafkajs client and the JSON that
// docs/fulfillment-houses.md documents. Nothing here imports the project's code.
import { Consumer, Kafka, logLevel, Producer } from 'kafkajs';

/** A request as the house reads it from fulfillment.requests.v1. */
export interface ReceivedRequest {
  readonly key: string | null;
  readonly value: string;
  readonly json: any;
}

export class PlainKafkaHouse {
  readonly requests: ReceivedRequest[] = [];
  private readonly kafka: Kafka;
  private consumer?: Consumer;
  private producer?: Producer;

  /** `topicPrefix` is what the test environment puts before every topic name (empty in production). */
  constructor(
    private readonly topicPrefix: string,
    brokers: string[] = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','),
  ) {
    this.kafka = new Kafka({ clientId: 'acme-fulfillment-house', brokers, logLevel: logLevel.NOTHING });
  }

  async start(): Promise<void> {
    this.producer = this.kafka.producer({ allowAutoTopicCreation: false });
    await this.producer.connect();
    const consumer = this.kafka.consumer({ groupId: `${this.topicPrefix}acme-house`, sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic: `${this.topicPrefix}fulfillment.requests.v1`, fromBeginning: true });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachMessage: async ({ message }) => {
        const value = message.value?.toString() ?? '';
        this.requests.push({ key: message.key?.toString() ?? null, value, json: JSON.parse(value) });
      },
    });
    await joined;
  }

  /** Sends `value` (text, normally JSON) on fulfillment.updates.v1 keyed by `key` (the reference). */
  async send(key: string, value: string): Promise<void> {
    await this.producer!.send({ topic: `${this.topicPrefix}fulfillment.updates.v1`, messages: [{ key, value }] });
  }

  async waitForRequest(reference: string, attempt = 1, timeoutMs = 30_000): Promise<ReceivedRequest> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.requests.find((r) => r.key === reference && r.json.attempt === attempt);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no request for ${reference} (attempt ${attempt})`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
  }
}
