import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Collection } from 'mongoose';
import { EventEnvelope, registry, Topics } from '@continuum/contracts';
import { ConsumerRunner, eventHandlers, IncomingMessage, insertOnce, Platform } from '@continuum/platform';
import { LagTracker } from '../messaging/projection-lag';
import { PROJECTIONS_SETTINGS, ProjectionsSettings } from '../projections-settings';
import { CustomerProjection } from './customer-projection';

/** Every domain-event topic the projection reads. */
export const EVENT_TOPICS: readonly string[] = [Topics.customersEvents, Topics.ordersEvents, Topics.paymentsEvents, Topics.fulfillmentEvents, Topics.subscriptionsEvents];

/** A rebuild in progress: the generation it builds, and the instance building it (renewed while it builds). */
export interface BuildingMarker {
  generation: number;
  rebuildId: string;
  /** the instance building it (`CustomerProjections.instanceId`) */
  owner?: string;
  /** last renewed; a marker not renewed for REBUILD_STALE_MS belongs to an instance that died */
  heartbeatAt?: Date;
}

/** Which generation answers reads; a rebuild in progress, if any. */
interface GenerationMarker {
  _id: string;
  live: number;
  building: BuildingMarker | null;
  /** the next generation number a rebuild may take: a dropped build's number (and its group's offsets) is never used again */
  nextGeneration?: number;
  /** the journal format the live generation was built in (none: the first format, one document per customer) */
  format?: number;
}

/**
 * The journal format this code reads and writes (2: in pages, see JournalStore; 3: search entries
 * carry the answer, see SearchEntry). A live generation built in another format is rebuilt when an
 * instance starts (RebuildsService).
 */
export const JOURNAL_FORMAT = 3;

export const PROJECTION_META = 'projection_meta';
const MARKER_ID = 'customer-projection';

/** Where rebuilds keep their progress (`GET /rebuilds/:id` answers from it on any instance). */
export const REBUILDS_COLLECTION = 'rebuilds';

/** Partitions whose batches a generation's consumer applies at once. */
const BATCH_PARTITIONS = 4;

/** The consumer group of a generation, within the service. */
export const groupOf = (generation: number) => `history.g${generation}`;

/**
 * The customer projection the service answers from (the live generation) and the one a rebuild is
 * building. Each generation is fed by a consumer group of its own on every `<context>.events.v1`
 * topic; the instances of the service split its partitions, and each applies one event at a time
 * (journal writes are compare-and-set, so two instances applying to one customer lose nothing).
 * Every instance re-reads the marker every PROJECTION_META_CHECK_MS and follows a switch another
 * instance made: it answers from the new generation and feeds it; replaced generations are
 * dropped PROJECTION_DROP_AFTER_MS later, when every instance has followed.
 */
@Injectable()
export class CustomerProjections implements OnModuleInit, OnModuleDestroy {
  /** this instance, as the owner of a rebuild marker */
  readonly instanceId = randomUUID();
  private liveProjection!: CustomerProjection;
  private liveConsumer!: ConsumerRunner;
  private readonly marker: Collection<GenerationMarker>;
  private followTimer: NodeJS.Timeout | undefined;
  private outdatedFormat = false;
  private destroyed = false;
  private readonly dropTimers = new Set<NodeJS.Timeout>();
  /** switches (followed or made here) one at a time */
  private serial: Promise<unknown> = Promise.resolve();
  readonly lag: LagTracker;

  constructor(
    @Inject(Platform) readonly platform: Platform,
    @Inject(PROJECTIONS_SETTINGS) readonly settings: ProjectionsSettings,
  ) {
    this.marker = platform.connection.collection<GenerationMarker>(PROJECTION_META);
    this.lag = new LagTracker(settings.lagDegradedMs, settings.lagWindowMs);
    platform.addHealthProbe(this.lag.probe());
  }

  async onModuleInit(): Promise<void> {
    // two instances starting together on a fresh database: one inserts, the other finds it
    await insertOnce(this.marker, { _id: MARKER_ID, live: 1, building: null, format: JOURNAL_FORMAT });
    const marker = await this.readMarker();
    this.outdatedFormat = (marker.format ?? 1) !== JOURNAL_FORMAT;
    // a rebuild another live instance is building is left alone; one whose instance died is dropped
    if (marker.building) await this.dropIfStale(marker.building);
    this.liveProjection = this.generation(marker.live);
    this.liveConsumer = this.consumerFor(this.liveProjection);
    this.scheduleFollow();
  }

  /** The next look at the marker, PROJECTION_META_CHECK_MS after the last one ended (never two queued). */
  private scheduleFollow(): void {
    if (this.destroyed) return;
    this.followTimer = setTimeout(() => {
      void this.follow()
        .catch((error) => this.platform.logger.error({ err: error }, 'could not read which customer projection generation is live'))
        .finally(() => this.scheduleFollow());
    }, this.settings.metaCheckMs);
    this.followTimer.unref();
  }

  onModuleDestroy(): void {
    this.destroyed = true;
    clearTimeout(this.followTimer);
    for (const timer of this.dropTimers) clearTimeout(timer);
    this.dropTimers.clear();
  }

