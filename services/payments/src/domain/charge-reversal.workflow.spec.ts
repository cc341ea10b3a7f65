import { DomainError, PaymentsEvent } from '@continuum/contracts';
import { refusal } from '@continuum/testing';
import {
  REFUND_TIMEOUT_MESSAGE,
  dueRetry,
  refundAfterFailedVoid,
  retriesDueAtSettlement,
  nextRefundStep,
  refundAttemptRecord,
  refundCall,
  refundOutcome,
  refundRequest,
  refundToResume,
  startVoid,
  voidAnswer,
  voidCallAfterReserving,
  voidRecord,
} from './charge-reversal.workflow';
import { evolveTransaction, initialTransactionState } from './transaction.state';
import { LATER, NOW, approved, codOpened, event, refundFailed, refundQueued, refundRequested, refundSucceeded, settled } from './transaction.fixtures';

const fold = (...events: PaymentsEvent[]) => events.reduce(evolveTransaction, initialTransactionState());
const voidRequested = (voidId = 't-1-void') => event('VoidRequested', { voidId, amount: 5000, currency: 'USD', at: NOW });
const voidFailed = (voidId = 't-1-void') => event('VoidFailed', { voidId, message: 'Void rejected', at: NOW });
const voided = (voidId = 't-1-void') => event('ChargeVoided', { voidId, amount: 5000, currency: 'USD', gatewayTransactionId: 'gw-v', message: 'Voided', autoCancel: false, at: NOW });

/** Refunds requested at LATER (2026-03-02T10:00Z): an hour later they are stalled, a minute later not yet (REFUND_STALL_AFTER_MS 2 minutes). */
const STALLED = { now: '2026-03-02T11:00:00.000Z', stallAfterMs: 120_000 };
const YOUNG = { now: '2026-03-02T10:01:00.000Z', stallAfterMs: 120_000 };

/** `<code>/<kind>` of the DomainError a step throws */
const refusalOf = (fn: () => unknown): string => {
  const error = refusal(fn);
  return `${error.code}/${error.kind}`;
};

describe('charge reversal workflow: void', () => {
  it('given an unsettled charge, when a void starts, then it is reserved under the void id', () => {
    expect(startVoid(fold(approved()), 't-1-void')).toEqual({ kind: 'RESERVE', command: { type: 'RequestVoid', data: { voidId: 't-1-void' } } });
  });

  it('given a voided charge, when a void starts, then the void is the answer and nothing is reserved or called', () => {
    expect(startVoid(fold(approved(), voided()), 't-1-void')).toEqual({ kind: 'DONE', outcome: { transactionId: 't-1', voidId: 't-1-void', amount: 5000 } });
  });

  it('given a settled charge, a COD transaction or none, when a void starts, then it is refused before any gateway call', () => {
    expect(refusalOf(() => startVoid(fold(approved(), settled()), 't-1-void'))).toBe('CHARGE_SETTLED/rule');
    expect(refusalOf(() => startVoid(fold(codOpened()), 't-1-void'))).toBe('NOT_A_CHARGE/rule');
    expect(refusalOf(() => startVoid(initialTransactionState(), 't-1-void'))).toBe('TRANSACTION_NOT_FOUND/not-found');
  });

  it('given the void reserved, when it is decided after reserving, then the gateway is called under the reservation reference', () => {
    expect(voidCallAfterReserving(fold(approved(), voidRequested()), 't-1-void')).toEqual({ kind: 'CALL', call: { gatewayTransactionId: 'gw-1', token: 'tok_visa-on-file', reference: 't-1:void:1' } });
  });

  it('given a failed void reserved again, when it is decided after reserving, then the next reference is a new gateway request', () => {
    expect(voidCallAfterReserving(fold(approved(), voidRequested(), voidFailed(), voidRequested()), 't-1-void')).toMatchObject({ call: { reference: 't-1:void:2' } });
  });

  it('given a reservation released by VoidFailed since (the failed request replayed), when decided, then VOID_FAILED again and no call', () => {
    expect(refusalOf(() => voidCallAfterReserving(fold(approved(), voidRequested(), voidFailed()), 't-1-void'))).toBe('VOID_FAILED/rule');
  });

  it('given the charge voided meanwhile, when decided after reserving, then that void is the answer', () => {
    expect(voidCallAfterReserving(fold(approved(), voidRequested(), voided()), 't-1-void')).toEqual({ kind: 'DONE', outcome: { transactionId: 't-1', voidId: 't-1-void', amount: 5000 } });
  });

  it("given the gateway's answer, when it is recorded, then the Void command carries it and the account's auto-cancel option", () => {
    const answer = { succeeded: true, gatewayTransactionId: 'gw-v', message: 'Voided' };
    expect(voidRecord('t-1-void', answer, true)).toEqual({ type: 'Void', data: { voidId: 't-1-void', gatewayResult: answer, autoCancel: true } });
  });

  it('given the answer recorded, when answering, then a voided charge is the void and anything else is VOID_FAILED', () => {
    expect(voidAnswer(fold(approved(), voidRequested(), voided()), { succeeded: true, message: 'Voided' })).toEqual({ transactionId: 't-1', voidId: 't-1-void', amount: 5000 });
    expect(refusalOf(() => voidAnswer(fold(approved(), voidRequested(), voidFailed()), { succeeded: false, message: 'Void rejected' }))).toBe('VOID_FAILED/rule');
  });
});

