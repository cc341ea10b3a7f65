import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DomainError, EnvelopeOf, OrderEvent, PaymentsEvent, Topics, assertNever } from '@continuum/contracts';
import { CommandContext, eventHandlers, Platform, reactionContext } from '@continuum/platform';
import { ChangeFulfillmentCommand, CreateFulfillmentCommand } from '../commands';
import { FulfillmentWork, OrderReactionEvent, onOrderEvent } from '../domain';
import { FulfillmentsView } from '../views';

export const ORDER_REACTIONS_GROUP = 'order-reactions';

/**
 * orders.events.v1 and payments.events.v1 -> fulfillments: an order that may ship gets its
 * fulfillment, a cancelled order (or a refund/void with auto-cancel) cancels the unshipped ones.
 * The rule is `onOrderEvent` (domain); this looks up the order's fulfillments and runs the work.
 */
@Injectable()
export class OrderReactionsConsumer implements OnModuleInit {
  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(FulfillmentsView) private readonly fulfillments: FulfillmentsView,
  ) {}

  onModuleInit(): void {
    const react = (event: EnvelopeOf<OrderReactionEvent>) => this.react(event);
    this.platform.consumer({
      groupId: ORDER_REACTIONS_GROUP,
      topics: [Topics.ordersEvents, Topics.paymentsEvents],
      handlers: {
        ...eventHandlers<OrderEvent>({ OrderCompleted: react, OrderAwaitingCod: react, OrderApproved: react, OrderCancelled: react }),
        ...eventHandlers<PaymentsEvent>({ ChargeVoided: react, RefundSucceeded: react }),
      },
    });
  }

  private async react(event: EnvelopeOf<OrderReactionEvent>): Promise<void> {
    const work = onOrderEvent({ ...event, eventId: event.eventId } as never, await this.fulfillments.ofOrder(event.data.orderId));
    const context = reactionContext(ORDER_REACTIONS_GROUP, event);
    for (const item of work) await this.run(item, context);
  }

  private async run(item: FulfillmentWork, context: CommandContext): Promise<void> {
    switch (item.type) {
      case 'CreateFulfillment':
        await this.commands.execute(new CreateFulfillmentCommand(item.data, context));
        return;
      case 'CancelFulfillment':
        try {
          await this.commands.execute(new ChangeFulfillmentCommand(item.data.fulfillmentId, { type: 'CancelFulfillment', data: { reason: item.data.reason } }, context));
        } catch (error) {
          // it shipped after the look-up: nothing left to cancel
          if (!(error instanceof DomainError && error.code === 'ALREADY_SHIPPED')) throw error;
          this.platform.logger.info({ fulfillmentId: item.data.fulfillmentId }, 'fulfillment shipped before the cancel arrived; left as it is');
        }
        return;
      default:
        assertNever(item, 'fulfillment work');
    }
  }
}
