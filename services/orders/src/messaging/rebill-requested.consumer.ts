import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DomainError, EnvelopeOf, RebillRequested, SubscriptionEvent, Topics } from '@continuum/contracts';
import { eventHandlers, Platform, reactionContext } from '@continuum/platform';
import { OrderAggregate } from '../commands/aggregates';
import { PlaceOrderCommand } from '../commands/place-order.handler';
import { onRebillRequested } from '../domain';

export const REBILLS_GROUP = 'rebills';

/** subscriptions.events.v1 RebillRequested -> a rebill order; the rule is `onRebillRequested` (domain). */
@Injectable()
export class RebillRequestedConsumer implements OnModuleInit {
  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(OrderAggregate) private readonly orders: OrderAggregate,
  ) {}

  onModuleInit(): void {
    this.platform.consumer({
      groupId: REBILLS_GROUP,
      topics: [Topics.subscriptionsEvents],
      handlers: eventHandlers<SubscriptionEvent>({ RebillRequested: (event) => this.rebill(event) }),
    });
  }

  private async rebill(event: EnvelopeOf<RebillRequested>): Promise<void> {
    const { state: original } = await this.orders.load(event.data.originalOrderId);
    if (original.status === 'ABSENT') throw new DomainError('ORDER_NOT_FOUND', `Order ${event.data.originalOrderId} does not exist`, 'not-found');
    for (const { seed, ...request } of onRebillRequested(event, original)) {
      const result = await this.commands.execute(new PlaceOrderCommand(request, reactionContext(REBILLS_GROUP, event), seed));
      this.platform.logger.info({ purchaseId: event.data.purchaseId, billingCycle: event.data.billingCycle, ...result }, 'rebill order placed');
    }
  }
}
