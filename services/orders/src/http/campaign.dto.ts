import { amount, BILLING_TYPES, BillingType, campaignLimitsSchema, INPUT_LIMITS, MAX_SHIPPING_METHODS, PriceOverrideRole, shippingMethodInput, text, TRIAL_TYPES, TrialType } from '@continuum/contracts';
import { SchemaField } from '@continuum/platform';

const days = (max: number) => ({ type: 'integer', minimum: 1, maximum: max });
const limits = campaignLimitsSchema()['properties'] as Record<string, Record<string, unknown>>;

export class TrialDto {
  @SchemaField({ ...amount(), description: 'minor units' }, { example: 499 }) price!: number;
  @SchemaField(days(365), { example: 14 }) days!: number;
  @SchemaField({ type: 'string', enum: [...TRIAL_TYPES] }) type!: TrialType;
}

export class CampaignProductDto {
  @SchemaField(text(64), { example: 'BR-1' }) sku!: string;
  @SchemaField(text(INPUT_LIMITS.nameLength), { example: 'Bladder Relief 1 bottle' }) name!: string;
  @SchemaField({ ...amount(), description: 'minor units' }, { example: 3999 }) price!: number;
  @SchemaField({ ...amount(), description: 'minor units' }, { example: 495 }) shippingPrice!: number;
  @SchemaField({ type: 'string', enum: [...BILLING_TYPES] }) billingType!: BillingType;
  @SchemaField({ type: 'object' }, { optional: true, nested: () => TrialDto }) trial?: TrialDto;
  @SchemaField({ ...amount(), description: 'minor units' }, { optional: true }) rebillPrice?: number;
  @SchemaField(days(365), { optional: true }) intervalDays?: number;
  @SchemaField({ type: 'integer', minimum: 1, maximum: 120 }, { optional: true }) finalBillCycle?: number;
}

/** One shipping method of a campaign: the code an order names (and the house receives), and a name for agents. */
export class ShippingMethodDto {
  @SchemaField(shippingMethodInput(), { example: 'EXPRESS' }) code!: string;
  @SchemaField(text(100), { optional: true, example: 'Express, 2 days' }) name?: string;
}

/** What one order of the campaign may do; each absent field takes its default (docs/api-limits.md). */
export class CampaignLimitsDto {
  @SchemaField({ ...limits['maxQuantity'], description: 'most units of a product on one order line (default 100)' }, { optional: true }) maxQuantity?: number;
  @SchemaField({ ...limits['maxOrderTotal'], description: 'largest order total, upsells included, minor units (default 1000000 = $10,000.00)' }, { optional: true })
  maxOrderTotal?: number;
  @SchemaField({ ...limits['unitPriceRoles'], description: 'who may set unitPrice on a CARD or COD order (default admin, service); anyone may on EXTERNAL orders' }, { optional: true })
  unitPriceRoles?: PriceOverrideRole[];
}

/** POST /campaigns (admins). */
export class CreateCampaignDto {
  @SchemaField(text(INPUT_LIMITS.nameLength), { example: 'Bladder Relief 911' }) name!: string;
  @SchemaField({ type: 'string', pattern: '^[A-Za-z]{3}$' }, { example: 'USD', description: 'ISO 4217' }) currency!: string;
  @SchemaField({ type: 'number', minimum: 0, maximum: 1, description: 'share of orders sent to QA' }, { optional: true }) qaRate?: number;
  @SchemaField({ type: 'boolean' }, { optional: true }) skipQaForExternal?: boolean;
  @SchemaField({ type: 'array', items: { type: 'object' }, minItems: 1, maxItems: INPUT_LIMITS.maxProducts }, { nested: () => CampaignProductDto }) products!: CampaignProductDto[];
  @SchemaField({ type: 'object' }, { optional: true, nested: () => CampaignLimitsDto }) limits?: CampaignLimitsDto;
  @SchemaField(
    { type: 'array', items: { type: 'object' }, minItems: 1, maxItems: MAX_SHIPPING_METHODS, description: 'the shipping methods its orders may name (codes listed once), the first the default (absent: STANDARD only)' },
    { optional: true, nested: () => ShippingMethodDto },
  )
  shippingMethods?: ShippingMethodDto[];
}
