import { Inject, Injectable } from '@nestjs/common';
import { mongo } from 'mongoose';
import { Platform } from '@continuum/platform';

interface CustomerEmailDocument {
  _id: string;
  email: string;
}

/**
 * Customer emails from customers.events.v1, so payments can send the customer's refund email
 * without asking the orders service (collection `payments_customer_emails`).
 */
@Injectable()
export class CustomerEmailsView {
  private readonly collection: mongo.Collection<CustomerEmailDocument>;

  constructor(@Inject(Platform) platform: Platform) {
    this.collection = platform.connection.db!.collection<CustomerEmailDocument>('payments_customer_emails');
  }

  async remember(customerId: string, email: string): Promise<void> {
    await this.collection.updateOne({ _id: customerId }, { $set: { email } }, { upsert: true });
  }

  async emailOf(customerId: string): Promise<string | undefined> {
    return (await this.collection.findOne({ _id: customerId }))?.email;
  }
}
