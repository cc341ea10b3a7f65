import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ChargeVoided,
  CodDeliveryFailed,
  CodPaymentReceived,
  CodTransactionOpened,
  DomainError,
  EventEnvelope,
  ExternalPaymentRecorded,
  PAYMENTS_EVENT_TYPES,
  PaymentApproved,
  PaymentDeclined,
  RefundSucceeded,
  Topics,
} from '@continuum/contracts';
import { IncomingMessage, MessageHandler, Platform } from '@continuum/platform';
import { ChangeOrderCommand, OrderChange } from '../commands/change-order.handler';
import { reactionContext } from './reaction-context';

export const PAYMENT_OUTCOMES_GROUP = 'payment-outcomes';

/**
 * Refusals that mean "this outcome is not the order's payment": a rerun's sibling on an order that
 * already left PROCESSING, a COD transaction of an upsell. (An approval that arrives after the order
 * was cancelled is not refused: the order asks payments to reverse it, OrderPaymentReversalRequested.)
 * They are logged and skipped: dead-lettering them would only page someone for normal traffic.
 */
const NOT_THE_ORDER_PAYMENT = new Set(['ORDER_NOT_AWAITING_PAYMENT', 'ORDER_NOT_COD_PENDING', 'TRANSACTION_MISMATCH']);

type Data<E> = E extends { data: infer D } ? D : never;

/** What an outcome means for the order: a change, or nothing at all (null). */
type Reaction = OrderChange | null;

/** Turns payments' outcomes (payments.events.v1) into the order's Record* commands. */
@Injectable()
export class PaymentOutcomesConsumer implements OnModuleInit {
  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(CommandBus) private readonly commands: CommandBus,
  ) {}

  onModuleInit(): void {
    const on = <E>(toChange: (data: Data<E>) => Reaction): MessageHandler => (message) => this.apply(message, toChange as (data: unknown) => Reaction);
    this.platform.consumer({
      groupId: PAYMENT_OUTCOMES_GROUP,
      topics: [Topics.paymentsEvents],
      handlers: {
        // an upsell charge never moves the order's status; the order only reverses one that buys nothing
        // (the order was cancelled, or the item was taken off after its decline)
        [PAYMENTS_EVENT_TYPES.PaymentApproved]: on<PaymentApproved>((d) =>
          d.purpose === 'UPSELL'
            ? { type: 'RecordUpsellApproved', data: { orderId: d.orderId, orderItemId: d.orderItemId, transactionId: d.transactionId, amount: d.amount } }
            : { type: 'RecordPaymentApproved', data: { orderId: d.orderId, transactionId: d.transactionId, amount: d.amount, prepaid: d.prepaid } },
        ),
        // a declined upsell leaves the order (item and amount); the order's status is not its business
        [PAYMENTS_EVENT_TYPES.PaymentDeclined]: on<PaymentDeclined>((d) =>
          d.purpose === 'UPSELL'
            ? { type: 'RecordUpsellDeclined', data: { orderId: d.orderId, orderItemId: d.orderItemId, transactionId: d.transactionId } }
            : { type: 'RecordPaymentDeclined', data: { orderId: d.orderId, transactionId: d.transactionId, response: d.response, message: d.message } },
        ),
        [PAYMENTS_EVENT_TYPES.ExternalPaymentRecorded]: on<ExternalPaymentRecorded>((d) => ({
          type: 'RecordExternalPayment',
          data: { orderId: d.orderId, transactionId: d.transactionId },
        })),
        [PAYMENTS_EVENT_TYPES.CodTransactionOpened]: on<CodTransactionOpened>((d) => ({
          type: 'RecordCodOpened',
          data: { orderId: d.orderId, transactionId: d.transactionId },
        })),
        [PAYMENTS_EVENT_TYPES.CodPaymentReceived]: on<CodPaymentReceived>((d) => ({
          type: 'RecordCodPaid',
          data: { orderId: d.orderId, transactionId: d.transactionId },
        })),
        // a reattempt or pickup keeps the COD transaction open: only the final refusal declines the order
        [PAYMENTS_EVENT_TYPES.CodDeliveryFailed]: on<CodDeliveryFailed>((d) =>
          d.final ? { type: 'RecordCodDeclined', data: { orderId: d.orderId, transactionId: d.transactionId } } : null,
        ),
        [PAYMENTS_EVENT_TYPES.RefundSucceeded]: on<RefundSucceeded>((d) => ({
          type: 'RecordRefund',
          data: { orderId: d.orderId, refundId: d.refundId, transactionId: d.transactionId, amount: d.amount, kind: 'REFUND' },
        })),
        [PAYMENTS_EVENT_TYPES.ChargeVoided]: on<ChargeVoided>((d) => ({
          type: 'RecordRefund',
          data: { orderId: d.orderId, transactionId: d.transactionId, amount: d.amount, kind: 'VOID' },
        })),
      },
    });
  }

  private async apply(message: IncomingMessage, toChange: (data: unknown) => Reaction): Promise<void> {
    const envelope = message.envelope as EventEnvelope;
    const change = toChange(envelope.data);
    if (!change) return;
    try {
      await this.commands.execute(new ChangeOrderCommand(change, reactionContext(PAYMENT_OUTCOMES_GROUP, envelope)));
    } catch (error) {
      if (!(error instanceof DomainError) || !NOT_THE_ORDER_PAYMENT.has(error.code)) throw error;
      this.platform.logger.info(
        { type: envelope.type, eventId: envelope.eventId, orderId: change.data.orderId, code: error.code, correlationId: envelope.correlationId },
        'payment outcome is not the order payment; ignored',
      );
    }
  }
}
