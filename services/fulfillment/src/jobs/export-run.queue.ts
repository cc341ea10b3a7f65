import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Job } from 'bullmq';
import { systemActor } from '@continuum/contracts';
import { Platform, ServiceQueue, systemContext } from '@continuum/platform';
import { RunExportCommand } from '../commands';
import { FULFILLMENT_SETTINGS, FulfillmentSettings } from '../fulfillment-settings';

/** The repeatable export run, queue `fulfillment-exports`. */
export const EXPORT_QUEUE = 'fulfillment-exports';
export const EXPORT_SCHEDULER_ID = 'export-run';

export type ExportRunJob = Record<string, never>;

/**
 * Runs an export every EXPORT_INTERVAL_MS (default hourly) through the same handler as
 * POST /export-runs. One job scheduler (a fixed id), so every instance of the service re-declaring
 * it at start keeps one schedule; a run that overlaps another (or an HTTP run) exports nothing twice.
 */
@Injectable()
export class ExportRunQueue extends ServiceQueue<ExportRunJob> implements OnApplicationBootstrap {
  constructor(
    @Inject(Platform) platform: Platform,
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(FULFILLMENT_SETTINGS) private readonly settings: FulfillmentSettings,
  ) {
    super(platform, EXPORT_QUEUE);
  }

  override onApplicationBootstrap(): void {
    super.onApplicationBootstrap();
    this.repeat(EXPORT_SCHEDULER_ID, { every: this.settings.exportIntervalMs }, { name: 'export-run', data: {}, opts: { attempts: 3, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: 100, removeOnFail: 500 } });
  }

  protected async process(job: Job<ExportRunJob>): Promise<{ exported: number }> {
    const context = systemContext(systemActor('export-run'), `export-run:${job.id ?? 'now'}`, null);
    const result = await this.commandBus.execute(new RunExportCommand(context));
    this.platform.logger.info({ ...result, jobId: job.id }, 'export run done');
    return result;
  }
}
