import { Inject, Injectable } from '@nestjs/common';
import { BlacklistEvent, CampaignEvent, CustomerEvent, OrderEvent } from '@continuum/contracts';
import { AggregateRunner, Platform } from '@continuum/platform';
import {
  BlacklistCommand,
  blacklistDecider,
  BlacklistState,
  blacklistStreamId,
  CampaignCommand,
  campaignDecider,
  CampaignState,
  campaignStreamId,
  CustomerCommand,
  customerDecider,
  CustomerState,
  customerStreamId,
  OrderCommand,
  orderDecider,
  OrderState,
  orderStreamId,
} from '../domain';

/** Orders: `orders.run(orderId, { type: 'CancelOrder', data }, context)`. */
@Injectable()
export class OrderAggregate extends AggregateRunner<OrderCommand, OrderEvent, OrderState> {
  constructor(@Inject(Platform) platform: Platform) {
    super(platform.commands, { decider: orderDecider, streamId: orderStreamId });
  }
}

@Injectable()
export class CustomerAggregate extends AggregateRunner<CustomerCommand, CustomerEvent, CustomerState> {
  constructor(@Inject(Platform) platform: Platform) {
    super(platform.commands, { decider: customerDecider, streamId: customerStreamId });
  }
}

@Injectable()
export class BlacklistAggregate extends AggregateRunner<BlacklistCommand, BlacklistEvent, BlacklistState> {
  constructor(@Inject(Platform) platform: Platform) {
    super(platform.commands, { decider: blacklistDecider, streamId: blacklistStreamId });
  }
}

@Injectable()
export class CampaignAggregate extends AggregateRunner<CampaignCommand, CampaignEvent, CampaignState> {
  constructor(@Inject(Platform) platform: Platform) {
    super(platform.commands, { decider: campaignDecider, streamId: campaignStreamId });
  }
}

export const AGGREGATES = [OrderAggregate, CustomerAggregate, BlacklistAggregate, CampaignAggregate];
