import { CardBrand } from '@continuum/contracts';

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

/** Luhn checksum: catches a mistyped card number before any gateway sees it. */
export function isLuhnValid(number: string): boolean {
  if (!/^[0-9 -]+$/.test(number)) return false;
  const digits = onlyDigits(number);
  if (digits.length < 12 || digits.length > 19) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

const onlyDigits = (number: string): string => number.replace(/[^0-9]/g, '');
