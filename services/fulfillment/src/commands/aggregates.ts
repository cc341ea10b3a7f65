import { Inject, Injectable } from '@nestjs/common';
import { FulfillmentEvent } from '@continuum/contracts';
import { AggregateRunner, Platform } from '@continuum/platform';
import { FulfillmentCommand, FulfillmentState, fulfillmentDecider, fulfillmentStreamId } from '../domain';

/** Fulfillments: `fulfillments.run(fulfillmentId, { type: 'ShipFulfillment', data }, context)` on stream `fulfillment-<id>`. */
@Injectable()
export class FulfillmentAggregate extends AggregateRunner<FulfillmentCommand, FulfillmentEvent, FulfillmentState> {
  constructor(@Inject(Platform) platform: Platform) {
    super(platform.commands, { decider: fulfillmentDecider, streamId: fulfillmentStreamId, startsStream: ['CreateFulfillment'] });
  }
}
