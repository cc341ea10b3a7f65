import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '@continuum/platform';
import { CreateFulfillment } from '../domain';
import { FulfillmentAggregate } from './aggregates';

/** Create a fulfillment in HOLD (a reaction to an order that may ship); creating it again changes nothing. */
export class CreateFulfillmentCommand extends Command<void> {
  constructor(
    readonly data: CreateFulfillment['data'],
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(CreateFulfillmentCommand)
export class CreateFulfillmentHandler implements ICommandHandler<CreateFulfillmentCommand, void> {
  constructor(@Inject(FulfillmentAggregate) private readonly fulfillments: FulfillmentAggregate) {}

  async execute({ data, context }: CreateFulfillmentCommand): Promise<void> {
    await this.fulfillments.run(data.fulfillmentId, { type: 'CreateFulfillment', data }, context);
  }
}
