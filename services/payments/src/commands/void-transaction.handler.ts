import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '@continuum/platform';
import { ChargeReversal, VoidOutcome } from './charge-reversal.service';

/** Void an unsettled charge in full (seed 001); a settled charge or a non-charge is refused (422). */
export class VoidTransactionCommand extends Command<VoidOutcome> {
  constructor(
    readonly transactionId: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(VoidTransactionCommand)
export class VoidTransactionHandler implements ICommandHandler<VoidTransactionCommand, VoidOutcome> {
  constructor(@Inject(ChargeReversal) private readonly reversal: ChargeReversal) {}

  execute({ transactionId, context }: VoidTransactionCommand): Promise<VoidOutcome> {
    return this.reversal.voidCharge(transactionId, context);
  }
}
