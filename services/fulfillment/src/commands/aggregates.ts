import { Injectable } from '@nestjs/common';
import { FulfillmentEvent } from '@continuum/contracts';
import { aggregateRunner } from '@continuum/platform';
import { FulfillmentCommand, FulfillmentState, fulfillmentDecider, fulfillmentStreamId } from '../domain';

/** Fulfillments: `fulfillments.run(fulfillmentId, { type: 'ShipFulfillment', data }, context)` on stream `fulfillment-<id>`. */
@Injectable()
export class FulfillmentAggregate extends aggregateRunner<FulfillmentCommand, FulfillmentEvent, FulfillmentState>({
  decider: fulfillmentDecider,
  streamId: fulfillmentStreamId,
  startsStream: ['CreateFulfillment'],
}) {}
