import {
  FulfillmentEvent,
  IncomingEvent,
  OrderApproved,
  OrderCancelled,
  OrderCompleted,
  OrderDeclined,
  OrderEvent,
  OrderItem,
  PaymentApproved,
  PaymentDeclined,
  PaymentsEvent,
  PaymentType,
  PurchaseRebillOrderPlaced,
  PurchaseStarted,
  Reaction,
  RebillOrderReported,
  RebillRefused,
} from '@continuum/contracts';
import { PurchaseCommand } from './purchase.commands';
import { ExistingPurchase } from './purchase.state';

/** One command for one purchase: what a consumer runs for an incoming event. */
export type PurchaseWork = PurchaseCommand extends infer C
  ? C extends PurchaseCommand
    ? { readonly purchaseId: string; readonly command: Pick<C, 'type' | 'data'> }
    : never
  : never;

/** The purchase of one recurring item of an order: the same id whatever redelivers the order's completion. */
export const purchaseIdFor = (orderId: string, orderItemId: string): string => `${orderId}-${orderItemId}`;

/** What the consumer knows besides the event: the account settings and the purchases the event's order concerns. */
export interface OrderReactionState {
  readonly timeZone: string;
  readonly monthlyIntervalDays: readonly number[];
  /** the purchases started by the event's order or billed by it (a rebill order), looked up by order id */
  readonly purchases: readonly ExistingPurchase[];
}

/**
 * A RECURRING line starts a purchase when the order says so (`subscribe`, which orders sets when the
 * order is placed), or, on an order placed before orders said so, when it was paid by card: an
 * EXTERNAL or COD order has no card to bill the rebills with.
 */
function startsPurchase(item: OrderItem, paymentType: PaymentType): boolean {
  return item.billingType === 'RECURRING' && (item.subscribe ?? paymentType === 'CARD');
}

function startPurchases(event: IncomingEvent<OrderCompleted | OrderApproved>, state: OrderReactionState, orderDate: string): PurchaseWork[] {
  const order = event.data;
  if (order.rebill) return []; // a rebill order bills a purchase; it starts none
  return order.items
    .filter((item) => startsPurchase(item, order.paymentType))
    .map((item) => {
      const purchaseId = purchaseIdFor(order.orderId, item.orderItemId);
      return {
        purchaseId,
        command: {
          type: 'StartPurchase' as const,
          data: {
            purchaseId,
            customerId: order.customerId,
            orderId: order.orderId,
            campaignId: order.campaignId,
            currency: order.currency,
            item,
            orderDate,
            ...(order.transactionId !== undefined ? { transactionId: order.transactionId } : {}),
            timeZone: state.timeZone,
            monthlyIntervalDays: state.monthlyIntervalDays,
          },
        },
      };
    });
}

/** The purchases an order started (not those it billed as a rebill). */
const startedBy = (orderId: string, purchases: readonly ExistingPurchase[]) => purchases.filter((p) => p.orderId === orderId);

function cancelPurchases(event: IncomingEvent<OrderCancelled>, state: OrderReactionState): PurchaseWork[] {
  const { cancelPurchases: when, orderId, reason } = event.data;
  if (when === undefined) return [];
  return startedBy(orderId, state.purchases)
    .filter((p) => p.status !== 'CANCELLED' && p.status !== 'COMPLETE')
    .filter((p) => when === 'NOW' || ['TRIAL', 'ACTIVE'].includes(p.status))
    .map((p) => ({
      purchaseId: p.purchaseId,
      command: { type: 'CancelPurchase' as const, data: { when, reason: `Order ${orderId} cancelled: ${reason}`, source: 'ORDER_CANCELLED' as const } },
    }));
}

/** The purchase whose rebill order this is, while the order's outcome is still awaited. */
const awaitingOrder = (orderId: string, purchases: readonly ExistingPurchase[]) => purchases.find((p) => p.rebillOrders[orderId]?.outcome === 'PENDING');

/** A rebill order that ended without a charge (QA declined it, or it was cancelled) -> RecordRebillNotBilled on its purchase. */
function rebillNotBilled(
  event: IncomingEvent<OrderDeclined | OrderCancelled>,
  state: OrderReactionState & { readonly occurredAt: string },
  outcome: 'QA_DECLINED' | 'ORDER_CANCELLED',
  reason: string,
): PurchaseWork[] {
  const { orderId } = event.data;
  const purchase = awaitingOrder(orderId, state.purchases);
  if (!purchase) return [];
  const { billingCycle, attempt } = purchase.rebillOrders[orderId]!;
  return [{ purchaseId: purchase.purchaseId, command: { type: 'RecordRebillNotBilled', data: { orderId, billingCycle, attempt, outcome, reason, at: state.occurredAt } } }];
}

