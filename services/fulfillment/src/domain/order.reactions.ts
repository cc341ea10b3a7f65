import {
  ChargeVoided,
  CustomerRegistered,
  CustomerUpdated,
  IncomingEvent,
  OrderApproved,
  OrderAwaitingCod,
  OrderCancelled,
  OrderCompleted,
  OrderSentToQa,
  PaymentApproved,
  RefundSucceeded,
  ShippingAddress,
  UpsellAdded,
  UpsellDeclined,
} from '@continuum/contracts';
import { AddFulfillmentItems, CreateFulfillment, RemoveFulfillmentItems } from './fulfillment.commands';
import { DEFAULT_SHIPPING_METHOD, orderFulfillmentId } from './fulfillment-ids';
import { Fulfillment, isUnshipped } from './fulfillment.state';
import { onUpsell } from './upsell.reactions';

/**
 * The work a reaction asks fulfillment to do; each is one command on the fulfillment it names. A
 * cancel is `CancelIfUnshipped`: a fulfillment that shipped after the look-up stays as it is (the decider).
 */
export type FulfillmentWork =
  | { readonly type: 'CreateFulfillment'; readonly data: CreateFulfillment['data'] }
  | { readonly type: 'CancelIfUnshipped'; readonly data: { readonly fulfillmentId: string; readonly reason: string } }
  | { readonly type: 'AddFulfillmentItems'; readonly data: { readonly fulfillmentId: string } & AddFulfillmentItems['data'] }
  | { readonly type: 'RemoveFulfillmentItems'; readonly data: { readonly fulfillmentId: string } & RemoveFulfillmentItems['data'] };

/** The orders and payments events that create or cancel fulfillments. */
export type OrderReactionEvent = OrderCompleted | OrderAwaitingCod | OrderApproved | OrderCancelled | ChargeVoided | RefundSucceeded | UpsellAdded | UpsellDeclined;

/**
 * What fulfillment does when an order event arrives, given the order's fulfillments (looked up by
 * the consumer from the fulfillments view):
 * - OrderCompleted, OrderAwaitingCod (COD_PENDING), OrderApproved (out of QA): create the order's
 *   fulfillment in HOLD with its items, address, shipping method and, for COD, what the courier
 *   collects; nothing when the order has one already (a COD order approved out of QA sends both
 *   OrderApproved and OrderAwaitingCod; a COD order paid sends OrderCompleted later). A rebill order
 *   is an order of its own, so it gets a fulfillment of its own.
 * - OrderCancelled: cancel every fulfillment of the order that has not shipped.
 * - ChargeVoided / RefundSucceeded with autoCancel (the account option): the same.
 * - UpsellAdded, UpsellDeclined: `onUpsell` (upsell.reactions.ts).
 */
export function onOrderEvent(event: IncomingEvent<OrderReactionEvent>, fulfillments: readonly Fulfillment[]): FulfillmentWork[] {
  switch (event.type) {
    case 'OrderCompleted':
    case 'OrderAwaitingCod':
    case 'OrderApproved': {
      if (fulfillments.some((f) => f.reshipOf === null)) return [];
      const order = event.data;
      return [
        {
          type: 'CreateFulfillment',
          data: {
            fulfillmentId: orderFulfillmentId(order.orderId),
            orderId: order.orderId,
            customerId: order.customerId,
            reference: orderFulfillmentId(order.orderId),
            items: order.items.map(({ productId, sku, name, quantity }) => ({ productId, sku, name, quantity })),
            shippingAddress: order.shippingAddress ?? null,
            shippingMethod: order.shippingMethod ?? DEFAULT_SHIPPING_METHOD,
            cod: order.paymentType === 'COD' ? { amount: order.totals.total - order.totals.refunded, currency: order.currency } : null,
            reshipOf: null,
            campaignId: order.campaignId,
          },
        },
      ];
    }
    case 'OrderCancelled':
      return cancelUnshipped(fulfillments, `order cancelled: ${event.data.reason}`);
    case 'ChargeVoided':
      return event.data.autoCancel ? cancelUnshipped(fulfillments, 'payment voided (auto-cancel)') : [];
    case 'RefundSucceeded':
      return event.data.autoCancel ? cancelUnshipped(fulfillments, 'payment refunded (auto-cancel)') : [];
    case 'UpsellAdded':
    case 'UpsellDeclined':
      return onUpsell(event, fulfillments);
  }
}

function cancelUnshipped(fulfillments: readonly Fulfillment[], reason: string): FulfillmentWork[] {
  return fulfillments.filter(isUnshipped).map((f) => ({ type: 'CancelIfUnshipped', data: { fulfillmentId: f.fulfillmentId, reason } }));
}

/** What fulfillment remembers of an order for its export (keyed by order id). */
export interface OrderFacts {
  readonly inQa: boolean;
  readonly testCardOnLiveGateway: boolean;
}

export const NO_ORDER_FACTS: OrderFacts = { inQa: false, testCardOnLiveGateway: false };

/** The events that change what fulfillment remembers of an order. */
export type OrderFactsEvent = OrderSentToQa | OrderApproved | PaymentApproved;

/**
 * An order in QA is never exported (OrderSentToQa until OrderApproved); an order paid with a card
 * the account lists as a test card on a live gateway never leaves HOLD (PaymentApproved says so).
 */
export function evolveOrderFacts(facts: OrderFacts, event: OrderFactsEvent): OrderFacts {
  switch (event.type) {
    case 'OrderSentToQa':
      return { ...facts, inQa: true };
    case 'OrderApproved':
      return { ...facts, inQa: false };
    case 'PaymentApproved':
      return event.data.testCardOnLiveGateway === true && event.data.purpose !== 'UPSELL' ? { ...facts, testCardOnLiveGateway: true } : facts;
  }
}

/** What fulfillment remembers of a customer: who to ship to when the order names no address. */
export interface ShipToFacts {
  readonly name: string;
  readonly shippingAddress: ShippingAddress | null;
  readonly billingAddress: ShippingAddress;
}

/** The customer events that change the ship-to facts. */
export type CustomerFactsEvent = CustomerRegistered | CustomerUpdated;

export function evolveShipTo(facts: ShipToFacts | null, event: CustomerFactsEvent): ShipToFacts | null {
  switch (event.type) {
    case 'CustomerRegistered': {
      const d = event.data;
      return { name: `${d.firstName} ${d.lastName}`, shippingAddress: d.shippingAddress ?? null, billingAddress: d.billingAddress };
    }
    case 'CustomerUpdated': {
      if (facts === null) return null;
      const c = event.data.changes;
      const [first, ...rest] = facts.name.split(' ');
      const name = c.firstName !== undefined || c.lastName !== undefined ? `${c.firstName ?? first} ${c.lastName ?? rest.join(' ')}` : facts.name;
      return { name, shippingAddress: c.shippingAddress ?? facts.shippingAddress, billingAddress: c.billingAddress ?? facts.billingAddress };
    }
  }
}

/** The address a fulfillment ships to when its order named none: the customer's shipping, else billing address. */
export const customerAddress = (facts: ShipToFacts | null): ShippingAddress | null => (facts ? (facts.shippingAddress ?? facts.billingAddress) : null);
