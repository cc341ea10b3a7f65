import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, CommandInput } from '@continuum/platform';
import { Fulfillment, FulfillmentCommand } from '../domain';
import { FulfillmentAggregate } from './aggregates';

/** The one-stream actions on a fulfillment an agent, a house or a reaction asks for (ship, deliver, RMA, return, cancel, COD). */
export type FulfillmentAction = CommandInput<Exclude<FulfillmentCommand, { type: 'CreateFulfillment' | 'ExportFulfillment' | 'ReshipFulfillment' }>>;

/** Apply one action to one fulfillment; answers the fulfillment as it is after it. */
export class ChangeFulfillmentCommand extends Command<Fulfillment> {
  constructor(
    readonly fulfillmentId: string,
    readonly action: FulfillmentAction,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ChangeFulfillmentCommand)
export class ChangeFulfillmentHandler implements ICommandHandler<ChangeFulfillmentCommand, Fulfillment> {
  constructor(@Inject(FulfillmentAggregate) private readonly fulfillments: FulfillmentAggregate) {}

  async execute({ fulfillmentId, action, context }: ChangeFulfillmentCommand): Promise<Fulfillment> {
    const { state } = await this.fulfillments.run(fulfillmentId, action, context);
    return state as Fulfillment; // the decider refuses every action on a fulfillment that does not exist
  }
}
