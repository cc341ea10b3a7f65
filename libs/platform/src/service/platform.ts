import { Kafka } from 'kafkajs';
import { Connection } from 'mongoose';
import { Redis } from 'ioredis';
import { Logger } from 'pino';
import { CommandRunner } from '../commands';
import { defineSettings, PlatformConfig, setting } from '../config';
import { AppendResult, EventStore } from '../event-store';
import { ConsumerHealth, HealthProbe } from '../http';
import { ConsumerRunner, ConsumerRunnerDeps, KafkaPublisher, provisionTopics } from '../kafka';
import { DeadLetters, OpsRegistry } from '../ops';
import { OutboxRelay } from '../outbox';
import { readRetentionSettings, RetentionSweeper } from '../retention';
import { ViewDefinition, ViewStore, waitUntilViewsShow } from '../views';
import { DomainEvent, EventEnvelope } from '@continuum/contracts';


/** how long a command waits for its commit to be in the service's views before it answers anyway */
const READ_YOUR_WRITES_MS = 5_000;
/** view documents each view keeps as last written, so the relay does not read them back (see ViewStore.keepWrittenDocuments) */
const VIEW_DOCUMENTS_KEPT = 2_000;
/** The names a process's topics and queues take; integration tests give each run its own. */
const isolation = defineSettings('platform names', {
  topicPrefix: setting.string('KAFKA_TOPIC_PREFIX', ''),
  queuePrefix: setting.string('QUEUE_PREFIX', 'continuum'),
});

/** What a service tells the platform about itself. */
export interface ServiceDescription {
  /** e.g. 'orders'; names the database, the Kafka client id and the consumer groups */
  readonly service: string;
  /** the service's own port when PORT is unset */
  readonly defaultPort: number;
  /** the service's dead-letter topic, e.g. Topics.ordersDlq */
  readonly dlqTopic: string;
  /** every topic the service writes or reads; created at start when missing */
  readonly topics: readonly string[];
}

export type ConsumerOptions = Omit<ConsumerRunnerDeps, 'kafka' | 'connection' | 'publisher' | 'dlqTopic' | 'logger'> & {
  readonly dlqTopic?: string;
};

/**
 * Everything a service's adapters need, built once per process: MongoDB connection, event store,
 * command runner, outbox relay, Kafka publisher and consumers, Redis. `start()` provisions topics,
 * connects and starts the relay; `stop()` undoes it in reverse order.
 *
 * Topic names go through `topic()`, which adds `KAFKA_TOPIC_PREFIX` (empty by default); integration
 * tests set a unique prefix so each test file has topics of its own.
 */
export class Platform {
  readonly eventStore: EventStore;
  readonly commands: CommandRunner;
  readonly publisher: KafkaPublisher;
  readonly relay: OutboxRelay;
  /** the service's dead-letter topic: list, show, replay (GET/POST /ops/dead-letters, npm run dlq) */
  readonly deadLetters: DeadLetters;
  /** removes handled-event, idempotency and message-fingerprint records older than RETENTION_DAYS */
  readonly retention: RetentionSweeper;
  /** the service's queues and sweepers, as GET /ops and /metrics report them */
  readonly ops = new OpsRegistry();
  readonly topicPrefix: string;
  /** BullMQ key prefix (`QUEUE_PREFIX`, default 'continuum') */
  readonly queuePrefix: string;
  private readonly consumers: ConsumerRunner[] = [];
  private readonly views: ViewStore<unknown>[] = [];
  /** the relay's lease term the views' kept documents were written in */
  private viewsTerm?: number;
  private readonly extraProbes: HealthProbe[] = [];
  private probeList?: HealthProbe[];
  /** start() has finished (event store, views, topics, publisher, relay) and stop() has not begun */
  private started = false;
  /** the join of the consumer groups joinConsumers() started */
  private joining?: Promise<void>;

  constructor(
    readonly description: ServiceDescription,
    readonly config: PlatformConfig,
    readonly connection: Connection,
    readonly kafka: Kafka,
    readonly redis: Redis,
    readonly logger: Logger,
    env: Record<string, string | undefined> = process.env,
  ) {
    ({ topicPrefix: this.topicPrefix, queuePrefix: this.queuePrefix } = isolation.load(env));
    this.eventStore = new EventStore(connection);
    // A command answers once the service's own views show its commit, on every instance (readYourWrites).
    this.commands = new CommandRunner(this.eventStore, { afterAppend: (result) => this.readYourWrites(result) });
    this.publisher = new KafkaPublisher(kafka);
    this.relay = new OutboxRelay({
      connection,
      eventStore: this.eventStore,
      publish: (messages) => this.publisher.publish(messages),
      topicFor: (type) => this.topic(this.eventStore.registry.current(type).topic),
      beforePublish: (events, { term }) => this.applyViews(events, term),
      logger: logger.child({ component: 'outbox-relay' }),
    });
    this.deadLetters = new DeadLetters({ kafka, connection, dlqTopic: this.topic(description.dlqTopic), publish: (messages) => this.publisher.publish(messages) });
    this.retention = new RetentionSweeper(connection, readRetentionSettings(env), logger.child({ component: 'retention' }));
    this.retention.reportTo(this.ops.sweepers.register('retention'));
  }

