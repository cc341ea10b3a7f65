import { ActorKind, allowedFrom, assertMinorUnits, assertNever, CampaignSnapshot, Decider, DomainError, OrderEvent, OrderItem, orderLimitsOf, QaReason, STANDARD_SHIPPING_METHOD, totalsOf } from '@continuum/contracts';
import {
  AddUpsell,
  ApproveQa,
  CancelOrder,
  DeclineQa,
  OrderCommand,
  OrderDiscount,
  PlaceOrder,
  ReassignOrderCustomer,
  RecordCodDeclined,
  RecordCodOpened,
  RecordCodPaid,
  RecordExternalPayment,
  RecordPaymentApproved,
  RecordPaymentDeclined,
  RecordRefund,
  RecordUpsellApproved,
  RecordUpsellDeclined,
  RerunOrder,
} from './order.commands';
import { customFieldsToStore } from './custom-fields';
import { checkLines, checkTotal } from './order-limits';
import { recordConfirmationEmailSent, resendOrderEmail } from './order-emails';
import { priceItem } from './order-pricing';
import { evolveOrder, initialOrderState, OrderDetails, OrderState, PlacedOrder, refundKey, snapshotOf } from './order.state';
import { ORDER_TRANSITIONS } from './order.transitions';

const rule = (code: string, message: string, details?: Record<string, unknown>): never => {
  throw new DomainError(code, message, 'rule', details);
};

function requirePaymentType(order: OrderDetails, expected: OrderDetails['paymentType'], outcome: string): void {
  if (order.paymentType !== expected) rule('PAYMENT_TYPE_MISMATCH', `${outcome} does not apply to a ${order.paymentType} order`, { paymentType: order.paymentType });
}

const CARD_PATTERN = { last4: /^\d{4}$/, bin: /^\d{6,8}$/ };

/**
 * How the order ships: the method it names, which must be one of the campaign's (a campaign that
 * lists none offers STANDARD only), else the campaign's first; undefined when the campaign lists none
 * and the order names none (fulfillment then ships STANDARD).
 */
function shippingMethodOf(campaign: CampaignSnapshot, asked: string | undefined): string | undefined {
  const offered = campaign.shippingMethods?.map((method) => method.code) ?? [STANDARD_SHIPPING_METHOD];
  if (asked !== undefined && !offered.includes(asked)) {
    rule('SHIPPING_METHOD_NOT_OFFERED', `Campaign ${campaign.campaignId} ships by ${offered.join(', ')}, not ${asked}`, { field: 'shippingMethod', offered });
  }
  return asked ?? campaign.shippingMethods?.[0]?.code;
}

