import { CardInput } from '@continuum/contracts';
import { CardDetails } from '../domain';

/** The brand a card number belongs to, by its leading digits (the brands payments knows). */
export function cardBrand(number: string): string {
  if (/^4/.test(number)) return 'VISA';
  if (/^(5[1-5]|2[2-7])/.test(number)) return 'MASTERCARD';
  if (/^3[47]/.test(number)) return 'AMEX';
  if (/^(6011|65)/.test(number)) return 'DISCOVER';
  return 'UNKNOWN';
}

/**
 * The card as an order keeps it. The token is the number as sent: the test gateway accepts its test
 * numbers as tokens (a real gateway would hand out a hosted-fields token). The cvv is dropped here.
 */
export function cardDetails(card: CardInput): CardDetails {
  return {
    token: card.number,
    brand: cardBrand(card.number),
    last4: card.number.slice(-4),
    bin: card.number.slice(0, 6),
    expMonth: card.expMonth,
    expYear: card.expYear,
  };
}
