import { Actor } from '../core/actor';
import { DomainEvent } from '../core/envelope';
import { defineEvent } from '../core/registry';
import { actorSchema, arrayOf, bool, id, isoDate, obj, oneOf, str } from '../core/schema-helpers';
import { BLACKLIST_ENTRY_TYPES, BlacklistEntryType } from './blacklist.events';
import { Topics } from '../core/topics';
import { Address, addressSchema } from './address.schema';
import { CustomFields, customFieldNameSchema, customFieldsSchema } from '../orders/custom-fields';

/** The profile fields of a customer; everything an agent can edit. */
export type CustomerProfile = {
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly phone?: string;
  readonly billingAddress: Address;
  readonly shippingAddress?: Address;
}

/** `customFields`: those given when registering (absent when none, and on customers registered before custom fields existed). */
export type CustomerRegistered = DomainEvent<'CustomerRegistered', CustomerProfile & { readonly customerId: string; readonly customFields?: CustomFields }>;
/** `changes` holds only the fields whose value changed. */
export type CustomerUpdated = DomainEvent<'CustomerUpdated', { readonly customerId: string; readonly changes: Partial<CustomerProfile> }>;
export type CustomerNoteAdded = DomainEvent<
  'CustomerNoteAdded',
  { readonly customerId: string; readonly noteId: string; readonly message: string; readonly author: Actor; readonly at: string }
>;
/** Recorded on the surviving customer: `fromCustomerId`'s records now belong to `customerId`. */
export type CustomersMerged = DomainEvent<'CustomersMerged', { readonly customerId: string; readonly fromCustomerId: string }>;
/** Recorded on the merged (retired) customer; it takes no further commands. */
export type CustomerMergedInto = DomainEvent<'CustomerMergedInto', { readonly customerId: string; readonly intoCustomerId: string }>;

/**
 * An admin blacklisted the customer: the blacklist entries made (or found in force) for its email,
 * phone and billing address, named here so the customer's timeline shows them in one line.
 */
export type CustomerBlacklisted = DomainEvent<
  'CustomerBlacklisted',
  {
    readonly customerId: string;
    readonly entries: readonly { readonly entryId: string; readonly type: BlacklistEntryType; readonly value: string }[];
    readonly codOnly: boolean;
    readonly reason: string;
    readonly by: Actor;
    readonly at: string;
  }
>;

/**
 * A PATCH changed the customer's custom fields: only the fields that changed, `set` with their new
 * values, `removed` by name (at least one of the two), who did it and when.
 */
export type CustomerCustomFieldsChanged = DomainEvent<
  'CustomerCustomFieldsChanged',
  { readonly customerId: string; readonly set?: CustomFields; readonly removed?: readonly string[]; readonly by: Actor; readonly at: string }
>;

export type CustomerEvent =
  | CustomerRegistered
  | CustomerUpdated
  | CustomerNoteAdded
  | CustomersMerged
  | CustomerMergedInto
  | CustomerBlacklisted
  | CustomerCustomFieldsChanged;

/** The customer event type strings, for consumers that dispatch on `type`. */
export const CUSTOMER_EVENT_TYPES = {
  CustomerRegistered: 'CustomerRegistered',
  CustomerUpdated: 'CustomerUpdated',
  CustomerNoteAdded: 'CustomerNoteAdded',
  CustomersMerged: 'CustomersMerged',
  CustomerMergedInto: 'CustomerMergedInto',
  CustomerBlacklisted: 'CustomerBlacklisted',
  CustomerCustomFieldsChanged: 'CustomerCustomFieldsChanged',
} as const satisfies { [K in CustomerEvent['type']]: K };

const profileProperties = () => ({
  firstName: id(),
  lastName: id(),
  email: id(),
  phone: id(),
  billingAddress: addressSchema(),
  shippingAddress: addressSchema(),
});

defineEvent(
  CUSTOMER_EVENT_TYPES.CustomerRegistered,
  Topics.customersEvents,
  'A customer profile was created (by an agent, or by an order that found no duplicate), with the custom fields it was given (absent when none).',
  obj({ customerId: id(), ...profileProperties(), customFields: customFieldsSchema() }, ['customerId', 'firstName', 'lastName', 'email', 'billingAddress']),
);

defineEvent(
  CUSTOMER_EVENT_TYPES.CustomerUpdated,
  Topics.customersEvents,
  'Profile fields of a customer changed; `changes` lists only the changed fields with their new values.',
  obj({ customerId: id(), changes: { ...obj(profileProperties(), []), minProperties: 1 } }),
);

defineEvent(
  CUSTOMER_EVENT_TYPES.CustomerNoteAdded,
  Topics.customersEvents,
  'An agent added a note (1..500 characters) to the customer history.',
  obj({ customerId: id(), noteId: id(), message: str({ minLength: 1, maxLength: 500 }), author: actorSchema(), at: isoDate() }),
);

defineEvent(
  CUSTOMER_EVENT_TYPES.CustomersMerged,
  Topics.customersEvents,
  'On the surviving customer: every record of `fromCustomerId` now belongs to `customerId`.',
  obj({ customerId: id(), fromCustomerId: id() }),
);

defineEvent(
  CUSTOMER_EVENT_TYPES.CustomerMergedInto,
  Topics.customersEvents,
  'On the merged customer: it now lives on as `intoCustomerId` and takes no further commands.',
  obj({ customerId: id(), intoCustomerId: id() }),
);

defineEvent(
  CUSTOMER_EVENT_TYPES.CustomerBlacklisted,
  Topics.customersEvents,
  "An admin blacklisted the customer (POST /customers/:id/blacklist): the blacklist entries for its email, phone and billing address, each also a BlacklistEntryAdded on its own stream unless it was in force already.",
  obj(
    {
      customerId: id(),
      entries: arrayOf(obj({ entryId: id(), type: oneOf(...BLACKLIST_ENTRY_TYPES), value: id() }), { minItems: 1 }),
      codOnly: bool(),
      reason: str({ minLength: 1 }),
      by: actorSchema(),
      at: isoDate(),
    },
    ['customerId', 'entries', 'codOnly', 'reason', 'by', 'at'],
  ),
);

defineEvent(
  CUSTOMER_EVENT_TYPES.CustomerCustomFieldsChanged,
  Topics.customersEvents,
  'PATCH /customers/:id changed custom fields of the customer: `set` holds the fields given a new value, `removed` the names taken off (only what changed), with who (`by`) and when (`at`).',
  {
    ...obj(
      {
        customerId: id(),
        set: customFieldsSchema(),
        removed: arrayOf(customFieldNameSchema(), { minItems: 1, uniqueItems: true }),
        by: actorSchema(),
        at: isoDate(),
      },
      ['customerId', 'by', 'at'],
    ),
    // Ajv's strictRequired wants each conditionally required key declared beside its `required`
    anyOf: [
      { properties: { set: customFieldsSchema() }, required: ['set'] },
      { properties: { removed: arrayOf(customFieldNameSchema(), { minItems: 1, uniqueItems: true }) }, required: ['removed'] },
    ],
  },
);
