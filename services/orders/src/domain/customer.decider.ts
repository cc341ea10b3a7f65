import {
  Actor,
  Address,
  assertNever,
  BlacklistEntryType,
  Command,
  CustomerEvent,
  CustomFieldChanges,
  CustomFields,
  CustomerProfile,
  Decider,
  DomainError,
} from '@continuum/contracts';
import { applyCustomFieldsChange, customFieldsToStore, mergeCustomFields } from './custom-fields';

/** Stream of one customer. */
export const customerStreamId = (customerId: string) => `customer-${customerId}`;

export const NOTE_MAX_LENGTH = 500;

export type RegisterCustomer = Command<'RegisterCustomer', CustomerProfile & { customerId: string; customFields?: CustomFields }>;
/** PATCH semantics: absent fields stay as they are; `customFields` merges by name ("" or null removes one). */
export type UpdateCustomer = Command<'UpdateCustomer', Partial<CustomerProfile> & { customerId: string; customFields?: CustomFieldChanges }>;
export type AddCustomerNote = Command<'AddCustomerNote', { customerId: string; noteId: string; message: string }>;
/** Sent to the SURVIVING customer. */
export type MergeCustomer = Command<'MergeCustomer', { customerId: string; fromCustomerId: string }>;
/** Sent to the customer that was merged away, after MergeCustomer succeeded on the survivor. */
export type MarkCustomerMergedInto = Command<'MarkCustomerMergedInto', { customerId: string; intoCustomerId: string }>;
/** After its blacklist entries are in force: the one record of it on the customer's stream (its timeline). */
export type RecordCustomerBlacklisted = Command<
  'RecordCustomerBlacklisted',
  { customerId: string; entries: readonly { entryId: string; type: BlacklistEntryType; value: string }[]; codOnly: boolean; reason: string }
>;
export type CustomerCommand = RegisterCustomer | UpdateCustomer | AddCustomerNote | MergeCustomer | MarkCustomerMergedInto | RecordCustomerBlacklisted;

export interface CustomerNote {
  readonly noteId: string;
  readonly message: string;
  readonly author: Actor;
  readonly at: string;
}

export interface Customer extends CustomerProfile {
  readonly customerId: string;
  readonly notes: readonly CustomerNote[];
  /** customers merged into this one */
  readonly mergedFrom: readonly string[];
  /** name -> value (absent or {} when none) */
  readonly customFields?: CustomFields;
}

export type CustomerState =
  | { readonly status: 'ABSENT' }
  | { readonly status: 'ACTIVE'; readonly customer: Customer }
  | { readonly status: 'MERGED'; readonly customer: Customer; readonly intoCustomerId: string };

const PROFILE_FIELDS = ['firstName', 'lastName', 'email', 'phone', 'billingAddress', 'shippingAddress'] as const;
const TEXT_FIELDS = ['firstName', 'lastName', 'email', 'phone'] as const;

function cleanProfile<T extends Partial<CustomerProfile>>(data: T): T {
  // undefined keys would otherwise travel into events as noise
  const cleaned: Record<string, unknown> = Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined));
  for (const field of TEXT_FIELDS) {
    const value = data[field];
    if (value === undefined) continue;
    const trimmed = value.trim();
    if (trimmed === '') throw new DomainError('INVALID_CUSTOMER', `${field} must not be blank`, 'rule', { field });
    cleaned[field] = trimmed;
  }
  if (typeof cleaned.email === 'string' && !/^[^\s@]+@[^\s@]+$/.test(cleaned.email)) {
    throw new DomainError('INVALID_CUSTOMER', 'email must look like name@example.com', 'rule', { field: 'email' });
  }
  return cleaned as T;
}

const sameAddress = (a: Address | undefined, b: Address | undefined) =>
  a === b ||
  (a !== undefined &&
    b !== undefined &&
    (['line1', 'line2', 'city', 'state', 'postalCode', 'country'] as const).every((key) => a[key] === b[key]));

const sameValue = (a: unknown, b: unknown) =>
  typeof a === 'object' || typeof b === 'object' ? sameAddress(a as Address | undefined, b as Address | undefined) : a === b;

