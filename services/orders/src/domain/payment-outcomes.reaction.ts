import {
  ChargeVoided,
  CodDeliveryFailed,
  CodPaymentReceived,
  CodTransactionOpened,
  ExternalPaymentRecorded,
  IncomingEvent,
  PaymentApproved,
  PaymentDeclined,
  RefundSucceeded,
} from '@continuum/contracts';
import { OrderChange } from './order.commands';
import { OrderState } from './order.state';
import { GuardedOrderCommand, orderAllows } from './order.transitions';

/** The payments events an order reacts to (payments.events.v1). */
export type PaymentOutcome =
  | PaymentApproved
  | PaymentDeclined
  | ExternalPaymentRecorded
  | CodTransactionOpened
  | CodPaymentReceived
  | CodDeliveryFailed
  | RefundSucceeded
  | ChargeVoided;

export const PAYMENT_OUTCOME_TYPES: readonly PaymentOutcome['type'][] = [
  'PaymentApproved',
  'PaymentDeclined',
  'ExternalPaymentRecorded',
  'CodTransactionOpened',
  'CodPaymentReceived',
  'CodDeliveryFailed',
  'RefundSucceeded',
  'ChargeVoided',
];

/**
 * The order's lifecycle allows `command` now (ORDER_TRANSITIONS: awaiting its payment), or the outcome
 * is one the order already recorded (a redelivery: the decider answers it with nothing). An absent
 * order passes too: the decider refuses it as not found.
 */
const awaitsPayment = (
  order: OrderState,
  command: GuardedOrderCommand,
  recorded: (order: Extract<OrderState, { order: unknown }>['order']) => boolean,
): boolean => order.status === 'ABSENT' || orderAllows(command, order.status) || recorded(order.order);

/**
 * What a payment outcome means for its order: the order command to run, or nothing when the outcome
 * is not the order's payment (an approval or decline of a rerun's sibling after the order moved on,
 * a COD outcome of another transaction). An order that does not exist gets the command anyway, so
 * the decider's ORDER_NOT_FOUND sends the event to the dead-letter topic: that is an anomaly.
 *
 * - PaymentApproved: an UPSELL purpose records the upsell charge (the decider reverses one that buys
 *   nothing); otherwise the order's payment while PROCESSING, and after a cancel too (the order then
 *   asks payments to reverse the charge).
 * - PaymentDeclined: an UPSELL decline takes the item off; otherwise a decline while PROCESSING.
 * - External payment and COD opened: while PROCESSING.
 * - COD paid and the final COD refusal: only for the order's own COD transaction while COD_PENDING;
 *   a reattempt or pickup (not final) changes nothing on the order.
 * - Refunds and voids are always counted (the decider ignores one counted before).
 */
export function onPaymentOutcome(event: IncomingEvent<PaymentOutcome>, order: OrderState): OrderChange[] {
  switch (event.type) {
    case 'PaymentApproved': {
      const d = event.data;
      if (d.purpose === 'UPSELL') return [{ type: 'RecordUpsellApproved', data: { orderId: d.orderId, orderItemId: d.orderItemId, transactionId: d.transactionId, amount: d.amount } }];
      if (!awaitsPayment(order, 'RecordPaymentApproved', (o) => o.chargeTransactionId === d.transactionId) && order.status !== 'CANCELLED') return [];
      return [{ type: 'RecordPaymentApproved', data: { orderId: d.orderId, transactionId: d.transactionId, amount: d.amount, prepaid: d.prepaid } }];
    }
    case 'PaymentDeclined': {
      const d = event.data;
      if (d.purpose === 'UPSELL') return [{ type: 'RecordUpsellDeclined', data: { orderId: d.orderId, orderItemId: d.orderItemId, transactionId: d.transactionId } }];
      if (!awaitsPayment(order, 'RecordPaymentDeclined', (o) => o.declinedTransactionIds.includes(d.transactionId))) return [];
      return [{ type: 'RecordPaymentDeclined', data: { orderId: d.orderId, transactionId: d.transactionId, response: d.response, message: d.message } }];
    }
    case 'ExternalPaymentRecorded': {
      const d = event.data;
      if (!awaitsPayment(order, 'RecordExternalPayment', (o) => o.chargeTransactionId === d.transactionId)) return [];
      return [{ type: 'RecordExternalPayment', data: { orderId: d.orderId, transactionId: d.transactionId } }];
    }
    case 'CodTransactionOpened': {
      const d = event.data;
      if (!awaitsPayment(order, 'RecordCodOpened', (o) => o.codTransactionId === d.transactionId)) return [];
      return [{ type: 'RecordCodOpened', data: { orderId: d.orderId, transactionId: d.transactionId } }];
    }
    case 'CodPaymentReceived':
    case 'CodDeliveryFailed': {
      const d = event.data;
      if (event.type === 'CodDeliveryFailed' && !event.data.final) return [];
      const command = event.type === 'CodPaymentReceived' ? 'RecordCodPaid' : 'RecordCodDeclined';
      const ours = order.status !== 'ABSENT' && order.order.codTransactionId === d.transactionId;
      if (order.status !== 'ABSENT' && !(ours && (orderAllows(command, order.status) || order.order.codSettled))) return [];
      return [{ type: command, data: { orderId: d.orderId, transactionId: d.transactionId } }];
    }
    case 'RefundSucceeded': {
      const d = event.data;
      return [{ type: 'RecordRefund', data: { orderId: d.orderId, refundId: d.refundId, transactionId: d.transactionId, amount: d.amount, kind: 'REFUND' } }];
    }
    case 'ChargeVoided': {
      const d = event.data;
      return [{ type: 'RecordRefund', data: { orderId: d.orderId, transactionId: d.transactionId, amount: d.amount, kind: 'VOID' } }];
    }
  }
}

/** The order a payment outcome belongs to (every outcome names it). */
export const orderIdOfOutcome = (event: PaymentOutcome): string => event.data.orderId;
