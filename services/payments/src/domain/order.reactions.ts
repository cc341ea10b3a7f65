import {
  CardSummary,
  ChargeFor,
  ChargeType,
  CodMarkedPaid,
  CodMarkedUndelivered,
  CodUndeliveredStatus,
  DomainError,
  IncomingEvent,
  OrderCancelled,
  OrderDeclined,
  OrderEmailResendRequested,
  OrderPaymentReversalRequested,
  OrderPlaced,
  OrderRerunRequested,
  UpsellAdded,
} from '@continuum/contracts';
import { rerunAmount } from './rerun.policy';
import { codTransactionId, externalPaymentId, firstChargeId, rerunChargeId, upsellChargeId } from './transaction-ids';
import { TransactionState } from './transaction.state';

/** A card charge to make (the gateway call and its record are the ChargeCard use case). */
export interface ChargeRequest {
  readonly transactionId: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly amount: number;
  readonly currency: string;
  readonly card: CardSummary;
  readonly merchantId?: string;
  readonly rerunOf?: string;
  /** SALE unless an authorization is asked for */
  readonly type?: ChargeType;
  readonly for: ChargeFor;
}

/**
 * What an order refund gives back: everything the order took (`full`), everything one charge of the
 * order took (`full` with `transactionId`), or one refund of `amount` (default: the one charge in full).
 */
export type OrderRefundMode = { readonly full: true; readonly transactionId?: string } | { readonly full: false; readonly amount?: number };

/** What the carrier did with a COD delivery, reported by fulfillment. */
export type CodOutcome =
  | { readonly kind: 'PAID'; readonly deliveryConfirmation: string; readonly date: string }
  | { readonly kind: 'UNDELIVERED'; readonly status: CodUndeliveredStatus };

/** The work a reaction asks payments to do; each is one use case (a command handler). */
export type PaymentsWork =
  | { readonly type: 'ChargeCard'; readonly data: ChargeRequest }
  | {
      readonly type: 'RecordNonCardPayment';
      readonly data: { readonly kind: 'EXTERNAL' | 'COD'; readonly transactionId: string; readonly orderId: string; readonly customerId: string; readonly amount: number; readonly currency: string };
    }
  | { readonly type: 'RefundOrder'; readonly data: { readonly orderId: string; readonly mode: OrderRefundMode } }
  | { readonly type: 'RecordCodOutcome'; readonly data: { readonly transactionId: string; readonly outcome: CodOutcome } }
  | { readonly type: 'ResendRefundEmail'; readonly data: { readonly transactionId: string; readonly refundId: string } };

/** The orders events payments reacts to (orders.events.v1). */
export type OrderReactionEvent = OrderPlaced | OrderRerunRequested | UpsellAdded | OrderDeclined | OrderCancelled | OrderPaymentReversalRequested | OrderEmailResendRequested;

/** What the consumer looks up for a reaction: the order's card on file and its transactions (reruns only). */
export interface OrderPayments {
  /** the card of the order's OrderPlaced, remembered by payments */
  readonly cardOnFile: CardSummary | null;
  /** the order's transactions folded from their streams; needed by reruns and refund email resends */
  readonly charges: readonly TransactionState[];
}

/** Which reactions need the order's transactions (a read of every charge stream of the order). */
export const needsCharges = (type: OrderReactionEvent['type']): boolean => type === 'OrderRerunRequested' || type === 'OrderEmailResendRequested';

/**
 * What payments does when an order event arrives:
 * - OrderPlaced: charge the card (purpose ORDER, or REBILL for a rebill order), record the external
 *   payment, or open the COD transaction; ids derive from the order, so a redelivery finds its work.
 * - OrderRerunRequested: a new charge on the card on file (or the one the request names) of the
 *   declined charge's own amount (`rerunAmount`), never the order total that counts upsells.
 * - UpsellAdded (CARD): charge the upsell item on the card on file.
 * - OrderDeclined by QA, OrderCancelled with fullRefund: give back everything the order took.
 * - OrderPaymentReversalRequested: give back what that one charge took.
 * - OrderEmailResendRequested of kind REFUND: resend the email of the order's last succeeded refund or
 *   void (RefundEmailResent); NO_REFUND when payments knows none (CONFIRMATION is orders' email).
 * A CARD order or rerun without a card is refused (CARD_MISSING), so the event is dead-lettered.
 */
