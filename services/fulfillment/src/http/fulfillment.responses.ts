import { FULFILLMENT_STATUSES, JsonSchema, arrayOf, int, oneOf, openObj, str } from '@continuum/contracts';
import { Fulfillment } from '../domain';

/** Success bodies of the fulfillment API for the OpenAPI document; objects are open (fields may be added). */
const address = () => openObj({ line1: str(), line2: str(), city: str(), state: str(), postalCode: str(), country: str() }, ['line1', 'city', 'state', 'postalCode', 'country']);

/** A fulfillment as GET /fulfillments/:id and every action answer it. */
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
  openObj(
    {
      fulfillmentId: str(),
      orderId: str(),
      customerId: str(),
      reference: str(),
      status: oneOf(...FULFILLMENT_STATUSES),
      items: arrayOf(openObj({ productId: str(), sku: str(), name: str(), quantity: int() })),
      shippingAddress: address(),
      shippingMethod: str(),
      trackingNumber: str(),
      carrier: str(),
      shippedAt: str(),
      deliveredAt: str(),
      rmaNumber: str(),
      returnedAt: str(),
      failureReason: str(),
      cancelReason: str(),
      cod: openObj({ status: str(), amount: int(), currency: str(), deliveryConfirmation: str(), date: str() }, ['status', 'amount', 'currency']),
      reshipOf: str(),
      reships: arrayOf(str()),
      exportAttempts: int(),
      createdAt: str(),
      exportedAt: str(),
    },
    ['fulfillmentId', 'orderId', 'customerId', 'reference', 'status', 'items', 'shippingMethod', 'reships', 'exportAttempts', 'createdAt'],
  );

export const exportedAnswer = (): JsonSchema => openObj({ exported: int() });
export const reshipAnswer = (): JsonSchema => openObj({ fulfillmentId: str(), reference: str() });
