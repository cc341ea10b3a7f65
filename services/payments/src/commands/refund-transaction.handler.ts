import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '@continuum/platform';
import { ChargeReversal, RefundOutcome } from './charge-reversal.service';

/** Refund a settled charge, `amount` or all that remains; a gateway rejection queues it for the daily retries. */
export class RefundTransactionCommand extends Command<RefundOutcome> {
  constructor(
    readonly transactionId: string,
    readonly amount: number | undefined,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RefundTransactionCommand)
export class RefundTransactionHandler implements ICommandHandler<RefundTransactionCommand, RefundOutcome> {
  constructor(@Inject(ChargeReversal) private readonly reversal: ChargeReversal) {}

  execute({ transactionId, amount, context }: RefundTransactionCommand): Promise<RefundOutcome> {
    return this.reversal.refundCharge(transactionId, amount, context);
  }
}
