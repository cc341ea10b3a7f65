import { Inject } from '@nestjs/common';
import { Command, DomainEvent } from '@continuum/contracts';
import { AggregateDefinition, AggregateRunner } from '../commands';
import { Platform } from './platform';

/**
 * The base class of one aggregate kind's provider: it takes the service's `Platform` and runs the
 * given decider on its streams through the platform's command runner, so the aggregate class has no
 * constructor of its own and injects what its methods use as properties (as `serviceQueue` does for
 * a queue).
 *
 *   @Injectable() export class FulfillmentAggregate extends aggregateRunner({ decider: fulfillmentDecider, streamId: fulfillmentStreamId }) {}
 *   @Injectable() export class PurchaseAggregate extends aggregateRunner({ decider: purchaseDecider, ... }) {
 *     @Inject(CampaignCatalog) private readonly catalog!: CampaignCatalog;
 *   }
 */
export function aggregateRunner<C extends Command, E extends DomainEvent, S>(
  definition: AggregateDefinition<C, E, S>,
  clock?: () => Date,
): new (platform: Platform) => AggregateRunner<C, E, S> {
  class PlatformAggregateRunner extends AggregateRunner<C, E, S> {
    constructor(@Inject(Platform) platform: Platform) {
      super(platform.commands, definition, clock);
    }
  }
  return PlatformAggregateRunner;
}
