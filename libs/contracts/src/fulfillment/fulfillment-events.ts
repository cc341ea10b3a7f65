import { DomainEvent } from '../core/envelope';
import { MAX_INPUT_RECORD_BYTES } from '../core/input-schemas';
import { defineEvent, defineMessage, JsonSchema } from '../core/registry';
import { arrayOf, bool, id, int, isoDate, minor, nullable, obj, oneOf, str } from '../core/schema-helpers';
import { Topics } from '../core/topics';
import { Address, addressSchema } from '../customers/address.schema';
import { carrierInput, eventTimeInput, fulfillmentReasonInput, fulfillmentReferenceInput, trackingNumberInput } from './fulfillment-inputs';
import { FulfillmentRequest, fulfillmentRequestSchema } from './fulfillment-request.message';

/** Fulfillment statuses the fulfillment house and agents recognise (docs/fulfillment.md). */
export const FULFILLMENT_STATUSES = ['HOLD', 'PENDING', 'SHIPPED', 'DELIVERED', 'RMA_PENDING', 'RETURNED', 'CANCELLED', 'FAILED', 'RECYCLED'] as const;
export type FulfillmentStatus = (typeof FULFILLMENT_STATUSES)[number];

/** What an agent picks under "Mark COD Undelivered". */
export const COD_UNDELIVERED_REASONS = ['SCHEDULED_FOR_REATTEMPT', 'SCHEDULED_FOR_PICKUP', 'DECLINED'] as const;
export type CodUndeliveredReason = (typeof COD_UNDELIVERED_REASONS)[number];

export type FulfillmentItem = {
  readonly productId: string;
  readonly sku: string;
  readonly name: string;
  readonly quantity: number;
};

/** A postal address (line2 optional), as customers and orders carry it. */
export type ShippingAddress = Address;

const itemSchema = () => obj({ productId: id(), sku: id(), name: str(), quantity: int({ minimum: 1 }) });
const define = (type: string, description: string, properties: Record<string, Record<string, unknown>>, optional: readonly string[] = []) =>
  defineEvent(type, Topics.fulfillmentEvents, description, obj(properties, Object.keys(properties).filter((key) => !optional.includes(key))));

/** What the courier collects on a cash-on-delivery order (minor units). */
export type CodCollect = { readonly amount: number; readonly currency: string };

const codCollectSchema = () => obj({ amount: minor(), currency: str({ pattern: '^[A-Z]{3}$' }) });

export type FulfillmentCreated = DomainEvent<
  'FulfillmentCreated',
  {
    readonly fulfillmentId: string;
    readonly orderId: string;
    readonly customerId: string;
    /** what the fulfillment house knows it by; a reship gets a suffix (`-R1`, `-R2`) */
    readonly reference: string;
    readonly items: readonly FulfillmentItem[];
    /** the order's ship-to address; null when the order named none (the customer's address is used at export) */
    readonly shippingAddress: ShippingAddress | null;
    /** e.g. STANDARD */
    readonly shippingMethod: string;
    /** set on a cash-on-delivery order: what the courier collects */
    readonly cod: CodCollect | null;
    /** set on a reship: the fulfillment it replaces */
    readonly reshipOf: string | null;
    /** the order's campaign (absent on fulfillments created before it was recorded) */
    readonly campaignId?: string;
    /** the order's own lines, set when the fulfillment ships others (a reship with corrected items) */
    readonly orderItems?: readonly FulfillmentItem[];
    readonly at: string;
  }
>;
define('FulfillmentCreated', 'A fulfillment was created in HOLD for a complete (or COD) order, or as a reship of one that reached the house.', {
  fulfillmentId: id(),
  orderId: id(),
  customerId: id(),
  reference: id(),
  items: arrayOf(itemSchema(), { minItems: 1 }),
  shippingAddress: nullable(addressSchema()),
  shippingMethod: id(),
  cod: nullable(codCollectSchema()),
  reshipOf: nullable(id()),
  campaignId: id(),
  orderItems: arrayOf(itemSchema(), { minItems: 1 }),
  at: isoDate(),
}, ['campaignId', 'orderItems']);

