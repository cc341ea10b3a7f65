import { Actor, EnvelopeOf } from '@continuum/contracts';
import type { CustomerHistory, HistoryEvent, HistoryOptions } from './customer-history';
import { JournalEntry } from './journal';
import { addMs, formatDay, formatMoney } from './money';
import { sourceServiceOf } from './routing';

/** Who or what did it, in the words of the history: the envelope's actor, a scheduled job told apart from other system work. */
export type TimelineActorKind = 'agent' | 'admin' | 'service' | 'fulfillment-house' | 'scheduled-job' | 'system';

/** One line of the timeline: what happened, when, who did it, and where it came from. */
export interface TimelineEntry {
  readonly at: string;
  readonly type: string;
  readonly summary: string;
  readonly actor: { readonly kind: TimelineActorKind; readonly id: string };
  readonly correlationId: string;
  readonly source: { readonly service: string; readonly eventId: string };
  readonly orderId: string | null;
}

/** System actors that are scheduled work (queues and runs), by the id the services give them. */
const SCHEDULED = /(retr|settle|rebill|recycl|export|schedul|job|run|daily)/i;

export function timelineActor(actor: Actor): TimelineEntry['actor'] {
  if (actor.kind !== 'system') return { kind: actor.kind, id: actor.id };
  return { kind: SCHEDULED.test(actor.id) ? 'scheduled-job' : 'system', id: actor.id };
}

/** The retries payments makes after the first failed refund attempt (three daily retries, docs/payments.md). */
const REFUND_RETRIES = 3;