function placeOrder(command: PlaceOrder, state: OrderState): OrderEvent[] {
  const data = command.data;
  if (state.status !== 'ABSENT') throw new DomainError('ORDER_EXISTS', `Order ${data.orderId} was already placed`, 'conflict');
  // checked before anything else, and before any gateway call: a blacklisted order leaves no trace
  if (data.blacklistMatch) {
    rule('BLACKLISTED', `This order matches blacklist rule ${data.blacklistMatch.type} ${data.blacklistMatch.value}`, { rule: data.blacklistMatch });
  }
  if (data.items.length === 0) rule('ITEMS_REQUIRED', 'An order needs at least one item', { field: 'items' });
  const ids = data.items.map((item) => item.orderItemId);
  if (new Set(ids).size !== ids.length) rule('DUPLICATE_ORDER_ITEM', 'Two items share an orderItemId', { field: 'items' });
  if (!(data.qaRoll >= 0 && data.qaRoll < 1)) rule('INVALID_QA_ROLL', 'qaRoll is a number in [0, 1)', { field: 'qaRoll' });
  const { card } = data;
  if (data.paymentType === 'CARD' && !card) rule('CARD_REQUIRED', 'A CARD order needs card details', { field: 'card' });
  if (data.paymentType !== 'CARD' && card) rule('CARD_NOT_ALLOWED', `A ${data.paymentType} order takes no card`, { field: 'card' });
  if (card && (!CARD_PATTERN.last4.test(card.last4) || !CARD_PATTERN.bin.test(card.bin) || card.token.trim() === '')) {
    rule('INVALID_CARD', 'The card needs a token, 4 last digits and a 6-8 digit BIN', { field: 'card' });
  }

  const limits = orderLimitsOf(data.campaign);
  // a rebill bills the purchase's agreed price, whoever triggered it (a force-bill by an agent included)
  const pricedBy = data.rebill ? ({ kind: 'system', id: 'rebill' } as const) : command.metadata.actor;
  const lines = data.items.map((item, index) => ({ field: `items.${index}`, quantity: item.quantity, ...(item.unitPrice !== undefined ? { unitPrice: item.unitPrice } : {}) }));
  checkLines(limits, lines, pricedBy, data.paymentType);
  const items = data.items.map((item, index) => withSubscription(priceItem(data.campaign.products, item), item.subscribe, index, data));
  const discount = data.discount ? discountOf(data.discount, items, command.metadata.actor.kind) : 0;
  const totals = totalsOf(items, 0, data.rebill ? assertMinorUnits(data.salesTax ?? 0, { field: 'salesTax' }) : 0, discount);
  checkTotal(limits, totals.total, data.paymentType);
  const customFields = customFieldsToStore(data.customFields);
  const shippingMethod = shippingMethodOf(data.campaign, data.shippingMethod);
  const reasons: QaReason[] = [];
  if (data.forceQa) reasons.push('FORCED');
  if (data.qaRoll < data.campaign.qaRate) reasons.push('QA_RATE');
  if (data.paymentType === 'EXTERNAL' && !data.campaign.skipQaForExternal) reasons.push('EXTERNAL');

  return [
    {
      type: 'OrderPlaced',
      data: {
        orderId: data.orderId,
        customerId: data.customerId,
        campaignId: data.campaign.campaignId,
        currency: data.campaign.currency,
        paymentType: data.paymentType,
        items,
        totals,
        ...(data.shippingAddress ? { shippingAddress: data.shippingAddress } : {}),
        ...(shippingMethod !== undefined ? { shippingMethod } : {}),
        ...(data.rebill ? { rebill: data.rebill } : {}),
        // the summary only: expiry stays with payments, number and cvv never reach an order
        ...(card ? { card: { token: card.token, brand: card.brand, last4: card.last4, bin: card.bin } } : {}),
        qa: { required: reasons.length > 0, reasons },
        ...(data.clientOrderId ? { clientOrderId: data.clientOrderId } : {}),
        ...(data.externalReference ? { externalReference: data.externalReference } : {}),
        ...(data.ipAddress ? { ipAddress: data.ipAddress } : {}),
        ...(data.discount ? { discountReason: data.discount.reason } : {}),
        ...(customFields ? { customFields } : {}),
        placedAt: command.metadata.now,
      },
    },
  ];
}

/**
 * Whether a RECURRING line starts a purchase, written on the line for subscriptions: when asked
 * (`subscribe: true`), or unasked on a CARD order. An EXTERNAL or COD order subscribes only when asked
 * and the customer has a card on file to bill the rebills (SUBSCRIPTION_NEEDS_CARD). A rebill's line
 * and a straight sale carry nothing.
 */
function withSubscription(item: OrderItem, asked: boolean | undefined, index: number, data: PlaceOrder['data']): OrderItem {
  if (item.billingType !== 'RECURRING' || data.rebill) return item;
  const subscribe = asked ?? data.paymentType === 'CARD';
  if (subscribe && data.paymentType !== 'CARD' && !data.cardOnFile) {
    rule('SUBSCRIPTION_NEEDS_CARD', `A ${data.paymentType} order starts a subscription only for a customer with a card on file`, { field: `items.${index}.subscribe` });
  }
  return { ...item, subscribe };
}

/**
 * The discount an agent or admin gives an order: a positive whole amount in minor units (the one money
 * rule, INVALID_AMOUNT), at most the subtotal plus shipping (DISCOUNT_EXCEEDS_TOTAL), with a reason
 * (INVALID_DISCOUNT); nobody else discounts (DISCOUNT_NOT_ALLOWED).
 */
