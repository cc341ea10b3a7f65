import { Inject } from '@nestjs/common';
import { EnvelopeOf, FulfillmentEvent, Topics } from '@continuum/contracts';
import { DeclaredConsumer, EventConsumer, eventHandlers, IncomingMessage, MessageHandler } from '@continuum/platform';
import { CodActionEvent, onCodAction } from '../domain';
import { PaymentsReactionWork } from './payments-work';

export const COD_REACTIONS_GROUP = 'cod-reactions';

/**
 * fulfillment.events.v1 COD actions -> the COD transaction's outcome (paid, or a soft or hard
 * decline); the rule is `onCodAction` (domain), its work run by `runReactionWork`.
 */
@EventConsumer({ groupId: COD_REACTIONS_GROUP, topics: [Topics.fulfillmentEvents] })
export class FulfillmentReactionsConsumer implements DeclaredConsumer {
  constructor(@Inject(PaymentsReactionWork) private readonly work: PaymentsReactionWork) {}

  handlers(): Record<string, MessageHandler> {
    const react = (event: EnvelopeOf<CodActionEvent>, message: IncomingMessage) => this.work.run(onCodAction(event), { group: COD_REACTIONS_GROUP, event, message });
    return eventHandlers<FulfillmentEvent>({ CodMarkedPaid: react, CodMarkedUndelivered: react });
  }
}
