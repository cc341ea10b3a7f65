/**
 * The Luhn checksum of a card number (spaces and dashes ignored, 12 to 19 digits): catches a
 * mistyped number before any gateway sees it, and tells a card number from other digit runs when
 * logs and dead letters are redacted. One copy, shared by payments' domain and the platform.
 */
export function isLuhnValid(number: string): boolean {
  if (!/^[0-9 -]+$/.test(number)) return false;
  const digits = number.replace(/[^0-9]/g, '');
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
