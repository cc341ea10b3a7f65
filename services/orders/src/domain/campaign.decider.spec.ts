import { CampaignEvent, CampaignProduct } from '@continuum/contracts';
import { spec } from '@continuum/testing';
import { campaignDecider, CampaignCommand } from './campaign.decider';

const admin = { kind: 'admin' as const, id: 'ops' };
const straight: CampaignProduct = { productId: 'p-1', sku: 'BR-1', name: 'Bladder Relief 1 bottle', price: 3999, shippingPrice: 495, billingType: 'STRAIGHT' };
const recurring: CampaignProduct = {
  productId: 'p-2',
  sku: 'BR-SUB',
  name: 'Bladder Relief monthly',
  price: 0,
  shippingPrice: 495,
  billingType: 'RECURRING',
  trial: { price: 0, days: 14, type: 'STANDARD' },
  rebillPrice: 5999,
  intervalDays: 30,
  finalBillCycle: 6,
};
const create = (data: Partial<Extract<CampaignCommand, { type: 'CreateCampaign' }>['data']> = {}): CampaignCommand => ({
  type: 'CreateCampaign',
  data: { campaignId: 'c-1', name: 'Bladder Relief 911', currency: 'usd', products: [straight, recurring], ...data },
  metadata: { now: '2026-03-01T10:00:00.000Z', actor: admin },
});
const created: CampaignEvent = {
  type: 'CampaignCreated',
  data: { campaignId: 'c-1', name: 'Bladder Relief 911', currency: 'USD', qaRate: 0, skipQaForExternal: false, products: [straight, recurring] },
};

describe('campaign decider', () => {
  it('creates a campaign with QA defaults (rate 0, external orders not skipped)', () => {
    spec(campaignDecider).given([]).when(create()).then([created]);
  });

  it('keeps the QA settings given', () => {
    spec(campaignDecider)
      .given([])
      .when(create({ qaRate: 0.25, skipQaForExternal: true }))
      .then([{ ...created, data: { ...created.data, qaRate: 0.25, skipQaForExternal: true } }]);
  });

  it('refuses to create the same campaign twice', () => {
    spec(campaignDecider).given([created]).when(create()).thenThrows('CAMPAIGN_EXISTS', 'conflict');
  });

  it('needs at least one product', () => {
    spec(campaignDecider).given([]).when(create({ products: [] })).thenThrows('PRODUCTS_REQUIRED', 'rule');
  });

  it('refuses two products with the same SKU', () => {
    spec(campaignDecider).given([]).when(create({ products: [straight, { ...recurring, sku: 'br-1' }] })).thenThrows('DUPLICATE_SKU', 'rule');
  });

  it('needs intervalDays and rebillPrice on a recurring product', () => {
    spec(campaignDecider).given([]).when(create({ products: [{ ...recurring, intervalDays: undefined }] })).thenThrows('RECURRING_TERMS_REQUIRED');
    spec(campaignDecider).given([]).when(create({ products: [{ ...recurring, rebillPrice: undefined }] })).thenThrows('RECURRING_TERMS_REQUIRED');
  });

  it('refuses a trial on a straight sale', () => {
    spec(campaignDecider).given([]).when(create({ products: [{ ...straight, trial: { price: 0, days: 7, type: 'STANDARD' } }] })).thenThrows('STRAIGHT_PRODUCT_TRIAL');
  });

  it('refuses a currency that is not an ISO 4217 code', () => {
    spec(campaignDecider).given([]).when(create({ currency: 'US$' })).thenThrows('INVALID_CURRENCY');
    spec(campaignDecider).given([]).when(create({ currency: 'EURO' })).thenThrows('INVALID_CURRENCY');
  });

  it('refuses a QA rate outside 0..1', () => {
    spec(campaignDecider).given([]).when(create({ qaRate: 1.5 })).thenThrows('INVALID_QA_RATE');
    spec(campaignDecider).given([]).when(create({ qaRate: -0.1 })).thenThrows('INVALID_QA_RATE');
  });

  it('refuses fractional or negative prices, naming the product field', () => {
    const error = spec(campaignDecider).given([]).when(create({ products: [{ ...straight, price: 39.99 }] })).thenThrows('INVALID_AMOUNT');
    expect(error.details).toMatchObject({ field: 'products[0].price' });
    spec(campaignDecider).given([]).when(create({ products: [{ ...straight, shippingPrice: -1 }] })).thenThrows('INVALID_AMOUNT');
  });

  it('refuses a trial or interval of zero days', () => {
    spec(campaignDecider).given([]).when(create({ products: [{ ...recurring, intervalDays: 0 }] })).thenThrows('INVALID_PRODUCT');
    spec(campaignDecider).given([]).when(create({ products: [{ ...recurring, trial: { price: 0, days: 0, type: 'ACCELERATED' } }] })).thenThrows('INVALID_PRODUCT');
  });

  it('holds the created campaign as its state', () => {
    expect(spec(campaignDecider).given([created]).state).toEqual({ status: 'ACTIVE', campaign: created.data });
  });
});