  /** True when the live generation was built in another journal format than this code's: it needs a rebuild. */
  get liveFormatOutdated(): boolean {
    return this.outdatedFormat;
  }

  /** The generation reads go to. */
  get live(): CustomerProjection {
    return this.liveProjection;
  }

  generation(generation: number): CustomerProjection {
    return new CustomerProjection(this.platform.connection, generation, this.settings, (error, event) =>
      this.platform.logger.error({ err: error, eventId: event.eventId, type: event.type, streamId: event.streamId, generation }, 'customer projection could not fold an event; passed over (rebuild after the fix)'),
    );
  }

  /** The rebuild in progress on any instance, if any. */
  async building(): Promise<BuildingMarker | undefined> {
    return (await this.readMarker()).building ?? undefined;
  }

  /**
   * Takes the next generation for rebuild `rebuildId` on this instance: undefined when a rebuild is
   * in progress (here or on another instance). The marker update is conditional, so of two
   * instances asking at once one gets it.
   */
  async beginBuilding(rebuildId: string): Promise<number | undefined> {
    const marker = await this.readMarker();
    if (marker.building) return undefined;
    const generation = Math.max(marker.live + 1, marker.nextGeneration ?? 0);
    const building: BuildingMarker = { generation, rebuildId, owner: this.instanceId, heartbeatAt: new Date() };
    const { modifiedCount } = await this.marker.updateOne({ _id: MARKER_ID, live: marker.live, building: null }, { $set: { building, nextGeneration: generation + 1 } });
    return modifiedCount === 1 ? generation : undefined;
  }

  /** Renews this instance's rebuild marker; false when it is no longer this rebuild's (taken for dead). */
  async renew(rebuildId: string): Promise<boolean> {
    const { matchedCount } = await this.marker.updateOne({ _id: MARKER_ID, 'building.rebuildId': rebuildId, 'building.owner': this.instanceId }, { $set: { 'building.heartbeatAt': new Date() } });
    return matchedCount === 1;
  }

  /**
   * A consumer group that feeds `projection` from the start of every event topic (not started).
   * Updates of the live generation count in the lag histogram; `applied` hears of each update.
   */
  consumerFor(projection: CustomerProjection, applied?: (event: EventEnvelope, topic: string) => void): ConsumerRunner {
    const prefix = this.platform.topicPrefix;
    const topicOf = (message: IncomingMessage) => (message.topic.startsWith(prefix) ? message.topic.slice(prefix.length) : message.topic);
    const done = (event: EventEnvelope, topic: string, outcome: 'applied' | 'parked' | 'unrouted') => {
      // an event that names no customer, no order and a stream nobody owns (a campaign's) is in no history
      if (outcome === 'unrouted') this.platform.logger.debug({ eventId: event.eventId, type: event.type, streamId: event.streamId, generation: projection.generation }, 'event names no customer or order the projection knows; not in any history');
      if (projection === this.liveProjection) this.lag.record(topic, event.occurredAt, Date.now());
      applied?.(event, topic);
    };
    // one event at a time: what a batch that keeps failing falls back to
    const handle = async (event: EventEnvelope, message: IncomingMessage) => {
      const topic = topicOf(message);
      done(event, topic, await projection.apply(event, topic));
    };
    // a Kafka batch at a time (docs/projections.md "How it is built")
    const handleBatch = async (messages: IncomingMessage[]) => {
      const batch = messages.flatMap((message) => (message.envelope ? [{ event: message.envelope, topic: topicOf(message) }] : []));
      const outcomes = await projection.applyBatch(batch);
      batch.forEach(({ event, topic }, at) => done(event, topic, outcomes[at]));
    };
    const types = [...new Set(registry.all().filter((definition) => definition.kind === 'event' && EVENT_TOPICS.includes(definition.topic)).map((definition) => definition.type))];
    return this.platform.consumer({
      groupId: groupOf(projection.generation),
      topics: [...EVENT_TOPICS],
      handlers: eventHandlers(Object.fromEntries(types.map((type) => [type, handle]))),
      batchHandler: handleBatch,
      dedup: false,
      // batches of several partitions side by side: journal appends are compare-and-set, search
      // entries and order rows keep the fold of the most journal entries
      partitionsConsumedConcurrently: BATCH_PARTITIONS,
      // a store that is briefly away must not cost the view an event: retry for minutes before the DLQ
      maxAttempts: 30,
      maxBackoffMs: 15_000,
      fromBeginning: true,
    });
  }

  /**
   * Makes `projection` (fed by `consumer`, built by rebuild `rebuildId`) the live one: the marker
   * moves (the other instances follow within PROJECTION_META_CHECK_MS), this instance's previous
   * consumer stops, and the previous generation is dropped PROJECTION_DROP_AFTER_MS later.
   */
  async switchTo(projection: CustomerProjection, consumer: ConsumerRunner, rebuildId: string): Promise<void> {
    await this.exclusive(async () => {
      const { modifiedCount } = await this.marker.updateOne(
        { _id: MARKER_ID, 'building.rebuildId': rebuildId, 'building.owner': this.instanceId },
        { $set: { live: projection.generation, building: null, format: JOURNAL_FORMAT } },
      );
      this.outdatedFormat = false;
      if (modifiedCount !== 1) throw new Error(`rebuild ${rebuildId} no longer holds the projection marker (it was taken for dead); nothing switched`);
      await this.replaceLive(projection, consumer);
    });
  }