/**
 * orders.events.v1 -> purchases:
 * - OrderCompleted / OrderApproved of a new order: one purchase started per RECURRING item (TRIAL,
 *   cycle 1), dated (`orderDate`) when the order was placed (`placedAt`), else at the event's time;
 * - OrderPlaced of a rebill order (`rebill` set): the purchase records the order of its bill;
 * - OrderCompleted of a rebill order paid without a card charge (EXTERNAL, COD), or OrderApproved of an
 *   EXTERNAL one QA held: that is its approval (a CARD rebill is billed by PaymentApproved, purpose
 *   REBILL; a COD one QA approved is billed when paid on delivery, OrderCompleted);
 * - RebillRefused: orders placed no order for the request: the bill was not billed (REFUSED);
 * - RebillOrderReported (a request asked again whose order had ended): COMPLETE / REFUNDED -> its
 *   approval, DECLINED (by QA) -> not billed (QA_DECLINED), CANCELLED -> not billed (ORDER_CANCELLED);
 * - OrderDeclined by QA of a rebill order still awaited: not billed (QA_DECLINED);
 * - OrderCancelled of a rebill order still awaited: not billed (ORDER_CANCELLED, the cycle is due again);
 * - OrderCancelled with `cancelPurchases`: the purchases the order started are cancelled now, or after
 *   their next bill (those that still bill: TRIAL or ACTIVE; the others are cancelled only by NOW).
 */
/**
 * What `onOrderEvent` decides on besides the purchases: `occurredAt`, the event's time (when a rebill
 * order was approved, declined or cancelled); `placedAt`, when the order was placed, as the consumer
 * kept it from its OrderPlaced (absent when that was never seen): a new order's purchases are dated
 * from it (their order date, from which the trial counts), else from the event's time.
 */
export type OrderEventInputs = OrderReactionState & { readonly occurredAt: string; readonly placedAt?: string };

export function onOrderEvent(event: IncomingEvent<OrderEvent | RebillRefused | RebillOrderReported>, state: OrderEventInputs): readonly PurchaseWork[] {
  switch (event.type) {
    case 'OrderCompleted':
    case 'OrderApproved': {
      const rebill = event.data.rebill;
      if (!rebill) return startPurchases(event, state, state.placedAt ?? state.occurredAt);
      const { paymentType, transactionId } = event.data;
      if (paymentType === 'CARD' || (event.type === 'OrderApproved' && paymentType !== 'EXTERNAL') || transactionId === undefined) return [];
      const purchase = state.purchases.find((p) => p.purchaseId === rebill.purchaseId);
      if (!purchase) return [];
      return [
        {
          purchaseId: purchase.purchaseId,
          command: {
            type: 'RecordRebillApproved',
            data: { orderId: event.data.orderId, transactionId, amount: event.data.totals.total, currency: event.data.currency, message: `${paymentType} payment`, at: state.occurredAt },
          },
        },
      ];
    }
    case 'RebillRefused': {
      const { purchaseId, orderId, billingCycle, attempt, code, reason, at } = event.data;
      return [{ purchaseId, command: { type: 'RecordRebillNotBilled', data: { orderId, billingCycle, attempt, outcome: 'REFUSED', code, reason, at } } }];
    }
    case 'RebillOrderReported': {
      const { purchaseId, orderId, billingCycle, attempt, status, paymentType, transactionId, amount, currency, reason, at } = event.data;
      if (!state.purchases.some((p) => p.purchaseId === purchaseId && p.rebillOrders[orderId] !== undefined)) return [];
      if (status === 'COMPLETE' || status === 'REFUNDED') {
        if (transactionId === undefined) return [];
        return [{ purchaseId, command: { type: 'RecordRebillApproved', data: { orderId, transactionId, amount, currency, message: `${paymentType} payment`, at } } }];
      }
      const outcome = status === 'DECLINED' ? ('QA_DECLINED' as const) : ('ORDER_CANCELLED' as const);
      const why = reason ?? (status === 'DECLINED' ? 'Declined by QA' : `Order ${orderId} cancelled`);
      return [{ purchaseId, command: { type: 'RecordRebillNotBilled', data: { orderId, billingCycle, attempt, outcome, reason: why, at } } }];
    }
    case 'OrderDeclined':
      return event.data.source === 'QA' ? rebillNotBilled(event, state, 'QA_DECLINED', event.data.message ?? 'Declined by QA') : [];
    case 'OrderPlaced': {
      const rebill = event.data.rebill;
      if (!rebill) return [];
      return [{ purchaseId: rebill.purchaseId, command: { type: 'RecordRebillOrder', data: { orderId: event.data.orderId, billingCycle: rebill.billingCycle } } }];
    }
    case 'OrderCancelled':
      return [...rebillNotBilled(event, state, 'ORDER_CANCELLED', `Order ${event.data.orderId} cancelled: ${event.data.reason}`), ...cancelPurchases(event, state)];
    default:
      return [];
  }
}

