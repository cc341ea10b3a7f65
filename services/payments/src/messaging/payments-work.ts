import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { assertNever } from '@continuum/contracts';
import { CommandContext } from '@continuum/platform';
import { ChargeCardCommand, RecordCodOutcomeCommand, RecordNonCardPaymentCommand, RefundOrderCommand } from '../commands';
import { PaymentsWork } from '../domain';

/** Runs the work a reaction decided, each item through its use case's command handler. */
@Injectable()
export class PaymentsWorkRunner {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  async run(work: readonly PaymentsWork[], context: CommandContext): Promise<void> {
    for (const item of work) await this.runOne(item, context);
  }

  private async runOne(item: PaymentsWork, context: CommandContext): Promise<void> {
    switch (item.type) {
      case 'ChargeCard':
        await this.commands.execute(new ChargeCardCommand(item.data, context));
        return;
      case 'RecordNonCardPayment': {
        const { kind, ...input } = item.data;
        await this.commands.execute(new RecordNonCardPaymentCommand(kind, input, context));
        return;
      }
      case 'RefundOrder':
        await this.commands.execute(new RefundOrderCommand(item.data.orderId, item.data.mode, context));
        return;
      case 'RecordCodOutcome':
        await this.commands.execute(new RecordCodOutcomeCommand(item.data.transactionId, item.data.outcome, context));
        return;
      default:
        assertNever(item, 'payments work');
    }
  }
}
