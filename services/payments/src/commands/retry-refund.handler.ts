import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '@continuum/platform';
import { ChargeReversal, RefundOutcome } from './charge-reversal.service';

/** One daily retry of a queued refund: gateway attempt `attempt` (2..4). Nothing happens when it is no longer due. */
export class RetryRefundCommand extends Command<RefundOutcome | undefined> {
  constructor(
    readonly transactionId: string,
    readonly refundId: string,
    readonly attempt: number,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RetryRefundCommand)
export class RetryRefundHandler implements ICommandHandler<RetryRefundCommand, RefundOutcome | undefined> {
  constructor(@Inject(ChargeReversal) private readonly reversal: ChargeReversal) {}

  execute({ transactionId, refundId, attempt, context }: RetryRefundCommand): Promise<RefundOutcome | undefined> {
    return this.reversal.retryRefund(transactionId, refundId, attempt, context);
  }
}
