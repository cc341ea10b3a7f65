import { BILLING_TYPES, BLACKLIST_ENTRY_TYPES, JsonSchema, ORDER_STATUSES, PAYMENT_TYPES } from '@continuum/contracts';

/**
 * Success bodies of the orders API, for the OpenAPI document (and so for the fuzz suite's
 * conformance check). Objects are open: a field added later does not break a client.
 */
const s = (): JsonSchema => ({ type: 'string' });
const i = (): JsonSchema => ({ type: 'integer' });
const object = (properties: Record<string, JsonSchema>, required: string[] = Object.keys(properties)): JsonSchema => ({ type: 'object', properties, required });

export const addressResponse = (): JsonSchema => object({ line1: s(), line2: s(), city: s(), state: s(), postalCode: s(), country: s() }, ['line1', 'city', 'state', 'postalCode', 'country']);

export const campaignResponse = (): JsonSchema =>
  object(
    {
      campaignId: s(),
      name: s(),
      currency: s(),
      qaRate: { type: 'number' },
      skipQaForExternal: { type: 'boolean' },
      products: { type: 'array', items: object({ productId: s(), sku: s(), name: s(), price: i(), shippingPrice: i(), billingType: { type: 'string', enum: [...BILLING_TYPES] } }) },
      limits: { type: 'object' },
    },
    ['campaignId', 'name', 'currency', 'qaRate', 'skipQaForExternal', 'products'],
  );

export const customerResponse = (): JsonSchema =>
  object({ customerId: s(), firstName: s(), lastName: s(), email: s(), phone: s(), billingAddress: addressResponse(), shippingAddress: addressResponse(), mergedInto: s() }, [
    'customerId',
    'firstName',
    'lastName',
    'email',
    'billingAddress',
  ]);

const totals = () => object({ subtotal: i(), shipping: i(), salesTax: i(), discount: i(), total: i(), refunded: i() });

export const orderResponse = (): JsonSchema =>
  object(
    {
      orderId: s(),
      customerId: s(),
      campaignId: s(),
      status: { type: 'string', enum: [...ORDER_STATUSES] },
      paymentType: { type: 'string', enum: [...PAYMENT_TYPES] },
      currency: s(),
      items: { type: 'array', items: object({ productId: s(), quantity: i(), unitPrice: i(), price: i() }) },
      totals: totals(),
      qa: object({ required: { type: 'boolean' }, reasons: { type: 'array', items: s() } }),
      card: object({ brand: s(), last4: s() }),
      createdAt: { type: 'string', format: 'date-time' },
    },
    ['orderId', 'customerId', 'campaignId', 'status', 'paymentType', 'items', 'totals', 'createdAt'],
  );

export const placedOrderResponse = (): JsonSchema => object({ orderId: s(), customerId: s(), status: { type: 'string', enum: [...ORDER_STATUSES] } });

export const blacklistEntryResponse = (): JsonSchema =>
  object({ entryId: s(), type: { type: 'string', enum: [...BLACKLIST_ENTRY_TYPES] }, value: s(), codOnly: { type: 'boolean' }, reason: s() }, ['entryId', 'type', 'value', 'codOnly']);

export const idResponse = (name: string): JsonSchema => object({ [name]: s() });

export const mergeResponse = (): JsonSchema => object({ customerId: s(), fromCustomerId: s(), reassignedOrderIds: { type: 'array', items: s() } });

export const listOf = (items: JsonSchema): JsonSchema => ({ type: 'array', items });
