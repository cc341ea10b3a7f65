import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '@continuum/contracts';
import { CommandContext } from '@continuum/platform';
import { CustomerEmailsView, TransactionsView } from '../views';
import { TransactionAggregate } from './aggregates';

export interface ResendRefundEmailResult {
  readonly refundId: string;
  /** where the email goes (sent by the customer-email consumer once RefundEmailResent is published) */
  readonly to: string;
}

/** Send the customer's refund email again: records RefundEmailResent, which the mail consumer sends. */
export class ResendRefundEmailCommand extends Command<ResendRefundEmailResult> {
  constructor(
    readonly refundId: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ResendRefundEmailCommand)
export class ResendRefundEmailHandler implements ICommandHandler<ResendRefundEmailCommand, ResendRefundEmailResult> {
  constructor(
    @Inject(TransactionsView) private readonly readModel: TransactionsView,
    @Inject(CustomerEmailsView) private readonly emails: CustomerEmailsView,
    @Inject(TransactionAggregate) private readonly runner: TransactionAggregate,
  ) {}

  async execute({ refundId, context }: ResendRefundEmailCommand): Promise<ResendRefundEmailResult> {
    // A void's email is found by the void's id (listed in the view) or by the charge's id.
    const transactionId = (await this.readModel.transactionOfRefund(refundId)) ?? refundId;
    const { state } = await this.runner.load(transactionId);
    if (state.status === 'NONE') throw new DomainError('REFUND_NOT_FOUND', 'refund not found', 'not-found');
    const to = await this.emails.emailOf(state.customerId);
    if (!to) throw new DomainError('CUSTOMER_EMAIL_UNKNOWN', "the customer's email is not known to payments, so no refund email can be sent");
    await this.runner.run(transactionId, { type: 'ResendRefundEmail', data: { refundId } }, context);
    return { refundId, to };
  }
}
