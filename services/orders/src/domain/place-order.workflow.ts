import { Address, CampaignSnapshot, CustomerProfile, DomainError, NewCustomerInput, OrderStatus, PlaceOrderBody, RebillInfo } from '@continuum/contracts';
import { BlacklistEntry, matchBlacklist } from './blacklist.policy';
import { CustomerState } from './customer.decider';
import { DedupRecord, findDuplicateCustomer } from './customer-dedup.policy';
import { CardDetails, PlaceOrder } from './order.commands';
import { OrderState } from './order.state';

/** An order as HTTP, the intake topic and rebills ask for it: the body of POST /orders with the card already tokenised, and what intake and rebills add. */
export interface OrderRequest extends Omit<PlaceOrderBody, 'items' | 'card'> {
  /** `shippingPrice` is for rebills, which bill the purchase's own shipping */
  readonly items: readonly (PlaceOrderBody['items'][number] & { readonly shippingPrice?: number })[];
  readonly card?: CardDetails;
  readonly clientOrderId?: string;
  readonly rebill?: RebillInfo;
  /** rebills: the purchase's sales tax (minor units) */
  readonly salesTax?: number;
}

/** The answer of placing an order. `replayed`: the order already existed (a retried create) and nothing changed. */
export interface PlacedOrderResult {
  readonly orderId: string;
  readonly customerId: string;
  readonly status: OrderStatus;
  readonly replayed: boolean;
}

/** The customer an order is placed for: an existing one, or one registered with the order (`register`). */
export interface OrderCustomer {
  readonly customerId: string;
  readonly register?: NewCustomerInput;
  readonly profile: CustomerProfile;
}

/**
 * Step 1, after looking the derived order id up: an order that exists already (a retried create)
 * is answered as it is, and nothing else happens. Null: go on and place it.
 */
export function replayOfPlacedOrder(orderId: string, existing: OrderState): PlacedOrderResult | null {
  if (existing.status === 'ABSENT') return null;
  return { orderId, customerId: existing.order.customerId, status: existing.status, replayed: true };
}

/** Step 2: whose order it is, as the request says: a customer id to look up, or a new customer's details. */
export function customerAsked(request: Pick<OrderRequest, 'customerId' | 'customer'>): { readonly customerId: string } | { readonly input: NewCustomerInput } {
  if (request.customerId !== undefined) return { customerId: request.customerId };
  if (!request.customer) throw new DomainError('CUSTOMER_REQUIRED', 'An order needs customerId or customer', 'rule', { field: 'customer' });
  return { input: request.customer };
}

/** Step 2, a given customer id: where to look next. A merged-away customer's orders go to the survivor. */
export function survivorOf(state: CustomerState): string | null {
  return state.status === 'MERGED' ? state.intoCustomerId : null;
}

/** Step 2, a given customer id, once looked up (and its survivor, when it was merged): the customer, or 404. */
export function existingOrderCustomer(customerId: string, live: CustomerState): OrderCustomer {
  if (live.status === 'ABSENT') throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${customerId} does not exist`, 'not-found');
  return { customerId: live.customer.customerId, profile: live.customer };
}

/**
 * Step 2, new details: the existing customer they duplicate (among the candidates sharing the email
 * or phone), unless the request turns dedup off; else a new customer under `newCustomerId`.
 */
export function newOrderCustomer(input: NewCustomerInput, candidates: readonly DedupRecord[], disableCustomerDedup: boolean, newCustomerId: string): OrderCustomer {
  const duplicate = findDuplicateCustomer(input, candidates, { disableCustomerDedup });
  if (duplicate) return { customerId: duplicate.customerId, profile: input };
  return { customerId: newCustomerId, register: input, profile: input };
}

/** What placing an order looked up and drew before the decision. */
export interface OrderPlacement {
  readonly orderId: string;
  readonly request: OrderRequest;
  readonly campaign: CampaignSnapshot;
  readonly customer: OrderCustomer;
  /** the active blacklist entries */
  readonly blacklist: readonly BlacklistEntry[];
  /** one id per requested item, in order */
  readonly itemIds: readonly string[];
  /** the QA roll, a number in [0, 1) the decider compares with the campaign's QA rate */
  readonly qaRoll: number;
  /** whether the customer has a card on file; looked up only when `cardOnFileAsked` says so */
  readonly cardOnFile?: boolean;
}

/**
 * Step 2b: whether the customer's card on file matters: an EXTERNAL or COD order that asks a line to
 * subscribe (the decider refuses it without a card on file). A CARD order brings its own card.
 */
export function cardOnFileAsked(request: Pick<OrderRequest, 'paymentType' | 'items'>): boolean {
  return request.paymentType !== 'CARD' && request.items.some((item) => item.subscribe === true);
}

/** Step 2b, once looked up: a customer has a card on file when one of its orders was paid by card. */
export function hasCardOnFile(orders: readonly OrderState[]): boolean {
  return orders.some((state) => state.status !== 'ABSENT' && state.order.card !== undefined);
}

/**
 * Step 3: the PlaceOrder command. The blacklist is matched on the customer's email and phone, the
 * card's BIN, the IP and every address (billing, shipping, the order's); the order ships to the
 * request's address, else the customer's shipping address, else its billing address. A sales tax is
 * taken from rebills only.
 */
export function placeOrderData({ orderId, request, campaign, customer, blacklist, itemIds, qaRoll, cardOnFile }: OrderPlacement): PlaceOrder['data'] {
  const { profile } = customer;
  const addresses = [profile.billingAddress, profile.shippingAddress, request.shippingAddress].filter((a): a is Address => a !== undefined);
  const match = matchBlacklist(
    {
      paymentType: request.paymentType,
      email: profile.email,
      ...(profile.phone !== undefined ? { phone: profile.phone } : {}),
      ...(request.card ? { cardBin: request.card.bin } : {}),
      ...(request.ipAddress !== undefined ? { ipAddress: request.ipAddress } : {}),
      addresses,
    },
    blacklist,
  );
  const shippingAddress = request.shippingAddress ?? profile.shippingAddress ?? profile.billingAddress;
  return {
    orderId,
    customerId: customer.customerId,
    campaign,
    items: request.items.map((item, index) => ({ ...item, orderItemId: itemIds[index] })),
    paymentType: request.paymentType,
    ...(request.card ? { card: request.card } : {}),
    ...(shippingAddress ? { shippingAddress } : {}),
    ...(request.shippingMethod !== undefined ? { shippingMethod: request.shippingMethod } : {}),
    forceQa: request.forceQa ?? false,
    qaRoll,
    blacklistMatch: match ? { entryId: match.entryId, type: match.type, value: match.value, ...(match.reason ? { reason: match.reason } : {}) } : null,
    ...(request.clientOrderId !== undefined ? { clientOrderId: request.clientOrderId } : {}),
    ...(request.externalReference !== undefined ? { externalReference: request.externalReference } : {}),
    ...(request.ipAddress !== undefined ? { ipAddress: request.ipAddress } : {}),
    ...(request.rebill ? { rebill: request.rebill } : {}),
    ...(request.rebill && request.salesTax ? { salesTax: request.salesTax } : {}),
    ...(request.discount ? { discount: request.discount } : {}),
    ...(cardOnFile !== undefined ? { cardOnFile } : {}),
    ...(request.customFields !== undefined ? { customFields: request.customFields } : {}),
  };
}
