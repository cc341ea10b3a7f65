import {
  assertNever,
  CampaignEvent,
  CampaignProduct,
  CampaignSnapshot,
  Command,
  Decider,
  DomainError,
  MAX_SHIPPING_METHODS,
  shippingMethodInput,
} from '@continuum/contracts';
import { assertMinorUnits } from './money';
import { checkCampaignLimits } from './order-limits';

/** Stream of one campaign. */
export const campaignStreamId = (campaignId: string) => `campaign-${campaignId}`;

/** Admins only (checked by the HTTP layer). Product ids arrive with the command like every other id. */
export type CreateCampaign = Command<
  'CreateCampaign',
  Omit<CampaignSnapshot, 'qaRate' | 'skipQaForExternal'> & { qaRate?: number; skipQaForExternal?: boolean }
>;
export type CampaignCommand = CreateCampaign;

export type CampaignState = { readonly status: 'ABSENT' } | { readonly status: 'ACTIVE'; readonly campaign: CampaignSnapshot };

const rule = (code: string, message: string, details?: Record<string, unknown>): never => {
  throw new DomainError(code, message, 'rule', details);
};
const SHIPPING_METHOD = new RegExp(shippingMethodInput().pattern);
const positiveInt = (value: number | undefined) => value === undefined || (Number.isSafeInteger(value) && value >= 1);

function checkProduct(product: CampaignProduct, index: number): CampaignProduct {
  const at = (field: string) => `products[${index}].${field}`;
  const name = product.name.trim();
  const sku = product.sku.trim();
  if (name === '' || sku === '') rule('INVALID_PRODUCT', 'A product needs a name and a SKU', { field: at(name === '' ? 'name' : 'sku') });
  assertMinorUnits(product.price, { field: at('price') });
  assertMinorUnits(product.shippingPrice, { field: at('shippingPrice') });
  if (product.rebillPrice !== undefined) assertMinorUnits(product.rebillPrice, { field: at('rebillPrice') });
  if (!positiveInt(product.intervalDays)) rule('INVALID_PRODUCT', 'intervalDays is a whole number of days, at least 1', { field: at('intervalDays') });
  if (!positiveInt(product.finalBillCycle)) rule('INVALID_PRODUCT', 'finalBillCycle is a whole number, at least 1', { field: at('finalBillCycle') });
  if (product.trial) {
    assertMinorUnits(product.trial.price, { field: at('trial.price') });
    if (!positiveInt(product.trial.days)) rule('INVALID_PRODUCT', 'A trial lasts a whole number of days, at least 1', { field: at('trial.days') });
  }
  switch (product.billingType) {
    case 'RECURRING':
      if (product.intervalDays === undefined || product.rebillPrice === undefined) {
        rule('RECURRING_TERMS_REQUIRED', `${sku}: a recurring product needs intervalDays and rebillPrice`, { field: at(product.intervalDays === undefined ? 'intervalDays' : 'rebillPrice') });
      }
      break;
    case 'STRAIGHT':
      if (product.trial) rule('STRAIGHT_PRODUCT_TRIAL', `${sku}: a straight sale has no trial`, { field: at('trial') });
      break;
    default:
      return assertNever(product.billingType, 'billing type');
  }
  return { ...product, name, sku };
}

function create(command: CreateCampaign, state: CampaignState): CampaignEvent[] {
  if (state.status !== 'ABSENT') throw new DomainError('CAMPAIGN_EXISTS', `Campaign ${command.data.campaignId} already exists`, 'conflict');
  const { campaignId, products } = command.data;
  const name = command.data.name.trim();
  const currency = command.data.currency.trim().toUpperCase();
  const qaRate = command.data.qaRate ?? 0;
  if (name === '') rule('INVALID_CAMPAIGN', 'A campaign needs a name', { field: 'name' });
  if (!/^[A-Z]{3}$/.test(currency)) rule('INVALID_CURRENCY', 'currency is an ISO 4217 code such as USD', { field: 'currency' });
  if (!Number.isFinite(qaRate) || qaRate < 0 || qaRate > 1) rule('INVALID_QA_RATE', 'qaRate is a share between 0 and 1', { field: 'qaRate' });
  if (products.length === 0) rule('PRODUCTS_REQUIRED', 'A campaign needs at least one product', { field: 'products' });
  const checked = products.map(checkProduct);
  const skus = checked.map((p) => p.sku.toLowerCase());
  const duplicateSku = checked.find((p, i) => skus.indexOf(p.sku.toLowerCase()) !== i);
  if (duplicateSku) rule('DUPLICATE_SKU', `SKU ${duplicateSku.sku} appears twice`, { field: 'products', sku: duplicateSku.sku });
  const { shippingMethods } = command.data;
  if (shippingMethods !== undefined) {
    const codes = shippingMethods.map((method) => method.code);
    const valid = codes.length >= 1 && codes.length <= MAX_SHIPPING_METHODS && codes.every((code) => SHIPPING_METHOD.test(code));
    if (!valid || new Set(codes).size !== codes.length) {
      rule('INVALID_SHIPPING_METHODS', `shippingMethods lists 1..${MAX_SHIPPING_METHODS} methods, each code once, such as STANDARD or EXPRESS`, { field: 'shippingMethods' });
    }
  }
  const ids = checked.map((p) => p.productId);
  if (new Set(ids).size !== ids.length) throw new DomainError('DUPLICATE_PRODUCT_ID', 'Two products share an id', 'conflict');
  return [
    {
      type: 'CampaignCreated',
      data: {
        campaignId,
        name,
        currency,
        qaRate,
        skipQaForExternal: command.data.skipQaForExternal ?? false,
        products: checked,
        ...(command.data.limits ? { limits: checkCampaignLimits(command.data.limits) } : {}),
        ...(shippingMethods !== undefined ? { shippingMethods } : {}),
      },
    },
  ];
}

/** A campaign: its offers and QA settings. Created once; the snapshot prices every order placed on it. */
export const campaignDecider: Decider<CampaignCommand, CampaignEvent, CampaignState> = {
  initialState: () => ({ status: 'ABSENT' }),
  decide: (command, state) => {
    switch (command.type) {
      case 'CreateCampaign':
        return create(command, state);
      default:
        return assertNever(command.type, 'campaign command');
    }
  },
  evolve: (_state, event) => {
    switch (event.type) {
      case 'CampaignCreated':
        return { status: 'ACTIVE', campaign: event.data };
      default:
        return assertNever(event.type, 'campaign event');
    }
  },
};
