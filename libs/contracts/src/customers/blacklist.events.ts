import { Actor } from '../core/actor';
import { DomainEvent } from '../core/envelope';
import { defineEvent } from '../core/registry';
import { actorSchema, bool, id, obj, oneOf } from '../core/schema-helpers';
import { Topics } from '../core/topics';

export const BLACKLIST_ENTRY_TYPES = ['EMAIL', 'PHONE', 'CARD_BIN', 'IP', 'ADDRESS', 'STATE_COUNTRY'] as const;
export type BlacklistEntryType = (typeof BLACKLIST_ENTRY_TYPES)[number];

/**
 * `value` is normalised for its type (email lower-case, phone digits only, CARD_BIN 6-8 digits,
 * STATE_COUNTRY "TX/US" or "US", ADDRESS lower-case words); `codOnly` entries block COD orders only.
 */
export type BlacklistEntryAdded = DomainEvent<
  'BlacklistEntryAdded',
  {
    readonly entryId: string;
    readonly type: BlacklistEntryType;
    readonly value: string;
    readonly codOnly: boolean;
    readonly reason?: string;
    readonly addedBy: Actor;
  }
>;
export type BlacklistEntryRemoved = DomainEvent<
  'BlacklistEntryRemoved',
  { readonly entryId: string; readonly type: BlacklistEntryType; readonly value: string; readonly removedBy: Actor }
>;

export type BlacklistEvent = BlacklistEntryAdded | BlacklistEntryRemoved;

/** The blacklist event type strings, for consumers that dispatch on `type`. */
export const BLACKLIST_EVENT_TYPES = {
  BlacklistEntryAdded: 'BlacklistEntryAdded',
  BlacklistEntryRemoved: 'BlacklistEntryRemoved',
} as const satisfies { [K in BlacklistEvent['type']]: K };

defineEvent(
  BLACKLIST_EVENT_TYPES.BlacklistEntryAdded,
  Topics.customersEvents,
  'An admin blacklisted an email, phone, card BIN, IP, address or state/country; codOnly entries block only COD orders.',
  obj(
    { entryId: id(), type: oneOf(...BLACKLIST_ENTRY_TYPES), value: id(), codOnly: bool(), reason: id(), addedBy: actorSchema() },
    ['entryId', 'type', 'value', 'codOnly', 'addedBy'],
  ),
);

defineEvent(
  BLACKLIST_EVENT_TYPES.BlacklistEntryRemoved,
  Topics.customersEvents,
  'An admin removed a blacklist entry; orders matching it are no longer rejected.',
  obj({ entryId: id(), type: oneOf(...BLACKLIST_ENTRY_TYPES), value: id(), removedBy: actorSchema() }),
);