/** The live customer a command acts on; missing -> not-found, merged -> CUSTOMER_MERGED. */
function activeCustomer(state: CustomerState, customerId: string): Customer {
  switch (state.status) {
    case 'ABSENT':
      throw new DomainError('CUSTOMER_NOT_FOUND', `Customer ${customerId} does not exist`, 'not-found');
    case 'MERGED':
      throw new DomainError('CUSTOMER_MERGED', `Customer ${customerId} was merged into ${state.intoCustomerId}; use that customer`, 'rule', {
        intoCustomerId: state.intoCustomerId,
      });
    case 'ACTIVE':
      return state.customer;
    default:
      return assertNever(state, 'customer state');
  }
}

function register(command: RegisterCustomer, state: CustomerState): CustomerEvent[] {
  if (state.status !== 'ABSENT') throw new DomainError('CUSTOMER_EXISTS', `Customer ${command.data.customerId} already exists`, 'conflict');
  const profile = cleanProfile(command.data);
  // only profile fields: whatever else the caller's object carries must not leak into the event
  const data = Object.fromEntries(PROFILE_FIELDS.filter((field) => profile[field] !== undefined).map((field) => [field, profile[field]]));
  const customFields = customFieldsToStore(command.data.customFields);
  return [{ type: 'CustomerRegistered', data: { customerId: command.data.customerId, ...(data as unknown as CustomerProfile), ...(customFields ? { customFields } : {}) } }];
}

function update(command: UpdateCustomer, state: CustomerState): CustomerEvent[] {
  const customer = activeCustomer(state, command.data.customerId);
  const requested = cleanProfile(command.data);
  const changes: Record<string, unknown> = {};
  for (const field of PROFILE_FIELDS) {
    const value = requested[field];
    if (value !== undefined && !sameValue(value, customer[field])) changes[field] = value;
  }
  const events: CustomerEvent[] = [];
  if (Object.keys(changes).length > 0) events.push({ type: 'CustomerUpdated', data: { customerId: customer.customerId, changes } });
  if (command.data.customFields !== undefined) {
    const { set, removed } = mergeCustomFields(customer.customFields ?? {}, command.data.customFields);
    if (Object.keys(set).length > 0 || removed.length > 0) {
      events.push({
        type: 'CustomerCustomFieldsChanged',
        data: {
          customerId: customer.customerId,
          ...(Object.keys(set).length > 0 ? { set } : {}),
          ...(removed.length > 0 ? { removed } : {}),
          by: command.metadata.actor,
          at: command.metadata.now,
        },
      });
    }
  }
  return events;
}

function addNote(command: AddCustomerNote, state: CustomerState): CustomerEvent[] {
  const customer = activeCustomer(state, command.data.customerId);
  const message = command.data.message.trim();
  if (message.length < 1 || message.length > NOTE_MAX_LENGTH) {
    throw new DomainError('INVALID_NOTE', `A note has 1 to ${NOTE_MAX_LENGTH} characters`, 'rule', { field: 'message' });
  }
  if (customer.notes.some((note) => note.noteId === command.data.noteId)) {
    throw new DomainError('NOTE_EXISTS', `Note ${command.data.noteId} already exists`, 'conflict');
  }
  return [
    {
      type: 'CustomerNoteAdded',
      data: { customerId: customer.customerId, noteId: command.data.noteId, message, author: command.metadata.actor, at: command.metadata.now },
    },
  ];
}

function merge(command: MergeCustomer, state: CustomerState): CustomerEvent[] {
  const customer = activeCustomer(state, command.data.customerId);
  const { fromCustomerId } = command.data;
  if (fromCustomerId === customer.customerId) throw new DomainError('CANNOT_MERGE_INTO_ITSELF', 'A customer cannot be merged into itself');
  // a merge is replayed when its process is retried; the second time there is nothing left to do
  if (customer.mergedFrom.includes(fromCustomerId)) return [];
  return [{ type: 'CustomersMerged', data: { customerId: customer.customerId, fromCustomerId } }];
}

