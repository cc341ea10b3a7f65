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

/** What an order ships by when its campaign lists no shipping methods, and what fulfillment sends when an order names none. */
export const STANDARD_SHIPPING_METHOD = 'STANDARD';
/** Most shipping methods one campaign offers. */
export const MAX_SHIPPING_METHODS = 10;

/** One way a campaign ships: its code (what an order names and the house receives) and, optionally, what agents call it. */
export type ShippingMethod = {
  readonly code: string;
  readonly name?: string;
};

/** A shipping method code as campaigns list it and orders name it: `STANDARD`, `EXPRESS`, `NEXT_DAY`. */
export const shippingMethodInput = () => ({
  type: 'string',
  pattern: '^[A-Z][A-Z0-9_]{0,39}$',
  description: 'a shipping method code: 1..40 of upper-case letters, digits and _, starting with a letter (e.g. STANDARD, EXPRESS)',
});

/** Roles that a campaign may allow to override a catalog price on a CARD or COD order. */
export const PRICE_OVERRIDE_ROLES = ['agent', 'admin', 'service'] as const;
export type PriceOverrideRole = (typeof PRICE_OVERRIDE_ROLES)[number];

/**
 * What a campaign lets one order do (docs/api-limits.md); an absent field takes the default of
 * DEFAULT_ORDER_LIMITS (order-limits.ts).
 */
export type CampaignLimits = {
  /** most units of one product on one line */
  readonly maxQuantity?: number;
  /** largest order total, upsells included, in minor units */
  readonly maxOrderTotal?: number;
  /** who may set `unitPrice` on a CARD or COD order; anyone may on an EXTERNAL one (QA reviews those) */
  readonly unitPriceRoles?: readonly PriceOverrideRole[];
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
  readonly limits?: CampaignLimits;
  /** the shipping methods its orders may name, the first being the default; absent: STANDARD only (recorded on no order) */
  readonly shippingMethods?: readonly ShippingMethod[];
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

/** Hard ceilings of any campaign's limits, so a limit itself stays a sane business number. */
export const CAMPAIGN_LIMIT_CEILINGS = { maxQuantity: 1000, maxOrderTotal: 100_000_000 } as const;

export const campaignLimitsSchema = () =>
  obj(
    {
      maxQuantity: int({ minimum: 1, maximum: CAMPAIGN_LIMIT_CEILINGS.maxQuantity }),
      maxOrderTotal: int({ minimum: 1, maximum: CAMPAIGN_LIMIT_CEILINGS.maxOrderTotal }),
      unitPriceRoles: arrayOf(oneOf(...PRICE_OVERRIDE_ROLES), { uniqueItems: true, maxItems: PRICE_OVERRIDE_ROLES.length }),
    },
    [],
  );

export const campaignSnapshotSchema = () =>
  obj(
    {
      campaignId: id(),
      name: id(),
      currency: str({ pattern: '^[A-Z]{3}$' }),
      qaRate: num({ minimum: 0, maximum: 1 }),
      skipQaForExternal: bool(),
      products: arrayOf(campaignProductSchema(), { minItems: 1 }),
      limits: campaignLimitsSchema(),
      shippingMethods: arrayOf(obj({ code: shippingMethodInput(), name: str({ minLength: 1, maxLength: 100 }) }, ['code']), { minItems: 1, maxItems: MAX_SHIPPING_METHODS }),
    },
    ['campaignId', 'name', 'currency', 'qaRate', 'skipQaForExternal', 'products'],
  );

defineEvent(
  CAMPAIGN_EVENT_TYPES.CampaignCreated,
  Topics.ordersEvents,
  'An admin created a campaign: its offers (products with prices and billing terms), currency and QA settings.',
  campaignSnapshotSchema(),
);