describe('charge reversal workflow: refund', () => {
  const settledCharge = (...more: PaymentsEvent[]) => fold(approved(), settled(), ...more);

  it('given an amount or none, when a refund is requested, then RequestRefund reserves that amount or (without one) all that remains', () => {
    expect(refundRequest('rf-1', 2000)).toEqual({ type: 'RequestRefund', data: { refundId: 'rf-1', amount: 2000 } });
    expect(refundRequest('rf-1', undefined)).toEqual({ type: 'RequestRefund', data: { refundId: 'rf-1' } });
  });

  it('given a stalled refund holding all that remains, when a new request is refused NOTHING_TO_REFUND, then the stalled refund is resumed', () => {
    const state = settledCharge(refundRequested('r-1', 5000));
    const nothingLeft = new DomainError('NOTHING_TO_REFUND', 'nothing left');
    expect(refundToResume(nothingLeft, state, STALLED, undefined)).toBe('r-1');
    expect(refundToResume(new DomainError('REFUND_EXCEEDS_REMAINING', 'too much'), state, STALLED, 5000)).toBe('r-1');
  });

  it('given a refund requested a minute ago, when a new request is refused, then REFUND_IN_PROGRESS (its first call may be in flight)', () => {
    expect(refusalOf(() => refundToResume(new DomainError('NOTHING_TO_REFUND', 'nothing left'), settledCharge(refundRequested('r-1', 5000)), YOUNG, undefined))).toBe('REFUND_IN_PROGRESS/conflict');
  });

  it('given any other refusal, or no stalled refund of the amount asked, when resuming is considered, then the refusal stands', () => {
    const notSettled = new DomainError('CHARGE_NOT_SETTLED', 'void it');
    expect(() => refundToResume(notSettled, fold(approved()), STALLED, undefined)).toThrow(notSettled);
    const nothingLeft = new DomainError('NOTHING_TO_REFUND', 'nothing left');
    expect(() => refundToResume(nothingLeft, settledCharge(refundRequested('r-1', 5000)), STALLED, 3000)).toThrow(nothingLeft);
    const crash = new Error('store down');
    expect(() => refundToResume(crash, settledCharge(refundRequested('r-1', 5000)), STALLED, undefined)).toThrow(crash);
  });

  it('given a stalled refund, when its next step is decided, then attempt 1 is made', () => {
    expect(nextRefundStep(settledCharge(refundRequested('r-1', 5000)), 'r-1', STALLED)).toEqual({ kind: 'ATTEMPT', attempt: 1 });
  });

  it('given a refund whose first attempt is recorded, when its next step is decided, then the recorded outcome is the answer', () => {
    const state = settledCharge(refundRequested('r-1', 5000), refundSucceeded('r-1', 5000, 5000, true));
    expect(nextRefundStep(state, 'r-1', YOUNG)).toEqual({ kind: 'ANSWER', outcome: { transactionId: 't-1', refundId: 'r-1', amount: 5000, status: 'SUCCEEDED' } });
  });

  it('given a young refund without attempts, when it is refused as in progress, then the refusal says when the refund counts as stalled (a consumer waits until then)', () => {
    // requested at LATER (10:00:00), stalled once more than stallAfterMs (2 min) has passed
    const inProgress = refusal(() => nextRefundStep(settledCharge(refundRequested('r-1', 5000)), 'r-1', YOUNG)) as DomainError;
    expect(inProgress.details).toEqual({ refundId: 'r-1', retryUntil: '2026-03-02T10:02:00.001Z' });
    expect(nextRefundStep(settledCharge(refundRequested('r-1', 5000)), 'r-1', { now: '2026-03-02T10:02:00.001Z', stallAfterMs: 120_000 })).toEqual({ kind: 'ATTEMPT', attempt: 1 });
  });

  it('given a young refund without attempts or an unknown refund, when its next step is decided, then 409 REFUND_IN_PROGRESS or 404', () => {
    expect(refusalOf(() => nextRefundStep(settledCharge(refundRequested('r-1', 5000)), 'r-1', YOUNG))).toBe('REFUND_IN_PROGRESS/conflict');
    expect(refusalOf(() => nextRefundStep(settledCharge(), 'r-9', STALLED))).toBe('REFUND_NOT_FOUND/not-found');
  });

  it('given a queued refund, when a daily retry comes, then only the next attempt of a QUEUED refund is due', () => {
    const queued = settledCharge(refundRequested('r-1', 5000), refundFailed('r-1', 5000, 1), refundQueued('r-1', 5000, 1));
    expect(dueRetry(queued, 'r-1', 2)).toBe(true);
    expect(dueRetry(queued, 'r-1', 3)).toBe(false);
    expect(dueRetry(settledCharge(refundRequested('r-1', 5000), refundSucceeded('r-1', 5000, 5000, true)), 'r-1', 2)).toBe(false);
    expect(dueRetry(queued, 'r-9', 2)).toBe(false);
  });

  it('given a reserved refund, when attempt 1 is called, then the gateway gets the charge, its token, the amount, `<refundId>:1` and that it settled', () => {
    expect(refundCall(settledCharge(refundRequested('r-1', 2000)), 'r-1', 1)).toEqual({
      gatewayTransactionId: 'gw-1',
      token: 'tok_visa-on-file',
      amount: 2000,
      attempt: 1,
      reference: 'r-1:1',
      settled: true,
    });
  });

  it('given attempt 1 without an answer, when attempt 2 is called, then it repeats the reference; after a rejection it is a new one', () => {
    const unknown = settledCharge(refundRequested('r-1', 2000), refundFailed('r-1', 2000, 1, undefined, 'UNKNOWN'), refundQueued('r-1', 2000, 1));
    expect(refundCall(unknown, 'r-1', 2).reference).toBe('r-1:1');
    const rejected = settledCharge(refundRequested('r-1', 2000), refundFailed('r-1', 2000, 1), refundQueued('r-1', 2000, 1));
    expect(refundCall(rejected, 'r-1', 2).reference).toBe('r-1:2');
  });

  it('given each kind of answer, when the attempt is recorded, then a yes succeeds, a no is REJECTED, a timeout or a retry that gave up is UNKNOWN', () => {
    expect(refundAttemptRecord('r-1', 1, { kind: 'ANSWERED', succeeded: true, message: 'Refunded', gatewayTransactionId: 'gw-r' }, true)).toEqual({
      type: 'RecordRefundAttempt',
      data: { refundId: 'r-1', attempt: 1, succeeded: true, message: 'Refunded', gatewayTransactionId: 'gw-r', autoCancel: true },
    });
    expect(refundAttemptRecord('r-1', 2, { kind: 'ANSWERED', succeeded: false, message: 'Refund rejected' }, false).data).toEqual({
      refundId: 'r-1',
      attempt: 2,
      succeeded: false,
      message: 'Refund rejected',
      outcome: 'REJECTED',
      autoCancel: false,
    });
    expect(refundAttemptRecord('r-1', 1, { kind: 'TIMED_OUT' }, false).data).toMatchObject({ succeeded: false, message: REFUND_TIMEOUT_MESSAGE, outcome: 'UNKNOWN' });
    expect(refundAttemptRecord('r-1', 3, { kind: 'GAVE_UP', reason: 'redis gone' }, false).data).toMatchObject({ attempt: 3, succeeded: false, message: 'retry failed: redis gone', outcome: 'UNKNOWN' });
  });

  it('given the attempt recorded, when answering, then the refund as the stream now holds it is the answer', () => {
    const queued = settledCharge(refundRequested('r-1', 2000), refundFailed('r-1', 2000, 1), refundQueued('r-1', 2000, 1));
    expect(refundOutcome(queued, 'r-1')).toEqual({ transactionId: 't-1', refundId: 'r-1', amount: 2000, status: 'QUEUED' });
  });
});

