import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CustomerRegistered, CustomerUpdated, Topics } from '@continuum/contracts';
import { IncomingMessage, Platform } from '@continuum/platform';
import { CustomerEmailsView } from '../views';
import { envelopeOf } from './reaction-context';

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
      handlers: {
        CustomerRegistered: async (m: IncomingMessage) => {
          const { customerId, email } = envelopeOf<CustomerRegistered['data']>(m).data;
          await this.emails.remember(customerId, email);
        },
        CustomerUpdated: async (m: IncomingMessage) => {
          const { customerId, changes } = envelopeOf<CustomerUpdated['data']>(m).data;
          if (changes.email !== undefined) await this.emails.remember(customerId, changes.email);
        },
      },
    });
  }
}