/** An upsell of the order added while its fulfillment was still in HOLD: the lines ship with it. */
export type FulfillmentItemsAdded = DomainEvent<
  'FulfillmentItemsAdded',
  {
    readonly fulfillmentId: string;
    readonly orderId: string;
    /** the order's upsell line these items come from */
    readonly orderItemId: string;
    readonly items: readonly FulfillmentItem[];
    readonly at: string;
  }
>;
define('FulfillmentItemsAdded', "An upsell was added to the order while its fulfillment was in HOLD (not exported yet): its lines are added to the fulfillment and go to the house with the export.", {
  fulfillmentId: id(),
  orderId: id(),
  orderItemId: id(),
  items: arrayOf(itemSchema(), { minItems: 1 }),
  at: isoDate(),
});

/** The upsell's own charge was declined while the fulfillment was still in HOLD: its lines leave it. */
export type FulfillmentItemsRemoved = DomainEvent<
  'FulfillmentItemsRemoved',
  {
    readonly fulfillmentId: string;
    readonly orderId: string;
    readonly orderItemId: string;
    readonly items: readonly FulfillmentItem[];
    readonly at: string;
  }
>;
define('FulfillmentItemsRemoved', "The charge of an upsell added to a fulfillment in HOLD was declined (the order's UpsellDeclined): its lines leave the fulfillment before export.", {
  fulfillmentId: id(),
  orderId: id(),
  orderItemId: id(),
  items: arrayOf(itemSchema(), { minItems: 1 }),
  at: isoDate(),
});

export type FulfillmentExported = DomainEvent<
  'FulfillmentExported',
  {
    readonly fulfillmentId: string;
    readonly orderId: string;
    readonly reference: string;
    /** 1 for the first export, 2 for the automatic resend after a failure (RECYCLED) */
    readonly attempt: number;
    /** exactly what goes to fulfillment.requests.v1 (published from this committed event) */
    readonly request: FulfillmentRequest;
    readonly at: string;
  }
>;
define('FulfillmentExported', 'An export run sent the fulfillment to the fulfillment house: HOLD (or RECYCLED) -> PENDING. Carries the request published on fulfillment.requests.v1.', {
  fulfillmentId: id(),
  orderId: id(),
  reference: id(),
  attempt: int({ minimum: 1 }),
  request: fulfillmentRequestSchema(),
  at: isoDate(),
});

export type FulfillmentShipped = DomainEvent<
  'FulfillmentShipped',
  {
    readonly fulfillmentId: string;
    readonly orderId: string;
    readonly trackingNumber: string;
    readonly carrier: string | null;
    readonly shippedAt: string;
  }
>;
define('FulfillmentShipped', 'The fulfillment house shipped the package (tracking number and ship date); after an early DELIVERED it only adds the tracking.', {
  fulfillmentId: id(),
  orderId: id(),
  trackingNumber: id(),
  carrier: nullable(str()),
  shippedAt: isoDate(),
});

export type FulfillmentDelivered = DomainEvent<
  'FulfillmentDelivered',
  { readonly fulfillmentId: string; readonly orderId: string; readonly deliveredAt: string }
>;
define('FulfillmentDelivered', 'The package was delivered.', {
  fulfillmentId: id(),
  orderId: id(),
  deliveredAt: isoDate(),
});

export type FulfillmentCancelled = DomainEvent<
  'FulfillmentCancelled',
  {
    readonly fulfillmentId: string;
    readonly orderId: string;
    readonly reason: string;
    readonly at: string;
    /** set when the fulfillment house holds it (exported, not shipped): the house is asked to cancel this reference */
    readonly houseCancel?: { readonly reference: string };
  }
>;
define(
  'FulfillmentCancelled',
  'The fulfillment was cancelled before shipping (or a COD delivery was declined); houseCancel when the house held it and is asked to cancel.',
  {
    fulfillmentId: id(),
    orderId: id(),
    reason: str({ minLength: 1 }),
    at: isoDate(),
    houseCancel: obj({ reference: id() }),
  },
  ['houseCancel'],
);

