import { CardOnFile, CommandMetadata, PaymentsEvent, RefundFailureOutcome } from '@continuum/contracts';
import { TransactionCommand } from './transaction.commands';

// Builders shared by the payments domain specs: one charge t-1 of order o-1, $50.00 on a VISA 1111.

export const NOW = '2026-03-01T10:00:00.000Z';
export const LATER = '2026-03-02T10:00:00.000Z';
export const meta: CommandMetadata = { now: NOW, actor: { kind: 'agent', id: 'alice' } };
export const ref = { transactionId: 't-1', orderId: 'o-1', customerId: 'c-1' };
export const visa: CardOnFile = { token: 'tok_visa-on-file', brand: 'VISA', last4: '1111', bin: '411111' };

type Data<T extends PaymentsEvent['type']> = Extract<PaymentsEvent, { type: T }>['data'];
type Event<T extends PaymentsEvent['type']> = Extract<PaymentsEvent, { type: T }>;
/** Omit that keeps a union a union (charge events are one variant per purpose). */
type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export function event<T extends PaymentsEvent['type']>(type: T, data: OmitEach<Data<T>, 'transactionId' | 'orderId' | 'customerId'> & Partial<typeof ref>): Event<T> {
  return { type, data: { ...ref, ...data } } as unknown as Event<T>;
}

export function command<C extends TransactionCommand>(type: C['type'], data: C['data']): C {
  return { type, data, metadata: meta } as C;
}

export const approved = (amount = 5000, extra: Partial<Data<'PaymentApproved'>> = {}) =>
  event('PaymentApproved', {
    type: 'SALE',
    response: 'SUCCESS',
    amount,
    currency: 'USD',
    card: visa,
    merchantId: 'm-1',
    gatewayTransactionId: 'gw-1',
    message: 'Approved',
    prepaid: false,
    rerunOf: null,
    at: NOW,
    purpose: 'ORDER',
    ...extra,
  } as OmitEach<Data<'PaymentApproved'>, keyof typeof ref>);

export const settled = (amount = 5000, settledAt = LATER) => event('ChargeSettled', { amount, settledAt });

export const refundRequested = (refundId: string, amount: number) => event('RefundRequested', { refundId, amount, currency: 'USD', at: LATER });

export const refundSucceeded = (refundId: string, amount: number, refundedTotal: number, fullyRefunded = false, attempt = 1) =>
  event('RefundSucceeded', {
    refundId,
    amount,
    currency: 'USD',
    attempt,
    gatewayTransactionId: `gw-${refundId}`,
    message: 'Refunded',
    refundedTotal,
    fullyRefunded,
    autoCancel: false,
    at: LATER,
  });

export const refundFailed = (refundId: string, amount: number, attempt: number, at = LATER, outcome: RefundFailureOutcome = 'REJECTED') =>
  event('RefundFailed', { refundId, amount, attempt, message: outcome === 'UNKNOWN' ? 'gateway timed out' : 'Refund rejected', outcome, at });

export const refundQueued = (refundId: string, amount: number, retryNumber: number, at = LATER) =>
  event('RefundQueued', { refundId, amount, retryNumber, at });

export const codOpened = (amount = 3000) =>
  event('CodTransactionOpened', { amount, currency: 'USD', response: 'PENDING', message: 'Payment marked as COD', at: NOW });