function markMergedInto(command: MarkCustomerMergedInto, state: CustomerState): CustomerEvent[] {
  const customer = activeCustomer(state, command.data.customerId);
  const { intoCustomerId } = command.data;
  if (intoCustomerId === customer.customerId) throw new DomainError('CANNOT_MERGE_INTO_ITSELF', 'A customer cannot be merged into itself');
  return [{ type: 'CustomerMergedInto', data: { customerId: customer.customerId, intoCustomerId } }];
}

function recordBlacklisted(command: RecordCustomerBlacklisted, state: CustomerState): CustomerEvent[] {
  const customer = activeCustomer(state, command.data.customerId);
  const { entries, codOnly } = command.data;
  const reason = command.data.reason.trim();
  if (reason === '') throw new DomainError('REASON_REQUIRED', 'Say why the customer is blacklisted', 'rule', { field: 'reason' });
  if (entries.length === 0) throw new DomainError('NOTHING_TO_BLACKLIST', 'The customer has nothing to blacklist', 'rule');
  return [{ type: 'CustomerBlacklisted', data: { customerId: customer.customerId, entries, codOnly, reason, by: command.metadata.actor, at: command.metadata.now } }];
}

function evolveActive(customer: Customer, event: Exclude<CustomerEvent, { type: 'CustomerRegistered' }>): CustomerState {
  switch (event.type) {
    case 'CustomerUpdated':
      return { status: 'ACTIVE', customer: { ...customer, ...event.data.changes } };
    case 'CustomerNoteAdded': {
      const { noteId, message, author, at } = event.data;
      return { status: 'ACTIVE', customer: { ...customer, notes: [...customer.notes, { noteId, message, author, at }] } };
    }
    case 'CustomersMerged':
      return { status: 'ACTIVE', customer: { ...customer, mergedFrom: [...customer.mergedFrom, event.data.fromCustomerId] } };
    case 'CustomerMergedInto':
      return { status: 'MERGED', customer, intoCustomerId: event.data.intoCustomerId };
    case 'CustomerBlacklisted':
      // the entries live on their own streams (the blacklist view); the customer itself is unchanged
      return { status: 'ACTIVE', customer };
    case 'CustomerCustomFieldsChanged':
      return { status: 'ACTIVE', customer: { ...customer, customFields: applyCustomFieldsChange(customer.customFields ?? {}, event.data) } };
    default:
      return assertNever(event, 'customer event');
  }
}

/**
 * One customer: register, edit the profile, add notes, merge. A merged customer takes no more
 * commands (CUSTOMER_MERGED names the survivor).
 */
export const customerDecider: Decider<CustomerCommand, CustomerEvent, CustomerState> = {
  initialState: () => ({ status: 'ABSENT' }),
  decide: (command, state) => {
    switch (command.type) {
      case 'RegisterCustomer':
        return register(command, state);
      case 'UpdateCustomer':
        return update(command, state);
      case 'AddCustomerNote':
        return addNote(command, state);
      case 'MergeCustomer':
        return merge(command, state);
      case 'RecordCustomerBlacklisted':
        return recordBlacklisted(command, state);
      case 'MarkCustomerMergedInto':
        return markMergedInto(command, state);
      default:
        return assertNever(command, 'customer command');
    }
  },
  evolve: (state, event) => {
    if (event.type === 'CustomerRegistered') return { status: 'ACTIVE', customer: { ...event.data, notes: [], mergedFrom: [], customFields: event.data.customFields ?? {} } };
    return state.status === 'ACTIVE' ? evolveActive(state.customer, event) : state;
  },
};

/** A customer as GET /customers/:id shows it: `customFields` always there ({} when none). */
export type CustomerView = Customer & { readonly customFields: CustomFields; readonly mergedInto?: string };

/** GET /customers/:id: the profile, its notes and merge links; null when the customer does not exist. */
export function customerView(state: CustomerState): CustomerView | null {
  switch (state.status) {
    case 'ABSENT':
      return null;
    case 'ACTIVE':
      return { ...state.customer, customFields: state.customer.customFields ?? {} };
    case 'MERGED':
      return { ...state.customer, customFields: state.customer.customFields ?? {}, mergedInto: state.intoCustomerId };
    default:
      return assertNever(state, 'customer state');
  }
}
