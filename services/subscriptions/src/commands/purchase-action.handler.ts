import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { SubscriptionEvent } from '@continuum/contracts';
import { CommandContext, CommandInput, RunResult } from '@continuum/platform';
import { PurchaseCommand, PurchaseState, exists } from '../domain';
import { CampaignCatalog } from '../views';
import { PurchaseAggregate } from './aggregates';

/**
 * One decision on one purchase: an agent's action (update, restart/skip trial, cancel, pause, resume,
 * force bill, reactivate) or the work of a reaction (start, rebill order and outcome, fulfillment).
 */
export class PurchaseActionCommand extends Command<RunResult<PurchaseState, SubscriptionEvent>> {
  constructor(
    readonly purchaseId: string,
    readonly input: CommandInput<PurchaseCommand>,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(PurchaseActionCommand)
export class PurchaseActionHandler implements ICommandHandler<PurchaseActionCommand, RunResult<PurchaseState, SubscriptionEvent>> {
  constructor(
    @Inject(PurchaseAggregate) private readonly purchases: PurchaseAggregate,
    @Inject(CampaignCatalog) private readonly catalog: CampaignCatalog,
  ) {}

  async execute({ purchaseId, input, context }: PurchaseActionCommand): Promise<RunResult<PurchaseState, SubscriptionEvent>> {
    return this.purchases.run(purchaseId, await this.withCampaignLimits(purchaseId, input), context);
  }

  /**
   * Update purchase may change what the next rebill costs: it carries the order limits of the
   * purchase's campaign (from the campaign catalog), which the decider keeps that rebill within.
   * A campaign the catalog has no limits for leaves them out: the decider applies the defaults.
   */
  private async withCampaignLimits(purchaseId: string, input: CommandInput<PurchaseCommand>): Promise<CommandInput<PurchaseCommand>> {
    if (input.type !== 'UpdatePurchase' || input.data.limits !== undefined) return input;
    const { state } = await this.purchases.load(purchaseId);
    if (!exists(state)) return input;
    const limits = await this.catalog.limits(state.campaignId);
    return limits !== undefined ? { type: 'UpdatePurchase', data: { ...input.data, limits } } : input;
  }
}
