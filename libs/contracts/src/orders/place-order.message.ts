import { amount, countryCode, emailAddress, idRef, INPUT_LIMITS, ipAddress, MAX_INPUT_RECORD_BYTES, phoneNumber, postalCode, quantity, regionName, text } from '../core/input-schemas';
import { defineMessage, JsonSchema } from '../core/registry';
import { arrayOf, bool, int, obj, oneOf, str } from '../core/schema-helpers';
import { Topics } from '../core/topics';
import { Address } from '../customers/address.schema';
import { CARD_BRANDS, TokenisedCard } from '../payments/payment-types';
import { PAYMENT_TYPES, PaymentType } from './order.events';
import { shippingMethodInput } from './campaign.events';
import { CustomFields, customFieldsInputSchema } from './custom-fields';

/** A new customer as POST /customers and POST /orders take it. */
export type NewCustomerInput = {
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly phone?: string;
  readonly billingAddress: Address;
  readonly shippingAddress?: Address;
}

/**
 * The raw card as a client sends it to POST /orders. It travels no further than the card vault
 * (payments POST /cards), which answers a TokenisedCard; nothing else ever sees number or cvv.
 */
export type CardInput = {
  readonly number: string;
  readonly expMonth: number;
  readonly expYear: number;
  readonly cvv: string;
}

/**
 * The body of POST /orders; the same shape travels on the intake topic (see PlaceOrderMessage).
 * Either `customerId` or `customer` must be present.
 */
export type PlaceOrderBody = {
  readonly campaignId: string;
  readonly customerId?: string;
  readonly customer?: NewCustomerInput;
  readonly items: readonly { readonly productId: string; readonly quantity: number; readonly unitPrice?: number; readonly subscribe?: boolean }[];
  readonly paymentType: PaymentType;
  readonly card?: CardInput;
  readonly shippingAddress?: Address;
  /** one of the campaign's shipping methods; default the campaign's first */
  readonly shippingMethod?: string;
  readonly forceQa?: boolean;
  readonly disableCustomerDedup?: boolean;
  readonly ipAddress?: string;
  readonly externalReference?: string;
  /** agents and admins: an amount (minor units) taken off the order, at most subtotal + shipping, and why */
  readonly discount?: { readonly amount: number; readonly reason: string };
  /** the order's custom fields: at most 20, names 1..40 characters, values up to 500 ("" is not stored) */
  readonly customFields?: CustomFields;
}

/**
 * An internal service's order on `orders.intake.v1`, idempotent by `clientOrderId`. A card never
 * travels on the topic: the publisher tokenises it first (payments POST /cards) and sends the
 * vault's answer as `card`; a message with a card number is refused to orders.dlq.v1.
 *
 *   { type: 'PlaceOrder', clientOrderId: 'lander-42', campaignId: 'c-1', customerId: 'cu-1',
 *     items: [{ productId: 'p-1', quantity: 1 }], paymentType: 'CARD',
 *     card: { token: 'tok_…', brand: 'VISA', last4: '1111', bin: '411111', expMonth: 12, expYear: 2030 } }
 */
export type PlaceOrderMessage = Omit<PlaceOrderBody, 'card'> & {
  /** the card vault's answer to POST /cards, as it is */
  readonly card?: TokenisedCard;
  readonly type: 'PlaceOrder';
  readonly version?: number;
  readonly messageId?: string;
  /**
   * The sending service (e.g. `lander`); the actor of the order, and the scope of `clientOrderId`:
   * two services may reuse the same clientOrderId. Absent means `intake`.
   */
  readonly source?: string;
  /** unique per source */
  readonly clientOrderId: string;
}

/** An address as clients send it (stricter than the stored Address schema, which keeps accepting old events). */
export const addressInputProperties = (): Record<string, JsonSchema> => ({
  line1: text(INPUT_LIMITS.addressLineLength),
  line2: text(INPUT_LIMITS.addressLineLength),
  city: text(INPUT_LIMITS.cityLength),
  state: regionName(),
  postalCode: postalCode(),
  country: countryCode(),
});

export const addressInputSchema = (): JsonSchema => obj(addressInputProperties(), ['line1', 'city', 'state', 'postalCode', 'country']);

/** A new customer as POST /customers, POST /orders and PlaceOrder messages take it. */
export const newCustomerProperties = (): Record<string, JsonSchema> => ({
  firstName: text(INPUT_LIMITS.nameLength),
  lastName: text(INPUT_LIMITS.nameLength),
  email: emailAddress(),
  phone: phoneNumber(),
  billingAddress: addressInputSchema(),
  shippingAddress: addressInputSchema(),
});

export const newCustomerSchema = (): JsonSchema => obj(newCustomerProperties(), ['firstName', 'lastName', 'email', 'billingAddress']);