/** The purchase whose rebill order the payment event names (looked up by order id), and the recycle schedule. */
export interface PaymentReactionState {
  readonly purchases: readonly ExistingPurchase[];
  readonly recycleDelaysMs: readonly number[];
}

/**
 * payments.events.v1 -> purchases:
 * - PaymentApproved of a rebill order (purpose REBILL, or RERUN when an agent reran a declined rebill
 *   in orders): the purchase is billed, cycle + 1;
 * - PaymentDeclined, purpose REBILL: the decline, then recycle billing or RECYCLE_FAILED;
 * - ChargeVoided / RefundSucceeded with `autoCancel` (the account option): the purchases the charge's
 *   order started, or the purchase it billed, are cancelled now.
 * A gateway timeout publishes nothing (payments retries the call, then dead-letters it): never a decline.
 */
export const onPaymentEvent: Reaction<PaymentsEvent, PaymentReactionState, PurchaseWork> = (event, state) => {
  switch (event.type) {
    case 'PaymentApproved':
    case 'PaymentDeclined': {
      const d = event.data;
      if (d.purpose !== 'REBILL' && !(d.purpose === 'RERUN' && event.type === 'PaymentApproved')) return [];
      const purchase = state.purchases.find((p) => p.rebillOrders[d.orderId] !== undefined);
      if (!purchase) return [];
      const charge = {
        orderId: d.orderId,
        transactionId: d.transactionId,
        amount: d.amount,
        currency: d.currency,
        cardLast4: d.card.last4,
        cardBrand: d.card.brand,
        message: d.message,
        at: d.at,
      };
      if (event.type === 'PaymentApproved') return [{ purchaseId: purchase.purchaseId, command: { type: 'RecordRebillApproved', data: charge } }];
      return [{ purchaseId: purchase.purchaseId, command: { type: 'RecordRebillDeclined', data: { ...charge, response: event.data.response, recycleDelaysMs: state.recycleDelaysMs } } }];
    }
    case 'ChargeVoided':
    case 'RefundSucceeded': {
      if (!event.data.autoCancel) return [];
      const { orderId, transactionId } = event.data;
      const source = event.type === 'ChargeVoided' ? ('VOID' as const) : ('REFUND' as const);
      const reason = `${source === 'VOID' ? 'Voided' : 'Refunded'} transaction ${transactionId} (auto-cancel)`;
      return state.purchases
        .filter((p) => p.orderId === orderId || p.rebillOrders[orderId] !== undefined)
        .filter((p) => p.status !== 'CANCELLED' && p.status !== 'COMPLETE')
        .map((p) => ({ purchaseId: p.purchaseId, command: { type: 'CancelPurchase' as const, data: { when: 'NOW' as const, reason, source } } }));
    }
    default:
      return [];
  }
};

/** A rebill charge's outcome (PaymentApproved or PaymentDeclined, purpose REBILL) as payments published it. */
export type RebillChargeOutcome = IncomingEvent<PaymentApproved | PaymentDeclined>;

/**
 * Whether a payment event is the outcome of a rebill charge that no purchase knows as its rebill
 * order yet. Payments charges the rebill order when it reads the order's OrderPlaced, and this
 * service records that order on its purchase when its own consumer of the orders topic reads the
 * same OrderPlaced: under load the charge's outcome can be read first. Such an outcome is kept (by
 * order id) and decided on when the purchase records the order (`onRebillOrderRecorded`), never
 * dropped: dropping it left the purchase with its bill in flight although the customer was charged.
 */
export function keepsRebillOutcome(event: PaymentsEvent, purchases: readonly ExistingPurchase[]): boolean {
  if (event.type !== 'PaymentApproved' && event.type !== 'PaymentDeclined') return false;
  if (event.data.purpose !== 'REBILL') return false;
  return !knowsRebillOrder(purchases, event.data.orderId);
}

