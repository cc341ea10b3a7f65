import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DomainError, OrderCancelled, OrderDeclined, OrderPaymentReversalRequested, OrderPlaced, OrderRerunRequested, Topics, UpsellAdded } from '@continuum/contracts';
import { IncomingMessage, Platform } from '@continuum/platform';
import { ChargeCardCommand, RecordNonCardPaymentCommand, RefundOrderCommand, TransactionRunner } from '../commands';
import { TransactionState, rerunAmount } from '../domain';
import { OrderPaymentMethodsView, TransactionsView } from '../views';
import { envelopeOf, reactionContext } from './reaction-context';

/** Consumer group on orders.events.v1 that turns orders' events into payments commands. */
export const ORDER_REACTIONS_GROUP = 'order-reactions';

/** The transaction id of an order's first charge; derived, so a redelivered OrderPlaced finds it. */
export const firstChargeId = (orderId: string): string => `${orderId}-charge-1`;
export const externalPaymentId = (orderId: string): string => `${orderId}-external`;
export const codTransactionId = (orderId: string): string => `${orderId}-cod`;

/**
 * OrderPlaced -> charge the card, record the external payment or open the COD transaction;
 * OrderRerunRequested -> a new charge on the card on file, of the declined charge's amount; UpsellAdded -> charge the upsell (CARD);
 * OrderDeclined by QA and OrderCancelled with fullRefund -> give back what the order took (void first);
 * OrderPaymentReversalRequested -> give back what that one charge took (void first, else refund what remains).
 * A gateway timeout propagates: the runner retries, then dead-letters with the reason. So does a
 * refund of the order still in progress (REFUND_IN_PROGRESS): retried, it finds the refund done.
 */
