import { isLuhnValid } from '@continuum/contracts';

/**
 * Defence in depth for card data: the card vault keeps numbers out of every message, and these
 * keep one out of dead letters, log lines and idempotency records should a caller send it anyway.
 */

/** Field names whose values are card secrets wherever they appear (compared case-insensitively). */
export const CARD_SECRET_FIELDS = ['number', 'cardNumber', 'pan', 'cvv', 'cvc'] as const;

export const REDACTED = '[REDACTED]';

/** `"number": "4111…"`, `"cvv":123` in JSON text (complete or cut off), the value being a string or a number. */
const SECRET_FIELD_IN_TEXT = new RegExp(`("(?:${CARD_SECRET_FIELDS.join('|')})"\\s*:\\s*)("(?:[^"\\\\]|\\\\.)*"|-?[0-9][0-9.eE+-]*)`, 'gi');

/** 13 to 19 digits, single spaces or dashes allowed between them, not part of a longer digit run. */
const DIGIT_RUN = /(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])/g;

const isCardNumber = (run: string): boolean => {
  const digits = run.replace(/[ -]/g, '');
  return digits.length >= 13 && isLuhnValid(digits);
};

/** A UUID (event ids, correlation ids): its digits and dashes can look like a card number. */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** `text` with every card-like digit run outside a UUID replaced by `replace(run)`. */
function replaceDigitRuns(text: string, replace: (run: string) => string): string {
  const runs = (part: string) => part.replace(DIGIT_RUN, (run) => (isCardNumber(run) ? replace(run) : run));
  let out = '';
  let from = 0;
  for (const uuid of text.matchAll(UUID)) {
    out += runs(text.slice(from, uuid.index)) + uuid[0];
    from = uuid.index + uuid[0].length;
  }
  return out + runs(text.slice(from));
}

/**
 * The text with card secrets replaced by `[REDACTED]`: the values of `number`, `cardNumber`, `pan`,
 * `cvv` and `cvc` fields, and any Luhn-valid run of 13 to 19 digits that is not part of a UUID.
 * Everything else is kept as it was.
 *
 *   redactCardText('{"card":{"number":"4111111111111111","cvv":"123"},"qty":1}')
 *   // '{"card":{"number":"[REDACTED]","cvv":"[REDACTED]"},"qty":1}'
 */
export function redactCardText(text: string): string {
  return replaceDigitRuns(text.replace(SECRET_FIELD_IN_TEXT, `$1"${REDACTED}"`), () => REDACTED);
}

const isSecretField = (name: string): boolean => CARD_SECRET_FIELDS.some((field) => field.toLowerCase() === name.toLowerCase());

/** What may stand for a card number: its BIN and last four, which the system keeps anyway. */
const binAndLast4 = (value: string): string => {
  const digits = value.replace(/[^0-9]/g, '');
  return `${digits.slice(0, 6)}…${digits.slice(-4)}`;
};

/**
 * A deep copy of `value` fit for a fingerprint: card numbers (in `number`, `cardNumber` or `pan`
 * fields, and Luhn-valid runs in any string) become their BIN and last four, a cvv `[REDACTED]`. Two bodies that differ only
 * in the middle digits of a card number, or in the cvv, give the same copy.
 */
export function maskCardData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskCardData);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([name, field]) => {
        if (!isSecretField(name) || field === null || field === undefined || typeof field === 'object') return [name, maskCardData(field)];
        if (/^(cvv|cvc)$/i.test(name)) return [name, REDACTED];
        // a `number` that is no card number (an RMA number, say) stays as it is
        return [name, /^[0-9][0-9 -]{11,}$/.test(String(field)) ? binAndLast4(String(field)) : maskCardData(field)];
      }),
    );
  }
  if (typeof value === 'string') return replaceDigitRuns(value, binAndLast4);
  return value;
}

/** pino redact paths for card secrets in log objects (one and two levels deep, and under `card`). */
export const CARD_LOG_REDACT_PATHS: readonly string[] = [
  ...CARD_SECRET_FIELDS.filter((f) => f !== 'number').flatMap((f) => [f, `*.${f}`, `*.*.${f}`]),
  'card.number',
  '*.card.number',
  '*.*.card.number',
];
