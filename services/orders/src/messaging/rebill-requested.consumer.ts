import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { EventEnvelope, RebillRequested, SUBSCRIPTION_EVENT_TYPES, Topics } from '@continuum/contracts';
import { IncomingMessage, Platform } from '@continuum/platform';
import { PlaceOrderCommand } from '../commands/place-order.handler';
import { loadPlacedOrder } from '../commands/stream-loaders';
import { reactionContext } from './reaction-context';

export const REBILLS_GROUP = 'rebills';

/**
 * Subscriptions' RebillRequested -> a rebill order: the same customer and campaign, the purchase's
 * price and shipping, the payment type and card of the original order. The order id is derived
 * from purchaseId and billingCycle, so a redelivered request places nothing new.
 */
@Injectable()
export class RebillRequestedConsumer implements OnModuleInit {
  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(CommandBus) private readonly commands: CommandBus,
  ) {}

  onModuleInit(): void {
    this.platform.consumer({
      groupId: REBILLS_GROUP,
      topics: [Topics.subscriptionsEvents],
      handlers: { [SUBSCRIPTION_EVENT_TYPES.RebillRequested]: (message) => this.rebill(message) },
    });
  }

  private async rebill(incoming: IncomingMessage): Promise<void> {
    const envelope = incoming.envelope as EventEnvelope<'RebillRequested', RebillRequested['data']>;
    const d = envelope.data;
    const original = (await loadPlacedOrder(this.platform, d.originalOrderId)).order;
    const seed = `rebill:${d.purchaseId}:${d.billingCycle}`;
    const result = await this.commands.execute(
      new PlaceOrderCommand(
        {
          campaignId: d.campaignId,
          customerId: d.customerId,
          items: [{ productId: d.productId, quantity: d.quantity, unitPrice: d.unitPrice, shippingPrice: d.shippingPrice }],
          paymentType: original.paymentType,
          ...(original.card ? { card: original.card } : {}),
          ...(original.shippingAddress ? { shippingAddress: original.shippingAddress } : {}),
          rebill: { purchaseId: d.purchaseId, billingCycle: d.billingCycle, originalOrderId: d.originalOrderId },
        },
        reactionContext(REBILLS_GROUP, envelope),
        seed,
      ),
    );
    this.platform.logger.info({ purchaseId: d.purchaseId, billingCycle: d.billingCycle, ...result }, 'rebill order placed');
  }
}
