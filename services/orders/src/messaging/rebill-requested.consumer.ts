import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DomainError, EnvelopeOf, RebillRequested, SubscriptionEvent, Topics } from '@continuum/contracts';
import { derivedId, eventHandlers, Platform, reactionContext } from '@continuum/platform';
import { OrderAggregate, RebillAnswerAggregate } from '../commands/aggregates';
import { PlaceOrderCommand } from '../commands/place-order.handler';
import { onRebillOrderKnown, onRebillRefused, onRebillRequested, rebillSeed, refusalOf } from '../domain';

export const REBILLS_GROUP = 'rebills';

/**
 * subscriptions.events.v1 RebillRequested -> a rebill order, or its refusal; the rules are
 * `onRebillRequested` and `onRebillRefused` (domain). Every request is answered: an order placed
 * (OrderPlaced with `rebill`) or, when a rule refuses it or what it is placed from is unknown,
 * RebillRefused on the request's own stream. A request whose order exists already (asked again)
 * reports how that order ended when payments does not announce it (`onRebillOrderKnown`:
 * RebillOrderReported). Only a failure that may clear (a conflict, the store) is retried and, in the
 * end, dead-lettered.
 */
@Injectable()
export class RebillRequestedConsumer implements OnModuleInit {
  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(OrderAggregate) private readonly orders: OrderAggregate,
    @Inject(RebillAnswerAggregate) private readonly answers: RebillAnswerAggregate,
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
    const known: string[] = [];
    try {
      const { state: original } = await this.orders.load(event.data.originalOrderId);
      if (original.status === 'ABSENT') throw new DomainError('ORDER_NOT_FOUND', `Order ${event.data.originalOrderId} does not exist`, 'not-found');
      for (const { seed, ...request } of onRebillRequested(event, original)) {
        const result = await this.commands.execute(new PlaceOrderCommand(request, context, seed));
        this.platform.logger.info({ purchaseId: event.data.purchaseId, billingCycle: event.data.billingCycle, ...result }, 'rebill order placed');
        if (result.replayed) known.push(result.orderId);
      }
    } catch (error) {
      const refusal = refusalOf(error);
      if (!refusal) throw error;
      const cause = { ...refusal, orderId: derivedId(`order:${rebillSeed(event.data)}`) };
      const result = await this.answers.react(cause.orderId, (answers) => onRebillRefused(event, { cause, answers }), context);
      this.platform.logger.warn(
        { purchaseId: event.data.purchaseId, billingCycle: event.data.billingCycle, attempt: event.data.attempt ?? 0, code: cause.code, orderId: cause.orderId, recorded: result.events.length > 0 },
        'rebill order refused',
      );
    }
    // outside the try: only placing the order can be refused
    for (const orderId of known) await this.reportKnownOrder(event, orderId);
  }

  /** The request's order existed already: say how it ended, when it ended without payments' answer. */
  private async reportKnownOrder(event: EnvelopeOf<RebillRequested>, orderId: string): Promise<void> {
    const order = await this.orders.state(orderId);
    const result = await this.answers.react(orderId, (answers) => onRebillOrderKnown(event, { order, answers }), reactionContext(REBILLS_GROUP, event));
    if (result.events.length > 0) this.platform.logger.info({ purchaseId: event.data.purchaseId, orderId, status: order.status }, 'rebill order ending reported');
  }
}
