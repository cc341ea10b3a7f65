import { STANDARD_SHIPPING_METHOD } from '@continuum/contracts';

/**
 * Fulfillment ids are made here, derived from their cause, so a redelivered order event reaches the
 * same fulfillment. The id is also the reference the fulfillment house knows it by, so an update
 * from the house is an `_id` lookup. Opaque outside fulfillment: events carry the reference as a field.
 */
export const orderFulfillmentId = (orderId: string): string => `${orderId}-F1`;
/** the n-th reship of a fulfillment: its reference with the suffix `-R<n>` */
export const reshipFulfillmentId = (fulfillmentId: string, n: number): string => `${fulfillmentId}-R${n}`;
/** the fulfillment of an upsell added after its order's fulfillment was exported: its own reference */
export const upsellFulfillmentId = (orderId: string, orderItemId: string): string => `${orderId}-U-${orderItemId}`;
/** The event-store stream of a fulfillment. */
export const fulfillmentStreamId = (fulfillmentId: string): string => `fulfillment-${fulfillmentId}`;
/** What the house receives as the shipping method when the order names none. */
export const DEFAULT_SHIPPING_METHOD = STANDARD_SHIPPING_METHOD;
