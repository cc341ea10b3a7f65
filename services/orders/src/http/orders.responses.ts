import { BILLING_TYPES, BLACKLIST_ENTRY_TYPES, JsonSchema, ORDER_STATUSES, PAYMENT_TYPES, anyObj, arrayOf, bool, int, isoDate, num, oneOf, openObj, str } from '@continuum/contracts';

/**
 * Success bodies of the orders API, for the OpenAPI document (and so for the fuzz suite's
 * conformance check). Objects are open: a field added later does not break a client.
 */
export const addressResponse = (): JsonSchema => openObj({ line1: str(), line2: str(), city: str(), state: str(), postalCode: str(), country: str() }, ['line1', 'city', 'state', 'postalCode', 'country']);

/** Custom fields as the reads show them: name -> value, {} when none. */
export const customFieldsResponse = (): JsonSchema => ({ type: 'object', additionalProperties: str(), description: 'name -> value; {} when none' });

export const campaignResponse = (): JsonSchema =>
  openObj(
    {
      campaignId: str(),
      name: str(),
      currency: str(),
      qaRate: num(),
      skipQaForExternal: bool(),
      products: arrayOf(openObj({ productId: str(), sku: str(), name: str(), price: int(), shippingPrice: int(), billingType: oneOf(...BILLING_TYPES) })),
      limits: anyObj(),
      shippingMethods: arrayOf(openObj({ code: str(), name: str() }, ['code'])),
    },
    ['campaignId', 'name', 'currency', 'qaRate', 'skipQaForExternal', 'products'],
  );

export const customerResponse = (): JsonSchema =>
  openObj({ customerId: str(), firstName: str(), lastName: str(), email: str(), phone: str(), billingAddress: addressResponse(), shippingAddress: addressResponse(), mergedInto: str(), customFields: customFieldsResponse() }, [
    'customerId',
    'firstName',
    'lastName',
    'email',
    'billingAddress',
  ]);

const totals = () => openObj({ subtotal: int(), shipping: int(), salesTax: int(), discount: int(), total: int(), refunded: int() });

export const orderResponse = (): JsonSchema =>
  openObj(
    {
      orderId: str(),
      customerId: str(),
      campaignId: str(),
      status: oneOf(...ORDER_STATUSES),
      paymentType: oneOf(...PAYMENT_TYPES),
      currency: str(),
      items: arrayOf(openObj({ productId: str(), quantity: int(), unitPrice: int(), price: int() })),
      totals: totals(),
      qa: openObj({ required: bool(), reasons: arrayOf(str()) }),
      card: openObj({ brand: str(), last4: str() }),
      customFields: customFieldsResponse(),
      createdAt: isoDate(),
    },
    ['orderId', 'customerId', 'campaignId', 'status', 'paymentType', 'items', 'totals', 'createdAt'],
  );

export const placedOrderResponse = (): JsonSchema => openObj({ orderId: str(), customerId: str(), status: oneOf(...ORDER_STATUSES) });

export const blacklistEntryResponse = (): JsonSchema =>
  openObj({ entryId: str(), type: oneOf(...BLACKLIST_ENTRY_TYPES), value: str(), codOnly: bool(), reason: str() }, ['entryId', 'type', 'value', 'codOnly']);

export const idResponse = (name: string): JsonSchema => openObj({ [name]: str() });

export const mergeResponse = (): JsonSchema => openObj({ customerId: str(), fromCustomerId: str(), reassignedOrderIds: arrayOf(str()) });

/** POST /customers/:id/blacklist: the entries made or found in force, email first. */
export const entryIdsResponse = (): JsonSchema => openObj({ entryIds: arrayOf(str()) }, ['entryIds']);