describe('charge reversal workflow: void, else refund (the refund from the order)', () => {
  const voidRefused = new DomainError('VOID_FAILED', 'the gateway did not void the charge: Void rejected');
  /** an unsettled charge whose void the gateway refused */
  const afterRefusedVoid = (...more: PaymentsEvent[]) => fold(approved(), voidRequested(), voidFailed(), ...more);
  const notSettledFailure = (attempt = 1) => refundFailed('r-1', 5000, attempt, undefined, 'NOT_SETTLED');
  const queuedForSettlement = event('RefundQueued', { refundId: 'r-1', amount: 5000, retryNumber: 1, afterSettlement: true, at: LATER });

  it('given the gateway refused the void, when the failure is decided, then a refund of all that remains follows', () => {
    expect(refundAfterFailedVoid(voidRefused, afterRefusedVoid())).toEqual({ kind: 'REFUND' });
  });

  it('given the charge was voided meanwhile, when the failure is decided, then that void is the answer and no refund follows', () => {
    expect(refundAfterFailedVoid(voidRefused, fold(approved(), voidRequested(), voided()))).toEqual({
      kind: 'DONE',
      outcome: { transactionId: 't-1', voidId: 't-1-void', amount: 5000 },
    });
  });

  it('given any other failure, a void still reserved, or nothing taken (an uncaptured authorization), when decided, then the failure stands', () => {
    const timeout = new Error('payment gateway timed out during void');
    expect(() => refundAfterFailedVoid(timeout, afterRefusedVoid())).toThrow(timeout);
    expect(refusalOf(() => refundAfterFailedVoid(new DomainError('CHARGE_SETTLED', 'settled'), afterRefusedVoid()))).toBe('CHARGE_SETTLED/rule');
    expect(refusalOf(() => refundAfterFailedVoid(voidRefused, fold(approved(), voidRequested())))).toBe('VOID_FAILED/rule');
    const authorization = fold(approved(5000, { type: 'AUTHORIZE' }), voidRequested(), voidFailed());
    expect(refusalOf(() => refundAfterFailedVoid(voidRefused, authorization))).toBe('VOID_FAILED/rule');
  });

  it('given a refund already reserved after the refused void, when the failure is decided again, then nothing remains: the failure stands', () => {
    expect(refusalOf(() => refundAfterFailedVoid(voidRefused, afterRefusedVoid(refundRequested('r-1', 5000))))).toBe('VOID_FAILED/rule');
  });

  it('given the refund of an unsettled charge, when attempt 1 is called, then the gateway is told the charge has not settled', () => {
    expect(refundCall(afterRefusedVoid(refundRequested('r-1', 5000)), 'r-1', 1)).toMatchObject({ amount: 5000, settled: false });
  });

  it('given the gateway refused the refund as not settled, when the attempt is recorded, then its outcome is NOT_SETTLED', () => {
    expect(refundAttemptRecord('r-1', 1, { kind: 'ANSWERED', succeeded: false, message: 'Charge not settled yet', refusal: 'NOT_SETTLED' }, false).data).toEqual({
      refundId: 'r-1',
      attempt: 1,
      succeeded: false,
      message: 'Charge not settled yet',
      outcome: 'NOT_SETTLED',
      autoCancel: false,
    });
  });

  it('given a refund queued because the charge had not settled, when the charge settles, then its next retry is due at once', () => {
    const waiting = afterRefusedVoid(refundRequested('r-1', 5000), notSettledFailure(), queuedForSettlement);
    expect(retriesDueAtSettlement(waiting)).toEqual([]);
    expect(retriesDueAtSettlement(fold(approved(), voidRequested(), voidFailed(), refundRequested('r-1', 5000), notSettledFailure(), queuedForSettlement, settled()))).toEqual([
      { refundId: 'r-1', retryNumber: 1 },
    ]);
  });

  it('given refunds queued for another reason, or finished, when the charge settles, then no retry is added by the settlement', () => {
    const rejected = fold(approved(), settled(), refundRequested('r-1', 2000), refundFailed('r-1', 2000, 1), refundQueued('r-1', 2000, 1));
    expect(retriesDueAtSettlement(rejected)).toEqual([]);
    const succeeded = fold(
      approved(),
      voidRequested(),
      voidFailed(),
      refundRequested('r-1', 5000),
      notSettledFailure(),
      queuedForSettlement,
      settled(),
      refundSucceeded('r-1', 5000, 5000, true, 2),
    );
    expect(retriesDueAtSettlement(succeeded)).toEqual([]);
  });
});
