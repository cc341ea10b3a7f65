import { Inject, Injectable } from '@nestjs/common';
import { mongo } from 'mongoose';
import { CampaignLimits, CampaignProduct, CampaignSnapshot } from '@continuum/contracts';
import { Platform } from '@continuum/platform';

interface CampaignDocument {
  _id: string;
  products: CampaignProduct[];
  /** the campaign's order limits ({} when it sets none); absent on documents kept before issue 18 */
  limits?: CampaignLimits;
}

/**
 * The offers of each campaign, kept from orders' CampaignCreated (collection
 * `subscriptions_campaigns`, one document per campaign): change product looks the new product up here,
 * and every change to what a purchase's next rebill costs looks up the campaign's order limits.
 */
@Injectable()
export class CampaignCatalog {
  private readonly collection: mongo.Collection<CampaignDocument>;

  constructor(@Inject(Platform) platform: Platform) {
    this.collection = platform.connection.db!.collection<CampaignDocument>('subscriptions_campaigns');
  }

  async remember(campaign: CampaignSnapshot): Promise<void> {
    await this.collection.updateOne({ _id: campaign.campaignId }, { $set: { products: [...campaign.products], limits: { ...(campaign.limits ?? {}) } } }, { upsert: true });
  }

  async product(campaignId: string, productId: string): Promise<CampaignProduct | undefined> {
    const doc = await this.collection.findOne({ _id: campaignId });
    return doc?.products.find((product) => product.productId === productId);
  }

  /**
   * The campaign's order limits, as its CampaignCreated set them; undefined for a campaign the catalog
   * does not know, or kept before the catalog kept limits: the decider then applies DEFAULT_ORDER_LIMITS.
   */
  async limits(campaignId: string): Promise<CampaignLimits | undefined> {
    const doc = await this.collection.findOne({ _id: campaignId }, { projection: { limits: 1 } });
    return doc?.limits;
  }
}
