import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DomainError, EnvelopeOf, RebillRequested, SubscriptionEvent, Topics } from '@continuum/contracts';
import { eventHandlers, Platform, reactionContext } from '@continuum/platform';
import { OrderAggregate, RebillRefusalAggregate } from '../commands/aggregates';
import { derivedId } from '../commands/derived-id';
import { PlaceOrderCommand } from '../commands/place-order.handler';
import { onRebillRefused, onRebillRequested, rebillSeed, refusalOf } from '../domain';

export const REBILLS_GROUP = 'rebills';

/**
 * subscriptions.events.v1 RebillRequested -> a rebill order, or its refusal; the rules are
 * `onRebillRequested` and `onRebillRefused` (domain). Every request is answered: an order placed
 * (OrderPlaced with `rebill`) or, when a rule refuses it or what it is placed from is unknown,
 * RebillRefused on the request's own stream. Only a failure that may clear (a conflict, the store) is
 * retried and, in the end, dead-lettered.
 */
@Injectable()
export class RebillRequestedConsumer implements OnModuleInit {
  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(OrderAggregate) private readonly orders: OrderAggregate,
    @Inject(RebillRefusalAggregate) private readonly refusals: RebillRefusalAggregate,
  ) {}

  onModuleInit(): void {
    this.platform.consumer({
      groupId: REBILLS_GROUP,
      topics: [Topics.subscriptionsEvents],
      handlers: eventHandlers<SubscriptionEvent>({ RebillRequested: (event) => this.rebill(event) }),
    });
  }

  private async rebill(event: EnvelopeOf<RebillRequested>): Promise<void> {
    const context = reactionContext(REBILLS_GROUP, event);
    try {
      const { state: original } = await this.orders.load(event.data.originalOrderId);
      if (original.status === 'ABSENT') throw new DomainError('ORDER_NOT_FOUND', `Order ${event.data.originalOrderId} does not exist`, 'not-found');
      for (const { seed, ...request } of onRebillRequested(event, original)) {
        const result = await this.commands.execute(new PlaceOrderCommand(request, context, seed));
        this.platform.logger.info({ purchaseId: event.data.purchaseId, billingCycle: event.data.billingCycle, ...result }, 'rebill order placed');
      }
    } catch (error) {
      const refusal = refusalOf(error);
      if (!refusal) throw error;
      const cause = { ...refusal, orderId: derivedId(`order:${rebillSeed(event.data)}`) };
      const result = await this.refusals.react(cause.orderId, (state) => onRebillRefused(event, { cause, refusal: state }), context);
      this.platform.logger.warn(
        { purchaseId: event.data.purchaseId, billingCycle: event.data.billingCycle, attempt: event.data.attempt ?? 0, code: cause.code, orderId: cause.orderId, recorded: result.events.length > 0 },
        'rebill order refused',
      );
    }
  }
}
