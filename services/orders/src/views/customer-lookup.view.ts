import { Inject, Injectable } from '@nestjs/common';
import { CustomerEvent } from '@continuum/contracts';
import { Platform, ViewDefinition, ViewStore } from '@continuum/platform';
import { customerDecider, CustomerState, DedupCandidate, DedupRecord } from '../domain';

const emailKey = (email: string | undefined) => (email ?? '').trim().toLowerCase();
const phoneKey = (phone: string | undefined) => (phone ?? '').replace(/\D/g, '');

/** The keys a customer is found under when an order comes in: its email and its phone digits. */
function contactKeys(contact: { readonly email?: string; readonly phone?: string }): string[] {
  const keys: string[] = [];
  if (emailKey(contact.email) !== '') keys.push(`email:${emailKey(contact.email)}`);
  if (phoneKey(contact.phone) !== '') keys.push(`phone:${phoneKey(contact.phone)}`);
  return keys;
}

/** Customers as their streams fold them, listed by email and phone. */
export const customerLookupViewDefinition: ViewDefinition<CustomerState, CustomerEvent> = {
  name: 'customers',
  streamPrefix: 'customer-',
  initial: () => customerDecider.initialState(),
  evolve: customerDecider.evolve,
  indexes: { contact: (state) => (state.status === 'ABSENT' ? [] : contactKeys(state.customer)) },
};

function dedupRecord(state: CustomerState): DedupRecord | null {
  if (state.status === 'ABSENT') return null;
  const { customer } = state;
  return {
    customerId: customer.customerId,
    firstName: customer.firstName,
    lastName: customer.lastName,
    email: customer.email,
    ...(customer.phone !== undefined ? { phone: customer.phone } : {}),
    ...(state.status === 'MERGED' ? { mergedInto: state.intoCustomerId } : {}),
  };
}

/** Finds the customers a new order may belong to (order-import dedup). */
@Injectable()
export class CustomerLookupView {
  private readonly view: ViewStore<CustomerState, CustomerEvent>;

  constructor(@Inject(Platform) platform: Platform) {
    this.view = platform.view(customerLookupViewDefinition);
  }

  /** Customers sharing the candidate's email or phone, by customer id; findDuplicateCustomer decides among them. */
  async candidates(candidate: DedupCandidate): Promise<DedupRecord[]> {
    const found = new Map<string, DedupRecord>();
    for (const key of contactKeys(candidate)) {
      for (const { view } of await this.view.findBy('contact', key)) {
        const record = dedupRecord(view);
        if (record) found.set(record.customerId, record);
      }
    }
    return [...found.values()].sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
  }
}
