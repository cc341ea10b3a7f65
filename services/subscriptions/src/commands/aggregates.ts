import { Inject, Injectable } from '@nestjs/common';
import { SubscriptionEvent } from '@continuum/contracts';
import { AggregateRunner, Platform } from '@continuum/platform';
import { PurchaseCommand, PurchaseState, purchaseDecider, purchaseStreamId } from '../domain';

/** Purchases: `purchases.run(purchaseId, { type: 'ForceBill', data: {} }, context)` on stream `purchase-<id>`. */
@Injectable()
export class PurchaseAggregate extends AggregateRunner<PurchaseCommand, SubscriptionEvent, PurchaseState> {
  constructor(@Inject(Platform) platform: Platform) {
    super(platform.commands, { decider: purchaseDecider, streamId: purchaseStreamId, startsStream: ['StartPurchase'] });
  }
}