export function timelineEntry(history: CustomerHistory, entry: JournalEntry, options: HistoryOptions): TimelineEntry {
  const data = entry.data as { orderId?: unknown };
  return {
    at: entry.occurredAt,
    type: entry.type,
    summary: summarize(history, entry as unknown as EnvelopeOf<HistoryEvent>, options),
    actor: timelineActor(entry.actor),
    correlationId: entry.correlationId,
    source: { service: sourceServiceOf(entry.topic), eventId: entry.eventId },
    orderId: typeof data.orderId === 'string' ? data.orderId : null,
  };
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
const words = (type: string) => type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const quote = (text: string, max = 120) => `"${text.length > max ? `${text.slice(0, max - 1)}…` : text}"`;
const enumWords = (value: string) => value.toLowerCase().replace(/_/g, ' ');

/** The summary an agent reads: what happened in words, with amounts, cards, reasons and dates. */
export function summarize(history: CustomerHistory, event: EnvelopeOf<HistoryEvent>, options: HistoryOptions): string {
  const currencyOf = (orderId: string) => history.orders.find((order) => order.orderId === orderId)?.currency;
  const row = (transactionId: string) => history.transactions.find((known) => known.transactionId === transactionId);
  const money = (amount: number, orderId: string, currency?: string) => formatMoney(amount, currency ?? currencyOf(orderId));
  switch (event.type) {
    case 'CustomerRegistered':
      return `Customer ${event.data.firstName} ${event.data.lastName} registered (${event.data.email})`;
    case 'CustomerUpdated':
      return `Profile updated: ${Object.keys(event.data.changes).join(', ')}`;
    case 'CustomerNoteAdded':
      return `Note added by ${event.data.author.id}: ${quote(event.data.message)}`;
    case 'CustomersMerged':
      return `Customer ${event.data.fromCustomerId} merged into customer ${event.data.customerId}; its records are listed here`;
    case 'CustomerMergedInto':
      return `Customer ${event.data.customerId} retired: merged into customer ${event.data.intoCustomerId}`;
    case 'CustomerCustomFieldsChanged': {
      const set = Object.entries(event.data.set ?? {}).map(([name, value]) => `${name} set to ${quote(value, 60)}`);
      const removed = (event.data.removed ?? []).map((name) => `${name} removed`);
      return `Custom fields changed by ${event.data.by.id}: ${[...set, ...removed].join('; ')}`;
    }
    case 'CustomerBlacklisted':
      return `Customer blacklisted${event.data.codOnly ? ' for COD orders' : ''} by ${event.data.by.id} (${event.data.entries.map((entry) => enumWords(entry.type)).join(', ')}): ${quote(event.data.reason)}`;

    case 'OrderPlaced': {
      const { data } = event;
      const how = data.paymentType === 'CARD' ? `by card${data.card ? ` ${data.card.brand} ${data.card.last4}` : ''}` : data.paymentType === 'EXTERNAL' ? 'by external payment' : 'cash on delivery';
      const rebill = data.rebill ? ` (rebill cycle ${data.rebill.billingCycle} of purchase ${data.rebill.purchaseId})` : '';
      const discount = data.totals.discount > 0 ? ` after a discount of ${formatMoney(data.totals.discount, data.currency)}${data.discountReason ? ` (${quote(data.discountReason)})` : ''}` : '';
      return `Order ${data.orderId} placed${rebill}: ${plural(data.items.reduce((n, item) => n + item.quantity, 0), 'item')}, ${formatMoney(data.totals.total, data.currency)} ${how}${discount}`;
    }
    case 'OrderSentToQa':
      return `Order ${event.data.orderId} held for QA (${event.data.reasons.map(enumWords).join(', ')})`;
    case 'OrderApproved':
      return `Order ${event.data.orderId} approved by QA`;
    case 'OrderCompleted':
      return `Order ${event.data.orderId} complete: paid ${formatMoney(event.data.totals.total, event.data.currency)}`;
    case 'OrderAwaitingCod':
      return `Order ${event.data.orderId} awaiting cash on delivery of ${formatMoney(event.data.totals.total, event.data.currency)}`;
    case 'OrderDeclined': {
      const { data } = event;
      const by = data.source === 'QA' ? 'by QA' : data.source === 'COD' ? 'on delivery (COD refused)' : `by the payment${data.declineType ? ` (${enumWords(data.declineType)} decline)` : ''}`;
      return `Order ${data.orderId} declined ${by}${data.message ? `: ${data.message}` : ''}`;
    }
    case 'OrderRefunded': {
      const { data } = event;
      const what = data.kind === 'VOID' ? 'voided' : 'refunded';
      return `Order ${data.orderId} ${what} ${money(data.amount, data.orderId)}; ${money(data.refundedTotal, data.orderId)} returned in total${data.fullyRefunded ? ' (fully refunded)' : ''}`;
    }
    case 'OrderCancelled': {
      const { data } = event;
      const extras = [data.fullRefund ? 'full refund requested' : null, data.cancelPurchases ? `purchases cancelled ${data.cancelPurchases === 'NOW' ? 'now' : 'after the next bill'}` : null].filter(Boolean);
      return `Order ${data.orderId} cancelled: ${data.reason}${extras.length ? ` (${extras.join('; ')})` : ''}`;
    }
    case 'OrderRerunRequested':
      return `Rerun of declined order ${event.data.orderId} requested${event.data.merchantId ? ` on merchant ${event.data.merchantId}` : ''}`;
    case 'UpsellAdded':
      return `Upsell added to order ${event.data.orderId}: ${event.data.item.name} x${event.data.item.quantity}, ${formatMoney(event.data.amount, event.data.currency)}`;
    case 'UpsellDeclined':
      return `Upsell removed from order ${event.data.orderId}: its charge of ${money(event.data.amount, event.data.orderId)} was declined`;
    case 'OrderPaymentReversalRequested':
      return `Charge ${event.data.transactionId} of ${formatMoney(event.data.amount, event.data.currency)} came in after order ${event.data.orderId} was cancelled: to be given back`;
    case 'OrderCustomerReassigned':
      return `Order ${event.data.orderId} moved from customer ${event.data.fromCustomerId} to customer ${event.data.customerId}`;
    case 'OrderEmailResendRequested':
      return `${event.data.kind === 'REFUND' ? 'Refund' : 'Confirmation'} email of order ${event.data.orderId} to be sent again (asked by ${event.actor.id})`;
    case 'OrderConfirmationEmailSent':
      return `Order confirmation email for order ${event.data.orderId} sent to ${event.data.to} (${event.data.reason === 'ORDER_COMPLETED' ? 'the order completed' : 'a resend was asked for'})`;

    case 'PaymentApproved':
    case 'PaymentDeclined': {
      const { data } = event;
      const kind = data.type === 'AUTHORIZE' ? 'Authorization' : data.purpose === 'REBILL' ? 'Rebill charge' : data.purpose === 'RERUN' ? 'Rerun charge' : data.purpose === 'UPSELL' ? 'Upsell charge' : 'Charge';
      const outcome = data.response === 'SUCCESS' ? 'approved' : `declined (${enumWords(data.response)})`;
      return `${kind} of ${formatMoney(data.amount, data.currency)} ${outcome} on ${data.card.brand} ${data.card.last4} for order ${data.orderId}${data.response === 'SUCCESS' ? '' : `: ${data.message}`}`;
    }
    case 'AuthorizationCaptured':
      return `Authorization ${event.data.transactionId} captured: ${formatMoney(event.data.amount, event.data.currency)}`;
    case 'ExternalPaymentRecorded':
      return `External payment of ${formatMoney(event.data.amount, event.data.currency)} recorded for order ${event.data.orderId}`;
    case 'CodTransactionOpened':
      return `COD payment of ${formatMoney(event.data.amount, event.data.currency)} pending for order ${event.data.orderId}`;
    case 'CodPaymentReceived':
      return `COD payment of ${money(event.data.amount, event.data.orderId)} received for order ${event.data.orderId} (delivery confirmation ${event.data.deliveryConfirmation})`;
    case 'CodDeliveryFailed':
      return `COD delivery for order ${event.data.orderId} brought no money: ${enumWords(event.data.status)}${event.data.final ? ' (final)' : ''}`;
    case 'ChargeSettled':
      return `Charge ${event.data.transactionId} of ${money(event.data.amount, event.data.orderId, row(event.data.transactionId)?.currency)} settled`;
    case 'VoidRequested':
      return `Void of ${formatMoney(event.data.amount, event.data.currency)} requested on charge ${event.data.transactionId}`;
    case 'ChargeVoided':
      return `Charge ${event.data.transactionId} voided: ${formatMoney(event.data.amount, event.data.currency)} released`;
    case 'VoidFailed':
      return `Void of charge ${event.data.transactionId} failed: ${event.data.message}`;
    case 'RefundRequested':
      return `Refund of ${formatMoney(event.data.amount, event.data.currency)} requested on charge ${event.data.transactionId}`;
    case 'RefundSucceeded':
      return `Refund of ${formatMoney(event.data.amount, event.data.currency)} succeeded${event.data.attempt > 1 ? ` on attempt ${event.data.attempt}` : ''}`;
    case 'RefundFailed':
      return `Refund attempt ${event.data.attempt} of ${money(event.data.amount, event.data.orderId, row(event.data.refundId)?.currency)} failed at the gateway: ${event.data.message}`;
    case 'RefundQueued': {
      const { data } = event;
      const refund = row(data.refundId);
      const reason = refund?.refund?.lastFailure ?? 'the gateway failed';
      // refused because the charge had not settled: the retry follows the settlement, not the delay
      const retryOn = data.afterSettlement === true ? 'once the charge settles' : `on ${formatDay(addMs(data.at, options.refundRetryDelayMs), data.at)}`;
      return `Refund of ${money(data.amount, data.orderId, refund?.currency)} queued: ${reason}, retry ${data.retryNumber} of ${REFUND_RETRIES} ${retryOn}`;
    }
    case 'RefundAbandoned':
      return `Refund of ${money(event.data.amount, event.data.orderId, row(event.data.refundId)?.currency)} abandoned after ${plural(event.data.attempts, 'attempt')}: ${event.data.lastMessage}`;
    case 'RefundEmailResent':
      return `${event.data.kind === 'VOID' ? 'Void' : 'Refund'} email of ${formatMoney(event.data.amount, event.data.currency)} sent to the customer again`;
    case 'ChargebackMarked':
      return `Chargeback of ${money(event.data.amount, event.data.orderId)} recorded on charge ${event.data.transactionId} (reason ${event.data.reasonCode}, ${event.data.date})`;
    case 'ChargebackReverted':
      return `Chargeback of ${money(event.data.amount, event.data.orderId)} on charge ${event.data.transactionId} taken back`;

    case 'FulfillmentCreated':
      return `Fulfillment ${event.data.reference} created for order ${event.data.orderId} (${plural(event.data.items.reduce((n, item) => n + item.quantity, 0), 'item')})${event.data.reshipOf ? `, a reship of ${event.data.reshipOf}` : ''}`;
    case 'FulfillmentItemsAdded':
      return `Upsell ${event.data.orderItemId} added to fulfillment ${event.data.fulfillmentId} before export (${event.data.items.map((item) => `${item.quantity} x ${item.name}`).join(', ')})`;
    case 'FulfillmentItemsRemoved':
      return `Declined upsell ${event.data.orderItemId} taken off fulfillment ${event.data.fulfillmentId} (${event.data.items.map((item) => `${item.quantity} x ${item.name}`).join(', ')})`;
    case 'FulfillmentExported':
      return `Fulfillment ${event.data.reference} sent to the fulfillment house${event.data.attempt > 1 ? ` (attempt ${event.data.attempt})` : ''}`;
    case 'FulfillmentShipped':
      return `Order ${event.data.orderId} shipped${event.data.carrier ? ` by ${event.data.carrier}` : ''}, tracking ${event.data.trackingNumber}, on ${formatDay(event.data.shippedAt, event.occurredAt)}`;
    case 'FulfillmentDelivered':
      return `Order ${event.data.orderId} delivered on ${formatDay(event.data.deliveredAt, event.occurredAt)}`;
    case 'FulfillmentCancelled':
      return `Fulfillment of order ${event.data.orderId} cancelled: ${event.data.reason}`;
    case 'FulfillmentRmaIssued':
      return `Return authorised for order ${event.data.orderId}: RMA ${event.data.rmaNumber}`;
    case 'FulfillmentReturned':
      return `Package of order ${event.data.orderId} returned${event.data.reason ? `: ${event.data.reason}` : ''}`;
    case 'FulfillmentFailed':
      return `Fulfillment house rejected order ${event.data.orderId}${event.data.final ? ' for good' : ''}: ${event.data.reason}`;
    case 'FulfillmentRecycled':
      return `Fulfillment of order ${event.data.orderId} will be sent again with the next export`;
    case 'FulfillmentReshipped':
      return `Reship ${event.data.reshipReference} created for order ${event.data.orderId}`;
    case 'CodMarkedPaid':
      return `COD of order ${event.data.orderId} marked paid (delivery confirmation ${event.data.deliveryConfirmation}, ${event.data.date})`;
    case 'CodMarkedUndelivered':
      return `COD of order ${event.data.orderId} marked undelivered: ${enumWords(event.data.status)}`;

    case 'RebillRequested':
      return `Rebill of purchase ${event.data.purchaseId} requested: cycle ${event.data.billingCycle}, ${formatMoney(event.data.unitPrice * event.data.quantity + event.data.shippingPrice, currencyOf(event.data.originalOrderId))}`;
    case 'PurchaseStarted':
      return `Purchase of ${event.data.name} started from order ${event.data.orderId}: ${enumWords(event.data.status)}, next bill on ${formatDay(event.data.nextBillDate, event.occurredAt)}`;
    case 'PurchaseBilled':
      return `Purchase ${event.data.purchaseId} billed ${formatMoney(event.data.amount, event.data.currency)} for cycle ${event.data.billingCycle}${event.data.nextBillDate ? `; next bill on ${formatDay(event.data.nextBillDate, event.occurredAt)}` : ''}`;
    case 'PurchaseRebillDeclined':
      return `Rebill of purchase ${event.data.purchaseId} (cycle ${event.data.billingCycle}) declined: ${event.data.message}`;
    case 'PurchaseRecycleScheduled':
      return `Purchase ${event.data.purchaseId} will be billed again on ${formatDay(event.data.retryAt, event.occurredAt)} (recycle attempt ${event.data.attempt})`;
    case 'PurchaseCancelled':
      return `Purchase ${event.data.purchaseId} cancelled: ${event.data.reason}`;
    case 'PurchaseCancellationScheduled':
      return `Purchase ${event.data.purchaseId} to be cancelled ${event.data.when === 'ON_DATE' && event.data.date ? `on ${formatDay(event.data.date, event.occurredAt)}` : 'after the next bill'}: ${event.data.reason}`;
    case 'PurchaseResumed':
      return `Purchase ${event.data.purchaseId} resumed; next bill on ${formatDay(event.data.nextBillDate, event.occurredAt)}`;
    case 'PurchaseReactivated':
      return `Purchase ${event.data.purchaseId} reactivated; next bill on ${formatDay(event.data.nextBillDate, event.occurredAt)}`;
    default: {
      const data = event.data as { purchaseId?: unknown; orderId?: unknown };
      const about = typeof data.purchaseId === 'string' ? ` (purchase ${data.purchaseId})` : typeof data.orderId === 'string' ? ` (order ${data.orderId})` : '';
      return `${sentence(words(event.type))}${about}`;
    }
  }
}