export function onOrderEvent(event: IncomingEvent<OrderReactionEvent>, order: OrderPayments): PaymentsWork[] {
  switch (event.type) {
    case 'OrderPlaced': {
      const placed = event.data;
      const common = { orderId: placed.orderId, customerId: placed.customerId, amount: placed.totals.total, currency: placed.currency };
      switch (placed.paymentType) {
        case 'CARD':
          if (!placed.card) throw new DomainError('CARD_MISSING', `CARD order ${placed.orderId} carries no card`);
          // a rebill order's first charge bills a subscription cycle; it still pays that order
          return [
            {
              type: 'ChargeCard',
              data: {
                ...common,
                transactionId: firstChargeId(placed.orderId),
                card: placed.card,
                for: { purpose: placed.rebill ? 'REBILL' : 'ORDER' },
                // a purchase billing on a merchant account of its own (set by an agent)
                ...(placed.rebill?.merchantId !== undefined ? { merchantId: placed.rebill.merchantId } : {}),
              },
            },
          ];
        case 'EXTERNAL':
          return [{ type: 'RecordNonCardPayment', data: { ...common, kind: 'EXTERNAL', transactionId: externalPaymentId(placed.orderId) } }];
        case 'COD':
          return [{ type: 'RecordNonCardPayment', data: { ...common, kind: 'COD', transactionId: codTransactionId(placed.orderId) } }];
      }
      break;
    }
    case 'OrderRerunRequested': {
      const rerun = event.data;
      const card = rerun.card ?? order.cardOnFile;
      if (!card) throw new DomainError('CARD_MISSING', `no card on file for order ${rerun.orderId}`);
      const transactionId = rerunChargeId(rerun.orderId, event.eventId);
      return [
        {
          type: 'ChargeCard',
          data: {
            transactionId,
            orderId: rerun.orderId,
            customerId: rerun.customerId,
            amount: rerunAmount(order.charges, transactionId, rerun.previousTransactionId),
            currency: rerun.currency,
            card,
            ...(rerun.merchantId !== undefined ? { merchantId: rerun.merchantId } : {}),
            ...(rerun.previousTransactionId !== undefined ? { rerunOf: rerun.previousTransactionId } : {}),
            for: { purpose: 'RERUN' },
          },
        },
      ];
    }
    case 'UpsellAdded': {
      const upsell = event.data;
      if (upsell.paymentType !== 'CARD') return [];
      const card = upsell.card ?? order.cardOnFile;
      if (!card) throw new DomainError('CARD_MISSING', `no card on file for order ${upsell.orderId}`);
      return [
        {
          type: 'ChargeCard',
          data: {
            transactionId: upsellChargeId(upsell.orderId, upsell.orderItemId),
            orderId: upsell.orderId,
            customerId: upsell.customerId,
            amount: upsell.amount,
            currency: upsell.currency,
            card,
            for: { purpose: 'UPSELL', orderItemId: upsell.orderItemId },
          },
        },
      ];
    }
    case 'OrderDeclined':
      return event.data.source === 'QA' ? [{ type: 'RefundOrder', data: { orderId: event.data.orderId, mode: { full: true } } }] : [];
    case 'OrderCancelled':
      return event.data.fullRefund ? [{ type: 'RefundOrder', data: { orderId: event.data.orderId, mode: { full: true } } }] : [];
    case 'OrderPaymentReversalRequested':
      return [{ type: 'RefundOrder', data: { orderId: event.data.orderId, mode: { full: true, transactionId: event.data.transactionId } } }];
    case 'OrderEmailResendRequested': {
      if (event.data.kind !== 'REFUND') return [];
      const last = lastRefundEmail(order.charges);
      if (!last) throw new DomainError('NO_REFUND', `order ${event.data.orderId} has no succeeded refund or void to resend the email of`, 'rule', { field: 'kind' });
      return [{ type: 'ResendRefundEmail', data: last }];
    }
  }
}

/** The order's latest succeeded refund or void (by when it happened): the one whose email a resend sends. */
export function lastRefundEmail(charges: readonly TransactionState[]): { transactionId: string; refundId: string } | undefined {
  const done = charges.flatMap((charge) => {
    if (charge.status === 'VOIDED') return [{ transactionId: charge.transactionId, refundId: charge.void.voidId, at: charge.void.at }];
    if (charge.status !== 'APPROVED') return [];
    return charge.refunds
      .filter((refund) => refund.status === 'SUCCEEDED')
      .map((refund) => ({ transactionId: charge.transactionId, refundId: refund.refundId, at: refund.attempts[refund.attempts.length - 1]?.at ?? refund.requestedAt }));
  });
  const last = done.reduce<(typeof done)[number] | undefined>((latest, candidate) => (!latest || candidate.at >= latest.at ? candidate : latest), undefined);
  return last ? { transactionId: last.transactionId, refundId: last.refundId } : undefined;
}

/** The fulfillment events payments reacts to (fulfillment.events.v1). */
export type CodActionEvent = CodMarkedPaid | CodMarkedUndelivered;

/** Mark COD Paid -> the COD transaction SUCCESS; Mark COD Undelivered -> soft decline, or hard decline when DECLINED. */
export function onCodAction(event: IncomingEvent<CodActionEvent>): PaymentsWork[] {
  const transactionId = codTransactionId(event.data.orderId);
  switch (event.type) {
    case 'CodMarkedPaid':
      return [{ type: 'RecordCodOutcome', data: { transactionId, outcome: { kind: 'PAID', deliveryConfirmation: event.data.deliveryConfirmation, date: event.data.date } } }];
    case 'CodMarkedUndelivered':
      return [{ type: 'RecordCodOutcome', data: { transactionId, outcome: { kind: 'UNDELIVERED', status: event.data.status } } }];
  }
}
