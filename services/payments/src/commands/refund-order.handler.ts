import { Inject } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, stepContext } from '@continuum/platform';
import { OrderRefundMode, OrderRefundPlan, planChargeReversal, planFullOrderRefund, planOrderRefund } from '../domain';
import { PaymentsViews } from '../views';
import { PAYMENTS_SETTINGS, PaymentsSettings } from '../payments-settings';
import { ReverseChargeCommand, stallClockOf } from './charge-reversal.handler';
import { TransactionAggregate } from './aggregates';

/** What one step of an order refund did, as POST /orders/:orderId/refund answers it: `{ action, refundId?, status }`. */
export interface OrderRefundStep {
  readonly action: 'VOID' | 'REFUND';
  readonly transactionId: string;
  readonly amount: number;
  readonly refundId?: string;
  /** VOIDED for a void; SUCCEEDED or QUEUED for a refund */
  readonly status: string;
  /** true when the gateway refused the void and this refund followed it */
  readonly voidFailed?: true;
}

/**
 * "Refund from the order": void first when possible, else refund (order-refund.policy.ts plans it;
 * each step is a charge reversal, ReverseChargeCommand); a void the gateway refuses is followed by a
 * refund (`voidFailed: true`). `full` gives back
 * everything the order took (cancel with full refund, QA decline): one step per charge; with a
 * `transactionId`, only that charge (a charge approved after the order was cancelled).
 */
export class RefundOrderCommand extends Command<OrderRefundStep[]> {
  constructor(
    readonly orderId: string,
    readonly mode: OrderRefundMode,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RefundOrderCommand)
export class RefundOrderHandler implements ICommandHandler<RefundOrderCommand, OrderRefundStep[]> {
  constructor(
    @Inject(PaymentsViews) private readonly views: PaymentsViews,
    @Inject(TransactionAggregate) private readonly transactions: TransactionAggregate,
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(PAYMENTS_SETTINGS) private readonly settings: PaymentsSettings,
  ) {}

  async execute({ orderId, mode, context }: RefundOrderCommand): Promise<OrderRefundStep[]> {
    const plans = await this.plan(orderId, mode);
    const steps: OrderRefundStep[] = [];
    for (const plan of plans) {
      // A full refund keys each step by its charge, so a redelivered cause that finds part of the
      // work done still recognises the rest.
      const context_ = mode.full ? stepContext(context, plan.transactionId) : context;
      if (plan.action === 'VOID') {
        // a void the gateway refuses is followed by a refund (queued until the charge settles)
        const reversed = await this.commandBus.execute(ReverseChargeCommand.voidElseRefund(plan.transactionId, context_));
        steps.push(
          reversed.kind === 'VOIDED'
            ? { action: 'VOID', transactionId: plan.transactionId, amount: reversed.amount, status: 'VOIDED' }
            : { action: 'REFUND', transactionId: plan.transactionId, amount: reversed.amount, refundId: reversed.refundId, status: reversed.status, voidFailed: true },
        );
      } else if (plan.action === 'RESUME') {
        // requested before and stalled, its first gateway attempt never recorded: finish it
        const resumed = await this.commandBus.execute(ReverseChargeCommand.resumeRefund(plan.transactionId, plan.refundId, context_));
        steps.push({ action: 'REFUND', transactionId: plan.transactionId, amount: resumed.amount, refundId: resumed.refundId, status: resumed.status });
      } else {
        const refunded = await this.commandBus.execute(ReverseChargeCommand.refund(plan.transactionId, plan.amount, context_));
        steps.push({ action: 'REFUND', transactionId: plan.transactionId, amount: refunded.amount, refundId: refunded.refundId, status: refunded.status });
      }
    }
    return steps;
  }

  // Plan on the streams themselves, not on the read model: the rules need current state.
  private async plan(orderId: string, mode: OrderRefundMode): Promise<OrderRefundPlan[]> {
    const clock = stallClockOf(this.settings);
    if (mode.full && mode.transactionId !== undefined) return planChargeReversal((await this.transactions.load(mode.transactionId)).state, orderId, clock);
    const charges = await this.transactions.states(await this.views.transactions.transactionIdsOfOrder(orderId));
    return mode.full ? planFullOrderRefund(charges, clock) : [planOrderRefund(charges, mode.amount, clock)];
  }
}
