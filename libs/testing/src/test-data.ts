import { randomUUID } from 'node:crypto';
import type { CardInput } from '@continuum/contracts';

/** A billing or shipping address every schema accepts. */
export const testAddress = { line1: '1 Main St', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' };

/** A new customer as POST /customers and POST /orders take it: a unique last name and email, then `extra`. */
export function newCustomer(extra: Record<string, unknown> = {}) {
  return {
    firstName: 'Ann',
    lastName: `Lee-${randomUUID().slice(0, 6)}`,
    email: `ann-${randomUUID().slice(0, 8)}@example.test`,
    billingAddress: testAddress,
    ...extra,
  };
}

/** A card as a client sends it (POST /orders, POST /cards), valid for years: a test gateway number, then `extra`. */
export function testCard(number = '4111111111111111', extra: Partial<CardInput> = {}): CardInput {
  return { number, expMonth: 12, expYear: new Date().getUTCFullYear() + 4, cvv: '123', ...extra };
}

/** One message maildev holds. */
export interface Mail {
  readonly subject: string;
  readonly text: string;
  readonly to: readonly { readonly address: string }[];
}

/** The messages maildev (MAILDEV_URL, default the local stack's) holds for `address`. */
export async function mailsTo(address: string, maildevUrl = process.env['MAILDEV_URL'] ?? 'http://127.0.0.1:1080'): Promise<Mail[]> {
  const response = await fetch(`${maildevUrl}/api/email`);
  const all = (await response.json()) as Mail[];
  return all.filter((mail) => mail.to.some((to) => to.address.toLowerCase() === address.toLowerCase()));
}
