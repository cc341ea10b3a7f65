import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { EnvelopeOf, RebillRequested, SubscriptionEvent, Topics } from '@continuum/contracts';
import { DeclaredConsumer, EventConsumer, eventHandlers, MessageHandler, reactionContext, runReactionWork, workStep } from '@continuum/platform';
import { OrdersAggregates } from '../commands/aggregates';
import { RebillOrderCommand } from '../commands/rebill-order.handler';
import { onRebillRequested, rebillSeed } from '../domain';

export const REBILLS_GROUP = 'rebills';

/**
 * subscriptions.events.v1 RebillRequested -> a rebill order, or its refusal; the rule is
 * `onRebillRequested` (domain), the work the rebill workflow (`commands/rebill-order.handler.ts`).
 * Every request is answered: an order placed (OrderPlaced with `rebill`) or, when a rule refuses it or
 * what it is placed from is unknown, RebillRefused on the request's own stream. A request whose order
 * exists already (asked again) reports how that order ended when payments does not announce it
 * (RebillOrderReported). Only a failure that may clear (a conflict, the store) is retried and, in the
 * end, dead-lettered.
 */
@EventConsumer({ groupId: REBILLS_GROUP, topics: [Topics.subscriptionsEvents] })
export class RebillRequestedConsumer implements DeclaredConsumer {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(OrdersAggregates) private readonly aggregates: OrdersAggregates,
  ) {}

  handlers(): Record<string, MessageHandler> {
    return eventHandlers<SubscriptionEvent>({ RebillRequested: (event) => this.rebill(event) });
  }

  private async rebill(event: EnvelopeOf<RebillRequested>): Promise<void> {
    const original = await this.aggregates.orders.state(event.data.originalOrderId);
    const placements = onRebillRequested(event, original);
    // an unknown original order is answered too: the workflow refuses it ORDER_NOT_FOUND
    const work =
      placements.length > 0
        ? placements.map((placement) => workStep(`rebill-order:${placement.seed}`, (context) => this.commands.execute(new RebillOrderCommand(event, placement, context))))
        : [workStep(`rebill-order:${rebillSeed(event.data)}`, (context) => this.commands.execute(new RebillOrderCommand(event, null, context)))];
    await runReactionWork(work, reactionContext(REBILLS_GROUP, event));
  }
}
