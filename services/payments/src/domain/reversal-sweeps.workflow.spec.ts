import { PaymentsEvent } from '@continuum/contracts';
import { spec } from '@continuum/testing';
import { VOID_NEVER_SENT_MESSAGE, stalledRefundsToResume, voidReservationRecord, voidReservationToAsk } from './reversal-sweeps.workflow';
import { transactionDecider } from './transaction.decider';
import { Void } from './transaction.commands';
import { evolveTransaction, initialTransactionState } from './transaction.state';
import { NOW, approved, command, event, refundFailed, refundRequested, settled } from './transaction.fixtures';

const fold = (...events: PaymentsEvent[]) => events.reduce(evolveTransaction, initialTransactionState());
const voidRequested = (voidId = 't-1-void') => event('VoidRequested', { voidId, amount: 5000, currency: 'USD', at: NOW });
const voidFailed = (voidId = 't-1-void') => event('VoidFailed', { voidId, message: 'Void rejected', at: NOW });

/** The void was reserved at NOW (2026-03-01T10:00Z); with a 10-minute age, an hour later it is left behind, a minute later not yet. */
const AN_HOUR_LATER = { now: '2026-03-01T11:00:00.000Z', maxAgeMs: 600_000 };
const A_MINUTE_LATER = { now: '2026-03-01T10:01:00.000Z', maxAgeMs: 600_000 };

describe('payments sweepers: a void reservation left behind', () => {
  it('given a void reserved longer than the age, when swept, then the gateway is asked about its reservation reference', () => {
    expect(voidReservationToAsk(fold(approved(), voidRequested()), AN_HOUR_LATER)).toEqual({ voidId: 't-1-void', query: { operation: 'void', reference: 't-1:void:1' } });
    // the second reservation after a failed void is asked about under its own reference
    expect(voidReservationToAsk(fold(approved(), voidRequested(), voidFailed(), voidRequested()), AN_HOUR_LATER)?.query.reference).toBe('t-1:void:2');
  });

  it('given a young reservation (its gateway call may be running), none, or a released one, when swept, then nothing is asked', () => {
    expect(voidReservationToAsk(fold(approved(), voidRequested()), A_MINUTE_LATER)).toBeUndefined();
    expect(voidReservationToAsk(fold(approved()), AN_HOUR_LATER)).toBeUndefined();
    expect(voidReservationToAsk(fold(approved(), voidRequested(), voidFailed()), AN_HOUR_LATER)).toBeUndefined();
    expect(voidReservationToAsk(initialTransactionState(), AN_HOUR_LATER)).toBeUndefined();
  });

  const decider = spec(transactionDecider);
  const record = (data: Void['data']) => command<Void>('Void', data);

  it('given the gateway voided under the reference, when recorded, then the void is completed with the gateway id', () => {
    const next = voidReservationRecord('t-1-void', { found: true, succeeded: true, message: 'Voided', gatewayTransactionId: 'gw-v' }, false);
    expect(next).toEqual({ type: 'Void', data: { voidId: 't-1-void', gatewayResult: { succeeded: true, message: 'Voided', gatewayTransactionId: 'gw-v' }, autoCancel: false } });
    decider
      .given([approved(), voidRequested()])
      .when(record(next.data))
      .then([event('ChargeVoided', { voidId: 't-1-void', amount: 5000, currency: 'USD', gatewayTransactionId: 'gw-v', message: 'Voided', autoCancel: false, at: NOW })]);
  });

  it('given the gateway never received the void, when recorded, then the reservation is released and the charge may settle', () => {
    const next = voidReservationRecord('t-1-void', { found: false }, false);
    decider
      .given([approved(), voidRequested()])
      .when(record(next.data))
      .then([event('VoidFailed', { voidId: 't-1-void', message: VOID_NEVER_SENT_MESSAGE, at: NOW })]);
  });

  it('given the gateway refused the void, when recorded, then the reservation is released with the gateway message', () => {
    const next = voidReservationRecord('t-1-void', { found: true, succeeded: false, message: 'Void rejected by the gateway' }, false);
    decider
      .given([approved(), voidRequested()])
      .when(record(next.data))
      .then([event('VoidFailed', { voidId: 't-1-void', message: 'Void rejected by the gateway', at: NOW })]);
  });

  it('given the reservation was recorded meanwhile (a late answer), when the sweep records, then nothing more happens', () => {
    const next = voidReservationRecord('t-1-void', { found: false }, false);
    decider
      .given([approved(), voidRequested(), voidFailed()])
      .when(record(next.data))
      .thenThrows('VOID_FAILED');
  });
});

describe('payments sweepers: refunds stalled before their first attempt', () => {
  /** Refunds are requested at 2026-03-02T10:00Z; REFUND_STALL_AFTER_MS 2 minutes. */
  const STALLED = { now: '2026-03-02T11:00:00.000Z', stallAfterMs: 120_000 };
  const YOUNG = { now: '2026-03-02T10:01:00.000Z', stallAfterMs: 120_000 };

  it('given refunds without a first attempt past the stall time, when swept, then each is resumed', () => {
    expect(stalledRefundsToResume(fold(approved(), settled(), refundRequested('rf-1', 1000), refundRequested('rf-2', 2000)), STALLED)).toEqual(['rf-1', 'rf-2']);
  });

  it('given a young refund, one with an attempt recorded, or no charge, when swept, then nothing is resumed', () => {
    expect(stalledRefundsToResume(fold(approved(), settled(), refundRequested('rf-1', 1000)), YOUNG)).toEqual([]);
    expect(stalledRefundsToResume(fold(approved(), settled(), refundRequested('rf-1', 1000), refundFailed('rf-1', 1000, 1)), STALLED)).toEqual([]);
    expect(stalledRefundsToResume(initialTransactionState(), STALLED)).toEqual([]);
  });
});
