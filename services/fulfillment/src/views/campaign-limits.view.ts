import { Inject, Injectable } from '@nestjs/common';
import { CampaignCreated, CampaignLimits, EnvelopeOf } from '@continuum/contracts';
import { Platform, ViewDefinition, ViewStore } from '@continuum/platform';

/** A campaign's order limits as its CampaignCreated set them ({} when it set none). */
export interface CampaignLimitsDoc {
  readonly limits: CampaignLimits;
}

/**
 * The order limits of each campaign, from orders' CampaignCreated (one document per campaign,
 * `view_campaign_limits`), fed by the order-facts consumer: a reship with corrected items ships at
 * most the campaign's `maxQuantity` of a product.
 */
export const campaignLimitsViewDefinition: ViewDefinition<CampaignLimitsDoc, CampaignCreated> = {
  name: 'campaign_limits',
  // fed by the order-facts consumer (applyEvent): the prefix is not consulted
  streamPrefix: '',
  documentId: (event) => (event.data as CampaignCreated['data']).campaignId,
  initial: () => ({ limits: {} }),
  evolve: (_campaign, event: EnvelopeOf<CampaignCreated>) => ({ limits: { ...(event.data.limits ?? {}) } }),
};

/** The campaign limits read model: fed by the order-facts consumer, read by the reship workflow. */
@Injectable()
export class CampaignLimitsView {
  private readonly store: ViewStore<CampaignLimitsDoc, CampaignCreated>;

  constructor(@Inject(Platform) platform: Platform) {
    this.store = platform.readModel(campaignLimitsViewDefinition);
  }

  /** A redelivered CampaignCreated changes nothing (the stream version guard). */
  async apply(event: EnvelopeOf<CampaignCreated>): Promise<void> {
    await this.store.applyEvent(event);
  }

  /** The campaign's limits; undefined for a campaign not seen: the defaults apply (orderLimitsOf). */
  async limits(campaignId: string): Promise<CampaignLimits | undefined> {
    return (await this.store.get(campaignId))?.limits;
  }
}
