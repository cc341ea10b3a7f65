import { DomainEvent } from '../core/envelope';
import { defineEvent, defineMessage } from '../core/registry';
import { arrayOf, bool, id, int, isoDate, nullable, obj, oneOf, str } from '../core/schema-helpers';
import { Topics } from '../core/topics';

/** Fulfillment statuses the fulfillment house and agents recognise (DOMAIN.md, Fulfillment). */
export const FULFILLMENT_STATUSES = ['HOLD', 'PENDING', 'SHIPPED', 'DELIVERED', 'RMA_PENDING', 'RETURNED', 'CANCELLED', 'FAILED', 'RECYCLED'] as const;
export type FulfillmentStatus = (typeof FULFILLMENT_STATUSES)[number];

/** What an agent picks under "Mark COD Undelivered" (seed 003). */
export const COD_UNDELIVERED_REASONS = ['SCHEDULED_FOR_REATTEMPT', 'SCHEDULED_FOR_PICKUP', 'DECLINED'] as const;
export type CodUndeliveredReason = (typeof COD_UNDELIVERED_REASONS)[number];

export type FulfillmentItem = {
  readonly productId: string;
  readonly sku: string;
  readonly name: string;
  readonly quantity: number;
};

export type ShippingAddress = {
  readonly line1: string;
  readonly line2: string | null;
  readonly city: string;
  readonly state: string;
  readonly postalCode: string;
  readonly country: string;
};

const itemSchema = () => obj({ productId: id(), sku: id(), name: str(), quantity: int({ minimum: 1 }) });
const addressSchema = () =>
  obj({ line1: str({ minLength: 1 }), line2: nullable(str()), city: str({ minLength: 1 }), state: str(), postalCode: str(), country: str({ minLength: 2 }) });
const define = (type: string, description: string, properties: Record<string, Record<string, unknown>>) =>
  defineEvent(type, Topics.fulfillmentEvents, description, obj(properties));

export type FulfillmentCreated = DomainEvent<
  'FulfillmentCreated',
  {
    readonly fulfillmentId: string;
    readonly orderId: string;
    readonly customerId: string;
    /** what the fulfillment house knows it by; a reship gets a suffix */
    readonly reference: string;
    readonly items: readonly FulfillmentItem[];
    readonly shippingAddress: ShippingAddress;
    readonly cod: boolean;
    /** set on a reship: the fulfillment it replaces */
    readonly reshipOf: string | null;
    readonly at: string;
  }
>;
define('FulfillmentCreated', 'A fulfillment was created in HOLD for a complete (or COD) order.', {
  fulfillmentId: id(),
  orderId: id(),
  customerId: id(),
  reference: id(),
  items: arrayOf(itemSchema(), { minItems: 1 }),
  shippingAddress: addressSchema(),
  cod: bool(),
  reshipOf: nullable(id()),
  at: isoDate(),
});

export type FulfillmentExported = DomainEvent<
  'FulfillmentExported',
  { readonly fulfillmentId: string; readonly orderId: string; readonly reference: string; readonly at: string }
>;
define('FulfillmentExported', 'An export run sent the fulfillment to the fulfillment house: HOLD -> PENDING.', {
  fulfillmentId: id(),
  orderId: id(),
  reference: id(),
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
define('FulfillmentShipped', 'The fulfillment house shipped the package (tracking number and ship date).', {
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
  { readonly fulfillmentId: string; readonly orderId: string; readonly reason: string; readonly at: string }
>;
define('FulfillmentCancelled', 'The fulfillment was cancelled before shipping (or a COD delivery was declined).', {
  fulfillmentId: id(),
  orderId: id(),
  reason: str({ minLength: 1 }),
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
  | FulfillmentExported
  | FulfillmentShipped
  | FulfillmentDelivered
  | FulfillmentCancelled
  | CodMarkedPaid
  | CodMarkedUndelivered;

export type FulfillmentEventType = FulfillmentEvent['type'];

/** The event type strings, for consumers that dispatch on `type`. */
export const FULFILLMENT_EVENT_TYPES = {
  FulfillmentCreated: 'FulfillmentCreated',
  FulfillmentExported: 'FulfillmentExported',
  FulfillmentShipped: 'FulfillmentShipped',
  FulfillmentDelivered: 'FulfillmentDelivered',
  FulfillmentCancelled: 'FulfillmentCancelled',
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
defineMessage(
  FULFILLMENT_UPDATE_MESSAGE,
  Topics.fulfillmentUpdates,
  'A fulfillment house reports tracking, delivery, a failure or a return for the fulfillment with this reference.',
  obj(
    {
      reference: id(),
      type: oneOf(...FULFILLMENT_UPDATE_TYPES),
      trackingNumber: id(),
      carrier: str({ minLength: 1 }),
      at: isoDate(),
      reason: str({ minLength: 1 }),
    },
    ['reference', 'type', 'at'],
  ),
);