export type FulfillmentRmaIssued = DomainEvent<
  'FulfillmentRmaIssued',
  { readonly fulfillmentId: string; readonly orderId: string; readonly rmaNumber: string; readonly at: string }
>;
define('FulfillmentRmaIssued', 'A return was authorised (RMA number): RMA_PENDING until the package is back.', {
  fulfillmentId: id(),
  orderId: id(),
  rmaNumber: id(),
  at: isoDate(),
});

export type FulfillmentReturned = DomainEvent<
  'FulfillmentReturned',
  { readonly fulfillmentId: string; readonly orderId: string; readonly returnedAt: string; readonly reason: string | null }
>;
define('FulfillmentReturned', 'The package came back to the fulfillment house: RETURNED.', {
  fulfillmentId: id(),
  orderId: id(),
  returnedAt: isoDate(),
  reason: nullable(str()),
});

export type FulfillmentFailed = DomainEvent<
  'FulfillmentFailed',
  {
    readonly fulfillmentId: string;
    readonly orderId: string;
    readonly reason: string;
    /** the export attempt the house rejected */
    readonly attempt: number;
    /** true: no automatic resend is left, the fulfillment stays FAILED */
    readonly final: boolean;
    readonly at: string;
  }
>;
define('FulfillmentFailed', 'The fulfillment house rejected the fulfillment (FAILED); the first failure is followed by FulfillmentRecycled, the second is final.', {
  fulfillmentId: id(),
  orderId: id(),
  reason: str({ minLength: 1 }),
  attempt: int({ minimum: 1 }),
  final: bool(),
  at: isoDate(),
});

export type FulfillmentRecycled = DomainEvent<
  'FulfillmentRecycled',
  { readonly fulfillmentId: string; readonly orderId: string; readonly at: string }
>;
define('FulfillmentRecycled', 'After a first failure the fulfillment is resent once automatically: RECYCLED until the next export run sends it again (PENDING).', {
  fulfillmentId: id(),
  orderId: id(),
  at: isoDate(),
});

export type FulfillmentReshipped = DomainEvent<
  'FulfillmentReshipped',
  { readonly fulfillmentId: string; readonly orderId: string; readonly reshipFulfillmentId: string; readonly reshipReference: string; readonly at: string }
>;
define('FulfillmentReshipped', 'A reship was asked for a fulfillment that reached the house: a new fulfillment (reference with a -R<n> suffix) replaces it; this one keeps its status.', {
  fulfillmentId: id(),
  orderId: id(),
  reshipFulfillmentId: id(),
  reshipReference: id(),
  at: isoDate(),
});

export type CodMarkedPaid = DomainEvent<
  'CodMarkedPaid',
  {
    readonly fulfillmentId: string;
    readonly orderId: string;
    /** the delivery confirmation number from the fulfillment house */
    readonly deliveryConfirmation: string;
    /** the date the agent entered */
    readonly date: string;
  }
>;
define('CodMarkedPaid', 'Mark COD Paid: delivered and the cash collected; payments records SUCCESS.', {
  fulfillmentId: id(),
  orderId: id(),
  deliveryConfirmation: id(),
  date: str({ minLength: 1 }),
});

export type CodMarkedUndelivered = DomainEvent<
  'CodMarkedUndelivered',
  { readonly fulfillmentId: string; readonly orderId: string; readonly status: CodUndeliveredReason }
>;
define('CodMarkedUndelivered', 'Mark COD Undelivered: reattempt/pickup keeps it pending (soft decline), DECLINED ends it (hard decline).', {
  fulfillmentId: id(),
  orderId: id(),
  status: oneOf(...COD_UNDELIVERED_REASONS),
});

/** Every event the fulfillment service publishes on Topics.fulfillmentEvents. */
export type FulfillmentEvent =
  | FulfillmentCreated
  | FulfillmentItemsAdded
  | FulfillmentItemsRemoved
  | FulfillmentExported
  | FulfillmentShipped
  | FulfillmentDelivered
  | FulfillmentCancelled
  | FulfillmentRmaIssued
  | FulfillmentReturned
  | FulfillmentFailed
  | FulfillmentRecycled
  | FulfillmentReshipped
  | CodMarkedPaid
  | CodMarkedUndelivered;