function discountOf(discount: OrderDiscount, items: readonly OrderItem[], actor: ActorKind): number {
  if (actor !== 'agent' && actor !== 'admin') rule('DISCOUNT_NOT_ALLOWED', `A ${actor} may not discount an order; agents and admins may`, { field: 'discount' });
  assertMinorUnits(discount.amount, { field: 'discount.amount', min: 1 });
  if (discount.reason.trim() === '') rule('INVALID_DISCOUNT', 'discount.reason says why the order is discounted', { field: 'discount.reason' });
  const gross = items.reduce((sum, item) => sum + item.price + item.shippingPrice, 0);
  if (discount.amount > gross) {
    rule('DISCOUNT_EXCEEDS_TOTAL', `The discount ${discount.amount} is more than the subtotal plus shipping ${gross}`, { field: 'discount.amount', max: gross });
  }
  return discount.amount;
}

/** A recorded payment either holds the order for QA or completes it. */
function paid(order: OrderDetails, transactionId: string, reasons: readonly QaReason[]): OrderEvent[] {
  if (reasons.length > 0) return [{ type: 'OrderSentToQa', data: { orderId: order.orderId, customerId: order.customerId, reasons, transactionId } }];
  return [{ type: 'OrderCompleted', data: { ...snapshotOf(order), transactionId } }];
}

function recordPaymentApproved(command: RecordPaymentApproved, state: PlacedOrder): OrderEvent[] {
  const { order } = state;
  const { transactionId, amount, prepaid } = command.data;
  if (order.chargeTransactionId === transactionId) return [];
  if (state.status === 'CANCELLED') return reverseLateCharge(order, transactionId, amount);
  allowedFrom(ORDER_TRANSITIONS, command.type, state.status);
  requirePaymentType(order, 'CARD', 'A card approval');
  assertMinorUnits(amount, { field: 'amount' });
  return paid(order, transactionId, prepaid ? [...order.qa.reasons, 'PREPAID'] : order.qa.reasons);
}

/**
 * A charge approved after the order was cancelled (or for an upsell item the order no longer
 * carries) took money for something that will not ship: ask payments to give that transaction back.
 * Asked for whatever the cancel's fullRefund was, because that refund covered only the charges
 * payments knew of when it ran; payments reverses only what remains of the transaction, so a charge
 * the cancel already refunded costs nothing. Asked once per transaction.
 */
function reverseLateCharge(order: OrderDetails, transactionId: string, amount: number): OrderEvent[] {
  if (order.reversedTransactionIds.includes(transactionId)) return [];
  requirePaymentType(order, 'CARD', 'A card approval');
  assertMinorUnits(amount, { field: 'amount' });
  return [
    {
      type: 'OrderPaymentReversalRequested',
      data: { orderId: order.orderId, customerId: order.customerId, transactionId, amount, currency: order.currency },
    },
  ];
}

/**
 * An upsell's own charge was approved. The order took the item when it was added, so normally there
 * is nothing to record (and the order's status is never the upsell's business). The money buys
 * nothing when the order is CANCELLED or the item was taken off by UpsellDeclined: then the charge is
 * reversed. An item the order never took records nothing either way: orders cannot tell what it was.
 */
function recordUpsellApproved(command: RecordUpsellApproved, state: PlacedOrder): OrderEvent[] {
  const { order } = state;
  const { orderItemId, transactionId, amount } = command.data;
  const onOrder = order.items.some((item) => item.orderItemId === orderItemId);
  const removed = !onOrder && order.removedUpsellItemIds.includes(orderItemId);
  if (state.status === 'CANCELLED' || removed) return reverseLateCharge(order, transactionId, amount);
  return [];
}

/**
 * The upsell's own charge failed, so the order no longer carries that item or its amount.
 * An item no longer on the order (a redelivery, or an upsell that was never added) changes nothing;
 * an item the order was placed with is not an upsell and stays.
 */
