import { Inject, Injectable } from '@nestjs/common';
import { CustomerEvent, EnvelopeOf } from '@continuum/contracts';
import { Platform, ViewDefinition, ViewStore } from '@continuum/platform';

/** A customer's email as payments knows it (null until an event names one). */
export interface CustomerEmail {
  readonly email: string | null;
}

/**
 * Customer emails from customers.events.v1, so payments can send the customer's refund email
 * without asking the orders service (collection `view_customer_emails`, one document per customer):
 * CustomerRegistered sets it, a CustomerUpdated that changes it replaces it.
 */
export const customerEmailsViewDefinition: ViewDefinition<CustomerEmail, CustomerEvent> = {
  name: 'customer_emails',
  // the customers' streams (`customer-<customerId>`); the document is the customer, named by the event
  streamPrefix: 'customer-',
  documentId: (event) => (event.data as { customerId: string }).customerId,
  initial: () => ({ email: null }),
  evolve: (known, event: EnvelopeOf<CustomerEvent>) => {
    switch (event.type) {
      case 'CustomerRegistered':
        return { email: event.data.email };
      case 'CustomerUpdated':
        return event.data.changes.email !== undefined ? { email: event.data.changes.email } : known;
      default:
        return known;
    }
  },
};

/**
 * The customer emails read model (a ViewStore fed by the customer-emails consumer with `applyEvent`):
 * an event whose customer stream version the document already saw, a redelivered or late one,
 * changes nothing, so the consumer needs no handled-event records.
 */
@Injectable()
export class CustomerEmailsView {
  readonly store: ViewStore<CustomerEmail, CustomerEvent>;

  constructor(@Inject(Platform) platform: Platform) {
    this.store = platform.readModel(customerEmailsViewDefinition);
  }

  async emailOf(customerId: string): Promise<string | undefined> {
    return (await this.store.get(customerId))?.email ?? undefined;
  }
}
