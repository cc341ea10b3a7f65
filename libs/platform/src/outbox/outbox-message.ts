/** One Kafka record the relay hands to `publish`: value is the JSON EventEnvelope, key the stream id. */
export interface OutboxMessage {
  readonly topic: string;
  readonly key: string;
  readonly value: string;
  readonly headers?: Record<string, string>;
}

/**
 * Sends records in the given order and resolves only when the broker acknowledged all of them.
 * Rejecting means "not published": the relay retries the same records later.
 */
export type PublishFn = (messages: OutboxMessage[]) => Promise<void>;

/** The logging the relay needs (pino's `logger.info(obj, msg)` fits). */
export interface RelayLogger {
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
}