export type FulfillmentEventType = FulfillmentEvent['type'];

/** The event type strings, for consumers that dispatch on `type`. */
export const FULFILLMENT_EVENT_TYPES = {
  FulfillmentCreated: 'FulfillmentCreated',
  FulfillmentItemsAdded: 'FulfillmentItemsAdded',
  FulfillmentItemsRemoved: 'FulfillmentItemsRemoved',
  FulfillmentExported: 'FulfillmentExported',
  FulfillmentShipped: 'FulfillmentShipped',
  FulfillmentDelivered: 'FulfillmentDelivered',
  FulfillmentCancelled: 'FulfillmentCancelled',
  FulfillmentRmaIssued: 'FulfillmentRmaIssued',
  FulfillmentReturned: 'FulfillmentReturned',
  FulfillmentFailed: 'FulfillmentFailed',
  FulfillmentRecycled: 'FulfillmentRecycled',
  FulfillmentReshipped: 'FulfillmentReshipped',
  CodMarkedPaid: 'CodMarkedPaid',
  CodMarkedUndelivered: 'CodMarkedUndelivered',
} as const satisfies { [K in FulfillmentEventType]: K };

// ---- fulfillment house reports (inbound, not our events) --------------------------------------

export const FULFILLMENT_UPDATE_TYPES = ['SHIPPED', 'DELIVERED', 'FAILED', 'RETURNED'] as const;
export type FulfillmentUpdateType = (typeof FULFILLMENT_UPDATE_TYPES)[number];

/**
 * What a fulfillment house publishes on Topics.fulfillmentUpdates, e.g.
 * `{ reference: 'o-1-F1', type: 'SHIPPED', trackingNumber: '1Z999', carrier: 'UPS', at: '2026-01-02T10:00:00Z' }`.
 */
export type FulfillmentUpdate = {
  readonly reference: string;
  readonly type: FulfillmentUpdateType;
  readonly trackingNumber?: string;
  readonly carrier?: string;
  readonly at: string;
  /** why it FAILED or was RETURNED */
  readonly reason?: string;
};

export const FULFILLMENT_UPDATE_MESSAGE = 'FulfillmentUpdate';

/**
 * The fields of a FulfillmentUpdate, one schema each (fulfillment-inputs.ts): the message on
 * fulfillment.updates.v1 and POST /fulfillment-updates (FulfillmentUpdateDto) read these same ones.
 */
export const fulfillmentUpdateProperties = (): Record<string, JsonSchema> => ({
  reference: fulfillmentReferenceInput(),
  type: oneOf(...FULFILLMENT_UPDATE_TYPES),
  trackingNumber: trackingNumberInput(),
  carrier: carrierInput(),
  at: eventTimeInput(),
  reason: fulfillmentReasonInput(),
});

const updateProperties = fulfillmentUpdateProperties();
defineMessage(
  FULFILLMENT_UPDATE_MESSAGE,
  Topics.fulfillmentUpdates,
  `A fulfillment house reports tracking (SHIPPED needs trackingNumber), delivery, a failure (FAILED needs reason) or a return for the fulfillment with this reference. The record key should be the reference. A record (key, value and headers) of more than ${MAX_INPUT_RECORD_BYTES} bytes, or one that breaks this schema (a control or bidirectional character in any string included), goes to fulfillment.dlq.v1 as schema-invalid and changes nothing.`,
  {
    ...obj(updateProperties, ['reference', 'type', 'at']),
    allOf: [
      { if: { properties: { type: { const: 'SHIPPED' } }, required: ['type'] }, then: { properties: { trackingNumber: updateProperties['trackingNumber'] }, required: ['trackingNumber'] } },
      { if: { properties: { type: { const: 'FAILED' } }, required: ['type'] }, then: { properties: { reason: updateProperties['reason'] }, required: ['reason'] } },
    ],
  },
);
