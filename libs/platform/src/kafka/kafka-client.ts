import { Kafka, logLevel as KafkaLogLevel } from 'kafkajs';
import { quietRequestQueueTimers } from './request-queue-timer';

export interface KafkaClientOptions {
  readonly clientId: string;
  readonly brokers: string[];
  /** kafkajs' own logging; WARN keeps the noise of normal rebalances out of the logs */
  readonly logLevel?: KafkaLogLevel;
}

/**
 * The one Kafka client a process shares between its publisher, consumers and admin work.
 * Example: `kafkaClient({ clientId: 'orders', brokers: ['127.0.0.1:9092'] })`.
 */
export function kafkaClient(options: KafkaClientOptions): Kafka {
  // no 1 ms timer per idle broker connection (see request-queue-timer.ts)
  quietRequestQueueTimers();
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: options.logLevel ?? KafkaLogLevel.WARN,
    connectionTimeout: 3_000,
    // No `retries` here on purpose: the idempotent producer warns when a client caps its retries,
    // and kafkajs' default of 5 with this backoff already spans a broker restart.
    retry: { initialRetryTime: 200, maxRetryTime: 10_000 },
  });
}
