import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Admin } from 'kafkajs';
import { Collection } from 'mongoose';
import { DomainError } from '@continuum/contracts';
import { ConsumerRunner } from '@continuum/platform';
import { CustomerProjection } from '../views/customer-projection';
import { CustomerProjections, EVENT_TOPICS, groupOf, REBUILDS_COLLECTION } from '../views/customer-projections';

/** The views a rebuild can name; all three are folds of the one customer journal, so they are rebuilt together. */
export const REBUILDABLE_VIEWS = ['customer-history', 'order-summary', 'customer-search'] as const;
export type RebuildableView = (typeof REBUILDABLE_VIEWS)[number];

export type RebuildStatus = 'RUNNING' | 'SWITCHED' | 'FAILED';

/** `GET /rebuilds/:id`: how far a rebuild got. */
export interface RebuildProgress {
  readonly rebuildId: string;
  readonly view: RebuildableView;
  readonly status: RebuildStatus;
  readonly generation: number;
  /** events applied to the new copy so far */
  readonly eventsReplayed: number;
  /** records on the topics the new copy has not read yet (null before the first check) */
  readonly lag: number | null;
  readonly startedAt: string;
  readonly switchedAt: string | null;
  readonly error: string | null;
}

type RebuildDocument = Omit<RebuildProgress, 'rebuildId'> & { _id: string };

/**
 * Rebuilds without serving an empty view: a new generation is built from the start of every event
 * topic by a new consumer group while the live one keeps answering; once the new group has read
 * every topic to its end (committed offsets at the high watermarks), reads switch to it (the other
 * instances follow the marker) and the old generation is dropped after a grace period. The marker
 * names this instance and is renewed at every check. Progress is stored in `rebuilds` and logged,
 * so any instance answers it.
 */
