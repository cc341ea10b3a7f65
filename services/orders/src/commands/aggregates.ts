import { Inject, Injectable } from '@nestjs/common';
import { BlacklistEvent, CampaignEvent, CampaignSnapshot, CustomerEvent, DomainError, OrderEvent, RebillOutcomeEvent } from '@continuum/contracts';
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
  PlacedOrder,
  RebillAnswerCommand,
  rebillAnswerDecider,
  RebillAnswerState,
  rebillAnswerStreamId,
} from '../domain';

/** Orders: `orders.run(orderId, { type: 'CancelOrder', data }, context)`. */
@Injectable()
export class OrderAggregate extends AggregateRunner<OrderCommand, OrderEvent, OrderState> {
  constructor(@Inject(Platform) platform: Platform) {
    super(platform.commands, { decider: orderDecider, streamId: orderStreamId, startsStream: ['PlaceOrder'] });
  }

  /** The order as its stream folds it (ABSENT when it was never placed). */
  async state(orderId: string): Promise<OrderState> {
    return (await this.load(orderId)).state;
  }

  /** A placed order; ORDER_NOT_FOUND (404) otherwise. */
  async placed(orderId: string): Promise<PlacedOrder> {
    const state = await this.state(orderId);
    if (state.status === 'ABSENT') throw new DomainError('ORDER_NOT_FOUND', `Order ${orderId} does not exist`, 'not-found');
    return state;
  }
}

@Injectable()
export class CustomerAggregate extends AggregateRunner<CustomerCommand, CustomerEvent, CustomerState> {
  constructor(@Inject(Platform) platform: Platform) {
    super(platform.commands, { decider: customerDecider, streamId: customerStreamId, startsStream: ['RegisterCustomer'] });
  }

  /** The customer as its stream folds it (ABSENT when never registered). */
  async state(customerId: string): Promise<CustomerState> {
    return (await this.load(customerId)).state;
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

  /** The campaign snapshot orders are priced from; CAMPAIGN_NOT_FOUND (404) when it was never created. */
  async snapshot(campaignId: string): Promise<CampaignSnapshot> {
    const { state } = await this.load(campaignId);
    if (state.status === 'ABSENT') throw new DomainError('CAMPAIGN_NOT_FOUND', `Campaign ${campaignId} does not exist`, 'not-found');
    return state.campaign;
  }
}

/** orders' answers to rebill requests (refusals, reported endings), one stream per request: `answers.react(orderId, (answer) => onRebillRefused(...), context)`. */
@Injectable()
export class RebillAnswerAggregate extends AggregateRunner<RebillAnswerCommand, RebillOutcomeEvent, RebillAnswerState> {
  constructor(@Inject(Platform) platform: Platform) {
    super(platform.commands, { decider: rebillAnswerDecider, streamId: rebillAnswerStreamId });
  }
}

export const AGGREGATES = [OrderAggregate, CustomerAggregate, BlacklistAggregate, CampaignAggregate, RebillAnswerAggregate];
