import { Inject, Injectable } from '@nestjs/common';
import { Collection } from 'mongoose';
import { Platform } from '@continuum/platform';
import { CustomerState, DedupCandidate, DedupRecord } from '../domain';

/** One row per customer: what dedup compares, plus the merge link. */
export interface CustomerLookupRow extends DedupRecord {
  readonly _id: string;
  readonly emailKey: string;
  readonly phoneKey: string;
}

export const CUSTOMER_LOOKUP_COLLECTION = 'view_customer_lookup';

const emailKey = (email: string | undefined) => (email ?? '').trim().toLowerCase();
const phoneKey = (phone: string | undefined) => (phone ?? '').replace(/\D/g, '');

/** Finds the customers a new order may belong to (order-import dedup). */
@Injectable()
export class CustomerLookupView {
  constructor(@Inject(Platform) private readonly platform: Platform) {}

  private get rows(): Collection<CustomerLookupRow> {
    return this.platform.connection.collection<CustomerLookupRow>(CUSTOMER_LOOKUP_COLLECTION);
  }

  /** Upserts the row of a customer from its folded state; harmless to repeat. */
  async save(state: CustomerState): Promise<void> {
    if (state.status === 'ABSENT') return;
    const { customer } = state;
    const row: Omit<CustomerLookupRow, '_id'> = {
      customerId: customer.customerId,
      firstName: customer.firstName,
      lastName: customer.lastName,
      email: customer.email,
      ...(customer.phone !== undefined ? { phone: customer.phone } : {}),
      emailKey: emailKey(customer.email),
      phoneKey: phoneKey(customer.phone),
      ...(state.status === 'MERGED' ? { mergedInto: state.intoCustomerId } : {}),
    };
    await this.rows.replaceOne({ _id: customer.customerId }, row, { upsert: true });
  }

  /** Customers sharing the candidate's email or phone; findDuplicateCustomer decides among them. */
  async candidates(candidate: DedupCandidate): Promise<CustomerLookupRow[]> {
    const or: Record<string, string>[] = [];
    if (emailKey(candidate.email) !== '') or.push({ emailKey: emailKey(candidate.email) });
    if (phoneKey(candidate.phone) !== '') or.push({ phoneKey: phoneKey(candidate.phone) });
    if (or.length === 0) return [];
    return this.rows.find({ $or: or }).sort({ _id: 1 }).toArray() as Promise<CustomerLookupRow[]>;
  }
}
