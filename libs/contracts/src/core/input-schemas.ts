import { JsonSchema } from './registry';

/**
 * Schemas of what clients send (HTTP bodies and intake messages), stricter than the event schemas,
 * which must keep accepting what was stored before. The numbers are the ones docs/api-limits.md
 * states; DTOs take their validation from these (SchemaField), and the AsyncAPI document prints them.
 */
export const INPUT_LIMITS = {
  /** ids of things this system made (campaigns, products, customers, orders) */
  idLength: 128,
  nameLength: 100,
  emailLength: 254,
  addressLineLength: 100,
  cityLength: 64,
  stateLength: 64,
  reasonLength: 500,
  referenceLength: 100,
  /** hard ceiling of a quantity on any line; campaigns set lower business limits */
  maxQuantity: 1000,
  /** hard ceiling of any amount a client sends ($1,000,000.00 in minor units) */
  maxAmount: 100_000_000,
  maxItems: 50,
  maxProducts: 100,
} as const;

/**
 * Text a person would type: no C0/C1 control characters other than tab and line breaks, no
 * bidirectional embeddings, overrides or isolates, no unpaired surrogates (the HTTP edge refuses
 * those in any string as well). A `u`-flag pattern.
 */
export const PRINTABLE_TEXT = '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069\\uD800-\\uDFFF]*$';

/** Printable text of 1..max characters, at least one of them not whitespace. */
export const text = (maxLength: number): JsonSchema => ({ type: 'string', minLength: 1, maxLength, pattern: PRINTABLE_TEXT.replace('^', '^(?=[\\s\\S]*\\S)') });

/** An id of something this system made: 1..128 of letters, digits and `._:-`. */
export const idRef = (): JsonSchema => ({ type: 'string', minLength: 1, maxLength: INPUT_LIMITS.idLength, pattern: '^[A-Za-z0-9._:-]+$' });

export const emailAddress = (): JsonSchema => ({ type: 'string', format: 'email', minLength: 3, maxLength: INPUT_LIMITS.emailLength });

/** Digits with the usual separators and an optional leading +: `+1 512 555 0100`, `1 (512) 555-0100`. */
export const phoneNumber = (): JsonSchema => ({ type: 'string', minLength: 4, maxLength: 32, pattern: '^\\+?[0-9][0-9 ().-]*[0-9]$' });

/** ISO 3166-1 alpha-2, upper case: `US`. */
export const countryCode = (): JsonSchema => ({ type: 'string', minLength: 2, maxLength: 2, pattern: '^[A-Z]{2}$' });

/** A state, province or region: letters (any script), digits, spaces, `.`, `'` and `-`: `TX`, `Île-de-France`. */
export const regionName = (): JsonSchema => ({ type: 'string', minLength: 1, maxLength: INPUT_LIMITS.stateLength, pattern: "^[\\p{L}\\p{M}\\p{N}][\\p{L}\\p{M}\\p{N} .'-]*$" });

/** A postal code: 2..12 of letters, digits, spaces and `-`: `78701`, `SW1A 1AA`. */
export const postalCode = (): JsonSchema => ({ type: 'string', minLength: 2, maxLength: 12, pattern: '^[A-Za-z0-9][A-Za-z0-9 -]*[A-Za-z0-9]$' });

/** An IPv4 or IPv6 address. */
export const ipAddress = (): JsonSchema => ({ type: 'string', maxLength: 45, anyOf: [{ format: 'ipv4' }, { format: 'ipv6' }] });

/** Units of one line: 1..INPUT_LIMITS.maxQuantity (campaigns may allow fewer). */
export const quantity = (): JsonSchema => ({ type: 'integer', minimum: 1, maximum: INPUT_LIMITS.maxQuantity });

/** An amount a client sends, integer minor units, 0..INPUT_LIMITS.maxAmount (`minimum` 1 for refunds). */
export const amount = (minimum = 0): JsonSchema => ({ type: 'integer', minimum, maximum: INPUT_LIMITS.maxAmount });

/** An ISO-8601 date-time with a time zone: `2026-03-02T00:00:00Z`. */
export const dateTime = (): JsonSchema => ({ type: 'string', format: 'date-time', maxLength: 40 });

/**
 * The largest record a consumer of an input topic (`orders.intake.v1`, `fulfillment.updates.v1`: every
 * consumer that reads integration messages rather than our own events) accepts: key, value and headers
 * together, in bytes. The same 100 KB as an HTTP body (docs/api-limits.md); a larger record is
 * dead-lettered before it is parsed, so its size costs nothing further.
 */
export const MAX_INPUT_RECORD_BYTES = 100 * 1024;