@Injectable()
export class OrderReactionsConsumer implements OnModuleInit {
  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(OrderPaymentMethodsView) private readonly paymentMethods: OrderPaymentMethodsView,
    @Inject(TransactionsView) private readonly transactions: TransactionsView,
    @Inject(TransactionRunner) private readonly runner: TransactionRunner,
  ) {}

  onModuleInit(): void {
    this.platform.consumer({
      groupId: ORDER_REACTIONS_GROUP,
      topics: [Topics.ordersEvents],
      handlers: {
        OrderPlaced: (m) => this.onOrderPlaced(m),
        OrderRerunRequested: (m) => this.onRerun(m),
        UpsellAdded: (m) => this.onUpsell(m),
        OrderDeclined: (m) => this.onDeclined(m),
        OrderCancelled: (m) => this.onCancelled(m),
        OrderPaymentReversalRequested: (m) => this.onReversalRequested(m),
      },
    });
  }

  private async onOrderPlaced(message: IncomingMessage): Promise<void> {
    const envelope = envelopeOf<OrderPlaced['data']>(message);
    const order = envelope.data;
    const context = reactionContext(ORDER_REACTIONS_GROUP, envelope);
    await this.paymentMethods.remember({ orderId: order.orderId, customerId: order.customerId, paymentType: order.paymentType, currency: order.currency, card: order.card ?? null });
    const common = { orderId: order.orderId, customerId: order.customerId, amount: order.totals.total, currency: order.currency };
    switch (order.paymentType) {
      case 'CARD': {
        if (!order.card) throw new DomainError('CARD_MISSING', `CARD order ${order.orderId} carries no card`);
        // a rebill order's first charge bills a subscription cycle; it still pays that order
        const purpose = order.rebill ? 'REBILL' : 'ORDER';
        await this.commandBus.execute(new ChargeCardCommand({ ...common, transactionId: firstChargeId(order.orderId), card: order.card, for: { purpose } }, context));
        return;
      }
      case 'EXTERNAL':
        await this.commandBus.execute(new RecordNonCardPaymentCommand('EXTERNAL', { ...common, transactionId: externalPaymentId(order.orderId) }, context));
        return;
      case 'COD':
        await this.commandBus.execute(new RecordNonCardPaymentCommand('COD', { ...common, transactionId: codTransactionId(order.orderId) }, context));
        return;
    }
  }

  private async onRerun(message: IncomingMessage): Promise<void> {
    const envelope = envelopeOf<OrderRerunRequested['data']>(message);
    const rerun = envelope.data;
    const card = rerun.card ?? (await this.paymentMethods.find(rerun.orderId))?.card;
    if (!card) throw new DomainError('CARD_MISSING', `no card on file for order ${rerun.orderId}`);
    // one transaction per rerun request, named after the event so a redelivery finds it
    const transactionId = `${rerun.orderId}-rerun-${envelope.eventId}`;
    // The declined charge's amount, not the event's (the order total also counts upsells charged on their own).
    const amount = rerunAmount(await this.chargesOf(rerun.orderId), transactionId, rerun.previousTransactionId);
    await this.commandBus.execute(
      new ChargeCardCommand(
        {
          transactionId,
          orderId: rerun.orderId,
          customerId: rerun.customerId,
          amount,
          currency: rerun.currency,
          card,
          ...(rerun.merchantId !== undefined ? { merchantId: rerun.merchantId } : {}),
          ...(rerun.previousTransactionId !== undefined ? { rerunOf: rerun.previousTransactionId } : {}),
          for: { purpose: 'RERUN' },
        },
        reactionContext(ORDER_REACTIONS_GROUP, envelope),
      ),
    );
  }

  /** The order's transactions, folded from their streams (the rules need current state). */
  private async chargesOf(orderId: string): Promise<TransactionState[]> {
    const states: TransactionState[] = [];
    for (const id of await this.transactions.transactionIdsOfOrder(orderId)) states.push((await this.runner.load(id)).state);
    return states;
  }

  private async onUpsell(message: IncomingMessage): Promise<void> {
    const envelope = envelopeOf<UpsellAdded['data']>(message);
    const upsell = envelope.data;
    if (upsell.paymentType !== 'CARD') return;
    const card = upsell.card ?? (await this.paymentMethods.find(upsell.orderId))?.card;
    if (!card) throw new DomainError('CARD_MISSING', `no card on file for order ${upsell.orderId}`);
    await this.commandBus.execute(
      new ChargeCardCommand(
        {
          transactionId: `${upsell.orderId}-upsell-${upsell.orderItemId}`,
          orderId: upsell.orderId,
          customerId: upsell.customerId,
          amount: upsell.amount,
          currency: upsell.currency,
          card,
          for: { purpose: 'UPSELL', orderItemId: upsell.orderItemId },
        },
        reactionContext(ORDER_REACTIONS_GROUP, envelope),
      ),
    );
  }

  private async onDeclined(message: IncomingMessage): Promise<void> {
    const envelope = envelopeOf<OrderDeclined['data']>(message);
    if (envelope.data.source !== 'QA') return;
    await this.refundOrder(new RefundOrderCommand(envelope.data.orderId, { full: true }, reactionContext(ORDER_REACTIONS_GROUP, envelope)));
  }

  private async onCancelled(message: IncomingMessage): Promise<void> {
    const envelope = envelopeOf<OrderCancelled['data']>(message);
    if (!envelope.data.fullRefund) return;
    await this.refundOrder(new RefundOrderCommand(envelope.data.orderId, { full: true }, reactionContext(ORDER_REACTIONS_GROUP, envelope)));
  }

  /** A charge approved after the order was cancelled: that transaction only, whatever the cancel's fullRefund was. */
  private async onReversalRequested(message: IncomingMessage): Promise<void> {
    const envelope = envelopeOf<OrderPaymentReversalRequested['data']>(message);
    const { orderId, transactionId } = envelope.data;
    await this.refundOrder(new RefundOrderCommand(orderId, { full: true, transactionId }, reactionContext(ORDER_REACTIONS_GROUP, envelope)));
  }

  /**
   * A refund of the order whose first gateway call may be in flight answers REFUND_IN_PROGRESS, a
   * conflict: the consumer runner retries conflicts with backoff (and dead-letters for a replay if
   * the refund is still neither finished nor stalled).
   */
  private async refundOrder(command: RefundOrderCommand): Promise<void> {
    await this.commandBus.execute(command);
  }
}
