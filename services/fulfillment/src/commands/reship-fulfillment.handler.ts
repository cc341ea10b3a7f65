import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '@continuum/platform';
import { Fulfillment, reshipCreation } from '../domain';
import { FulfillmentAggregate } from './aggregates';

/**
 * Reship, a workflow of two decisions on two fulfillments: the original records the reship (refused
 * before it reached the house) and names the new fulfillment, which is created in HOLD from the
 * original (`reshipCreation`, domain/reship.workflow.ts) under the suffixed reference. A retried
 * request (same Idempotency-Key) replays the first append on each stream.
 */
export class ReshipFulfillmentCommand extends Command<{ fulfillmentId: string; reference: string }> {
  constructor(
    readonly fulfillmentId: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ReshipFulfillmentCommand)
export class ReshipFulfillmentHandler implements ICommandHandler<ReshipFulfillmentCommand, { fulfillmentId: string; reference: string }> {
  constructor(@Inject(FulfillmentAggregate) private readonly fulfillments: FulfillmentAggregate) {}

  async execute({ fulfillmentId, context }: ReshipFulfillmentCommand): Promise<{ fulfillmentId: string; reference: string }> {
    const { state } = await this.fulfillments.run(fulfillmentId, { type: 'ReshipFulfillment', data: {} }, context);
    const creation = reshipCreation(state as Fulfillment);
    await this.fulfillments.run(creation.fulfillmentId, { type: 'CreateFulfillment', data: creation }, context);
    return { fulfillmentId: creation.fulfillmentId, reference: creation.reference };
  }
}