function recordUpsellDeclined(command: RecordUpsellDeclined, state: PlacedOrder): OrderEvent[] {
  const { order } = state;
  const { orderItemId, transactionId } = command.data;
  const item = order.items.find((candidate) => candidate.orderItemId === orderItemId);
  if (!item) return [];
  if (!order.upsellItemIds.includes(orderItemId)) {
    rule('NOT_AN_UPSELL_ITEM', `Order item ${orderItemId} was not added as an upsell`, { orderItemId });
  }
  const remaining = order.items.filter((candidate) => candidate !== item);
  return [
    {
      type: 'UpsellDeclined',
      data: {
        orderId: order.orderId,
        customerId: order.customerId,
        orderItemId,
        transactionId,
        amount: item.price + item.shippingPrice,
        newTotals: totalsOf(remaining, order.totals.refunded, order.totals.salesTax, order.totals.discount),
      },
    },
  ];
}

function recordExternalPayment(command: RecordExternalPayment, state: PlacedOrder): OrderEvent[] {
  const { order } = state;
  if (order.chargeTransactionId === command.data.transactionId) return [];
  allowedFrom(ORDER_TRANSITIONS, command.type, state.status);
  requirePaymentType(order, 'EXTERNAL', 'An external payment');
  return paid(order, command.data.transactionId, order.qa.reasons);
}

function recordPaymentDeclined(command: RecordPaymentDeclined, state: PlacedOrder): OrderEvent[] {
  const { order } = state;
  const { transactionId, response, message } = command.data;
  if (order.declinedTransactionIds.includes(transactionId)) return [];
  allowedFrom(ORDER_TRANSITIONS, command.type, state.status);
  requirePaymentType(order, 'CARD', 'A card decline');
  const declineType = response === 'SOFT_DECLINE' ? 'SOFT' : 'HARD';
  return [
    {
      type: 'OrderDeclined',
      data: { orderId: order.orderId, customerId: order.customerId, paymentType: order.paymentType, source: 'PAYMENT', declineType, transactionId, message },
    },
  ];
}

function recordCodOpened(command: RecordCodOpened, state: PlacedOrder): OrderEvent[] {
  const { order } = state;
  const { transactionId } = command.data;
  if (order.codTransactionId === transactionId) return [];
  allowedFrom(ORDER_TRANSITIONS, command.type, state.status);
  requirePaymentType(order, 'COD', 'A COD transaction');
  if (order.qa.required) return [{ type: 'OrderSentToQa', data: { orderId: order.orderId, customerId: order.customerId, reasons: order.qa.reasons, transactionId } }];
  return [{ type: 'OrderAwaitingCod', data: { ...snapshotOf(order), transactionId } }];
}

function codOutcome(command: RecordCodPaid | RecordCodDeclined, state: PlacedOrder): OrderEvent[] {
  const { order } = state;
  const { transactionId } = command.data;
  if (order.codSettled && order.codTransactionId === transactionId) return [];
  allowedFrom(ORDER_TRANSITIONS, command.type, state.status);
  if (order.codTransactionId !== transactionId) {
    rule('TRANSACTION_MISMATCH', `Transaction ${transactionId} is not the COD transaction of order ${order.orderId}`, { transactionId });
  }
  if (command.type === 'RecordCodPaid') return [{ type: 'OrderCompleted', data: { ...snapshotOf(order), transactionId } }];
  return [
    {
      type: 'OrderDeclined',
      data: { orderId: order.orderId, customerId: order.customerId, paymentType: order.paymentType, source: 'COD', declineType: 'HARD', transactionId },
    },
  ];
}

function recordRefund(command: RecordRefund, state: PlacedOrder): OrderEvent[] {
  const { order } = state;
  const { refundId, transactionId, amount, kind } = command.data;
  if (order.refundKeys.includes(refundKey(command.data))) return [];
  allowedFrom(ORDER_TRANSITIONS, command.type, state.status);
  assertMinorUnits(amount, { field: 'amount', min: 1 });
  const refundedTotal = order.totals.refunded + amount;
  if (refundedTotal > order.totals.total) {
    rule('REFUND_EXCEEDS_TOTAL', `Only ${order.totals.total - order.totals.refunded} of order ${order.orderId} remains to refund`, {
      remaining: order.totals.total - order.totals.refunded,
    });
  }
  return [
    {
      type: 'OrderRefunded',
      data: {
        orderId: order.orderId,
        customerId: order.customerId,
        transactionId,
        ...(refundId !== undefined ? { refundId } : {}),
        kind,
        amount,
        refundedTotal,
        fullyRefunded: refundedTotal === order.totals.total,
      },
    },
  ];
}