  /** The real topic name of a logical one (adds the prefix). */
  topic(name: string): string {
    return `${this.topicPrefix}${name}`;
  }

  /**
   * A view of this service's own events, fed by the outbox relay before each publish (so it is
   * current when a command answers) and built from history once when it is new. Register while the
   * module is created, before `start()`.
   */
  view<V, E extends DomainEvent>(definition: ViewDefinition<V, E>): ViewStore<V, E> {
    const store = new ViewStore<V, E>(this.connection, definition, (error, event) =>
      this.logger.error(
        { err: error, view: definition.name, eventId: event.eventId, type: event.type, streamId: event.streamId },
        `view ${definition.name} could not apply an event; passed over so publishing goes on: fix the view and rebuild it (platform.rebuildView)`,
      ),
    );
    // the relay is this view's one applier while it holds the lease: it need not read back what it wrote;
    // an event that finds a gap in its stream's versions is applied after the missing ones, read here
    store.keepWrittenDocuments(VIEW_DOCUMENTS_KEPT).fillGapsFrom(this.eventStore);
    this.views.push(store as unknown as ViewStore<unknown>);
    return store;
  }

  /**
   * A read model of other services' events: a view like `view()` (same documents, per-stream version
   * guard, generations), fed by the service's own consumer with `store.applyEvent(envelope)` instead
   * of the relay. Only some of another service's events reach it, so no gap is looked for; the
   * consumer gets each stream in the order it was published. Not rebuilt from this service's event
   * store (it holds none of these events): a new version starts a new consumer group from the topic.
   */
  readModel<V, E extends DomainEvent>(definition: ViewDefinition<V, E>): ViewStore<V, E> {
    return new ViewStore<V, E>(this.connection, definition, (error, event) =>
      this.logger.error(
        { err: error, view: definition.name, eventId: event.eventId, type: event.type, streamId: event.streamId },
        `read model ${definition.name} could not apply an event; passed over: fix the view and refill it`,
      ),
    );
  }

  /**
   * Refolds a view from the event store into its next generation while the current one keeps
   * answering on every instance, then switches to it (ViewStore.rebuild; an admin operation: it
   * scans history).
   */
  async rebuildView(name: string): Promise<number> {
    const view = this.views.find((candidate) => candidate.definition.name === name);
    if (!view) throw new Error(`no view named ${name}; this service has ${this.views.map((v) => v.definition.name).join(', ') || 'none'}`);
    return view.rebuild(this.eventStore);
  }

  /**
   * Read your writes: a command answers once the service's views show its commit, so its answer and
   * any read after it, on any instance, see it. The lease holder's relay applies the commit itself
   * (`settle`, no extra store round trip); another instance's relay does not apply views, so there
   * the command waits until the holder's relay has put the documents the commit touches at its
   * version. Both within READ_YOUR_WRITES_MS: a command never fails for it (its events are stored).
   */
  private async readYourWrites(result: AppendResult): Promise<void> {
    const started = Date.now();
    if (await this.relay.settle(READ_YOUR_WRITES_MS, { streamId: result.streamId, version: result.toVersion })) return;
    const left = READ_YOUR_WRITES_MS - (Date.now() - started);
    const shown = left > 0 && (await waitUntilViewsShow(this.views, result.events, left).catch((error) => {
      this.logger.warn({ err: error }, 'could not read the views a command waits for');
      return false;
    }));
    if (!shown) this.logger.warn({ streamId: result.streamId, version: result.toVersion }, 'the views did not show a commit in time; its command answers without waiting longer');
  }

  private async applyViews(events: EventEnvelope[], term: number | undefined): Promise<void> {
    // another instance may have applied events while this one did not hold the lease
    if (term !== this.viewsTerm) {
      for (const view of this.views) view.forgetDocuments();
      this.viewsTerm = term;
    }
    for (const view of this.views) await view.apply(events);
  }

  /** The real name of one of this service's consumer groups (`<prefix><service>.<name>`). */
  consumerGroupId(name: string): string {
    return `${this.topicPrefix}${this.description.service}.${name}`;
  }

