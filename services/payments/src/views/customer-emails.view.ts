import { Inject, Injectable } from '@nestjs/common';
import { mongo } from 'mongoose';
import { Platform, insertOnce, unlessDuplicateKey } from '@continuum/platform';

interface CustomerEmailDocument {
  _id: string;
  email: string;
  /** the customer stream's version of the event the email came from (absent in documents stored before it was kept) */
  version?: number;
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

  /**
   * Keeps the email an event of the customer's stream at `version` names, unless the document
   * already holds one from that version or a later one: a redelivered or late event changes nothing,
   * so the consumer needs no handled-event records.
   */
  async remember(customerId: string, email: string, version: number): Promise<void> {
    // the first email of a customer (CustomerRegistered) is the common case: an insert, cheaper than an upsert
    if (version === 1 && (await insertOnce(this.collection, { _id: customerId, email, version })) === 'inserted') return;
    // a collision of the upsert's insert: the document exists with this version or a newer one
    await unlessDuplicateKey(
      this.collection.updateOne({ _id: customerId, $or: [{ version: { $lt: version } }, { version: { $exists: false } }] }, { $set: { email, version } }, { upsert: true }),
    );
  }

  async emailOf(customerId: string): Promise<string | undefined> {
    return (await this.collection.findOne({ _id: customerId }))?.email;
  }
}
