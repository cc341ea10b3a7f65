import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { orderLimitsOf } from '@continuum/contracts';
import { CommandContext } from '@continuum/platform';
import { Fulfillment, ReshipItemRequest, reshipCreation, reshipItems } from '../domain';
import { FulfillmentViews } from '../views';
import { FulfillmentAggregate } from './aggregates';

/**
 * Reship, a workflow on two fulfillments: when corrected items are asked for, they are checked
 * first against the order's products and the campaign's limits (`reshipItems`, nothing stored on a
 * refusal); then the original records the reship (refused before it reached the house) and names
 * the new fulfillment, which is created in HOLD from the original (`reshipCreation`,
 * domain/reship.workflow.ts) under the suffixed reference, shipping the corrected items or the
 * original's. A retried request (same Idempotency-Key) replays the first append on each stream.
 */
export class ReshipFulfillmentCommand extends Command<{ fulfillmentId: string; reference: string }> {
  constructor(
    readonly fulfillmentId: string,
    readonly context: CommandContext,
    readonly items?: readonly ReshipItemRequest[],
  ) {
    super();
  }
}

@CommandHandler(ReshipFulfillmentCommand)
export class ReshipFulfillmentHandler implements ICommandHandler<ReshipFulfillmentCommand, { fulfillmentId: string; reference: string }> {
  constructor(
    @Inject(FulfillmentAggregate) private readonly fulfillments: FulfillmentAggregate,
    @Inject(FulfillmentViews) private readonly views: FulfillmentViews,
  ) {}

  async execute({ fulfillmentId, context, items: requested }: ReshipFulfillmentCommand): Promise<{ fulfillmentId: string; reference: string }> {
    const items = requested === undefined ? null : await this.correctedItems(fulfillmentId, requested);
    const { state } = await this.fulfillments.run(fulfillmentId, { type: 'ReshipFulfillment', data: {} }, context);
    const creation = reshipCreation(state as Fulfillment, items);
    await this.fulfillments.run(creation.fulfillmentId, { type: 'CreateFulfillment', data: creation }, context);
    return { fulfillmentId: creation.fulfillmentId, reference: creation.reference };
  }

  /** The lines asked for, checked against the original's order and campaign; an unknown fulfillment is left to the decider (404). */
  private async correctedItems(fulfillmentId: string, requested: readonly ReshipItemRequest[]) {
    const { state: original } = await this.fulfillments.load(fulfillmentId);
    if (original.status === 'NONE') return null;
    const limits = original.campaignId === null ? undefined : await this.views.campaignLimits.limits(original.campaignId);
    return reshipItems(original, requested, orderLimitsOf({ limits }));
  }
}
