import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Collection } from 'mongoose';
import { EventEnvelope, registry, Topics } from '@continuum/contracts';
import { ConsumerRunner, eventHandlers, IncomingMessage, Platform } from '@continuum/platform';
import { LagTracker } from '../messaging/projection-lag';
import { PROJECTIONS_SETTINGS, ProjectionsSettings } from '../projections-settings';
import { CustomerProjection } from './customer-projection';

/** Every domain-event topic the projection reads. */
export const EVENT_TOPICS: readonly string[] = [Topics.customersEvents, Topics.ordersEvents, Topics.paymentsEvents, Topics.fulfillmentEvents, Topics.subscriptionsEvents];

/** Which generation answers reads; a rebuild in progress, if any. */
interface GenerationMarker {
  _id: string;
  live: number;
  building: { generation: number; rebuildId: string } | null;
}

export const PROJECTION_META = 'projection_meta';
const MARKER_ID = 'customer-projection';

/** The consumer group of a generation, within the service. */
export const groupOf = (generation: number) => `history.g${generation}`;

/**
 * The customer projection the service answers from (the live generation) and the one a rebuild is
 * building. Each generation is fed by a consumer group of its own on every `<context>.events.v1`
 * topic, one event at a time (a document is read, evolved and replaced, so appliers never overlap).
 */
@Injectable()
export class CustomerProjections implements OnModuleInit {
  private liveProjection!: CustomerProjection;
  private liveConsumer!: ConsumerRunner;
  private readonly marker: Collection<GenerationMarker>;
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
    const marker = await this.marker.findOne({ _id: MARKER_ID });
    const live = marker?.live ?? 1;
    if (marker?.building) {
      // a rebuild the process did not finish is not resumed: its copy is dropped; ask for a new one
      await this.generation(marker.building.generation).drop();
      this.platform.logger.warn({ generation: marker.building.generation, rebuildId: marker.building.rebuildId }, 'an unfinished rebuild was dropped at start; start it again with POST /rebuilds');
    }
    await this.marker.replaceOne({ _id: MARKER_ID }, { live, building: null }, { upsert: true });
    this.liveProjection = this.generation(live);
    this.liveConsumer = this.consumerFor(this.liveProjection);
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

  /** The next generation number and the marker saying it is being built. */
  async beginBuilding(rebuildId: string): Promise<number | undefined> {
    const marker = await this.marker.findOne({ _id: MARKER_ID });
    if (marker?.building) return undefined;
    const generation = (marker?.live ?? 1) + 1;
    await this.marker.replaceOne({ _id: MARKER_ID }, { live: marker?.live ?? 1, building: { generation, rebuildId } }, { upsert: true });
    return generation;
  }

  /**
   * A consumer group that feeds `projection` from the start of every event topic (not started).
   * Updates of the live generation count in the lag histogram; `applied` hears of each update.
   */
  consumerFor(projection: CustomerProjection, applied?: (event: EventEnvelope, topic: string) => void): ConsumerRunner {
    const prefix = this.platform.topicPrefix;
    const handle = async (event: EventEnvelope, message: IncomingMessage) => {
      const topic = message.topic.startsWith(prefix) ? message.topic.slice(prefix.length) : message.topic;
      const outcome = await projection.apply(event, topic);
      // an event that names no customer, no order and a stream nobody owns (a campaign's) is in no history
      if (outcome === 'unrouted') this.platform.logger.debug({ eventId: event.eventId, type: event.type, streamId: event.streamId, generation: projection.generation }, 'event names no customer or order the projection knows; not in any history');
      if (projection === this.liveProjection) this.lag.record(topic, event.occurredAt, Date.now());
      applied?.(event, topic);
    };
    const types = [...new Set(registry.all().filter((definition) => definition.kind === 'event' && EVENT_TOPICS.includes(definition.topic)).map((definition) => definition.type))];
    return this.platform.consumer({
      groupId: groupOf(projection.generation),
      topics: [...EVENT_TOPICS],
      handlers: eventHandlers(Object.fromEntries(types.map((type) => [type, handle]))),
      dedup: false,
      partitionsConsumedConcurrently: 1,
      // a store that is briefly away must not cost the view an event: retry for minutes before the DLQ
      maxAttempts: 30,
      maxBackoffMs: 15_000,
      fromBeginning: true,
    });
  }

  /** Makes `projection` (fed by `consumer`) the live one; the previous generation stops and is dropped. */
  async switchTo(projection: CustomerProjection, consumer: ConsumerRunner): Promise<void> {
    const previous = { projection: this.liveProjection, consumer: this.liveConsumer };
    await this.marker.replaceOne({ _id: MARKER_ID }, { live: projection.generation, building: null }, { upsert: true });
    this.liveProjection = projection;
    this.liveConsumer = consumer;
    await previous.consumer.stop();
    await previous.projection.drop();
  }

  /** Gives up a generation being built. */
  async abandon(projection: CustomerProjection, consumer: ConsumerRunner): Promise<void> {
    await consumer.stop();
    await projection.drop();
    const marker = await this.marker.findOne({ _id: MARKER_ID });
    await this.marker.replaceOne({ _id: MARKER_ID }, { live: marker?.live ?? this.liveProjection.generation, building: null }, { upsert: true });
  }
}