@Injectable()
export class RebuildsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly rebuilds: Collection<RebuildDocument>;
  private running: { id: string; projection: CustomerProjection; consumer: ConsumerRunner; timer: NodeJS.Timeout; admin: Admin } | undefined;
  private replayed = 0;

  constructor(@Inject(CustomerProjections) private readonly projections: CustomerProjections) {
    this.rebuilds = projections.platform.connection.collection<RebuildDocument>(REBUILDS_COLLECTION);
  }

  /**
   * A live generation built in an older journal format (a deployment upgraded to a new one) is
   * rebuilt at once: until the rebuild switches, histories answer what arrived since the upgrade.
   */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.projections.liveFormatOutdated) return;
    const progress = await this.start('customer-history');
    this.projections.platform.logger.warn({ rebuildId: progress.rebuildId, generation: progress.generation }, 'the live customer projection was built in an older journal format: rebuilding it');
  }

  /** Starts a rebuild, or answers the one in progress, on this instance or another (there is one at a time). */
  async start(view: RebuildableView): Promise<RebuildProgress> {
    if (this.running) return (await this.progress(this.running.id))!;
    const rebuildId = `rebuild-${randomUUID()}`;
    const generation = await this.projections.beginBuilding(rebuildId);
    if (generation === undefined) {
      const building = await this.projections.building();
      const progress = building ? await this.progress(building.rebuildId) : undefined;
      if (progress) return progress;
      throw new DomainError('REBUILD_IN_PROGRESS', 'another instance is rebuilding the customer projection', 'conflict');
    }
    const projection = this.projections.generation(generation);
    await projection.drop(); // leftovers of an earlier attempt at this generation
    const document: RebuildDocument = {
      _id: rebuildId,
      view,
      status: 'RUNNING',
      generation,
      eventsReplayed: 0,
      lag: null,
      startedAt: new Date().toISOString(),
      switchedAt: null,
      error: null,
    };
    await this.rebuilds.insertOne(document);
    this.replayed = 0;
    const consumer = this.projections.consumerFor(projection, () => void this.replayed++);
    const admin = this.projections.platform.kafka.admin();
    const log = this.projections.platform.logger;
    log.info({ rebuildId, view, generation }, `rebuild ${rebuildId} started: generation ${generation} replays every event topic from its start`);
    try {
      await admin.connect();
      await consumer.start();
    } catch (error) {
      await this.fail(rebuildId, projection, consumer, admin, error);
      throw error;
    }
    const timer = setInterval(() => void this.check().catch((error) => log.error({ err: error, rebuildId }, 'rebuild progress check failed')), this.projections.settings.rebuildPollMs);
    this.running = { id: rebuildId, projection, consumer, timer, admin };
    return this.answer(document);
  }

  async progress(rebuildId: string): Promise<RebuildProgress | undefined> {
    const document = await this.rebuilds.findOne({ _id: rebuildId });
    if (!document) return undefined;
    return this.answer(this.running?.id === rebuildId ? { ...document, eventsReplayed: this.replayed } : document);
  }

  async onModuleDestroy(): Promise<void> {
    if (!this.running) return;
    clearInterval(this.running.timer);
    await this.running.admin.disconnect().catch(() => undefined);
    this.running = undefined;
  }

  private checking = false;

  /** Measures the new group's lag; switches when it has read everything. */
  private async check(): Promise<void> {
    const running = this.running;
    if (!running || this.checking) return;
    this.checking = true;
    try {
      // the marker says this instance is alive and building; a marker taken for dead ends this rebuild
      if (!(await this.projections.renew(running.id))) throw new Error('its marker was taken for dead by another instance (not renewed for REBUILD_STALE_MS)');
      const lag = await this.lagOf(running.admin, this.projections.platform.consumerGroupId(groupOf(running.projection.generation)));
      const eventsReplayed = this.replayed;
      this.projections.platform.logger.info({ rebuildId: running.id, generation: running.projection.generation, eventsReplayed, lag }, `rebuild ${running.id}: ${eventsReplayed} events replayed, ${lag} behind`);
      if (lag > 0) {
        await this.rebuilds.updateOne({ _id: running.id }, { $set: { eventsReplayed, lag } });
        return;
      }
      clearInterval(running.timer);
      await this.projections.switchTo(running.projection, running.consumer, running.id);
      const switchedAt = new Date().toISOString();
      await this.rebuilds.updateOne({ _id: running.id }, { $set: { eventsReplayed, lag, status: 'SWITCHED', switchedAt } });
      this.projections.platform.logger.info({ rebuildId: running.id, generation: running.projection.generation, eventsReplayed }, `rebuild ${running.id} caught up: reads now go to generation ${running.projection.generation}`);
      await running.admin.disconnect().catch(() => undefined);
      this.running = undefined;
    } catch (error) {
      clearInterval(running.timer);
      this.running = undefined;
      await this.fail(running.id, running.projection, running.consumer, running.admin, error);
    } finally {
      this.checking = false;
    }
  }

  /** Records on the event topics the group has not committed yet (a partition it never committed counts from its start). */
  private async lagOf(admin: Admin, groupId: string): Promise<number> {
    const topics = EVENT_TOPICS.map((topic) => this.projections.platform.topic(topic));
    const committed = await admin.fetchOffsets({ groupId, topics });
    let lag = 0;
    for (const topic of topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      const group = committed.find((entry) => entry.topic === topic)?.partitions ?? [];
      for (const end of ends) {
        const offset = Number(group.find((partition) => partition.partition === end.partition)?.offset ?? -1);
        lag += Number(end.high) - (offset >= 0 ? offset : Number(end.low));
      }
    }
    return lag;
  }

  private async fail(rebuildId: string, projection: CustomerProjection, consumer: ConsumerRunner, admin: Admin, error: unknown): Promise<void> {
    this.projections.platform.logger.error({ err: error, rebuildId }, `rebuild ${rebuildId} failed; the live view is unchanged`);
    await this.projections.abandon(projection, consumer, rebuildId).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    await this.rebuilds.updateOne({ _id: rebuildId }, { $set: { status: 'FAILED', error: error instanceof Error ? error.message : String(error) } });
  }

  private answer({ _id, ...rest }: RebuildDocument): RebuildProgress {
    return { rebuildId: _id, ...rest };
  }
}
