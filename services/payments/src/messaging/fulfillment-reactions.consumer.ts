import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { EnvelopeOf, FulfillmentEvent, Topics } from '@continuum/contracts';
import { eventHandlers, IncomingMessage, Platform, reactionContext, runReactionWork } from '@continuum/platform';
import { TransactionAggregate } from '../commands';
import { CodActionEvent, onCodAction } from '../domain';
import { ChargeQueue } from '../jobs';
import { paymentsReactionWork } from './payments-work';

export const COD_REACTIONS_GROUP = 'cod-reactions';

/**
 * fulfillment.events.v1 COD actions -> the COD transaction's outcome (paid, or a soft or hard
 * decline); the rule is `onCodAction` (domain), its work run by `runReactionWork`.
 */
@Injectable()
export class FulfillmentReactionsConsumer implements OnModuleInit {
  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(TransactionAggregate) private readonly transactions: TransactionAggregate,
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(ChargeQueue) private readonly charges: ChargeQueue,
  ) {}

  onModuleInit(): void {
    const ports = { platform: this.platform, transactions: this.transactions, commandBus: this.commandBus, charges: this.charges };
    const react = (event: EnvelopeOf<CodActionEvent>, message: IncomingMessage) =>
      runReactionWork(paymentsReactionWork(onCodAction(event), { group: COD_REACTIONS_GROUP, event, message }, ports), reactionContext(COD_REACTIONS_GROUP, event));
    this.platform.consumer({
      groupId: COD_REACTIONS_GROUP,
      topics: [Topics.fulfillmentEvents],
      handlers: eventHandlers<FulfillmentEvent>({ CodMarkedPaid: react, CodMarkedUndelivered: react }),
    });
  }
}
