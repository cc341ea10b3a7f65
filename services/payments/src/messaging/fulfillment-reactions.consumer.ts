import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EnvelopeOf, FulfillmentEvent, Topics } from '@continuum/contracts';
import { eventHandlers, IncomingMessage, Platform } from '@continuum/platform';
import { CodActionEvent, onCodAction } from '../domain';
import { PaymentsReactionWork } from './payments-work';

export const COD_REACTIONS_GROUP = 'cod-reactions';

/**
 * fulfillment.events.v1 COD actions -> the COD transaction's outcome (paid, or a soft or hard
 * decline); the rule is `onCodAction` (domain), its work run by `runReactionWork`.
 */
@Injectable()
export class FulfillmentReactionsConsumer implements OnModuleInit {
  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(PaymentsReactionWork) private readonly work: PaymentsReactionWork,
  ) {}

  onModuleInit(): void {
    const react = (event: EnvelopeOf<CodActionEvent>, message: IncomingMessage) => this.work.run(onCodAction(event), { group: COD_REACTIONS_GROUP, event, message });
    this.platform.consumer({
      groupId: COD_REACTIONS_GROUP,
      topics: [Topics.fulfillmentEvents],
      handlers: eventHandlers<FulfillmentEvent>({ CodMarkedPaid: react, CodMarkedUndelivered: react }),
    });
  }
}
