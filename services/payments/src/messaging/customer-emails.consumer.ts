import { Inject } from '@nestjs/common';
import { CustomerEvent, Topics } from '@continuum/contracts';
import { DeclaredConsumer, EventConsumer, eventHandlers, MessageHandler } from '@continuum/platform';
import { CustomerEmailsView, PaymentsViews } from '../views';

// a group of its own, new with the read model: it read customers.events.v1 from the beginning to fill it
export const CUSTOMER_EMAILS_GROUP = 'customer-emails-view';

/** Keeps the customer emails read model from customers.events.v1 (for the customer's refund email). */
@EventConsumer({
  groupId: CUSTOMER_EMAILS_GROUP,
  topics: [Topics.customersEvents],
  // the read model keeps the stream version it is at, so a redelivery changes nothing: no handled-event records
  dedup: false,
})
export class CustomerEmailsConsumer implements DeclaredConsumer {
  constructor(@Inject(PaymentsViews) private readonly views: PaymentsViews) {}

  handlers(): Record<string, MessageHandler> {
    const apply = async (event: Parameters<CustomerEmailsView['store']['applyEvent']>[0]) => void (await this.views.customerEmails.store.applyEvent(event));
    return eventHandlers<CustomerEvent>({ CustomerRegistered: apply, CustomerUpdated: apply });
  }
}
