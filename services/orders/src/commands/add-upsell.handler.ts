import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '@continuum/platform';
import { CampaignAggregate, OrderAggregate } from './aggregates';
import { derivedId } from './derived-id';

/** An upsell as POST /orders/:id/upsells takes it. */
export interface UpsellRequest {
  readonly productId: string;
  readonly quantity: number;
  readonly unitPrice?: number;
}

/** Appends an item to an order, priced from the order's campaign (loaded from `campaign-<id>`). */
export class AddUpsellCommand extends Command<{ orderItemId: string }> {
  constructor(
    readonly orderId: string,
    readonly upsell: UpsellRequest,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(AddUpsellCommand)
export class AddUpsellHandler implements ICommandHandler<AddUpsellCommand> {
  constructor(
    @Inject(OrderAggregate) private readonly orders: OrderAggregate,
    @Inject(CampaignAggregate) private readonly campaigns: CampaignAggregate,
  ) {}

  async execute({ orderId, upsell, context }: AddUpsellCommand): Promise<{ orderItemId: string }> {
    const placed = await this.orders.placed(orderId);
    const campaign = await this.campaigns.snapshot(placed.order.campaignId);
    const orderItemId = context.idempotencyKey ? derivedId(`upsell:${context.idempotencyKey}`) : randomUUID();
    await this.orders.run(orderId, { type: 'AddUpsell', data: { orderId, orderItemId, productId: upsell.productId, quantity: upsell.quantity, ...(upsell.unitPrice !== undefined ? { unitPrice: upsell.unitPrice } : {}), campaign } }, context);
    return { orderItemId };
  }
}
