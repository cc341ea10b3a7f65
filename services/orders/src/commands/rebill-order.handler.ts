import { Inject } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EnvelopeOf, RebillRequested } from '@continuum/contracts';
import { CommandContext, derivedId, Platform } from '@continuum/platform';
import { onRebillOrderKnown, onRebillRefused, RebillPlacement, RebillRefusalCause, rebillSeed, refusalOf } from '../domain';
import { OrdersAggregates } from './aggregates';
import { PlaceOrderCommand } from './place-order.handler';

/**
 * Answers one RebillRequested with its rebill order: `placement` is what `onRebillRequested` asked
 * for, or null when the original order is unknown (then the request is refused ORDER_NOT_FOUND).
 */
export class RebillOrderCommand extends Command<void> {
  constructor(
    readonly event: EnvelopeOf<RebillRequested>,
    readonly placement: RebillPlacement | null,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * The rebill workflow; its decisions are the pure `refusalOf`, `onRebillRefused` and
 * `onRebillOrderKnown` (domain/rebill.reaction.ts). Place the order (the place-order workflow, ids
 * from the placement's seed); a refusal that is an answer (a rule, or something not found) becomes
 * RebillRefused on the request's own stream instead of a dead letter; an order that existed already
 * (the request asked again) has its ending reported when payments does not announce it. Anything
 * else (a conflict, the store) is thrown, so the consumer retries it.
 */
@CommandHandler(RebillOrderCommand)
export class RebillOrderHandler implements ICommandHandler<RebillOrderCommand> {
  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(OrdersAggregates) private readonly aggregates: OrdersAggregates,
  ) {}

  async execute({ event, placement, context }: RebillOrderCommand): Promise<void> {
    const d = event.data;
    if (!placement) {
      const orderId = derivedId(`order:${rebillSeed(d)}`);
      return this.refuse(event, { code: 'ORDER_NOT_FOUND', message: `Order ${d.originalOrderId} does not exist`, orderId }, context);
    }
    const { seed, ...request } = placement;
    let result;
    try {
      result = await this.commands.execute(new PlaceOrderCommand(request, context, seed));
    } catch (error) {
      const refusal = refusalOf(error);
      if (!refusal) throw error;
      return this.refuse(event, { ...refusal, orderId: derivedId(`order:${seed}`) }, context);
    }
    this.platform.logger.info({ purchaseId: d.purchaseId, billingCycle: d.billingCycle, ...result }, 'rebill order placed');
    if (result.replayed) await this.reportKnownOrder(event, result.orderId, context);
  }

  private async refuse(event: EnvelopeOf<RebillRequested>, cause: RebillRefusalCause, context: CommandContext): Promise<void> {
    const result = await this.aggregates.rebillAnswers.react(cause.orderId, (answers) => onRebillRefused(event, { cause, answers }), context);
    const d = event.data;
    this.platform.logger.warn(
      { purchaseId: d.purchaseId, billingCycle: d.billingCycle, attempt: d.attempt ?? 0, code: cause.code, orderId: cause.orderId, recorded: result.events.length > 0 },
      'rebill order refused',
    );
  }

  /** The request's order existed already: say how it ended, when it ended without payments' answer. */
  private async reportKnownOrder(event: EnvelopeOf<RebillRequested>, orderId: string, context: CommandContext): Promise<void> {
    const order = await this.aggregates.orders.state(orderId);
    const result = await this.aggregates.rebillAnswers.react(orderId, (answers) => onRebillOrderKnown(event, { order, answers }), context);
    if (result.events.length > 0) this.platform.logger.info({ purchaseId: event.data.purchaseId, orderId, status: order.status }, 'rebill order ending reported');
  }
}
