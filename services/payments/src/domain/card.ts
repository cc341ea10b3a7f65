import { CardBrand, isLuhnValid } from '@continuum/contracts';

/** Brand by the card number's leading digits (VISA 4, MASTERCARD 51-55 and 2221-2720, AMEX 34/37, DISCOVER 6011/65). */
export function cardBrand(number: string): CardBrand {
  const digits = onlyDigits(number);
  if (digits.startsWith('4')) return 'VISA';
  const two = Number(digits.slice(0, 2));
  const four = Number(digits.slice(0, 4));
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return 'MASTERCARD';
  if (two === 34 || two === 37) return 'AMEX';
  if (digits.startsWith('6011') || digits.startsWith('65')) return 'DISCOVER';
  return 'UNKNOWN';
}

/** The last four digits, the only part of the number agents and customers see. */
export const cardLast4 = (number: string): string => onlyDigits(number).slice(-4);

/** The bank identification number (first six digits), what the blacklist matches on. */
export const cardBin = (number: string): string => onlyDigits(number).slice(0, 6);

/** The card column of a transaction row, e.g. "VISA 1111". */
export const cardDisplay = (brand: CardBrand, last4: string): string => `${brand === 'UNKNOWN' ? 'CARD' : brand} ${last4}`;

/** Brand, last four and BIN of a card number in one go. */
export function describeCard(number: string): { brand: CardBrand; last4: string; bin: string } {
  return { brand: cardBrand(number), last4: cardLast4(number), bin: cardBin(number) };
}

/** Luhn checksum (the one copy lives in the contracts, shared with the platform's redaction). */
export { isLuhnValid };

/**
 * Whether a card is past its expiry: it is good through the last day of its expiry month.
 * `today` is an ISO-8601 date or date-time (UTC), e.g. `cardExpired(3, 2026, '2026-04-01') === true`.
 */
export function cardExpired(expMonth: number, expYear: number, today: string): boolean {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  return expYear < year || (expYear === year && expMonth < month);
}

/** One reason a card cannot be tokenised, named by its field. */
export interface CardProblem {
  readonly field: 'number' | 'expMonth' | 'expYear';
  readonly message: string;
}

/**
 * The rules a card must pass before the vault keeps it: 12 to 19 digits with a valid Luhn sum, a
 * month 1-12 and an expiry not in the past. An empty list means the card is usable. Messages never
 * repeat the number.
 */
export function cardProblems(card: { readonly number: string; readonly expMonth: number; readonly expYear: number }, today: string): CardProblem[] {
  const problems: CardProblem[] = [];
  if (!/^[0-9]{12,19}$/.test(card.number)) problems.push({ field: 'number', message: 'number must be 12 to 19 digits' });
  else if (!isLuhnValid(card.number)) problems.push({ field: 'number', message: 'number fails the Luhn check (mistyped?)' });
  if (!Number.isInteger(card.expMonth) || card.expMonth < 1 || card.expMonth > 12) problems.push({ field: 'expMonth', message: 'expMonth must be 1 to 12' });
  else if (cardExpired(card.expMonth, card.expYear, today)) problems.push({ field: 'expYear', message: 'the card has expired' });
  return problems;
}

const onlyDigits = (number: string): string => number.replace(/[^0-9]/g, '');
