import { Address, BlacklistEntryType, DomainError, PaymentType } from '@continuum/contracts';

/** An entry as the blacklist read side holds it (value already normalised). */
export interface BlacklistEntry {
  readonly entryId: string;
  readonly type: BlacklistEntryType;
  readonly value: string;
  readonly codOnly: boolean;
  readonly reason?: string;
}

/** What an order offers to the blacklist check, gathered before any gateway call. */
export interface OrderFacts {
  readonly paymentType: PaymentType;
  readonly email?: string;
  readonly phone?: string;
  /** the first 6 to 8 digits of the card number */
  readonly cardBin?: string;
  readonly ipAddress?: string;
  /** billing and shipping addresses */
  readonly addresses?: readonly Address[];
}

const invalid = (type: BlacklistEntryType, message: string): never => {
  throw new DomainError('INVALID_BLACKLIST_VALUE', message, 'rule', { field: 'value', type });
};
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-f:]+$/;
const addressWords = (value: string) =>
  value
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
const fullAddress = (a: Address) => addressWords([a.line1, a.line2, a.city, a.state, a.postalCode, a.country].filter(Boolean).join(' '));

/**
 * The canonical form of a blacklist value, so "Ann@X.com " and "ann@x.com" are one entry:
 * EMAIL lower-case; PHONE digits (7..15); CARD_BIN 6-8 digits; IP v4 or v6 lower-case;
 * ADDRESS lower-case words without punctuation; STATE_COUNTRY "TX/US" or "US" upper-case.
 * Throws INVALID_BLACKLIST_VALUE when the value cannot be of that type.
 */
export function normaliseBlacklistValue(type: BlacklistEntryType, raw: string): string {
  const value = raw.trim();
  switch (type) {
    case 'EMAIL': {
      const email = value.toLowerCase();
      return /^[^\s@]+@[^\s@]+$/.test(email) ? email : invalid(type, 'an email address looks like name@example.com');
    }
    case 'PHONE': {
      const phone = value.replace(/\D/g, '');
      return phone.length >= 7 && phone.length <= 15 ? phone : invalid(type, 'a phone number has 7 to 15 digits');
    }
    case 'CARD_BIN': {
      const bin = value.replace(/[\s-]/g, '');
      return /^\d{6,8}$/.test(bin) ? bin : invalid(type, 'a card BIN is the first 6 to 8 digits of a card number');
    }
    case 'IP': {
      const ip = value.toLowerCase();
      return IPV4.test(ip) || (ip.includes(':') && IPV6.test(ip)) ? ip : invalid(type, 'an IP address looks like 203.0.113.7 or 2001:db8::1');
    }
    case 'ADDRESS': {
      const address = addressWords(value);
      return address !== '' ? address : invalid(type, 'an address needs at least a street line');
    }
    case 'STATE_COUNTRY': {
      const place = value.toUpperCase().replace(/\s/g, '');
      return /^([A-Z0-9]{1,3}\/)?[A-Z]{2}$/.test(place) ? place : invalid(type, 'a state/country looks like "TX/US", or "US" for a whole country');
    }
  }
}

function entryMatches(entry: BlacklistEntry, facts: OrderFacts): boolean {
  const addresses = facts.addresses ?? [];
  switch (entry.type) {
    case 'EMAIL':
      return facts.email !== undefined && facts.email.trim().toLowerCase() === entry.value;
    case 'PHONE':
      return facts.phone !== undefined && facts.phone.replace(/\D/g, '') === entry.value;
    case 'CARD_BIN':
      return facts.cardBin !== undefined && facts.cardBin.replace(/\D/g, '').startsWith(entry.value);
    case 'IP':
      return facts.ipAddress !== undefined && facts.ipAddress.trim().toLowerCase() === entry.value;
    case 'ADDRESS':
      return addresses.some((a) => addressWords(a.line1) === entry.value || fullAddress(a) === entry.value);
    case 'STATE_COUNTRY':
      return addresses.some((a) => {
        const country = a.country.trim().toUpperCase();
        return entry.value === country || entry.value === `${a.state.trim().toUpperCase()}/${country}`;
      });
  }
}

/**
 * The first active entry that blocks this order, or null. A codOnly entry blocks only COD orders
 * (a risk that matters only when the goods are paid on delivery); every other entry blocks any order.
 *
 *   matchBlacklist({ paymentType: 'CARD', email: 'ann@x.com' }, entries) // -> entry or null
 */
export function matchBlacklist(facts: OrderFacts, activeEntries: readonly BlacklistEntry[]): BlacklistEntry | null {
  return activeEntries.find((entry) => (!entry.codOnly || facts.paymentType === 'COD') && entryMatches(entry, facts)) ?? null;
}
