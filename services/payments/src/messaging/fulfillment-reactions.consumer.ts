import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CodMarkedPaid, CodMarkedUndelivered, Topics } from '@continuum/contracts';
import { IncomingMessage, Platform } from '@continuum/platform';
import { RecordCodOutcomeCommand } from '../commands';
import { codTransactionId } from './order-reactions.consumer';
import { envelopeOf, reactionContext } from './reaction-context';

export const COD_REACTIONS_GROUP = 'cod-reactions';

/** Consumer on fulfillment.events.v1: CodMarkedPaid -> SUCCESS; CodMarkedUndelivered -> soft or hard decline (seed 003). */
@Injectable()
export class FulfillmentReactionsConsumer implements OnModuleInit {
  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(CommandBus) private readonly commandBus: CommandBus,
  ) {}

  onModuleInit(): void {
    this.platform.consumer({
      groupId: COD_REACTIONS_GROUP,
      topics: [Topics.fulfillmentEvents],
      handlers: {
        CodMarkedPaid: (m) => this.onPaid(m),
        CodMarkedUndelivered: (m) => this.onUndelivered(m),
      },
    });
  }

  private async onPaid(message: IncomingMessage): Promise<void> {
    const envelope = envelopeOf<CodMarkedPaid['data']>(message);
    const { orderId, deliveryConfirmation, date } = envelope.data;
    await this.commandBus.execute(
      new RecordCodOutcomeCommand(codTransactionId(orderId), { kind: 'PAID', deliveryConfirmation, date }, reactionContext(COD_REACTIONS_GROUP, envelope)),
    );
  }

  private async onUndelivered(message: IncomingMessage): Promise<void> {
    const envelope = envelopeOf<CodMarkedUndelivered['data']>(message);
    const { orderId, status } = envelope.data;
    await this.commandBus.execute(new RecordCodOutcomeCommand(codTransactionId(orderId), { kind: 'UNDELIVERED', status }, reactionContext(COD_REACTIONS_GROUP, envelope)));
  }
}
