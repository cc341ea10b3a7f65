import { FULFILLMENT_STATUSES, JsonSchema } from '@continuum/contracts';
import { Fulfillment } from '../domain';

/** Success bodies of the fulfillment API for the OpenAPI document; objects are open (fields may be added). */
const s = (): JsonSchema => ({ type: 'string' });
const i = (): JsonSchema => ({ type: 'integer' });
const object = (properties: Record<string, JsonSchema>, required: string[] = Object.keys(properties)): JsonSchema => ({ type: 'object', properties, required });
const address = () => object({ line1: s(), line2: s(), city: s(), state: s(), postalCode: s(), country: s() }, ['line1', 'city', 'state', 'postalCode', 'country']);

/** A fulfillment as the API answers it (API.md "Fulfillment service"). */
export interface FulfillmentResponse {
  readonly fulfillmentId: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly reference: string;
  readonly status: Fulfillment['status'];
  readonly items: Fulfillment['items'];
  /** absent when the order named none: the customer's address is used at export */
  readonly shippingAddress?: NonNullable<Fulfillment['shippingAddress']>;
  readonly shippingMethod: string;
  readonly trackingNumber?: string;
  readonly carrier?: string;
  readonly shippedAt?: string;
  readonly deliveredAt?: string;
  readonly rmaNumber?: string;
  readonly returnedAt?: string;
  readonly failureReason?: string;
  readonly cancelReason?: string;
  readonly cod?: { status: string; amount: number; currency: string; deliveryConfirmation?: string; date?: string };
  readonly reshipOf?: string;
  readonly reships: readonly string[];
  readonly exportAttempts: number;
  readonly createdAt: string;
  readonly exportedAt?: string;
}

const present = <T>(key: string, value: T | null) => (value === null ? {} : { [key]: value });

export function fulfillmentResponse(f: Fulfillment): FulfillmentResponse {
  return {
    fulfillmentId: f.fulfillmentId,
    orderId: f.orderId,
    customerId: f.customerId,
    reference: f.reference,
    status: f.status,
    items: f.items,
    ...present('shippingAddress', f.shippingAddress),
    shippingMethod: f.shippingMethod,
    ...present('trackingNumber', f.trackingNumber),
    ...present('carrier', f.carrier),
    ...present('shippedAt', f.shippedAt),
    ...present('deliveredAt', f.deliveredAt),
    ...present('rmaNumber', f.rmaNumber),
    ...present('returnedAt', f.returnedAt),
    ...present('failureReason', f.failureReason),
    ...present('cancelReason', f.cancelReason),
    ...(f.cod
      ? { cod: { status: f.cod.status, amount: f.cod.amount, currency: f.cod.currency, ...present('deliveryConfirmation', f.cod.deliveryConfirmation), ...present('date', f.cod.date) } }
      : {}),
    ...present('reshipOf', f.reshipOf),
    reships: f.reships,
    exportAttempts: f.exportAttempts,
    createdAt: f.createdAt,
    ...present('exportedAt', f.exportedAt),
  } as FulfillmentResponse;
}

export const fulfillmentSchema = (): JsonSchema =>
  object(
    {
      fulfillmentId: s(),
      orderId: s(),
      customerId: s(),
      reference: s(),
      status: { type: 'string', enum: [...FULFILLMENT_STATUSES] },
      items: { type: 'array', items: object({ productId: s(), sku: s(), name: s(), quantity: i() }) },
      shippingAddress: address(),
      shippingMethod: s(),
      trackingNumber: s(),
      carrier: s(),
      shippedAt: s(),
      deliveredAt: s(),
      rmaNumber: s(),
      returnedAt: s(),
      failureReason: s(),
      cancelReason: s(),
      cod: object({ status: s(), amount: i(), currency: s(), deliveryConfirmation: s(), date: s() }, ['status', 'amount', 'currency']),
      reshipOf: s(),
      reships: { type: 'array', items: s() },
      exportAttempts: i(),
      createdAt: s(),
      exportedAt: s(),
    },
    ['fulfillmentId', 'orderId', 'customerId', 'reference', 'status', 'items', 'shippingMethod', 'reships', 'exportAttempts', 'createdAt'],
  );

export const listOf = (items: JsonSchema): JsonSchema => ({ type: 'array', items });
export const exportedAnswer = (): JsonSchema => object({ exported: i() });
export const reshipAnswer = (): JsonSchema => object({ fulfillmentId: s(), reference: s() });
