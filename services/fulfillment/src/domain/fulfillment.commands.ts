import { CodUndeliveredReason, Command, FulfillmentCreated, FulfillmentItem, ShippingAddress } from '@continuum/contracts';

/** Create the fulfillment of an order (or a reship) in HOLD; a second create of the same id changes nothing. */
export type CreateFulfillment = Command<'CreateFulfillment', Omit<FulfillmentCreated['data'], 'at'>>;

/** What an export needs to know about the order and the customer, looked up by the export run. */
export type ExportFacts = {
  /** the order waits in QA (sent to QA, not approved yet): never exported */
  readonly orderInQa: boolean;
  /** paid with a card the account lists as a test card on a live gateway: never exported */
  readonly testCardOnLiveGateway: boolean;
  /** the customer's name; null when fulfillment has not seen the customer yet */
  readonly shipToName: string | null;
  /** the customer's shipping (else billing) address, used when the order named none */
  readonly customerAddress: ShippingAddress | null;
};

/** An upsell of the order while the fulfillment is in HOLD: its lines ship with it. Outside HOLD a conflict (the caller looks again). */
export type AddFulfillmentItems = Command<'AddFulfillmentItems', { readonly orderItemId: string; readonly items: readonly FulfillmentItem[] }>;
/** The upsell's charge was declined: its lines leave a fulfillment still in HOLD (once exported, nothing changes). */
export type RemoveFulfillmentItems = Command<'RemoveFulfillmentItems', { readonly orderItemId: string }>;

/** Send a HOLD (or RECYCLED) fulfillment to the fulfillment house: -> PENDING. */
export type ExportFulfillment = Command<'ExportFulfillment', ExportFacts>;
/** `shippedAt` as the house or agent reported it; null: when the command is decided (its metadata's `now`). */
export type ShipFulfillment = Command<'ShipFulfillment', { readonly trackingNumber: string; readonly carrier: string | null; readonly shippedAt: string | null }>;
/** `deliveredAt` as reported; null: when the command is decided. */
export type DeliverFulfillment = Command<'DeliverFulfillment', { readonly deliveredAt: string | null }>;
export type IssueRma = Command<'IssueRma', { readonly rmaNumber: string }>;
/** `returnedAt` as reported; null: when the command is decided. */
export type ReturnFulfillment = Command<'ReturnFulfillment', { readonly returnedAt: string | null; readonly reason: string | null }>;
/** An agent's cancel: refused once the package has left (ALREADY_SHIPPED). */
export type CancelFulfillment = Command<'CancelFulfillment', { readonly reason: string }>;
/** An order's cancel (or a refund with auto-cancel): cancels a fulfillment that has not shipped; one that shipped meanwhile stays as it is. */
export type CancelIfUnshipped = Command<'CancelIfUnshipped', { readonly reason: string }>;
/** The fulfillment house rejected it (FAILED update). */
export type ReportFailure = Command<'ReportFailure', { readonly reason: string; readonly at: string }>;
/** Ship again under a new, suffixed reference (only after the record reached the house). */
export type ReshipFulfillment = Command<'ReshipFulfillment', Record<string, never>>;
export type MarkCodPaid = Command<'MarkCodPaid', { readonly deliveryConfirmation: string; readonly date: string }>;
export type MarkCodUndelivered = Command<'MarkCodUndelivered', { readonly status: CodUndeliveredReason }>;

export type FulfillmentCommand =
  | CreateFulfillment
  | AddFulfillmentItems
  | RemoveFulfillmentItems
  | ExportFulfillment
  | ShipFulfillment
  | DeliverFulfillment
  | IssueRma
  | ReturnFulfillment
  | CancelFulfillment
  | CancelIfUnshipped
  | ReportFailure
  | ReshipFulfillment
  | MarkCodPaid
  | MarkCodUndelivered;
