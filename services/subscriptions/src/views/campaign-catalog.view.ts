import { Inject, Injectable } from '@nestjs/common';
import { CampaignCreated, CampaignLimits, CampaignProduct, EnvelopeOf } from '@continuum/contracts';
import { Platform, ViewDefinition, ViewStore } from '@continuum/platform';

/** One campaign as change product and the order limits need it. */
export interface CampaignOffers {
  readonly products: readonly CampaignProduct[];
  /** the campaign's order limits ({} when it sets none); undefined until its CampaignCreated is read */
  readonly limits?: CampaignLimits;
}

/**
 * The offers and order limits of each campaign, from orders' CampaignCreated (one document per
 * campaign stream, `view_campaign_catalog`), fed by the order-reactions consumer.
 */
export const campaignCatalogViewDefinition: ViewDefinition<CampaignOffers, CampaignCreated> = {
  name: 'campaign_catalog',
  streamPrefix: 'campaign-',
  documentId: (event) => (event.data as CampaignCreated['data']).campaignId,
  initial: () => ({ products: [] }),
  evolve: (_campaign, event: EnvelopeOf<CampaignCreated>) => ({ products: [...event.data.products], limits: { ...(event.data.limits ?? {}) } }),
};

/**
 * Change product looks the new product up here, and every change to what a purchase's next rebill
 * costs looks up the campaign's order limits.
 */
@Injectable()
export class CampaignCatalog {
  private readonly view: ViewStore<CampaignOffers, CampaignCreated>;

  constructor(@Inject(Platform) platform: Platform) {
    this.view = platform.readModel(campaignCatalogViewDefinition);
  }

  /** Keeps a campaign's offers; a redelivered CampaignCreated changes nothing (the stream version guard). */
  async apply(event: EnvelopeOf<CampaignCreated>): Promise<void> {
    await this.view.applyEvent(event);
  }

  async product(campaignId: string, productId: string): Promise<CampaignProduct | undefined> {
    const campaign = await this.view.get(campaignId);
    return campaign?.products.find((product) => product.productId === productId);
  }

  /**
   * The campaign's order limits, as its CampaignCreated set them; undefined for a campaign the catalog
   * does not know: the decider then applies DEFAULT_ORDER_LIMITS.
   */
  async limits(campaignId: string): Promise<CampaignLimits | undefined> {
    return (await this.view.get(campaignId))?.limits;
  }
}
