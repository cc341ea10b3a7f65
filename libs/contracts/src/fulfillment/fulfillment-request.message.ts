import { Address, addressSchema } from '../customers/address.schema';
import { JsonSchema, defineMessage } from '../core/registry';
import { arrayOf, id, int, isoDate, minor, obj, oneOf, str } from '../core/schema-helpers';
import { Topics } from '../core/topics';

/**
 * What a fulfillment house receives on Topics.fulfillmentRequests, keyed by `reference` (docs/fulfillment.md):
 * never card data. `cod` only on cash-on-delivery orders: what the courier collects.
 *
 *   { reference: 'o-1-F1', orderId: 'o-1', customerId: 'cu-1', items: [{ sku: 'BR-1', name: 'One bottle', quantity: 1 }],
 *     shipTo: { name: 'Ann Lee', address: { line1: '1 Main St', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' } },
 *     shippingMethod: 'STANDARD', attempt: 1 }
 */
export type FulfillmentRequest = {
  readonly reference: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly items: readonly { readonly sku: string; readonly name: string; readonly quantity: number }[];
  readonly shipTo: { readonly name: string; readonly address: Address };
  readonly shippingMethod: string;
  readonly cod?: { readonly amount: number; readonly currency: string };
  /** 1, or 2 for the one automatic resend after the house answered FAILED (same reference) */
  readonly attempt: number;
};

/** The closed schema of a FulfillmentRequest (also embedded in the FulfillmentExported event). */
export const fulfillmentRequestSchema = (): JsonSchema =>
  obj(
    {
      reference: id(),
      orderId: id(),
      customerId: id(),
      items: arrayOf(obj({ sku: id(), name: id(), quantity: int({ minimum: 1 }) }), { minItems: 1 }),
      shipTo: obj({ name: id(), address: addressSchema() }),
      shippingMethod: id(),
      cod: obj({ amount: minor(), currency: str({ pattern: '^[A-Z]{3}$' }) }),
      attempt: int({ minimum: 1 }),
    },
    ['reference', 'orderId', 'customerId', 'items', 'shipTo', 'shippingMethod', 'attempt'],
  );

export const FULFILLMENT_REQUEST_MESSAGE = 'FulfillmentRequest';

defineMessage(
  FULFILLMENT_REQUEST_MESSAGE,
  Topics.fulfillmentRequests,
  'What a fulfillment house must ship, keyed by reference (a reship has a suffixed reference, so it is never a duplicate; attempt 2 is the one resend after FAILED). Delivered at least once: dedupe by reference and attempt. Never card data; cod only for cash-on-delivery orders.',
  fulfillmentRequestSchema(),
);

/**
 * What a fulfillment house receives on Topics.fulfillmentRequests when a fulfillment it holds (exported,
 * not shipped) is cancelled, keyed by `reference` like the request it withdraws:
 *
 *   { type: 'FulfillmentCancelRequested', reference: 'o-1-F1', orderId: 'o-1', reason: 'order cancelled: duplicate', at: '2026-01-02T10:00:00.000Z' }
 */
export type FulfillmentCancelRequest = {
  readonly type: 'FulfillmentCancelRequested';
  readonly reference: string;
  readonly orderId: string;
  readonly reason: string;
  readonly at: string;
};

export const FULFILLMENT_CANCEL_REQUEST_MESSAGE = 'FulfillmentCancelRequested';

defineMessage(
  FULFILLMENT_CANCEL_REQUEST_MESSAGE,
  Topics.fulfillmentRequests,
  'A fulfillment the house holds (exported, not shipped) was cancelled: do not ship this reference. Keyed by reference; the record header type and the field type say FulfillmentCancelRequested (a request to ship has no type field). Delivered at least once: dedupe by reference.',
  obj({ type: oneOf(FULFILLMENT_CANCEL_REQUEST_MESSAGE), reference: id(), orderId: id(), reason: str({ minLength: 1 }), at: isoDate() }),
);