/** The transaction a QA decision or a cancellation concerns. */
const paymentTransaction = (order: OrderDetails) => order.chargeTransactionId ?? order.codTransactionId;

function approveQa(command: ApproveQa, state: PlacedOrder): OrderEvent[] {
  allowedFrom(ORDER_TRANSITIONS, command.type, state.status);
  const { order } = state;
  const { refunded, total } = order.totals;
  // all the money went back: shipping it would give the goods away (a $0 order refunded nothing and may pass)
  if (refunded > 0 && refunded >= total) {
    rule('ORDER_FULLY_REFUNDED', `Order ${order.orderId} was fully refunded; decline it instead`, { refunded, total });
  }
  const transactionId = paymentTransaction(order);
  const approved: OrderEvent = { type: 'OrderApproved', data: { ...snapshotOf(order), ...(transactionId ? { transactionId } : {}) } };
  // a COD order is not paid yet: approval releases it to wait for payment on delivery
  if (order.paymentType === 'COD' && order.codTransactionId) {
    return [approved, { type: 'OrderAwaitingCod', data: { ...snapshotOf(order), transactionId: order.codTransactionId } }];
  }
  return [approved];
}

function declineQa(command: DeclineQa, state: PlacedOrder): OrderEvent[] {
  allowedFrom(ORDER_TRANSITIONS, command.type, state.status);
  const { order } = state;
  const transactionId = paymentTransaction(order);
  return [
    {
      type: 'OrderDeclined',
      data: { orderId: order.orderId, customerId: order.customerId, paymentType: order.paymentType, source: 'QA', ...(transactionId ? { transactionId } : {}) },
    },
  ];
}

function cancelOrder(command: CancelOrder, state: PlacedOrder): OrderEvent[] {
  const { order } = state;
  const reason = command.data.reason.trim();
  if (reason === '') rule('REASON_REQUIRED', 'Say why the order is cancelled', { field: 'reason' });
  allowedFrom(ORDER_TRANSITIONS, command.type, state.status);
  const transactionId = paymentTransaction(order);
  return [
    {
      type: 'OrderCancelled',
      data: {
        orderId: order.orderId,
        customerId: order.customerId,
        paymentType: order.paymentType,
        reason,
        fullRefund: command.data.fullRefund,
        ...(command.data.cancelPurchases ? { cancelPurchases: command.data.cancelPurchases } : {}),
        previousStatus: state.status,
        ...(transactionId ? { transactionId } : {}),
        refundableAmount: order.totals.total - order.totals.refunded,
      },
    },
  ];
}

function rerunOrder(command: RerunOrder, state: PlacedOrder): OrderEvent[] {
  allowedFrom(ORDER_TRANSITIONS, command.type, state.status);
  // the table allows a rerun from DECLINED only; this narrows the state to one with its decline
  if (state.status !== 'DECLINED') throw new Error(`ORDER_TRANSITIONS lets RerunOrder run from ${state.status}, which has no decline`);
  const { order, decline } = state;
  if (decline.source !== 'PAYMENT') rule('ORDER_NOT_RERUNNABLE', `An order declined by ${decline.source} cannot be rerun`, { source: decline.source });
  if (decline.declineType === 'HARD') rule('HARD_DECLINE_NEEDS_NEW_PAYMENT', 'A hard decline cannot be rerun; place a new order with new payment details');
  return [
    {
      type: 'OrderRerunRequested',
      data: {
        orderId: order.orderId,
        customerId: order.customerId,
        currency: order.currency,
        ...(order.card ? { card: order.card } : {}),
        ...(command.data.merchantId ? { merchantId: command.data.merchantId } : {}),
        ...(decline.transactionId ? { previousTransactionId: decline.transactionId } : {}),
      },
    },
  ];
}

