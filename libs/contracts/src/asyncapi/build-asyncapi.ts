import { JsonSchema, MessageDefinition, MessageRegistry } from '../core/registry';
import { envelopeSchema } from '../core/schema-helpers';
import { Topics } from '../core/topics';
import { deadLetterSchema } from './dead-letter.schema';

/** Topics other systems write and we read; every other topic is one we write. */
const INBOUND_TOPICS: readonly string[] = [Topics.ordersIntake, Topics.fulfillmentUpdates];

const TOPIC_DESCRIPTIONS: Record<string, string> = {
  [Topics.ordersEvents]: 'Domain events of orders and campaigns, keyed by stream id.',
  [Topics.customersEvents]: 'Domain events of customers and the blacklist, keyed by stream id.',
  [Topics.paymentsEvents]: 'Domain events of payment transactions and refunds, keyed by stream id.',
  [Topics.fulfillmentEvents]: 'Domain events of fulfillments and cash-on-delivery outcomes, keyed by stream id.',
  [Topics.subscriptionsEvents]: 'Domain events of subscriptions and rebills, keyed by stream id.',
  [Topics.ordersIntake]: 'Orders placed by outside systems (call centres, landing pages); each is validated as a whole.',
  [Topics.fulfillmentRequests]: 'What a fulfillment house must ship, keyed by reference; at least once (dedupe by reference and attempt).',
  [Topics.fulfillmentUpdates]: 'What a fulfillment house reports back (shipped, delivered, failed, returned), keyed by reference.',
};

const DEAD_LETTER = 'DeadLetter';

/** The Kafka headers the outbox relay sets on every published event (libs/platform outbox-relay). */
export const eventHeadersSchema = (): JsonSchema => ({
  type: 'object',
  required: ['type', 'eventId', 'correlationId'],
  properties: {
    type: { type: 'string', description: 'the event type, as in the envelope, so a consumer can skip without parsing' },
    eventId: { type: 'string', description: 'the envelope eventId, the deduplication key' },
    correlationId: { type: 'string', description: 'the correlation id of the request or message that caused the event' },
  },
});

/** The Kafka headers a consumer sets on what it dead-letters (libs/platform dead-letter). */
export const deadLetterHeadersSchema = (): JsonSchema => ({
  type: 'object',
  required: ['dlq-reason', 'dlq-group'],
  properties: {
    'dlq-reason': { type: 'string', enum: ['invalid-json', 'schema-invalid', 'rejected', 'failed'], description: 'why the record was dead-lettered (as `reason` in the payload)' },
    'dlq-group': { type: 'string', description: 'the consumer group that gave up on it' },
  },
});

export interface AsyncApiOptions {
  /** the Kafka bootstrap address documented as the `local` server */
  readonly localBroker?: string;
}

/** Component id of a message: the type for its current version, `<type>.v<n>` for older ones. */
export function messageId(definition: MessageDefinition, registry: MessageRegistry): string {
  return registry.current(definition.type).version === definition.version ? definition.type : `${definition.type}.v${definition.version}`;
}

/**
 * What travels on the topic: for an event the envelope with the event's own schema as `data`,
 * for an integration message the message's schema as it is.
 */
export function payloadSchema(definition: MessageDefinition): JsonSchema {
  if (definition.kind === 'message') return definition.schema;
  const envelope = envelopeSchema();
  const properties = envelope.properties as Record<string, JsonSchema>;
  return {
    ...envelope,
    properties: { ...properties, type: { const: definition.type }, version: { const: definition.version }, data: definition.schema },
  };
}

/** A channel id from the topic's name in `Topics` (`ordersEvents`), or from the address itself. */
function channelId(topic: string): string {
  const known = Object.entries(Topics).find(([, address]) => address === topic);
  return known ? known[0] : topic.replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''));
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The AsyncAPI 3.0.0 document of every topic and every registered event and integration message,
 * for the people and fulfillment houses who consume or produce them. Deterministic: the same
 * registry gives the same document, so the committed `asyncapi.yaml` can be checked for drift.
 */
export function buildAsyncApi(registry: MessageRegistry, options: AsyncApiOptions = {}): Record<string, unknown> {
  // Plain code-unit order, not localeCompare: the file must not depend on the machine's locale.
  const definitions = [...registry.all()].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : a.version - b.version));
  const topics = [...new Set<string>([...Object.values(Topics), ...definitions.map((d) => d.topic)])].sort();

  const messages: Record<string, unknown> = {};
  for (const definition of definitions) {
    messages[messageId(definition, registry)] = {
      name: definition.type,
      title: `${definition.type} v${definition.version}`,
      summary: definition.description,
      contentType: 'application/json',
      'x-kind': definition.kind,
      'x-version': definition.version,
      payload: payloadSchema(definition),
      ...(definition.kind === 'event' ? { headers: eventHeadersSchema() } : {}),
      ...(definition.kind === 'event'
        ? { bindings: { kafka: { key: { type: 'string', description: 'the stream id, so one aggregate keeps its order' }, bindingVersion: '0.5.0' } } }
        : {}),
    };
  }
  messages[DEAD_LETTER] = {
    name: DEAD_LETTER,
    title: 'Dead letter',
    summary: 'A record a consumer could not handle, with the reason, the error and the original value. Keyed like the original.',
    contentType: 'application/json',
    headers: deadLetterHeadersSchema(),
    payload: deadLetterSchema(),
  };

  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const topic of topics) {
    const id = channelId(topic);
    const isDlq = topic.endsWith('.dlq.v1');
    const ids = isDlq ? [DEAD_LETTER] : definitions.filter((d) => d.topic === topic).map((d) => messageId(d, registry));
    channels[id] = {
      address: topic,
      description: TOPIC_DESCRIPTIONS[topic] ?? (isDlq ? `Dead letters of the ${topic.split('.')[0]} consumers.` : `Topic ${topic}.`),
      messages: Object.fromEntries(ids.map((m) => [m, { $ref: `#/components/messages/${m}` }])),
    };
    const action = INBOUND_TOPICS.includes(topic) ? 'receive' : 'send';
    operations[`${action}${capitalize(id)}`] = {
      action,
      channel: { $ref: `#/channels/${id}` },
      summary: action === 'receive' ? `Continuum consumes ${topic}.` : `Continuum publishes to ${topic}.`,
      ...(ids.length > 0 ? { messages: ids.map((m) => ({ $ref: `#/channels/${id}/messages/${m}` })) } : {}),
    };
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Continuum events',
      version: '1.0.0',
      description:
        'Kafka topics of Continuum. Domain events travel in an envelope (eventId, type, version, streamId, streamVersion, occurredAt, correlationId, causationId, actor, data) keyed by stream id; consumers deduplicate by eventId. Amounts are integer minor units, times ISO-8601 UTC.',
    },
    defaultContentType: 'application/json',
    servers: {
      local: { host: options.localBroker ?? '127.0.0.1:9092', protocol: 'kafka', description: 'The local single-node stack (npm run stack:up).' },
    },
    channels,
    operations,
    components: { messages },
  };
}
