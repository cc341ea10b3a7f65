import { JsonSchema, PURCHASE_STATUSES } from '@continuum/contracts';

/** Success bodies of the subscriptions API for the OpenAPI document; objects are open (fields may be added). */
const s = (): JsonSchema => ({ type: 'string' });
const i = (): JsonSchema => ({ type: 'integer' });
const nullable = (schema: JsonSchema): JsonSchema => ({ ...schema, nullable: true });
const object = (properties: Record<string, JsonSchema>, required: string[] = Object.keys(properties)): JsonSchema => ({ type: 'object', properties, required });

const actor = () => object({ kind: s(), id: s() });

export const purchaseResponse = (): JsonSchema =>
  object(
    {
      purchaseId: s(),
      orderId: s(),
      customerId: s(),
      campaignId: s(),
      orderDate: s(),
      productId: s(),
      sku: s(),
      name: s(),
      quantity: i(),
      unitPrice: i(),
      billingType: s(),
      status: { type: 'string', enum: [...PURCHASE_STATUSES] },
      trialType: s(),
      trialDays: i(),
      billingCycle: i(),
      finalBillCycle: nullable(i()),
      merchantId: nullable(s()),
      nextBillDate: nullable(s()),
      billingInterval: object({ unit: s(), count: i() }),
      price: i(),
      shippingPrice: i(),
      salesTax: object({ mode: { type: 'string', enum: ['AUTO', 'CUSTOM'] }, amount: i() }, ['mode']),
      insureShipment: { type: 'boolean' },
      currency: s(),
      rebillAmount: i(),
      cancellation: nullable(object({ when: s(), date: s(), reason: s() }, ['when', 'reason'])),
      billing: nullable(object({ billingCycle: i(), orderId: nullable(s()), trigger: s() })),
      recycle: nullable(object({ billingCycle: i(), retry: i() })),
      history: { type: 'array', items: object({ at: s(), type: s(), actor: actor(), summary: s(), correlationId: s() }) },
      transactions: {
        type: 'array',
        items: object(
          { transactionId: s(), orderId: s(), billingCycle: i(), type: s(), response: s(), amount: i(), currency: s(), card: object({ brand: s(), last4: s() }, []), message: s(), at: s() },
          ['transactionId', 'orderId', 'billingCycle', 'type', 'response', 'amount', 'currency', 'message', 'at'],
        ),
      },
      fulfillments: { type: 'array', items: object({ fulfillmentId: s(), orderId: s(), status: s(), trackingNumber: s(), updatedAt: s() }, ['fulfillmentId', 'orderId', 'status', 'updatedAt']) },
    },
    ['purchaseId', 'orderId', 'customerId', 'orderDate', 'productId', 'quantity', 'billingType', 'status', 'trialType', 'billingCycle', 'merchantId', 'nextBillDate', 'price', 'shippingPrice', 'salesTax', 'insureShipment', 'history', 'transactions', 'fulfillments'],
  );

export const billingRunResponse = (): JsonSchema => object({ asOf: s(), requested: i(), billed: i(), declined: i(), pending: i(), cancelled: i() });

export const listOf = (items: JsonSchema): JsonSchema => ({ type: 'array', items });