  /** Gives up a generation being built here: its consumer stops and, while the marker is still this rebuild's, it is dropped. */
  async abandon(projection: CustomerProjection, consumer: ConsumerRunner, rebuildId: string): Promise<void> {
    await consumer.stop();
    const { modifiedCount } = await this.marker.updateOne({ _id: MARKER_ID, 'building.rebuildId': rebuildId, 'building.owner': this.instanceId }, { $set: { building: null } });
    // a marker taken for dead was dropped by the instance that took it
    if (modifiedCount === 1) await projection.drop();
  }

  /**
   * Follows the marker: when another instance switched the live generation, answers from the new
   * one at once (it was caught up when it switched), feeds it with a consumer of its group (the
   * instances split its partitions), stops feeding the old one and drops it later. Also drops a
   * rebuild whose instance stopped renewing its marker.
   */
  follow(): Promise<void> {
    return this.exclusive(async () => {
      const marker = await this.readMarker();
      if (marker.live > this.liveProjection.generation) {
        const projection = this.generation(marker.live);
        const consumer = this.consumerFor(projection);
        void consumer.start().catch((error) => this.platform.logger.error({ err: error, generation: projection.generation }, 'the consumer of the live customer projection could not join its group'));
        const replaced = this.liveProjection.generation;
        await this.replaceLive(projection, consumer);
        this.platform.logger.info({ generation: projection.generation, replaced }, `another instance switched the customer projection: reads now go to generation ${projection.generation}`);
      }
      if (marker.building && marker.building.owner !== this.instanceId) await this.dropIfStale(marker.building);
    });
  }

  private async replaceLive(projection: CustomerProjection, consumer: ConsumerRunner): Promise<void> {
    const previous = { projection: this.liveProjection, consumer: this.liveConsumer };
    this.liveProjection = projection;
    this.liveConsumer = consumer;
    await previous.consumer.stop();
    this.dropLater(previous.projection);
  }

  /** Drops a replaced generation once every instance has followed the switch (each instance schedules it; a second drop is a no-op). */
  private dropLater(projection: CustomerProjection): void {
    const timer = setTimeout(() => {
      this.dropTimers.delete(timer);
      void this.dropGeneration(projection).catch((error) => this.platform.logger.warn({ err: error, generation: projection.generation }, 'a replaced customer projection generation could not be dropped; its collections stay, unused'));
      // at least three looks at the marker after the switch: every instance has followed
    }, Math.max(this.settings.dropAfterMs, 3 * this.settings.metaCheckMs));
    timer.unref();
    this.dropTimers.add(timer);
  }

  private async dropGeneration(projection: CustomerProjection): Promise<void> {
    await projection.drop();
    // the group has nothing left to read: forget its offsets (best effort: fails while a member remains)
    const admin = this.platform.kafka.admin();
    try {
      await admin.connect();
      await admin.deleteGroups([this.platform.consumerGroupId(groupOf(projection.generation))]);
    } catch {
      // an instance that has not stopped its consumer yet keeps the group; its offsets are harmless
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    this.platform.logger.info({ generation: projection.generation }, `replaced customer projection generation ${projection.generation} dropped`);
  }

  /** Drops the rebuild `building` names when its instance has not renewed it for REBUILD_STALE_MS (it died); its progress says FAILED. */
  private async dropIfStale(building: BuildingMarker): Promise<void> {
    const renewed = building.heartbeatAt ? new Date(building.heartbeatAt).getTime() : 0;
    // at least five renewals missed (the builder renews every REBUILD_POLL_MS)
    if (Date.now() - renewed < Math.max(this.settings.rebuildStaleMs, 5 * this.settings.rebuildPollMs)) return;
    const { modifiedCount } = await this.marker.updateOne(
      { _id: MARKER_ID, 'building.rebuildId': building.rebuildId, 'building.heartbeatAt': building.heartbeatAt ?? { $exists: false } },
      { $set: { building: null } },
    );
    if (modifiedCount !== 1) return; // renewed meanwhile, or another instance took it
    await this.generation(building.generation).drop();
    await this.platform.connection
      .collection(REBUILDS_COLLECTION)
      .updateOne({ _id: building.rebuildId as never, status: 'RUNNING' }, { $set: { status: 'FAILED', error: 'the instance building it stopped; start it again with POST /rebuilds' } });
    this.platform.logger.warn({ generation: building.generation, rebuildId: building.rebuildId }, 'a rebuild whose instance stopped was dropped; start it again with POST /rebuilds');
  }

  private async readMarker(): Promise<GenerationMarker> {
    return (await this.marker.findOne({ _id: MARKER_ID })) ?? { _id: MARKER_ID, live: 1, building: null };
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.serial.then(work, work);
    this.serial = run.catch(() => undefined);
    return run;
  }
}
