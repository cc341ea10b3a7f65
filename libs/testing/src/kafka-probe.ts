import { randomUUID } from 'node:crypto';
import { Admin, Consumer, KafkaMessage, logLevel, Partitioners, Producer } from 'kafkajs';
import { EventEnvelope } from '@continuum/contracts';
import { DeadLetter, kafkaClient } from '@continuum/platform';
import { EnvelopeOverrides, eventEnvelope } from './event-builders';
import { eventually, EventuallyOptions, waitForGroupJoin } from './integration';

/** One record the probe read, as text. `topic` is the logical name (without the run's prefix). */
export interface ProbeRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: string;
  /** header values as text */
  readonly headers: Record<string, string>;
}

/** A dead letter the probe read: the DLQ value, plus the record's key and the value as text. */
export type ProbeDeadLetter = DeadLetter & { readonly key: string | null; readonly value: string };

/** Which topics a probe reads; every name is logical (the probe adds the run's prefix). */
export interface KafkaProbeOptions {
  /** the run's topic prefix, e.g. `it-<id>.` (TestRun.topicPrefix) or `e2e-<run>.` */
  readonly topicPrefix: string;
  /** topics of event envelopes: what is on them is collected in `published` */
  readonly events?: readonly string[];
  /** dead-letter topics: what is on them is collected in `deadLetters` */
  readonly deadLetters?: readonly string[];
  /** more topics to read, kept in `records` only */
  readonly topics?: readonly string[];
  /** also read every topic that exists with the prefix when the probe starts */
  readonly everyTopic?: boolean;
  /** the actor of the events `publish` builds (default: the test actor) */
  readonly actor?: EnvelopeOverrides['actor'];
  /** how long `waitFor…` and `drain` wait by default */
  readonly wait?: EventuallyOptions;
  readonly brokers?: readonly string[];
}

/** What a spec asks of an event's data: equal values for the keys given, or a predicate. */
export type DataMatch = Record<string, unknown> | ((data: any) => boolean);

/** True when `data` has every value of `match` (strict equality, top-level keys), or `match(data)` holds. */
export function dataMatches(data: unknown, match: DataMatch | undefined): boolean {
  if (match === undefined) return true;
  if (typeof match === 'function') return match(data);
  if (typeof data !== 'object' || data === null) return false;
  return Object.entries(match).every(([key, value]) => (data as Record<string, unknown>)[key] === value);
}

const text = (value: Buffer | string | null | undefined): string | null => (value === null || value === undefined ? null : value.toString());

const parse = (value: string): unknown => {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
};

