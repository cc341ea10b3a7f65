import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CampaignProduct, CampaignSnapshot } from '@continuum/contracts';
import { CommandContext } from '@continuum/platform';
import { CreateCampaign } from '../domain';
import { CampaignAggregate } from './aggregates';
import { derivedId } from './derived-id';

/** What POST /campaigns takes: a campaign without ids (they are made here). */
export type CampaignInput = Omit<CreateCampaign['data'], 'campaignId' | 'products'> & { products: readonly Omit<CampaignProduct, 'productId'>[] };

/** Creates a campaign and its product ids; answers the created snapshot. */
export class CreateCampaignCommand extends Command<CampaignSnapshot> {
  constructor(
    readonly input: CampaignInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(CreateCampaignCommand)
export class CreateCampaignHandler implements ICommandHandler<CreateCampaignCommand> {
  constructor(@Inject(CampaignAggregate) private readonly campaigns: CampaignAggregate) {}

  async execute({ input, context }: CreateCampaignCommand): Promise<CampaignSnapshot> {
    const key = context.idempotencyKey;
    const campaignId = key ? derivedId(`campaign:${key}`) : randomUUID();
    const products = input.products.map((product, index) => ({ ...product, productId: derivedId(`${campaignId}:product:${index}`) }));
    const { state } = await this.campaigns.run(campaignId, { type: 'CreateCampaign', data: { ...input, campaignId, products } }, context);
    if (state.status === 'ABSENT') throw new Error(`campaign ${campaignId} was not stored`);
    return state.campaign;
  }
}
