import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError, SubscriptionEvent } from '@continuum/contracts';
import { CommandContext, RunResult } from '@continuum/platform';
import { PurchaseState, exists } from '../domain';
import { SUBSCRIPTIONS_SETTINGS, SubscriptionsSettings } from '../subscriptions-settings';
import { CampaignCatalog } from '../views';
import { PurchaseAggregate } from './aggregates';

/** Change product: the new product (and the campaign's order limits) are looked up in the purchase's campaign. */
export class ChangeProductCommand extends Command<RunResult<PurchaseState, SubscriptionEvent>> {
  constructor(
    readonly purchaseId: string,
    readonly productId: string,
    readonly applyProductDetails: boolean,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ChangeProductCommand)
export class ChangeProductHandler implements ICommandHandler<ChangeProductCommand, RunResult<PurchaseState, SubscriptionEvent>> {
  constructor(
    @Inject(PurchaseAggregate) private readonly purchases: PurchaseAggregate,
    @Inject(CampaignCatalog) private readonly catalog: CampaignCatalog,
    @Inject(SUBSCRIPTIONS_SETTINGS) private readonly settings: SubscriptionsSettings,
  ) {}

  async execute({ purchaseId, productId, applyProductDetails, context }: ChangeProductCommand): Promise<RunResult<PurchaseState, SubscriptionEvent>> {
    const { state } = await this.purchases.load(purchaseId);
    if (!exists(state)) throw new DomainError('PURCHASE_NOT_FOUND', 'No such purchase', 'not-found');
    const [product, limits] = await Promise.all([this.catalog.product(state.campaignId, productId), this.catalog.limits(state.campaignId)]);
    return this.purchases.run(
      purchaseId,
      {
        type: 'ChangeProduct',
        data: { productId, ...(product ? { product } : {}), applyProductDetails, monthlyIntervalDays: this.settings.monthlyIntervalDays, ...(limits ? { limits } : {}) },
      },
      context,
    );
  }
}
