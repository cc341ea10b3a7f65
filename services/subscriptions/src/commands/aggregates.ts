import { Inject, Injectable } from '@nestjs/common';
import { DomainError, SubscriptionEvent } from '@continuum/contracts';
import { aggregateRunner, CommandContext, CommandInput, RunResult, StreamWork, onStream } from '@continuum/platform';
import { PurchaseCommand, PurchaseState, PurchaseWork, UpdatePurchase, exists, purchaseDecider, purchaseStreamId } from '../domain';
import { SUBSCRIPTIONS_SETTINGS, SubscriptionsSettings } from '../subscriptions-settings';
import { CampaignCatalog } from '../views';

type PurchaseRun = RunResult<PurchaseState, SubscriptionEvent>;

/**
 * Purchases: `purchases.run(purchaseId, { type: 'ForceBill', data: {} }, context)` on stream
 * `purchase-<id>`. The two use cases that need the purchase's campaign first are methods named for
 * them (`update`, `changeProduct`): they look the campaign up in the catalog, then decide once.
 */
@Injectable()
export class PurchaseAggregate extends aggregateRunner<PurchaseCommand, SubscriptionEvent, PurchaseState>({ decider: purchaseDecider, streamId: purchaseStreamId, startsStream: ['StartPurchase'] }) {
  @Inject(CampaignCatalog) private readonly catalog!: CampaignCatalog;
  @Inject(SUBSCRIPTIONS_SETTINGS) private readonly settings!: SubscriptionsSettings;

  /**
   * Update purchase: a change may change what the next rebill costs, so the command carries the order
   * limits of the purchase's campaign, which the decider keeps that rebill within. A campaign the
   * catalog has no limits for leaves them out: the decider applies the defaults.
   */
  async update(purchaseId: string, changes: UpdatePurchase['data']['changes'], context: CommandContext): Promise<PurchaseRun> {
    const { state } = await this.load(purchaseId);
    const limits = exists(state) ? await this.catalog.limits(state.campaignId) : undefined;
    return this.run(purchaseId, { type: 'UpdatePurchase', data: { changes, ...(limits !== undefined ? { limits } : {}) } }, context);
  }

  /** Change product: the new product and the order limits come from the purchase's campaign. */
  async changeProduct(purchaseId: string, productId: string, applyProductDetails: boolean, context: CommandContext): Promise<PurchaseRun> {
    const { state } = await this.load(purchaseId);
    if (!exists(state)) throw new DomainError('PURCHASE_NOT_FOUND', 'No such purchase', 'not-found');
    const [product, limits] = await Promise.all([this.catalog.product(state.campaignId, productId), this.catalog.limits(state.campaignId)]);
    return this.run(
      purchaseId,
      {
        type: 'ChangeProduct',
        data: { productId, ...(product ? { product } : {}), applyProductDetails, monthlyIntervalDays: this.settings.monthlyIntervalDays, ...(limits ? { limits } : {}) },
      },
      context,
    );
  }

  /** A purchase reaction's work as `runReactionWork` takes it: each item a command on its purchase's stream. */
  streamWork(work: readonly PurchaseWork[]): StreamWork[] {
    return work.map((item) => onStream(this, item.purchaseId, item.command as CommandInput<PurchaseCommand>));
  }
}