/** Whether one of `purchases` has recorded `orderId` as the order of one of its bills. */
export const knowsRebillOrder = (purchases: readonly ExistingPurchase[], orderId: string): boolean => purchases.some((p) => p.rebillOrders[orderId] !== undefined);

/**
 * Whether the outcomes kept for a rebill order must wait before they are decided, after the
 * order-reactions consumer recorded the order on its purchase: while the purchase's stream knows
 * the order (`recorded`) but the purchases view does not show it yet (`shown`: the view trails its
 * stream when the relay is slow or its lease moves). The payment-reactions consumer decides from
 * that view whether to keep an outcome, so deciding before the view shows the record could leave an
 * outcome kept after this look undecided, and forgetting what was looked at would lose the one
 * looked at. A record the purchase refused (not `recorded`) has nothing to wait for.
 */
export const keptOutcomesWait = (shown: boolean, recorded: boolean): boolean => recorded && !shown;

/**
 * A purchase recorded its rebill order (PurchaseRebillOrderPlaced): the outcomes of that order's
 * charge kept because they came before it (`keepsRebillOutcome`) are decided now, as if they came
 * after. `purchases`: those that know the order (looked up by order id after the record).
 */
export const onRebillOrderRecorded = (outcomes: readonly RebillChargeOutcome[], state: PaymentReactionState): readonly PurchaseWork[] =>
  outcomes.flatMap((outcome) => onPaymentEvent(outcome, state));

/** The status a fulfillment event leaves its fulfillment in. */
export function fulfillmentStatus(event: FulfillmentEvent): { status: string; at: string; trackingNumber?: string } | null {
  switch (event.type) {
    case 'FulfillmentCreated':
      return { status: 'HOLD', at: event.data.at };
    case 'FulfillmentExported':
      return { status: 'PENDING', at: event.data.at };
    case 'FulfillmentShipped':
      return { status: 'SHIPPED', at: event.data.shippedAt, trackingNumber: event.data.trackingNumber };
    case 'FulfillmentDelivered':
      return { status: 'DELIVERED', at: event.data.deliveredAt };
    case 'FulfillmentCancelled':
      return { status: 'CANCELLED', at: event.data.at };
    case 'FulfillmentRmaIssued':
      return { status: 'RMA_PENDING', at: event.data.at };
    case 'FulfillmentReturned':
      return { status: 'RETURNED', at: event.data.returnedAt };
    case 'FulfillmentFailed':
      return { status: 'FAILED', at: event.data.at };
    case 'FulfillmentRecycled':
      return { status: 'RECYCLED', at: event.data.at };
    default:
      return null;
  }
}

/** fulfillment.events.v1 -> the fulfillments each purchase shows: those of the order that started it and of its rebill orders. */
export const onFulfillmentEvent: Reaction<FulfillmentEvent, readonly ExistingPurchase[], PurchaseWork> = (event, purchases) => {
  const outcome = fulfillmentStatus(event);
  if (!outcome) return [];
  const { fulfillmentId, orderId } = event.data;
  return purchases
    .filter((p) => p.orderId === orderId || p.rebillOrders[orderId] !== undefined)
    .map((p) => ({
      purchaseId: p.purchaseId,
      command: {
        type: 'RecordFulfillment' as const,
        data: { fulfillmentId, orderId, status: outcome.status, at: outcome.at, ...(outcome.trackingNumber ? { trackingNumber: outcome.trackingNumber } : {}) },
      },
    }));
};

/** A fulfillment of an order as this service saw it go by (kept for orders it did not know yet). */
export interface KnownFulfillment {
  readonly fulfillmentId: string;
  readonly status: string;
  readonly at: string;
  readonly trackingNumber?: string;
}

/**
 * A purchase learned one of its orders (it started from it, or recorded its rebill order): the
 * fulfillments of that order seen before are recorded on it now (the fulfillment events may have been
 * read first: the topics are read by different consumers).
 */
export const onOrderLearned: Reaction<PurchaseStarted | PurchaseRebillOrderPlaced, readonly KnownFulfillment[], PurchaseWork> = (event, fulfillments) =>
  fulfillments.map((f) => ({
    purchaseId: event.data.purchaseId,
    command: {
      type: 'RecordFulfillment' as const,
      data: { fulfillmentId: f.fulfillmentId, orderId: event.data.orderId, status: f.status, at: f.at, ...(f.trackingNumber ? { trackingNumber: f.trackingNumber } : {}) },
    },
  }));
