import { randomUUID } from 'node:crypto';
import type { CardInput, FulfillmentCreated, OrderSnapshot } from '@continuum/contracts';

/** A billing or shipping address every schema accepts. */
export const testAddress = { line1: '1 Main St', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' };

/** A paid one-line card order as OrderApproved and OrderCompleted carry it (orders' snapshot), then `extra`. */
export function testOrderSnapshot(extra: Partial<OrderSnapshot> = {}): OrderSnapshot {
  return {
    orderId: 'o-1',
    customerId: 'cu-1',
    campaignId: 'camp-1',
    currency: 'USD',
    paymentType: 'CARD',
    items: [{ orderItemId: 'oi-1', productId: 'p-1', sku: 'SKU-1', name: 'Serum', quantity: 1, unitPrice: 1000, price: 1000, shippingPrice: 0, billingType: 'STRAIGHT' }],
    totals: { subtotal: 1000, shipping: 0, salesTax: 0, discount: 0, total: 1000, refunded: 0 },
    ...extra,
  };
}

/** The data of a FulfillmentCreated for one line shipped STANDARD to testAddress, then `extra`. */
export function testFulfillmentCreated(extra: Partial<FulfillmentCreated['data']> = {}): FulfillmentCreated['data'] {
  return {
    fulfillmentId: 'f-1',
    orderId: 'o-1',
    customerId: 'cu-1',
    reference: 'o-1-F1',
    items: [{ productId: 'p-1', sku: 'SKU-1', name: 'Serum', quantity: 2 }],
    shippingAddress: testAddress,
    shippingMethod: 'STANDARD',
    cod: null,
    reshipOf: null,
    at: '2026-03-01T10:00:00.000Z',
    ...extra,
  };
}

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