function addUpsell(command: AddUpsell, state: PlacedOrder): OrderEvent[] {
  const { order } = state;
  const { orderItemId, productId, quantity, unitPrice, campaign } = command.data;
  // the COD amount was fixed when the transaction was opened; an upsell would never be collected
  if (order.paymentType === 'COD') rule('UPSELL_NOT_AVAILABLE_FOR_COD', `Order ${order.orderId} is paid on delivery; upsells are not available for COD orders`);
  allowedFrom(ORDER_TRANSITIONS, command.type, state.status);
  if (campaign.campaignId !== order.campaignId) rule('CAMPAIGN_MISMATCH', `Upsells come from the order's campaign ${order.campaignId}`);
  if (order.items.some((item) => item.orderItemId === orderItemId)) {
    throw new DomainError('DUPLICATE_ORDER_ITEM', `Order item ${orderItemId} already exists`, 'conflict');
  }
  const limits = orderLimitsOf(campaign);
  checkLines(limits, [{ field: '', quantity, ...(unitPrice !== undefined ? { unitPrice } : {}) }], command.metadata.actor, order.paymentType);
  const item = priceItem(campaign.products, { orderItemId, productId, quantity, ...(unitPrice !== undefined ? { unitPrice } : {}) });
  const newTotals = totalsOf([...order.items, item], order.totals.refunded, order.totals.salesTax, order.totals.discount);
  checkTotal(limits, newTotals.total, order.paymentType, 'quantity');
  return [
    {
      type: 'UpsellAdded',
      data: {
        orderId: order.orderId,
        customerId: order.customerId,
        currency: order.currency,
        paymentType: order.paymentType,
        ...(order.card ? { card: order.card } : {}),
        orderItemId,
        item,
        amount: item.price + item.shippingPrice,
        newTotals,
      },
    },
  ];
}

function reassignCustomer(command: ReassignOrderCustomer, state: PlacedOrder): OrderEvent[] {
  const { order } = state;
  if (order.customerId === command.data.customerId) return [];
  return [{ type: 'OrderCustomerReassigned', data: { orderId: order.orderId, fromCustomerId: order.customerId, customerId: command.data.customerId } }];
}

function decidePlaced(command: Exclude<OrderCommand, PlaceOrder>, state: PlacedOrder): OrderEvent[] {
  switch (command.type) {
    case 'RecordPaymentApproved':
      return recordPaymentApproved(command, state);
    case 'RecordExternalPayment':
      return recordExternalPayment(command, state);
    case 'RecordPaymentDeclined':
      return recordPaymentDeclined(command, state);
    case 'RecordUpsellApproved':
      return recordUpsellApproved(command, state);
    case 'RecordUpsellDeclined':
      return recordUpsellDeclined(command, state);
    case 'RecordCodOpened':
      return recordCodOpened(command, state);
    case 'RecordCodPaid':
    case 'RecordCodDeclined':
      return codOutcome(command, state);
    case 'RecordRefund':
      return recordRefund(command, state);
    case 'ApproveQa':
      return approveQa(command, state);
    case 'DeclineQa':
      return declineQa(command, state);
    case 'CancelOrder':
      return cancelOrder(command, state);
    case 'RerunOrder':
      return rerunOrder(command, state);
    case 'AddUpsell':
      return addUpsell(command, state);
    case 'ReassignOrderCustomer':
      return reassignCustomer(command, state);
    case 'ResendOrderEmail':
      return resendOrderEmail(command, state);
    case 'RecordConfirmationEmailSent':
      return recordConfirmationEmailSent(command, state);
    default:
      return assertNever(command, 'order command');
  }
}

/**
 * One order, from placing it to its payment outcomes, QA, cancellation, rerun, upsells and refunds.
 * Payment outcomes are idempotent per transaction (Kafka may redeliver): a repeat returns [].
 */
export const orderDecider: Decider<OrderCommand, OrderEvent, OrderState> = {
  initialState: initialOrderState,
  evolve: evolveOrder,
  decide: (command, state) => {
    if (command.type === 'PlaceOrder') return placeOrder(command, state);
    if (state.status === 'ABSENT') throw new DomainError('ORDER_NOT_FOUND', `Order ${command.data.orderId} does not exist`, 'not-found');
    return decidePlaced(command, state);
  },
};