const brokersFromEnv = (): string[] => (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');

/**
 * A test's own Kafka client: reads the run's topics from their start (events, dead letters, any
 * other) and publishes to them as another service would. Topic names are logical; the probe adds
 * the prefix.
 *
 *   const probe = new KafkaProbe({ topicPrefix: run.topicPrefix, events: [Topics.paymentsEvents], deadLetters: [Topics.paymentsDlq] });
 *   await probe.start();
 *   const placed = await probe.publish(Topics.ordersEvents, `order-${id}`, 'OrderPlaced', data);
 *   const approved = await probe.waitForEvent('PaymentApproved', { orderId: id });
 *   await probe.stop();
 */
export class KafkaProbe {
  /** every record read, in the order read */
  readonly records: ProbeRecord[] = [];
  /** the envelopes read from the `events` topics */
  readonly published: EventEnvelope[] = [];
  /** the dead letters read from the `deadLetters` topics */
  readonly deadLetters: ProbeDeadLetter[] = [];

  private readonly eventTopics: Set<string>;
  private readonly deadLetterTopics: Set<string>;
  private subscribed: string[];
  /** last offset read per `<topic>/<partition>` */
  private readonly seen = new Map<string, number>();
  private readonly kafka;
  private producer?: Producer;
  private producerReady?: Promise<void>;
  private consumer?: Consumer;
  private admin?: Admin;

  constructor(private readonly options: KafkaProbeOptions) {
    this.eventTopics = new Set(options.events ?? []);
    this.deadLetterTopics = new Set(options.deadLetters ?? []);
    this.subscribed = [...new Set([...this.eventTopics, ...this.deadLetterTopics, ...(options.topics ?? [])])];
    this.kafka = kafkaClient({ clientId: `probe-${randomUUID().slice(0, 6)}`, brokers: [...(options.brokers ?? brokersFromEnv())], logLevel: logLevel.ERROR });
  }

  /** The logical topics the probe reads (with `everyTopic`, known once started). */
  get topics(): readonly string[] {
    return this.subscribed;
  }

  /** The real name of a logical topic: the run's prefix added. */
  topic(name: string): string {
    return `${this.options.topicPrefix}${name}`;
  }

  /** Joins a group of its own on the topics (which must exist: start the services first) and reads them from their start. */
  async start(): Promise<void> {
    if (this.options.everyTopic) {
      const existing = await (await this.adminClient()).listTopics();
      const mine = existing.filter((name) => name.startsWith(this.options.topicPrefix)).map((name) => name.slice(this.options.topicPrefix.length));
      this.subscribed = [...new Set([...this.subscribed, ...mine])];
    }
    if (this.subscribed.length === 0) return;
    const consumer = this.kafka.consumer({ groupId: this.topic(`probe-${randomUUID().slice(0, 6)}`), sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 100 });
    this.consumer = consumer;
    const joined = waitForGroupJoin(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: this.subscribed.map((name) => this.topic(name)), fromBeginning: true });
    await consumer.run({ eachMessage: async (payload) => void this.receive(payload) });
    await joined;
  }

  /** Disconnects whatever the probe connected. */
  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    if (this.producerReady) await this.producer?.disconnect();
    await this.admin?.disconnect();
  }

  /**
   * Takes one record in as the consumer delivers it: kept in `records`, and in `published` or
   * `deadLetters` by its topic. Public so that what a probe makes of a record can be tested without Kafka.
   */
  receive(delivered: { topic: string; partition: number; message: Pick<KafkaMessage, 'key' | 'value' | 'offset' | 'headers'> }): ProbeRecord {
    const { message } = delivered;
    const topic = delivered.topic.startsWith(this.options.topicPrefix) ? delivered.topic.slice(this.options.topicPrefix.length) : delivered.topic;
    const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, Array.isArray(value) ? value.map(text).join(',') : (text(value) ?? '')]));
    const record: ProbeRecord = { topic, partition: delivered.partition, offset: message.offset, key: text(message.key), value: text(message.value) ?? '', headers };
    this.records.push(record);
    this.seen.set(`${delivered.topic}/${delivered.partition}`, Number(message.offset));
    const parsed = parse(record.value);
    if (typeof parsed === 'object' && parsed !== null) {
      if (this.eventTopics.has(topic)) this.published.push(parsed as EventEnvelope);
      if (this.deadLetterTopics.has(topic)) this.deadLetters.push({ ...(parsed as DeadLetter), key: record.key, value: record.value });
    }
    return record;
  }

  /** Publishes `data` as event `type` on `streamId` (see eventEnvelope), keyed by the stream; returns the envelope. */
  async publish<D>(topic: string, streamId: string, type: string, data: D, overrides: EnvelopeOverrides = {}): Promise<EventEnvelope<string, D>> {
    const envelope = eventEnvelope(type, streamId, data, { ...(this.options.actor ? { actor: this.options.actor } : {}), ...overrides });
    await this.publishEnvelope(topic, envelope);
    return envelope;
  }

  /** Publishes an envelope as it is (one built by hand, or a copy of one read), keyed by its stream. */
  async publishEnvelope(topic: string, envelope: EventEnvelope): Promise<void> {
    await this.publishRaw(topic, envelope.streamId, JSON.stringify(envelope));
  }

  /** Publishes a record exactly as given (a message that is no envelope, garbage, a marker). */
  async publishRaw(topic: string, key: string | null, value: string): Promise<void> {
    const producer = await this.producerClient();
    await producer.send({ topic: this.topic(topic), messages: [{ key, value }] });
  }

  /** The envelopes read so far of `type` (any type when undefined) whose data matches. */
  events(type?: string, match?: DataMatch): EventEnvelope[] {
    return this.published.filter((event) => (type === undefined || event.type === type) && dataMatches(event.data, match));
  }

  /** The first envelope read that satisfies `predicate`, waiting for it. */
  waitFor(predicate: (event: EventEnvelope) => boolean, what: string, options: EventuallyOptions = this.options.wait ?? {}): Promise<EventEnvelope> {
    return eventually(() => this.published.find(predicate), what, options);
  }

  /** The first event of `type` whose data matches, waiting for it: `waitForEvent('PaymentApproved', { transactionId })`. */
  waitForEvent(type: string, match?: DataMatch, options?: EventuallyOptions): Promise<EventEnvelope> {
    const what = `${type}${match && typeof match === 'object' ? ` ${JSON.stringify(match)}` : ''}`;
    return this.waitFor((event) => event.type === type && dataMatches(event.data, match), what, options);
  }

  /** The first dead letter that satisfies `predicate`, waiting for it. */
  waitForDeadLetter(predicate: (letter: ProbeDeadLetter) => boolean, what: string, options: EventuallyOptions = this.options.wait ?? {}): Promise<ProbeDeadLetter> {
    return eventually(() => this.deadLetters.find(predicate), what, options);
  }

  /**
   * Publishes a marker that is not JSON on `topic` and waits until the service dead-letters it. On
   * a topic of one partition, everything published to it before the marker has been handled then.
   */
  async drain(topic: string, options?: EventuallyOptions): Promise<void> {
    const key = `marker-${randomUUID()}`;
    await this.publishRaw(topic, key, 'not json');
    await this.waitForDeadLetter((letter) => letter.key === key, `the ${topic} marker dead-lettered`, options);
  }

  /** Waits until the probe has read everything that is on its topics now. */
  async caughtUp(options: EventuallyOptions = this.options.wait ?? {}): Promise<void> {
    const admin = await this.adminClient();
    const ends = new Map<string, number>();
    for (const name of this.subscribed) {
      for (const partition of await admin.fetchTopicOffsets(this.topic(name))) {
        if (Number(partition.high) > Number(partition.low)) ends.set(`${this.topic(name)}/${partition.partition}`, Number(partition.high) - 1);
      }
    }
    await eventually(() => [...ends].every(([at, last]) => (this.seen.get(at) ?? -1) >= last), 'every topic read to its end', options);
  }

  private producerClient(): Promise<Producer> {
    if (!this.producerReady) {
      this.producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      this.producerReady = this.producer.connect();
    }
    return this.producerReady.then(() => this.producer!);
  }

  private async adminClient(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }
}
