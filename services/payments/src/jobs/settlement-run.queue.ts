import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Job } from 'bullmq';
import { systemActor } from '@continuum/contracts';
import { CommandContext, dueTime, RunJob, runQueue, RunReporter, systemContext } from '@continuum/platform';
import { RunSettlementCommand } from '../commands';

/** Settlement runs asked for with Prefer: respond-async, queue `settlement-runs`. */
export const SETTLEMENT_RUN_QUEUE = 'settlement-runs';

/** `asOf`: settle every unsettled charge taken at or before then. */
export interface SettlementRunInput {
  readonly asOf: string;
}
export type SettlementRunJob = RunJob<SettlementRunInput> & { readonly asOf?: string };

/**
 * The runs of POST /settlement-runs (RunQueue): inside the request, or as a job of this queue with
 * Prefer: respond-async; both recorded in `runs`. The automatic, per-charge settle jobs stay on
 * `settlements` (SettlementQueue). A job without a runId (added by hand) settles what is due by its
 * `asOf`, or by when it was due (`dueTime`: the same on every try).
 */
@Injectable()
export class SettlementRunQueue extends runQueue<SettlementRunInput, { settled: number }, SettlementRunJob>(SETTLEMENT_RUN_QUEUE, 'settlement') {
  @Inject(CommandBus) private readonly commandBus!: CommandBus;

  protected perform(input: SettlementRunInput, context: CommandContext, run: RunReporter): Promise<{ settled: number }> {
    return this.commandBus.execute(new RunSettlementCommand(input.asOf, context, run));
  }

  protected scheduled(job: Job<SettlementRunJob>): { input: SettlementRunInput; context: CommandContext } {
    const asOf = job.data.asOf ?? dueTime(job);
    return { input: { asOf }, context: systemContext(systemActor('settlement-run'), `settlement-run:${job.id}`, null) };
  }
}