  /** A consumer group of this service; started by `startConsumers()` (after `start()`). */
  consumer(options: ConsumerOptions): ConsumerRunner {
    const runner = new ConsumerRunner({
      // one message at a time per partition (stream order), every partition at once
      partitionsConsumedConcurrently: this.config.kafkaPartitions,
      ...options,
      groupId: this.consumerGroupId(options.groupId),
      topics: options.topics.map((topic) => this.topic(topic)),
      dlqTopic: this.topic(options.dlqTopic ?? this.description.dlqTopic),
      kafka: this.kafka,
      connection: this.connection,
      publisher: this.publisher,
      logger: this.logger.child({ component: 'consumer', group: options.groupId }),
    });
    this.consumers.push(runner);
    return runner;
  }

  async start(): Promise<void> {
    await this.eventStore.init();
    for (const view of this.views) {
      // a new view, or one whose definition version is newer, is built before the service answers (a
      // changed one into its next generation, so another instance's reads go on): say so
      const name = view.definition.name;
      const streams = await view.ensureBuilt(this.eventStore, (done, of) => this.logger.info({ view: name, done, of }, `building view ${name} from the event store: ${done} of ${of} streams`));
      if (streams > 0) this.logger.info({ view: view.definition.name, streams }, 'view built from the event store (new view or new version)');
    }
    const topics = [...this.description.topics, this.description.dlqTopic].map((topic) => this.topic(topic));
    await provisionTopics(this.kafka, topics, this.config.kafkaPartitions);
    await this.publisher.connect();
    this.relay.start();
    await this.retention.start();
    this.started = true;
  }

  /** Joins every registered consumer group (each resolves once its group has joined). */
  async startConsumers(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.start()));
  }

  /**
   * Starts every registered consumer group without waiting for the joins: a service answers HTTP
   * once `start()` is done, and its groups join behind it (after a crash, a dead member holds them
   * until its session expires). /health names the groups not running yet; `consumersJoined()`
   * says when they all have joined.
   */
  joinConsumers(): void {
    const joining = this.startConsumers();
    joining.catch((error: unknown) => this.logger.error({ err: error }, 'a consumer group could not start'));
    this.joining = joining;
  }

  /**
   * Resolves once every group `joinConsumers()` started has joined (at once when it was not called);
   * rejects when one could not start or did not join within its join timeout.
   */
  consumersJoined(): Promise<void> {
    return this.joining ?? Promise.resolve();
  }

  /** The consumer groups started and not stopped, by real group id, and whether each runs (for /health). */
  consumerHealth(): Record<string, ConsumerHealth> {
    const health: Record<string, ConsumerHealth> = {};
    for (const consumer of this.consumers) {
      const state = consumer.state;
      if (state === 'running' || state === 'joining' || state === 'failed') health[consumer.groupId] = state;
    }
    return health;
  }

  async stop(): Promise<void> {
    this.started = false;
    for (const consumer of this.consumers) await consumer.stop().catch((error) => this.logger.warn({ err: error }, 'consumer stop failed'));
    await this.relay.stop();
    await this.retention.stop();
    await this.publisher.disconnect().catch(() => undefined);
    this.redis.disconnect();
    await this.connection.close();
  }

  /** Adds a check of the service's own to /health (register while the module is created). */
  addHealthProbe(probe: HealthProbe): void {
    this.extraProbes.push(probe);
    this.probeList?.push(probe);
  }

  /**
   * The service itself (started: it can take commands), Kafka (not critical: commands go on while it
   * is away, their events wait in the outbox), MongoDB and Redis, then the service's own probes
   * (read at each check, so later additions count).
   */
  healthProbes(): HealthProbe[] {
    this.probeList ??= [...this.baseProbes(), ...this.extraProbes];
    return this.probeList;
  }

  private baseProbes(): HealthProbe[] {
    return [
      {
        name: 'service',
        check: async () => {
          if (!this.started) throw new Error('not started: event store, views and outbox relay not ready yet (or stopping)');
        },
      },
      {
        name: 'kafka',
        critical: false,
        check: async () => {
          const admin = this.kafka.admin();
          await admin.connect();
          try {
            await admin.describeCluster();
          } finally {
            await admin.disconnect();
          }
        },
      },
      {
        name: 'mongodb',
        check: async () => {
          await this.connection.db!.admin().ping();
        },
      },
      {
        name: 'redis',
        check: async () => {
          const answer = await this.redis.ping();
          if (answer !== 'PONG') throw new Error(`PING answered ${answer}`);
        },
      },
    ];
  }
}
