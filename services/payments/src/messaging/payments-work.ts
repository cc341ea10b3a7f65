import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { assertNever } from '@continuum/contracts';
import { CommandContext, IncomingMessage, Platform } from '@continuum/platform';
import { RecordCodOutcomeCommand, RecordNonCardPaymentCommand, RefundOrderCommand } from '../commands';
import { PaymentsWork } from '../domain';
import { ChargeJob, ChargeQueue } from '../jobs';

/** The consumed event a reaction's work comes from. */
export interface WorkCause {
  /** the consumer group's short name, e.g. 'order-reactions' */
  readonly group: string;
  readonly event: { readonly eventId: string; readonly type: string; readonly correlationId: string };
  readonly message: IncomingMessage;
}

/**
 * Runs the work a reaction decided, each item through its use case's command handler; card charges
 * go to the charge queue, so a slow gateway does not hold the Kafka partition.
 */
@Injectable()
export class PaymentsWorkRunner {
  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(ChargeQueue) private readonly charges: ChargeQueue,
  ) {}

  async run(work: readonly PaymentsWork[], context: CommandContext, cause: WorkCause): Promise<void> {
    for (const item of work) await this.runOne(item, context, cause);
  }

  private async runOne(item: PaymentsWork, context: CommandContext, cause: WorkCause): Promise<void> {
    switch (item.type) {
      case 'ChargeCard':
        await this.charges.enqueue({ request: item.data, context, cause: this.chargeCause(cause) });
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

  private chargeCause({ group, event, message }: WorkCause): ChargeJob['cause'] {
    return {
      groupId: this.platform.consumerGroupId(group),
      source: { topic: message.topic, partition: message.partition, offset: message.offset, key: message.key, headers: { type: event.type, eventId: event.eventId, correlationId: event.correlationId } },
      original: JSON.stringify(message.envelope ?? event),
    };
  }
}
