import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CustomerEvent, Topics } from '@continuum/contracts';
import { eventHandlers, Platform } from '@continuum/platform';
import { CustomerEmailsView } from '../views';

export const CUSTOMER_EMAILS_GROUP = 'customer-emails';

/** Keeps the customer-email read model from customers.events.v1 (for the customer's refund email). */
@Injectable()
export class CustomerEmailsConsumer implements OnModuleInit {
  constructor(
    @Inject(Platform) private readonly platform: Platform,
    @Inject(CustomerEmailsView) private readonly emails: CustomerEmailsView,
  ) {}

  onModuleInit(): void {
    this.platform.consumer({
      groupId: CUSTOMER_EMAILS_GROUP,
      topics: [Topics.customersEvents],
      handlers: eventHandlers<CustomerEvent>({
        CustomerRegistered: async ({ data: { customerId, email }, streamVersion }) => this.emails.remember(customerId, email, streamVersion),
        CustomerUpdated: async ({ data: { customerId, changes }, streamVersion }) => {
          if (changes.email !== undefined) await this.emails.remember(customerId, changes.email, streamVersion);
        },
      }),
      // the view keeps the stream version it is at, so a redelivery changes nothing: no handled-event records
      dedup: false,
    });
  }
}
