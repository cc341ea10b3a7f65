import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '@continuum/contracts';
import { CommandContext } from '@continuum/platform';
import { Fulfillment } from '../domain';
import { FulfillmentAggregate } from './aggregates';

/**
 * Reship: the original records the reship (refused before it reached the house) and names the new
 * fulfillment, which is created in HOLD with the same items, address and method under the suffixed
 * reference. A retried request (same Idempotency-Key) replays the first append on each stream.
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
    const original = state as Fulfillment;
    const reshipId = original.reships[original.reships.length - 1];
    if (reshipId === undefined) throw new DomainError('RESHIP_NOT_RECORDED', `The reship of ${fulfillmentId} was not recorded`, 'conflict');
    // a reship's courier collects only what is still owed
    const cod = original.cod && original.cod.status !== 'PAID' ? { amount: original.cod.amount, currency: original.cod.currency } : null;
    await this.fulfillments.run(
      reshipId,
      {
        type: 'CreateFulfillment',
        data: {
          fulfillmentId: reshipId,
          orderId: original.orderId,
          customerId: original.customerId,
          reference: reshipId,
          items: original.items,
          shippingAddress: original.shippingAddress,
          shippingMethod: original.shippingMethod,
          cod,
          reshipOf: original.fulfillmentId,
        },
      },
      context,
    );
    return { fulfillmentId: reshipId, reference: reshipId };
  }
}
