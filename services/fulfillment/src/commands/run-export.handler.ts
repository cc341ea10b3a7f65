import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '@continuum/contracts';
import { CommandContext, ConcurrencyError, Platform, RunReporter, unrecordedRun } from '@continuum/platform';
import { EXPORTABLE_STATUSES, ExportFacts, Fulfillment, exportFacts } from '../domain';
import { FulfillmentViews } from '../views';
import { FulfillmentAggregate } from './aggregates';

/**
 * An export run: every HOLD (and RECYCLED) fulfillment whose order may ship is exported (PENDING);
 * the request reaches `fulfillment.requests.v1` from the committed FulfillmentExported event (the
 * requests publisher). Two overlapping runs export a fulfillment once: both decide on the same
 * stream version, one append wins, the other reloads and the decider refuses a second export.
 * What may not ship yet (QA, a test card on a live gateway, no ship-to known) stays HOLD.
 * Each export is keyed by the run id and the fulfillment (`run.forItem`), so the same run tried
 * again (a job picked up after a crash) exports nothing twice; the run's progress goes to its
 * record through `run`.
 */
export class RunExportCommand extends Command<{ exported: number }> {
  constructor(
    readonly context: CommandContext,
    readonly run: RunReporter = unrecordedRun(),
  ) {
    super();
  }
}

@CommandHandler(RunExportCommand)
export class RunExportHandler implements ICommandHandler<RunExportCommand, { exported: number }> {
  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(FulfillmentAggregate) private readonly fulfillments: FulfillmentAggregate,
    @Inject(FulfillmentViews) private readonly views: FulfillmentViews,
  ) {}

  async execute({ context, run }: RunExportCommand): Promise<{ exported: number }> {
    const found: Fulfillment[] = [];
    for (const status of EXPORTABLE_STATUSES) found.push(...(await this.views.fulfillments.inStatus(status)));
    await run.planned(found.length);
    let exported = 0;
    for (const fulfillment of found) {
      if (await this.exportOne(fulfillment, run.forItem(context, fulfillment.fulfillmentId))) exported++;
      await run.advanced();
    }
    return { exported };
  }

  private async exportOne(fulfillment: Fulfillment, context: CommandContext): Promise<boolean> {
    try {
      // a replay is this run's own earlier export (the key is the run's): it counts
      const result = await this.fulfillments.run(fulfillment.fulfillmentId, { type: 'ExportFulfillment', data: await this.factsOf(fulfillment) }, context);
      return result.events.length > 0;
    } catch (error) {
      // stays where it is: exported by another run meanwhile, or not allowed to ship yet
      if (error instanceof DomainError || error instanceof ConcurrencyError) {
        this.platform.logger.info({ fulfillmentId: fulfillment.fulfillmentId, reason: error.message }, 'not exported');
        return false;
      }
      throw error;
    }
  }

  private async factsOf(fulfillment: Fulfillment): Promise<ExportFacts> {
    return exportFacts(await this.views.orderFacts.order(fulfillment.orderId), await this.views.shipTo.shipTo(fulfillment.customerId));
  }
}
