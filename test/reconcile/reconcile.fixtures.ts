/**
 * Consistent systems built by hand: each order as every service would have stored it, one commit
 * per append, so the reconcile spec, its integration spec and the bench seed the same shapes.
 *
 *   const world = mergeWorlds(orderWorld('o-1', 'card'), orderWorld('o-2', 'cod-paid'));
 *   reconcile({ orders: eventsOf(world, 'orders'), payments: eventsOf(world, 'payments'), ... });
 *
 * Every event is valid against its schema in the registry (the spec checks it), so the store
 * accepts them as a service's append.
 */
import { DomainEvent, OrderItem, OrderTotals, PaymentType } from '@continuum/contracts';

export const SERVICES = ['orders', 'payments', 'fulfillment', 'subscriptions'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** One append (one commit) to one stream. */
export interface FixtureAppend {
  readonly streamId: string;
  readonly events: readonly DomainEvent[];
}
export type World = Record<ServiceName, FixtureAppend[]>;

export const ORDER_KINDS = ['card', 'card-refunded', 'external', 'cod-paid', 'declined', 'cancelled'] as const;
export type OrderKind = (typeof ORDER_KINDS)[number];

export const AT = '2026-01-05T10:00:00.000Z';
const CARD = { token: 'tok_reconcile_fixture_0000', brand: 'VISA', last4: '1111', bin: '411111' } as const;
export const PRICE = 4999;
export const SHIPPING = 500;
export const TOTAL = PRICE + SHIPPING;

export const emptyWorld = (): World => ({ orders: [], payments: [], fulfillment: [], subscriptions: [] });

export function mergeWorlds(...worlds: World[]): World {
  const merged = emptyWorld();
  for (const world of worlds) for (const service of SERVICES) merged[service].push(...world[service]);
  return merged;
}

/** A service's events in stream order per stream (appends in the order they were made). */
export function eventsOf(world: World, service: ServiceName): DomainEvent[] {
  return world[service].flatMap((append) => append.events);
}

/** What the projections' journal holds of the orders: every order event, as the orders service stored it. */
export function historyOf(world: World): DomainEvent[] {
  return world.orders.filter((append) => append.streamId.startsWith('order-')).flatMap((append) => append.events);
}

const item = (recurring = false): OrderItem => ({
  orderItemId: 'oi-1',
  productId: recurring ? 'p-sub' : 'p-1',
  sku: recurring ? 'SKU-SUB' : 'SKU-1',
  name: recurring ? 'Monthly widget' : 'Widget',
  quantity: 1,
  unitPrice: PRICE,
  price: PRICE,
  shippingPrice: SHIPPING,
  billingType: recurring ? 'RECURRING' : 'STRAIGHT',
  ...(recurring ? { rebillPrice: PRICE, intervalDays: 30 } : {}),
});

const totals = (refunded = 0): OrderTotals => ({ subtotal: PRICE, shipping: SHIPPING, salesTax: 0, discount: 0, total: TOTAL, refunded });

export interface OrderOptions {
  readonly customerId?: string;
  readonly recurring?: boolean;
  readonly rebill?: { readonly purchaseId: string; readonly billingCycle: number; readonly originalOrderId: string };
}

/** The snapshot fields order events share. */
function snapshot(orderId: string, paymentType: PaymentType, options: OrderOptions, refunded = 0) {
  return {
    orderId,
    customerId: options.customerId ?? `cu-${orderId}`,
    campaignId: 'camp-1',
    currency: 'USD',
    paymentType,
    items: [item(options.recurring)],
    totals: totals(refunded),
    ...(options.rebill ? { rebill: options.rebill } : {}),
  };
}

const ref = (orderId: string, transactionId: string, options: OrderOptions) => ({ transactionId, orderId, customerId: options.customerId ?? `cu-${orderId}` });

function approved(orderId: string, transactionId: string, options: OrderOptions, amount = TOTAL): DomainEvent {
  return {
    type: 'PaymentApproved',
    data: {
      ...ref(orderId, transactionId, options),
      type: 'SALE',
      amount,
      currency: 'USD',
      card: CARD,
      merchantId: 'merchant-1',
      gatewayTransactionId: `gw-${transactionId}`,
      message: 'Approved',
      rerunOf: null,
      at: AT,
      response: 'SUCCESS',
      prepaid: false,
      purpose: options.rebill ? 'REBILL' : 'ORDER',
    },
  };
}

function declined(orderId: string, transactionId: string, options: OrderOptions): DomainEvent {
  const { data } = approved(orderId, transactionId, options) as { data: Record<string, unknown> };
  const { prepaid: _prepaid, ...rest } = data;
  return { type: 'PaymentDeclined', data: { ...rest, response: 'HARD_DECLINE', message: 'Declined' } };
}

function fulfillmentCreated(orderId: string, options: OrderOptions): DomainEvent {
  return {
    type: 'FulfillmentCreated',
    data: {
      fulfillmentId: `${orderId}-F1`,
      orderId,
      customerId: options.customerId ?? `cu-${orderId}`,
      reference: `${orderId}-F1`,
      items: [{ productId: item(options.recurring).productId, sku: item(options.recurring).sku, name: item(options.recurring).name, quantity: 1 }],
      shippingAddress: null,
      shippingMethod: 'STANDARD',
      cod: null,
      reshipOf: null,
      at: AT,
    },
  };
}

/**
 * One order as every service stores it, consistent:
 * - `card`: placed, charged (approved, settled), completed; its fulfillment created and shipped;
 * - `card-refunded`: the same, then 1000 refunded (RefundSucceeded, OrderRefunded: REFUNDED);
 * - `external`: placed, external payment recorded, completed, fulfillment created;
 * - `cod-paid`: placed, COD opened, awaiting COD, fulfillment created, COD paid, completed;
 * - `declined`: placed, hard declined, declined (no fulfillment);
 * - `cancelled`: placed, charged, completed, fulfillment created, cancelled with a full refund:
 *   the charge voided (OrderRefunded VOID), the fulfillment cancelled.
 */
export function orderWorld(orderId: string, kind: OrderKind, options: OrderOptions = {}): World {
  const world = emptyWorld();
  const stream = `order-${orderId}`;
  const paymentType: PaymentType = kind === 'external' ? 'EXTERNAL' : kind === 'cod-paid' ? 'COD' : 'CARD';
  const customerId = options.customerId ?? `cu-${orderId}`;
  const transactionId = `${orderId}-${kind === 'external' ? 'external' : kind === 'cod-paid' ? 'cod' : 'charge-1'}`;
  const txStream = `transaction-${transactionId}`;
  const fStream = `fulfillment-${orderId}-F1`;
  const order = (...events: DomainEvent[]) => world.orders.push({ streamId: stream, events });
  const payment = (...events: DomainEvent[]) => world.payments.push({ streamId: txStream, events });
  const fulfillment = (...events: DomainEvent[]) => world.fulfillment.push({ streamId: fStream, events });

  order({
    type: 'OrderPlaced',
    data: { ...snapshot(orderId, paymentType, options), ...(paymentType === 'CARD' ? { card: CARD } : {}), qa: { required: false, reasons: [] }, placedAt: AT },
  });
  const completed: DomainEvent = { type: 'OrderCompleted', data: { ...snapshot(orderId, paymentType, options), transactionId } };
  switch (kind) {
    case 'card':
    case 'card-refunded':
    case 'cancelled':
      payment(approved(orderId, transactionId, options));
      if (kind !== 'cancelled') payment({ type: 'ChargeSettled', data: { ...ref(orderId, transactionId, options), amount: TOTAL, settledAt: AT } });
      order(completed);
      fulfillment(fulfillmentCreated(orderId, options));
      if (kind === 'card' || kind === 'card-refunded') {
        fulfillment({ type: 'FulfillmentShipped', data: { fulfillmentId: `${orderId}-F1`, orderId, trackingNumber: `1Z${orderId}`, carrier: 'UPS', shippedAt: AT } });
      }
      if (kind === 'card-refunded') {
        const refund = { ...ref(orderId, transactionId, options), refundId: `rf-${orderId}`, amount: 1000, currency: 'USD', at: AT };
        payment(
          { type: 'RefundRequested', data: refund },
          { type: 'RefundSucceeded', data: { ...refund, attempt: 1, gatewayTransactionId: null, message: 'Refunded', refundedTotal: 1000, fullyRefunded: false, autoCancel: false } },
        );
        order({ type: 'OrderRefunded', data: { orderId, customerId, transactionId, refundId: `rf-${orderId}`, kind: 'REFUND', amount: 1000, refundedTotal: 1000, fullyRefunded: false } });
      }
      if (kind === 'cancelled') {
        order({
          type: 'OrderCancelled',
          data: { orderId, customerId, paymentType, reason: 'customer asked', fullRefund: true, previousStatus: 'COMPLETE', transactionId, refundableAmount: TOTAL },
        });
        const voided = { ...ref(orderId, transactionId, options), voidId: `void-${orderId}`, amount: TOTAL, currency: 'USD', at: AT };
        payment(
          { type: 'VoidRequested', data: voided },
          { type: 'ChargeVoided', data: { ...voided, gatewayTransactionId: null, message: 'Voided', autoCancel: false } },
        );
        order({ type: 'OrderRefunded', data: { orderId, customerId, transactionId, kind: 'VOID', amount: TOTAL, refundedTotal: TOTAL, fullyRefunded: true } });
        fulfillment({ type: 'FulfillmentCancelled', data: { fulfillmentId: `${orderId}-F1`, orderId, reason: 'order cancelled: customer asked', at: AT } });
      }
      break;
    case 'external':
      payment({ type: 'ExternalPaymentRecorded', data: { ...ref(orderId, transactionId, options), amount: TOTAL, currency: 'USD', at: AT } });
      order(completed);
      fulfillment(fulfillmentCreated(orderId, options));
      break;
    case 'cod-paid':
      payment({ type: 'CodTransactionOpened', data: { ...ref(orderId, transactionId, options), amount: TOTAL, currency: 'USD', response: 'PENDING', message: 'Payment marked as COD', at: AT } });
      order({ type: 'OrderAwaitingCod', data: { ...snapshot(orderId, paymentType, options), transactionId } });
      fulfillment(fulfillmentCreated(orderId, options));
      payment({ type: 'CodPaymentReceived', data: { ...ref(orderId, transactionId, options), amount: TOTAL, response: 'SUCCESS', deliveryConfirmation: `dc-${orderId}`, date: '2026-01-09', at: AT } });
      order(completed);
      break;
    case 'declined':
      payment(declined(orderId, transactionId, options));
      order({ type: 'OrderDeclined', data: { orderId, customerId, paymentType, source: 'PAYMENT', declineType: 'HARD', transactionId, message: 'Declined' } });
      break;
  }
  return world;
}

/**
 * A recurring order (`card`, recurring item) whose purchase billed cycle 2 with a rebill order
 * `<orderId>-r2` (placed, charged with purpose REBILL, completed, fulfilled).
 */
export function rebillWorld(orderId: string): World {
  const purchaseId = `${orderId}-oi-1`;
  const customerId = `cu-${orderId}`;
  const rebillOrderId = `${orderId}-r2`;
  const original = orderWorld(orderId, 'card', { customerId, recurring: true });
  const rebill = orderWorld(rebillOrderId, 'card', { customerId, recurring: true, rebill: { purchaseId, billingCycle: 2, originalOrderId: orderId } });
  const purchase = emptyWorld();
  purchase.subscriptions.push(
    { streamId: `purchase-${purchaseId}`, events: [{ type: 'PurchaseRebillOrderPlaced', data: { purchaseId, customerId, orderId: rebillOrderId, billingCycle: 2, attempt: 0 } }] },
    { streamId: `purchase-${purchaseId}`, events: [purchaseBilled(purchaseId, customerId, rebillOrderId, 2)] },
  );
  return mergeWorlds(original, rebill, purchase);
}

export function purchaseBilled(purchaseId: string, customerId: string, orderId: string, billingCycle: number): DomainEvent {
  return {
    type: 'PurchaseBilled',
    data: {
      purchaseId,
      customerId,
      orderId,
      transactionId: `${orderId}-charge-1`,
      amount: TOTAL,
      currency: 'USD',
      cardLast4: '1111',
      cardBrand: 'VISA',
      message: 'Approved',
      at: AT,
      billingCycle,
      previousStatus: 'TRIAL',
      status: 'ACTIVE',
      nextBillDate: '2026-02-04',
    },
  };
}

/** A consistent system: one order of each kind plus a subscription that billed a rebill order. */
export function consistentWorld(prefix = 'o'): World {
  return mergeWorlds(...ORDER_KINDS.map((kind) => orderWorld(`${prefix}-${kind}`, kind)), rebillWorld(`${prefix}-sub`));
}
