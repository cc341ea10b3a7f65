import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { FulfillmentUpdate } from '@continuum/contracts';
import { CommandContext } from '@continuum/platform';
import { Fulfillment, houseCommand } from '../domain';
import { FulfillmentAggregate } from './aggregates';

/**
 * A fulfillment house's update (fulfillment.updates.v1 or POST /fulfillment-updates) applied to the
 * fulfillment its reference names. The same update twice changes nothing (the decider); an unknown
 * reference is not found, an illegal transition a rule error (dead-lettered from Kafka, 404/422 over HTTP).
 */
export class ApplyHouseUpdateCommand extends Command<Fulfillment> {
  constructor(
    readonly update: FulfillmentUpdate,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ApplyHouseUpdateCommand)
export class ApplyHouseUpdateHandler implements ICommandHandler<ApplyHouseUpdateCommand, Fulfillment> {
  constructor(@Inject(FulfillmentAggregate) private readonly fulfillments: FulfillmentAggregate) {}

  async execute({ update, context }: ApplyHouseUpdateCommand): Promise<Fulfillment> {
    // the reference is the fulfillment's id: an `_id` read
    const { state } = await this.fulfillments.run(update.reference, houseCommand(update), context);
    return state as Fulfillment;
  }
}
