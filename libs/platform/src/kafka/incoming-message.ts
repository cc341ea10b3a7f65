import { EventEnvelope } from '@continuum/contracts';

/** Where a Kafka record came from; kept on the message and in a dead letter. */
export interface RecordSource {
  readonly topic: string;
  readonly partition: number;
  /** Kafka offsets are 64-bit, kafkajs gives them as strings */
  readonly offset: string;
  readonly key: string | null;
  readonly headers: Record<string, string>;
}

/**
 * What a consumer handler receives. Context travels here explicitly (no async-local storage):
 * `envelope` for domain events (data already upcast to the current version), `message` for
 * integration messages such as PlaceOrder; `dedupId` is what redelivery is recognised by.
 */
export interface IncomingMessage {
  readonly envelope?: EventEnvelope;
  readonly message?: any;
  readonly type: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  /** the event id, the message's `messageId`, or `topic:partition:offset` */
  readonly dedupId: string;
}

export type MessageHandler = (message: IncomingMessage) => Promise<void>;

/** 'envelope': the value is one of our EventEnvelopes; 'message': an integration message `{ type, ... }`. */
export type ParseMode = 'envelope' | 'message';