/** The raw card of POST /orders (CardInput): it goes no further than the card vault. */
export const cardInputSchema = (): JsonSchema =>
  obj({
    number: str({ pattern: '^[0-9]{12,19}$' }),
    expMonth: int({ minimum: 1, maximum: 12 }),
    expYear: int({ minimum: 2000, maximum: 2100 }),
    cvv: str({ pattern: '^[0-9]{3,4}$' }),
  });

/**
 * The card vault's answer (TokenisedCard) as the intake topic carries it. Closed, and the token
 * must be a vault token (`tok_…`), so a card number cannot pass for one.
 */
export const tokenisedCardSchema = (): JsonSchema =>
  obj(
    {
      token: str({ pattern: '^tok_[A-Za-z0-9_-]{16,64}$' }),
      brand: oneOf(...CARD_BRANDS),
      last4: str({ pattern: '^[0-9]{4}$' }),
      bin: str({ pattern: '^[0-9]{6,8}$' }),
      expMonth: int({ minimum: 1, maximum: 12 }),
      expYear: int({ minimum: 2000, maximum: 2100 }),
    },
    ['token', 'brand', 'last4', 'bin', 'expMonth', 'expYear'],
  );

/** One line of POST /orders (and of PlaceOrder): a product of the campaign, how many, and optionally its price. */
export const orderLineProperties = (): Record<string, JsonSchema> => ({
  productId: idRef(),
  quantity: quantity(),
  unitPrice: { ...amount(), description: 'overrides the catalog price, integer minor units; 0 = free replacement. On CARD and COD orders only roles the campaign allows (default admin, service)' },
  subscribe: { ...bool(), description: 'a RECURRING line starts a purchase when true, or when absent on a CARD order; an EXTERNAL or COD order subscribes only when true and the customer has a card on file' },
});

/** A discount on POST /orders (agents and admins): a positive amount in minor units, at most subtotal + shipping, and why. */
export const orderDiscountProperties = (): Record<string, JsonSchema> => ({
  amount: amount(1),
  reason: text(INPUT_LIMITS.reasonLength),
});

/** Properties of the POST /orders body, for schemas that extend it (the PlaceOrder message). */
export const placeOrderBodyProperties = (): Record<string, JsonSchema> => ({
  campaignId: idRef(),
  customerId: idRef(),
  customer: newCustomerSchema(),
  items: arrayOf(obj(orderLineProperties(), ['productId', 'quantity']), { minItems: 1, maxItems: INPUT_LIMITS.maxItems }),
  paymentType: oneOf(...PAYMENT_TYPES),
  card: cardInputSchema(),
  shippingAddress: addressInputSchema(),
  shippingMethod: shippingMethodInput(),
  forceQa: bool(),
  disableCustomerDedup: bool(),
  ipAddress: ipAddress(),
  externalReference: text(INPUT_LIMITS.referenceLength),
  discount: obj(orderDiscountProperties(), ['amount', 'reason']),
  customFields: customFieldsInputSchema(),
});

export const PLACE_ORDER_MESSAGE_TYPE = 'PlaceOrder';

defineMessage(
  PLACE_ORDER_MESSAGE_TYPE,
  Topics.ordersIntake,
  `An internal service asks for an order: the POST /orders body plus clientOrderId (its idempotency key, unique per \`source\`, the sending service; absent source = intake), except that \`card\` is the card vault's answer (token, brand, last4, bin, expMonth, expYear from payments POST /cards), never a card number or cvv. The result appears as events on orders.events.v1; invalid messages (a card number included) go to orders.dlq.v1. A record (key, value and headers) of more than ${MAX_INPUT_RECORD_BYTES} bytes is dead-lettered there as schema-invalid (RECORD_TOO_LARGE) before it is parsed.`,
  {
    ...obj(
      {
        type: { const: PLACE_ORDER_MESSAGE_TYPE },
        version: int({ minimum: 1 }),
        messageId: text(INPUT_LIMITS.idLength),
        source: idRef(),
        clientOrderId: text(INPUT_LIMITS.idLength),
        ...placeOrderBodyProperties(),
        card: tokenisedCardSchema(),
      },
      ['type', 'clientOrderId', 'campaignId', 'items', 'paymentType'],
    ),
    // Ajv's strictRequired wants each conditionally required key declared beside its `required`
    // exactly one of them: both is as wrong as neither (HTTP answers 400 for either)
    oneOf: [
      { properties: { customerId: idRef() }, required: ['customerId'] },
      { properties: { customer: newCustomerSchema() }, required: ['customer'] },
    ],
    if: { properties: { paymentType: { const: 'CARD' } }, required: ['paymentType'] },
    then: { properties: { card: tokenisedCardSchema() }, required: ['card'] },
    else: { not: { properties: { card: tokenisedCardSchema() }, required: ['card'] } },
  },
);
