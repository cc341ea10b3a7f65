import { Inject, Injectable } from '@nestjs/common';
import { mongo } from 'mongoose';
import { CampaignProduct, CampaignSnapshot } from '@continuum/contracts';
import { Platform } from '@continuum/platform';

interface CampaignDocument {
  _id: string;
  products: CampaignProduct[];
}

/**
 * The offers of each campaign, kept from orders' CampaignCreated (collection
 * `subscriptions_campaigns`, one document per campaign): change product looks the new product up here.
 */
@Injectable()
export class CampaignCatalog {
  private readonly collection: mongo.Collection<CampaignDocument>;

  constructor(@Inject(Platform) platform: Platform) {
    this.collection = platform.connection.db!.collection<CampaignDocument>('subscriptions_campaigns');
  }

  async remember(campaign: CampaignSnapshot): Promise<void> {
    await this.collection.updateOne({ _id: campaign.campaignId }, { $set: { products: [...campaign.products] } }, { upsert: true });
  }

  async product(campaignId: string, productId: string): Promise<CampaignProduct | undefined> {
    const doc = await this.collection.findOne({ _id: campaignId });
    return doc?.products.find((product) => product.productId === productId);
  }
}
