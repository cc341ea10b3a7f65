import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '@continuum/platform';
import { TransactionAggregate } from './aggregates';

/** An order that moves no money through a gateway: EXTERNAL (recorded) or COD (opened, pending until paid). */
export class RecordNonCardPaymentCommand extends Command<{ transactionId: string }> {
  constructor(
    readonly kind: 'EXTERNAL' | 'COD',
    readonly input: { readonly transactionId: string; readonly orderId: string; readonly customerId: string; readonly amount: number; readonly currency: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RecordNonCardPaymentCommand)
export class RecordNonCardPaymentHandler implements ICommandHandler<RecordNonCardPaymentCommand, { transactionId: string }> {
  constructor(@Inject(TransactionAggregate) private readonly runner: TransactionAggregate) {}

  async execute({ kind, input, context }: RecordNonCardPaymentCommand): Promise<{ transactionId: string }> {
    const { state } = await this.runner.load(input.transactionId);
    if (state.status !== 'NONE') return { transactionId: input.transactionId };
    await this.runner.run(input.transactionId, { type: kind === 'EXTERNAL' ? 'RecordExternalPayment' : 'OpenCodTransaction', data: input }, context);
    return { transactionId: input.transactionId };
  }
}
