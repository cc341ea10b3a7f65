import { TransitionTable } from '@continuum/contracts';
import { OrderCommand } from './order.commands';
import { PlacedOrder } from './order.state';

/** The status of an order that exists (PlaceOrder starts the stream at PROCESSING). */
export type PlacedOrderStatus = PlacedOrder['status'];

/**
 * The commands whose status matters. The others apply to a placed order in any status: PlaceOrder
 * (it starts the stream), RecordUpsellApproved, RecordUpsellDeclined and ReassignOrderCustomer, and the
 * order emails (ResendOrderEmail, RecordConfirmationEmailSent: their rules are what the order recorded, order-emails.ts).
 */
export type GuardedOrderCommand = Exclude<OrderCommand['type'], 'PlaceOrder' | 'RecordUpsellApproved' | 'RecordUpsellDeclined' | 'ReassignOrderCustomer' | 'ResendOrderEmail' | 'RecordConfirmationEmailSent'
>;

/**
 * The order lifecycle: which statuses each command is allowed from, the status it leads to (none:
 * the status stays, or the outcome decides it, see docs/orders.md), and the error any other status
 * gets. The decider reads it through `allowedFrom`; docs/orders.md prints it (a spec keeps the two
 * equal). Checks that do not depend on the status (an outcome already recorded, the payment type,
 * the transaction) stay in the decider.
 */
export const ORDER_TRANSITIONS: TransitionTable<PlacedOrderStatus, GuardedOrderCommand> = {
  RecordPaymentApproved: { from: ['PROCESSING'], code: 'ORDER_NOT_AWAITING_PAYMENT', message: 'Only an order awaiting its payment can record a card approval' },
  RecordExternalPayment: { from: ['PROCESSING'], code: 'ORDER_NOT_AWAITING_PAYMENT', message: 'Only an order awaiting its payment can record an external payment' },
  RecordPaymentDeclined: { from: ['PROCESSING'], to: 'DECLINED', code: 'ORDER_NOT_AWAITING_PAYMENT', message: 'Only an order awaiting its payment can record a decline' },
  RecordCodOpened: { from: ['PROCESSING'], code: 'ORDER_NOT_AWAITING_PAYMENT', message: 'Only an order awaiting its payment can open COD' },
  RecordCodPaid: { from: ['COD_PENDING'], to: 'COMPLETE', code: 'ORDER_NOT_COD_PENDING', message: 'Only an order awaiting payment on delivery can record a COD outcome' },
  RecordCodDeclined: { from: ['COD_PENDING'], to: 'DECLINED', code: 'ORDER_NOT_COD_PENDING', message: 'Only an order awaiting payment on delivery can record a COD outcome' },
  RecordRefund: {
    from: ['PENDING', 'COMPLETE', 'REFUNDED', 'CANCELLED', 'DECLINED'],
    code: 'ORDER_NOT_REFUNDABLE',
    message: 'Only an order that was paid, held for QA, declined or cancelled can record a refund',
  },
  ApproveQa: { from: ['PENDING'], code: 'ORDER_NOT_IN_QA', message: 'Only an order held for QA can be approved' },
  DeclineQa: { from: ['PENDING'], to: 'DECLINED', code: 'ORDER_NOT_IN_QA', message: 'Only an order held for QA can be declined' },
  CancelOrder: {
    from: ['PROCESSING', 'PENDING', 'COMPLETE', 'REFUNDED', 'COD_PENDING'],
    to: 'CANCELLED',
    code: 'ORDER_ALREADY_CANCELLED',
    message: 'The order is already cancelled',
    refusals: { DECLINED: { code: 'ORDER_DECLINED', message: 'The order was declined; there is nothing to cancel' } },
  },
  RerunOrder: { from: ['DECLINED'], to: 'PROCESSING', code: 'ORDER_NOT_DECLINED', message: 'Only a declined order can be rerun' },
  AddUpsell: { from: ['PROCESSING', 'PENDING', 'COMPLETE'], code: 'ORDER_NOT_UPSELLABLE', message: 'An upsell can be added only to an order in progress, held for QA or complete' },
};

/** Whether `command` is allowed from `status` (for reactions that ask for nothing rather than be refused). */
export const orderAllows = (command: GuardedOrderCommand, status: PlacedOrderStatus): boolean => ORDER_TRANSITIONS[command].from.includes(status);
