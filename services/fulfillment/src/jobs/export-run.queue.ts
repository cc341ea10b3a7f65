import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Job } from 'bullmq';
import { systemActor } from '@continuum/contracts';
import { CommandContext, RunJob, runQueue, RunReporter, systemContext } from '@continuum/platform';
import { RunExportCommand } from '../commands';
import { FULFILLMENT_SETTINGS, FulfillmentSettings } from '../fulfillment-settings';

/** The export runs, queue `fulfillment-exports`: the repeatable one and those asked for with Prefer: respond-async. */
export const EXPORT_QUEUE = 'fulfillment-exports';
export const EXPORT_SCHEDULER_ID = 'export-run';

/** An export run takes no input. */
export type ExportRunInput = Record<string, never>;
export type ExportRunJob = RunJob<ExportRunInput>;

/**
 * Runs an export every EXPORT_INTERVAL_MS (default hourly) through the same handler as
 * POST /export-runs, and the runs POST /export-runs queues with Prefer: respond-async. One job
 * scheduler (a fixed id), so every instance of the service re-declaring it at start keeps one
 * schedule; a run that overlaps another (or an HTTP run) exports nothing twice. Every run is
 * recorded in `runs` (RunQueue).
 */
@Injectable()
export class ExportRunQueue extends runQueue<ExportRunInput, { exported: number }>(EXPORT_QUEUE, 'export') implements OnApplicationBootstrap {
  @Inject(CommandBus) private readonly commandBus!: CommandBus;
  @Inject(FULFILLMENT_SETTINGS) private readonly settings!: FulfillmentSettings;

  override onApplicationBootstrap(): void {
    super.onApplicationBootstrap();
    this.repeat(EXPORT_SCHEDULER_ID, { every: this.settings.exportIntervalMs }, { name: 'export-run', data: {}, opts: { attempts: 3, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: 100, removeOnFail: 500 } });
  }

  protected perform(_input: ExportRunInput, context: CommandContext, run: RunReporter): Promise<{ exported: number }> {
    return this.commandBus.execute(new RunExportCommand(context, run));
  }

  protected scheduled(job: Job<ExportRunJob>): { input: ExportRunInput; context: CommandContext } {
    return { input: {}, context: systemContext(systemActor('export-run'), `export-run:${job.id ?? 'now'}`, null) };
  }
}
