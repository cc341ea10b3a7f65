import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '@continuum/platform';
import { OrderRefundPlan, TransactionState, planFullOrderRefund, planOrderRefund } from '../domain';
import { TransactionReadModel } from '../read-models';
import { ChargeReversal } from './charge-reversal.service';
import { TransactionRunner, stepContext } from './transaction-runner';

/** What one step of an order refund did (API.md: `{ action, refundId?, status }`). */
export interface OrderRefundStep {
  readonly action: 'VOID' | 'REFUND';
  readonly transactionId: string;
  readonly amount: number;
  readonly refundId?: string;
  /** VOIDED for a void; SUCCEEDED or QUEUED for a refund */
  readonly status: string;
}

/**
 * "Refund from the order" (seed 001): void first when possible, else refund. `full` gives back
 * everything the order took (cancel with full refund, QA decline): one step per charge.
 */
export class RefundOrderCommand extends Command<OrderRefundStep[]> {
  constructor(
    readonly orderId: string,
    readonly mode: { readonly full: true } | { readonly full: false; readonly amount?: number },
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RefundOrderCommand)
export class RefundOrderHandler implements ICommandHandler<RefundOrderCommand, OrderRefundStep[]> {
  constructor(
    @Inject(TransactionReadModel) private readonly readModel: TransactionReadModel,
    @Inject(TransactionRunner) private readonly runner: TransactionRunner,
    @Inject(ChargeReversal) private readonly reversal: ChargeReversal,
  ) {}

  async execute({ orderId, mode, context }: RefundOrderCommand): Promise<OrderRefundStep[]> {
    // Plan on the streams themselves, not on the read model: the rules need current state.
    const ids = await this.readModel.transactionIdsOfOrder(orderId);
    const charges: TransactionState[] = [];
    for (const id of ids) charges.push((await this.runner.load(id)).state);
    const plans: OrderRefundPlan[] = mode.full ? planFullOrderRefund(charges) : [planOrderRefund(charges, mode.amount)];
    const steps: OrderRefundStep[] = [];
    for (const plan of plans) {
      // A full refund keys each step by its charge, so a redelivered cause that finds part of the
      // work done still recognises the rest.
      const context_ = mode.full ? stepContext(context, plan.transactionId) : context;
      if (plan.action === 'VOID') {
        const voided = await this.reversal.voidCharge(plan.transactionId, context_);
        steps.push({ action: 'VOID', transactionId: plan.transactionId, amount: voided.amount, status: 'VOIDED' });
      } else if (plan.action === 'RESUME') {
        // requested before, its first gateway attempt never recorded: finish it
        const resumed = await this.reversal.resumeRefund(plan.transactionId, plan.refundId, context_);
        steps.push({ action: 'REFUND', transactionId: plan.transactionId, amount: resumed.amount, refundId: resumed.refundId, status: resumed.status });
      } else {
        const refunded = await this.reversal.refundCharge(plan.transactionId, plan.amount, context_);
        steps.push({ action: 'REFUND', transactionId: plan.transactionId, amount: refunded.amount, refundId: refunded.refundId, status: refunded.status });
      }
    }
    return steps;
  }
}
