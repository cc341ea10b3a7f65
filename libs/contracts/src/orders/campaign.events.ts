import { DomainEvent } from '../core/envelope';
import { defineEvent } from '../core/registry';
import { arrayOf, bool, id, int, minor, num, obj, oneOf, str } from '../core/schema-helpers';
import { Topics } from '../core/topics';

export const BILLING_TYPES = ['STRAIGHT', 'RECURRING'] as const;
export type BillingType = (typeof BILLING_TYPES)[number];

export const TRIAL_TYPES = ['STANDARD', 'ACCELERATED'] as const;
export type TrialType = (typeof TRIAL_TYPES)[number];

/** The trial of a recurring product: what the first order costs and how long until the first rebill. */
export type Trial = {
  readonly price: number;
  readonly days: number;
  readonly type: TrialType;
}

/** One offer of a campaign; money in minor units of the campaign currency. */
export type CampaignProduct = {
  readonly productId: string;
  readonly sku: string;
  readonly name: string;
  readonly price: number;
  readonly shippingPrice: number;
  readonly billingType: BillingType;
  readonly trial?: Trial;
  readonly rebillPrice?: number;
  readonly intervalDays?: number;
  readonly finalBillCycle?: number;
}

/** A campaign as created; also the snapshot an order is priced from. */
export type CampaignSnapshot = {
  readonly campaignId: string;
  readonly name: string;
  /** ISO 4217, e.g. "USD" */
  readonly currency: string;
  /** share of orders sent to QA, 0..1 */
  readonly qaRate: number;
  readonly skipQaForExternal: boolean;
  readonly products: readonly CampaignProduct[];
}

export type CampaignCreated = DomainEvent<'CampaignCreated', CampaignSnapshot>;
export type CampaignEvent = CampaignCreated;

/** The campaign event type strings, for consumers that dispatch on `type`. */
export const CAMPAIGN_EVENT_TYPES = { CampaignCreated: 'CampaignCreated' } as const satisfies { [K in CampaignEvent['type']]: K };

export const trialSchema = () => obj({ price: minor(), days: int({ minimum: 1 }), type: oneOf(...TRIAL_TYPES) });

export const campaignProductSchema = () =>
  obj(
    {
      productId: id(),
      sku: id(),
      name: id(),
      price: minor(),
      shippingPrice: minor(),
      billingType: oneOf(...BILLING_TYPES),
      trial: trialSchema(),
      rebillPrice: minor(),
      intervalDays: int({ minimum: 1 }),
      finalBillCycle: int({ minimum: 1 }),
    },
    ['productId', 'sku', 'name', 'price', 'shippingPrice', 'billingType'],
  );

export const campaignSnapshotSchema = () =>
  obj({
    campaignId: id(),
    name: id(),
    currency: str({ pattern: '^[A-Z]{3}$' }),
    qaRate: num({ minimum: 0, maximum: 1 }),
    skipQaForExternal: bool(),
    products: arrayOf(campaignProductSchema(), { minItems: 1 }),
  });

defineEvent(
  CAMPAIGN_EVENT_TYPES.CampaignCreated,
  Topics.ordersEvents,
  'An admin created a campaign: its offers (products with prices and billing terms), currency and QA settings.',
  campaignSnapshotSchema(),
);
