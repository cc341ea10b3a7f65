import { PaymentsEvent } from '@continuum/contracts';
import { projectionSpec, spec } from '@continuum/testing';
import { ApprovedCharge, voidReference } from './transaction.state';
import { transactionDecider } from './transaction.decider';
import {
  CaptureAuthorization,
  MarkChargeback,
  MarkCodPaid,
  MarkCodUndelivered,
  OpenCodTransaction,
  RecordCharge,
  RecordExternalPayment,
  RecordRefundAttempt,
  RequestRefund,
  RequestVoid,
  ResendRefundEmail,
  RevertChargeback,
  Settle,
  Void,
} from './transaction.commands';
import { LATER, NOW, approved, meta, codOpened, command, event, ref, refundFailed, refundQueued, refundRequested, refundSucceeded, settled, visa } from './transaction.fixtures';

const decider = spec(transactionDecider);

const recordCharge = (response: 'SUCCESS' | 'SOFT_DECLINE' | 'HARD_DECLINE', extra: Partial<RecordCharge['data']> = {}) =>
  command<RecordCharge>('RecordCharge', {
    ...ref,
    type: 'SALE',
    amount: 5000,
    currency: 'USD',
    card: visa,
    merchantId: 'm-1',
    gatewayResult: { response, gatewayTransactionId: 'gw-1', message: response === 'SUCCESS' ? 'Approved' : 'Declined', prepaid: false },
    purpose: 'ORDER',
    ...extra,
  } as RecordCharge['data']);
/** A command decided at `now`: the decider takes every time it records from the command's metadata. */
const at = <C extends { metadata: typeof meta }>(now: string, c: C): C => ({ ...c, metadata: { ...c.metadata, now } });
const settle = () => at(LATER, command<Settle>('Settle', {}));
const voidIt = (succeeded = true, autoCancel = false) =>
  command<Void>('Void', { voidId: 'v-1', gatewayResult: { succeeded, gatewayTransactionId: 'gw-v', message: succeeded ? 'Voided' : 'Void rejected' }, autoCancel });
const refund = (refundId: string, amount?: number) => command<RequestRefund>('RequestRefund', amount === undefined ? { refundId } : { refundId, amount });
const attempt = (refundId: string, n: number, succeeded: boolean, autoCancel = false) =>
  at(
    LATER,
    command<RecordRefundAttempt>('RecordRefundAttempt', {
      refundId,
      attempt: n,
      succeeded,
      message: succeeded ? 'Refunded' : 'Refund rejected',
      gatewayTransactionId: succeeded ? `gw-${refundId}` : undefined,
      autoCancel,
    }),
  );

describe('transaction decider: charges', () => {
  it('records an approved sale, unsettled, with its prepaid flag', () => {
    decider
      .given([])
      .when(recordCharge('SUCCESS', { gatewayResult: { response: 'SUCCESS', gatewayTransactionId: 'gw-1', message: 'Approved', prepaid: true } }))
      .then([approved(5000, { prepaid: true })]);
  });

  it.each(['SOFT_DECLINE', 'HARD_DECLINE'] as const)('records a %s as PaymentDeclined', (response) => {
    decider
      .given([])
      .when(recordCharge(response))
      .then([
        event('PaymentDeclined', {
          type: 'SALE',
          response,
          amount: 5000,
          currency: 'USD',
          card: visa,
          merchantId: 'm-1',
          gatewayTransactionId: 'gw-1',
          message: 'Declined',
          rerunOf: null,
          at: NOW,
          purpose: 'ORDER',
        }),
      ]);
  });

  it('records a rerun of a soft decline with the transaction it reruns', () => {
    decider
      .given([])
      .when(recordCharge('SUCCESS', { merchantId: 'm-2', rerunOf: 't-0', purpose: 'RERUN' }))
      .then([approved(5000, { merchantId: 'm-2', rerunOf: 't-0', purpose: 'RERUN' })]);
  });

  it.each(['ORDER', 'RERUN', 'REBILL'] as const)('says the charge is for %s, with no order item', (purpose) => {
    decider
      .given([])
      .when(recordCharge('SUCCESS', { purpose }))
      .then([approved(5000, { purpose })]);
  });

  it('says an upsell charge is for UPSELL and names its order item, approved or declined', () => {
    const upsell = { purpose: 'UPSELL', orderItemId: 'item-7' } as const;
    decider.given([]).when(recordCharge('SUCCESS', upsell)).then([approved(5000, upsell)]);
    decider
      .given([])
      .when(recordCharge('SOFT_DECLINE', upsell))
      .then([
        event('PaymentDeclined', {
          type: 'SALE',
          response: 'SOFT_DECLINE',
          amount: 5000,
          currency: 'USD',
          card: visa,
          merchantId: 'm-1',
          gatewayTransactionId: 'gw-1',
          message: 'Declined',
          rerunOf: null,
          at: NOW,
          ...upsell,
        }),
      ]);
  });

  it('drops an order item given with a purpose other than UPSELL', () => {
    const stray = { purpose: 'ORDER', orderItemId: 'item-7' } as unknown as Partial<RecordCharge['data']>;
    decider
      .given([])
      .when(recordCharge('SUCCESS', stray))
      .then([approved(5000, { purpose: 'ORDER' })]);
  });

  it('refuses a second charge on the same transaction id', () => {
    decider.given([approved()]).when(recordCharge('SUCCESS')).thenThrows('TRANSACTION_EXISTS', 'conflict');
  });

  it('refuses a negative or fractional amount', () => {
    decider.given([]).when(recordCharge('SUCCESS', { amount: -1 })).thenThrows('INVALID_AMOUNT', 'rule');
    decider.given([]).when(recordCharge('SUCCESS', { amount: 10.5 })).thenThrows('INVALID_AMOUNT', 'rule');
  });

  it('records an external payment: amount shown, no money moves', () => {
    decider
      .given([])
      .when(command<RecordExternalPayment>('RecordExternalPayment', { ...ref, amount: 0, currency: 'USD' }))
      .then([event('ExternalPaymentRecorded', { amount: 0, currency: 'USD', at: NOW })]);
  });

  it("recording the same order's external payment again changes nothing; another transaction under the id is refused", () => {
    const external = command<RecordExternalPayment>('RecordExternalPayment', { ...ref, amount: 0, currency: 'USD' });
    const recorded = event('ExternalPaymentRecorded', { amount: 0, currency: 'USD', at: NOW });
    decider.given([recorded]).when(external).then([]);
    decider.given([approved()]).when(external).thenThrows('TRANSACTION_EXISTS', 'conflict');
  });
});

describe('transaction decider: authorize and capture', () => {
  const authorized = approved(5000, { type: 'AUTHORIZE' });
  const capture = (amount?: number, succeeded = true) =>
    command<CaptureAuthorization>('CaptureAuthorization', {
      captureId: 'cap-1',
      ...(amount === undefined ? {} : { amount }),
      gatewayResult: { succeeded, gatewayTransactionId: 'gw-c', message: succeeded ? 'Captured' : 'Capture rejected' },
    });
  const captured = (amount: number) =>
    event('AuthorizationCaptured', { captureId: 'cap-1', amount, currency: 'USD', gatewayTransactionId: 'gw-c', message: 'Captured', at: NOW });

  it('captures all that was authorized by default, or less', () => {
    decider.given([authorized]).when(capture()).then([captured(5000)]);
    decider.given([authorized]).when(capture(3000)).then([captured(3000)]);
  });

  it('never captures more than was authorized', () => {
    decider.given([authorized]).when(capture(5001)).thenThrows('CAPTURE_EXCEEDS_AUTHORIZATION', 'rule');
  });

  it('reports a capture the gateway rejected', () => {
    decider.given([authorized]).when(capture(undefined, false)).thenThrows('CAPTURE_FAILED', 'rule');
  });

  it('captures only an authorization, once', () => {
    decider.given([approved()]).when(capture()).thenThrows('NOT_AN_AUTHORIZATION', 'rule');
    decider.given([authorized, captured(5000)]).when(capture()).then([]);
  });

  it('settles only once captured, for the captured amount; refunds are limited to it', () => {
    decider.given([authorized]).when(settle()).thenThrows('NOT_CAPTURED', 'rule');
    decider.given([authorized, captured(3000)]).when(settle()).then([settled(3000)]);
    decider.given([authorized, captured(3000), settled(3000)]).when(refund('r-1', 3001)).thenThrows('REFUND_EXCEEDS_REMAINING', 'rule');
  });
});

describe('transaction decider: settlement', () => {
  it('settles an approved sale', () => {
    decider.given([approved()]).when(settle()).then([settled()]);
  });

  it('settling twice changes nothing', () => {
    decider.given([approved(), settled()]).when(settle()).then([]);
  });

  it('a voided charge does not settle', () => {
    decider.given([approved(), voided()]).when(settle()).then([]);
  });

  it('refuses to settle what is not a card charge', () => {
    decider.given([codOpened()]).when(settle()).thenThrows('NOT_A_CHARGE', 'rule');
    decider.given([]).when(settle()).thenThrows('TRANSACTION_NOT_FOUND', 'not-found');
  });
});

const voided = (autoCancel = false) =>
  event('ChargeVoided', { voidId: 'v-1', amount: 5000, currency: 'USD', gatewayTransactionId: 'gw-v', message: 'Voided', autoCancel, at: NOW });

describe('transaction decider: void (only unsettled, only in full)', () => {
  it('voids an unsettled charge in full and carries the auto-cancel option', () => {
    decider.given([approved()]).when(voidIt(true, true)).then([voided(true)]);
  });

  it('a settled charge cannot be voided', () => {
    const error = decider.given([approved(), settled()]).when(voidIt()).thenThrows('CHARGE_SETTLED', 'rule');
    expect(error.message).toBe('a settled charge cannot be voided');
  });

  it('only an approved card charge can be voided', () => {
    decider.given([codOpened()]).when(voidIt()).thenThrows('NOT_A_CHARGE', 'rule');
    decider.given([event('ExternalPaymentRecorded', { amount: 100, currency: 'USD', at: NOW })]).when(voidIt()).thenThrows('NOT_A_CHARGE', 'rule');
    decider.given([]).when(voidIt()).thenThrows('TRANSACTION_NOT_FOUND', 'not-found');
  });

  it('a void the gateway rejected is reported, not recorded', () => {
    decider.given([approved()]).when(voidIt(false)).thenThrows('VOID_FAILED', 'rule');
  });

  it('voiding twice: the same void changes nothing, another one is refused', () => {
    decider.given([approved(), voided()]).when(voidIt()).then([]);
    decider
      .given([approved(), voided()])
      .when(command<Void>('Void', { voidId: 'v-2', gatewayResult: { succeeded: true, message: 'ok' }, autoCancel: false }))
      .thenThrows('ALREADY_VOIDED', 'rule');
  });
});

// F5: a void is reserved before the gateway call, so a settlement run cannot slip between the
// gateway's void and its record.
describe('transaction decider: void reservation (VoidRequested)', () => {
  const requestVoid = (voidId = 'v-1') => command<RequestVoid>('RequestVoid', { voidId });
  const voidRequested = event('VoidRequested', { voidId: 'v-1', amount: 5000, currency: 'USD', at: NOW });
  const voidFailed = event('VoidFailed', { voidId: 'v-1', message: 'Void rejected', at: NOW });

  it('reserves a void of the whole unsettled charge', () => {
    decider.given([approved()]).when(requestVoid()).then([voidRequested]);
  });

  it('settlement skips a charge while its void is pending', () => {
    decider.given([approved(), voidRequested]).when(settle()).then([]);
  });

  it('the recorded void resolves the reservation', () => {
    decider.given([approved(), voidRequested]).when(voidIt(true)).then([voided()]);
    decider.given([approved(), voidRequested, voided()]).when(settle()).then([]);
  });

  it('a rejected reserved void is recorded as VoidFailed and the charge settles again', () => {
    decider.given([approved(), voidRequested]).when(voidIt(false)).then([voidFailed]);
    decider.given([approved(), voidRequested, voidFailed]).when(settle()).then([settled()]);
  });

  // R5: after a VoidFailed a new void is a new request to the gateway, with its own reference.
  it('numbers the gateway reference of each reservation: <transactionId>:void:<n>', () => {
    projectionSpec(transactionDecider.evolve, transactionDecider.initialState)
      .given([approved(), voidRequested])
      .then((state) => expect(voidReference(state as ApprovedCharge)).toBe('t-1:void:1'));
    const again = event('VoidRequested', { voidId: 'v-1', amount: 5000, currency: 'USD', at: NOW });
    decider.given([approved(), voidRequested, voidFailed]).when(requestVoid()).then([again]);
    projectionSpec(transactionDecider.evolve, transactionDecider.initialState)
      .given([approved(), voidRequested, voidFailed, again])
      .then((state) => expect(voidReference(state as ApprovedCharge)).toBe('t-1:void:2'));
  });

  it('reserving again: the same void changes nothing, another one conflicts, a voided or settled charge is refused', () => {
    decider.given([approved(), voidRequested]).when(requestVoid()).then([]);
    decider.given([approved(), voidRequested]).when(requestVoid('v-2')).thenThrows('VOID_PENDING', 'conflict');
    decider.given([approved(), voided()]).when(requestVoid()).then([]);
    decider.given([approved(), settled()]).when(requestVoid()).thenThrows('CHARGE_SETTLED', 'rule');
  });
});

describe('transaction decider: refunds (only settled, partial allowed, never more than remains)', () => {
  const charge = [approved(5000), settled()];

  it('an unsettled charge cannot be refunded: void it', () => {
    decider.given([approved()]).when(refund('r-1')).thenThrows('CHARGE_NOT_SETTLED', 'rule');
  });

  it('refunds all that remains by default', () => {
    decider.given(charge).when(refund('r-1')).then([event('RefundRequested', { refundId: 'r-1', amount: 5000, currency: 'USD', at: NOW })]);
  });

  it('allows a partial refund', () => {
    decider.given(charge).when(refund('r-1', 1999)).then([event('RefundRequested', { refundId: 'r-1', amount: 1999, currency: 'USD', at: NOW })]);
  });

  it('refuses more than remains, counting succeeded and in-flight refunds', () => {
    decider.given(charge).when(refund('r-1', 5001)).thenThrows('REFUND_EXCEEDS_REMAINING', 'rule');
    decider.given([...charge, refundRequested('r-1', 3000)]).when(refund('r-2', 2001)).thenThrows('REFUND_EXCEEDS_REMAINING', 'rule');
    decider
      .given([...charge, refundRequested('r-1', 3000), refundFailed('r-1', 3000, 1), refundQueued('r-1', 3000, 1)])
      .when(refund('r-2', 2001))
      .thenThrows('REFUND_EXCEEDS_REMAINING', 'rule');
  });

  it('partial refunds add up to the whole charge, then nothing remains', () => {
    const history = [...charge, refundRequested('r-1', 2000), refundSucceeded('r-1', 2000, 2000), refundRequested('r-2', 1999)];
    decider.given(history).when(refund('r-3')).then([event('RefundRequested', { refundId: 'r-3', amount: 1001, currency: 'USD', at: NOW })]);
    decider
      .given([...history, refundRequested('r-3', 1001)])
      .when(attempt('r-3', 1, true))
      .then([
        event('RefundSucceeded', {
          refundId: 'r-3',
          amount: 1001,
          currency: 'USD',
          attempt: 1,
          gatewayTransactionId: 'gw-r-3',
          message: 'Refunded',
          refundedTotal: 3001,
          fullyRefunded: false,
          autoCancel: false,
          at: LATER,
        }),
      ]);
    const all = [...history, refundSucceeded('r-2', 1999, 3999), refundRequested('r-3', 1001), refundSucceeded('r-3', 1001, 5000, true)];
    decider.given(all).when(refund('r-4', 1)).thenThrows('REFUND_EXCEEDS_REMAINING', 'rule');
    decider.given(all).when(refund('r-4')).thenThrows('NOTHING_TO_REFUND', 'rule');
  });

  it('an abandoned refund releases its amount', () => {
    const abandoned = event('RefundAbandoned', { refundId: 'r-1', amount: 5000, attempts: 4, lastMessage: 'Refund rejected', at: LATER });
    decider
      .given([...charge, refundRequested('r-1', 5000), refundFailed('r-1', 5000, 4), abandoned])
      .when(refund('r-2'))
      .then([event('RefundRequested', { refundId: 'r-2', amount: 5000, currency: 'USD', at: NOW })]);
  });

  it('refuses a zero, negative or fractional amount', () => {
    decider.given(charge).when(refund('r-1', 0)).thenThrows('INVALID_AMOUNT', 'rule');
    decider.given(charge).when(refund('r-1', -5)).thenThrows('INVALID_AMOUNT', 'rule');
    decider.given(charge).when(refund('r-1', 0.5)).thenThrows('INVALID_AMOUNT', 'rule');
  });

  it('refuses a refund id used before, a voided charge and what is not a card charge', () => {
    decider.given([...charge, refundRequested('r-1', 100)]).when(refund('r-1', 100)).thenThrows('REFUND_EXISTS', 'conflict');
    decider.given([approved(), voided()]).when(refund('r-1')).thenThrows('CHARGE_VOIDED', 'rule');
    decider.given([codOpened()]).when(refund('r-1')).thenThrows('NOT_A_CHARGE', 'rule');
    decider.given([]).when(refund('r-1')).thenThrows('TRANSACTION_NOT_FOUND', 'not-found');
  });
});

describe('transaction decider: refund attempts and the refund queue', () => {
  const requested = [approved(5000), settled(), refundRequested('r-1', 5000)];

  it('a first attempt that succeeds ends the refund, with the auto-cancel option', () => {
    decider
      .given(requested)
      .when(attempt('r-1', 1, true, true))
      .then([{ ...refundSucceeded('r-1', 5000, 5000, true), data: { ...refundSucceeded('r-1', 5000, 5000, true).data, autoCancel: true } }]);
  });

  it('a first attempt that fails queues retry 1', () => {
    decider.given(requested).when(attempt('r-1', 1, false)).then([refundFailed('r-1', 5000, 1), refundQueued('r-1', 5000, 1)]);
  });

  it('retries 1 and 2 failing queue retries 2 and 3', () => {
    const afterFirst = [...requested, refundFailed('r-1', 5000, 1), refundQueued('r-1', 5000, 1)];
    decider.given(afterFirst).when(attempt('r-1', 2, false)).then([refundFailed('r-1', 5000, 2), refundQueued('r-1', 5000, 2)]);
    const afterSecond = [...afterFirst, refundFailed('r-1', 5000, 2), refundQueued('r-1', 5000, 2)];
    decider.given(afterSecond).when(attempt('r-1', 3, false)).then([refundFailed('r-1', 5000, 3), refundQueued('r-1', 5000, 3)]);
  });

  it('the third retry (attempt 4) failing abandons the refund', () => {
    const history: PaymentsEvent[] = [...requested];
    for (let n = 1; n <= 3; n++) history.push(refundFailed('r-1', 5000, n), refundQueued('r-1', 5000, n));
    decider
      .given(history)
      .when(attempt('r-1', 4, false))
      .then([refundFailed('r-1', 5000, 4), event('RefundAbandoned', { refundId: 'r-1', amount: 5000, attempts: 4, lastMessage: 'Refund rejected', at: LATER })]);
  });

  it('a retry that succeeds ends it', () => {
    decider
      .given([...requested, refundFailed('r-1', 5000, 1), refundQueued('r-1', 5000, 1)])
      .when(attempt('r-1', 2, true))
      .then([refundSucceeded('r-1', 5000, 5000, true, 2)]);
  });

  it('attempts for an unknown, finished or already recorded refund change nothing', () => {
    decider.given(requested).when(attempt('r-9', 1, false)).then([]);
    decider.given([...requested, refundSucceeded('r-1', 5000, 5000, true)]).when(attempt('r-1', 2, false)).then([]);
    decider.given([...requested, refundFailed('r-1', 5000, 1), refundQueued('r-1', 5000, 1)]).when(attempt('r-1', 1, false)).then([]);
  });

  // R4: why an attempt failed decides the next attempt's gateway reference (see refundReference).
  it('records an attempt without a gateway answer as outcome UNKNOWN, and an answered failure as REJECTED', () => {
    const unknown = at(LATER, command<RecordRefundAttempt>('RecordRefundAttempt', { ...attempt('r-1', 1, false).data, message: 'gateway timed out', outcome: 'UNKNOWN' }));
    decider.given(requested).when(unknown).then([refundFailed('r-1', 5000, 1, LATER, 'UNKNOWN'), refundQueued('r-1', 5000, 1)]);
    const rejected = at(LATER, command<RecordRefundAttempt>('RecordRefundAttempt', { ...attempt('r-1', 1, false).data, outcome: 'REJECTED' }));
    decider.given(requested).when(rejected).then([refundFailed('r-1', 5000, 1, LATER, 'REJECTED'), refundQueued('r-1', 5000, 1)]);
  });

  it('refuses an attempt that skips one', () => {
    decider.given(requested).when(attempt('r-1', 3, false)).thenThrows('REFUND_ATTEMPT_OUT_OF_ORDER', 'conflict');
  });

  it('fails on a missing transaction', () => {
    decider.given([]).when(attempt('r-1', 1, true)).thenThrows('TRANSACTION_NOT_FOUND', 'not-found');
  });
});

describe('transaction decider: resend the refund email', () => {
  const resend = (refundId: string) => command<ResendRefundEmail>('ResendRefundEmail', { refundId });
  const base = [approved(5000), settled(), refundRequested('r-1', 2000)];

  it('resends for a succeeded refund', () => {
    decider
      .given([...base, refundSucceeded('r-1', 2000, 2000)])
      .when(resend('r-1'))
      .then([event('RefundEmailResent', { refundId: 'r-1', kind: 'REFUND', amount: 2000, currency: 'USD', at: NOW })]);
  });

  it('resends for a voided charge', () => {
    decider
      .given([approved(), voided()])
      .when(resend('v-1'))
      .then([event('RefundEmailResent', { refundId: 'v-1', kind: 'VOID', amount: 5000, currency: 'USD', at: NOW })]);
  });

  it('refuses a refund that has not succeeded and an unknown refund', () => {
    decider.given(base).when(resend('r-1')).thenThrows('REFUND_NOT_SUCCEEDED', 'rule');
    decider.given(base).when(resend('r-9')).thenThrows('REFUND_NOT_FOUND', 'not-found');
  });
});

describe('transaction decider: chargebacks', () => {
  const mark = (amount: number) => command<MarkChargeback>('MarkChargeback', { amount, date: '2026-03-10', reasonCode: '10.4', note: 'fraud' });
  const marked = (amount: number) => event('ChargebackMarked', { amount, date: '2026-03-10', reasonCode: '10.4', note: 'fraud', at: NOW });
  const revert = command<RevertChargeback>('RevertChargeback', {});

  it('marks a chargeback up to the charge amount', () => {
    decider.given([approved(), settled()]).when(mark(5000)).then([marked(5000)]);
    decider.given([approved(), settled()]).when(mark(5001)).thenThrows('CHARGEBACK_EXCEEDS_CHARGE', 'rule');
    decider.given([approved(), settled()]).when(mark(0)).thenThrows('INVALID_AMOUNT', 'rule');
  });

  it('only on an approved charge, once', () => {
    decider.given([approved(), marked(100)]).when(mark(100)).thenThrows('CHARGEBACK_ALREADY_MARKED', 'rule');
    decider.given([codOpened()]).when(mark(100)).thenThrows('NOT_A_CHARGE', 'rule');
    decider.given([approved(), voided()]).when(mark(100)).thenThrows('CHARGE_VOIDED', 'rule');
  });

  it('reverts only a marked chargeback', () => {
    decider.given([approved(), marked(1200)]).when(revert).then([event('ChargebackReverted', { amount: 1200, at: NOW })]);
    decider.given([approved(), marked(1200), event('ChargebackReverted', { amount: 1200, at: NOW })]).when(revert).thenThrows('NO_CHARGEBACK', 'rule');
    decider.given([]).when(revert).thenThrows('TRANSACTION_NOT_FOUND', 'not-found');
  });

  // A chargeback returns money to the cardholder, so it counts against what can be refunded.
  const charge = [approved(5000), settled()];
  const reverted = (amount: number) => event('ChargebackReverted', { amount, at: NOW });
  const requested = (refundId: string, amount: number) => event('RefundRequested', { refundId, amount, currency: 'USD', at: NOW });

  it('only on a settled charge: an unsettled one is voided instead', () => {
    decider.given([approved()]).when(mark(100)).thenThrows('CHARGE_NOT_SETTLED', 'rule');
  });

  it('a chargeback of all leaves nothing to refund: an amount exceeds what remains (naming the field), none finds nothing', () => {
    const error = decider.given([...charge, marked(5000)]).when(refund('r-1', 100)).thenThrows('REFUND_EXCEEDS_REMAINING', 'rule');
    expect(error.details).toEqual({ field: 'amount', remaining: 0 });
    decider.given([...charge, marked(5000)]).when(refund('r-1')).thenThrows('NOTHING_TO_REFUND', 'rule');
  });

  it('a partial chargeback leaves the rest refundable: all that remains by default, a cent more is refused', () => {
    decider.given([...charge, marked(1200)]).when(refund('r-1')).then([requested('r-1', 3800)]);
    decider.given([...charge, marked(1200)]).when(refund('r-1', 3800)).then([requested('r-1', 3800)]);
    const error = decider.given([...charge, marked(1200)]).when(refund('r-1', 3801)).thenThrows('REFUND_EXCEEDS_REMAINING', 'rule');
    expect(error.details).toMatchObject({ remaining: 3800 });
  });

  it('counts together with succeeded and in-flight refunds', () => {
    const history = [...charge, refundRequested('r-1', 1000), refundSucceeded('r-1', 1000, 1000), refundRequested('r-2', 500), marked(2000)];
    decider.given(history).when(refund('r-3')).then([requested('r-3', 1500)]);
    decider.given(history).when(refund('r-3', 1501)).thenThrows('REFUND_EXCEEDS_REMAINING', 'rule');
  });

  it('a reverted chargeback gives its amount back', () => {
    decider.given([...charge, marked(5000), reverted(5000)]).when(refund('r-1', 100)).then([requested('r-1', 100)]);
    decider.given([...charge, marked(1200), reverted(1200)]).when(refund('r-1')).then([requested('r-1', 5000)]);
  });

  it('cannot exceed what succeeded refunds leave of the charge', () => {
    const refunded = [...charge, refundRequested('r-1', 2000), refundSucceeded('r-1', 2000, 2000)];
    decider.given(refunded).when(mark(3000)).then([marked(3000)]);
    const error = decider.given(refunded).when(mark(3001)).thenThrows('CHARGEBACK_EXCEEDS_REMAINING', 'rule');
    expect(error.details).toEqual({ field: 'amount', remaining: 3000 });
  });

  it('cannot exceed what refunds in flight (requested or queued) leave; an abandoned refund releases its amount', () => {
    const pending = [...charge, refundRequested('r-1', 2000)];
    decider.given(pending).when(mark(3001)).thenThrows('CHARGEBACK_EXCEEDS_REMAINING', 'rule');
    const queued = [...pending, refundFailed('r-1', 2000, 1), refundQueued('r-1', 2000, 1)];
    decider.given(queued).when(mark(3001)).thenThrows('CHARGEBACK_EXCEEDS_REMAINING', 'rule');
    decider.given(queued).when(mark(3000)).then([marked(3000)]);
    const abandoned = [...queued, event('RefundAbandoned', { refundId: 'r-1', amount: 2000, attempts: 4, lastMessage: 'Refund rejected', at: LATER })];
    decider.given(abandoned).when(mark(5000)).then([marked(5000)]);
  });

  it('nothing left after refunds: any chargeback is refused', () => {
    const all = [...charge, refundRequested('r-1', 5000), refundSucceeded('r-1', 5000, 5000, true)];
    decider.given(all).when(mark(1)).thenThrows('CHARGEBACK_EXCEEDS_REMAINING', 'rule');
  });

  it('an authorization: at most what was captured', () => {
    const captured = [
      approved(5000, { type: 'AUTHORIZE' }),
      event('AuthorizationCaptured', { captureId: 'cap-1', amount: 3000, currency: 'USD', gatewayTransactionId: 'gw-c', message: 'Captured', at: NOW }),
      settled(3000),
    ];
    decider.given(captured).when(mark(3001)).thenThrows('CHARGEBACK_EXCEEDS_CHARGE', 'rule');
    decider.given([...captured, marked(3000)]).when(refund('r-1', 1)).thenThrows('REFUND_EXCEEDS_REMAINING', 'rule');
  });
});

describe('transaction decider: cash on delivery (pending until the carrier collects)', () => {
  const open = command<OpenCodTransaction>('OpenCodTransaction', { ...ref, amount: 3000, currency: 'USD' });
  const paid = command<MarkCodPaid>('MarkCodPaid', { deliveryConfirmation: 'DC-1', date: '2026-03-05' });
  const undelivered = (status: MarkCodUndelivered['data']['status']) => command<MarkCodUndelivered>('MarkCodUndelivered', { status });
  const received = event('CodPaymentReceived', { amount: 3000, response: 'SUCCESS', deliveryConfirmation: 'DC-1', date: '2026-03-05', at: NOW });
  const declined = event('CodDeliveryFailed', { status: 'DECLINED', final: true, response: 'HARD_DECLINE', at: NOW });

  it('opens a pending COD transaction ("Payment marked as COD")', () => {
    decider.given([]).when(open).then([codOpened()]);
  });

  it("opening the same order's COD transaction again changes nothing (its OrderPlaced republished); another transaction under the id is refused", () => {
    decider.given([codOpened()]).when(open).then([]);
    decider.given([codOpened(), received]).when(open).then([]);
    decider.given([codOpened()]).when(command<OpenCodTransaction>('OpenCodTransaction', { ...ref, orderId: 'o-2', amount: 3000, currency: 'USD' })).thenThrows('TRANSACTION_EXISTS', 'conflict');
    decider.given([approved()]).when(open).thenThrows('TRANSACTION_EXISTS', 'conflict');
  });

  it('Mark COD Paid records SUCCESS; again changes nothing', () => {
    decider.given([codOpened()]).when(paid).then([received]);
    decider.given([codOpened(), received]).when(paid).then([]);
  });

  it.each(['SCHEDULED_FOR_REATTEMPT', 'SCHEDULED_FOR_PICKUP'] as const)('%s is a soft decline and stays pending', (status) => {
    const failed = event('CodDeliveryFailed', { status, final: false, response: 'SOFT_DECLINE', at: NOW });
    decider.given([codOpened()]).when(undelivered(status)).then([failed]);
    decider.given([codOpened(), failed]).when(paid).then([received]);
  });

  it('DECLINED is a final hard decline', () => {
    decider.given([codOpened()]).when(undelivered('DECLINED')).then([declined]);
    decider.given([codOpened(), declined]).when(paid).thenThrows('COD_DECLINED', 'rule');
    decider.given([codOpened(), declined]).when(undelivered('SCHEDULED_FOR_PICKUP')).thenThrows('COD_DECLINED', 'rule');
  });

  it('a paid COD cannot be marked undelivered; a card charge is not COD', () => {
    decider.given([codOpened(), received]).when(undelivered('DECLINED')).thenThrows('COD_ALREADY_PAID', 'rule');
    decider.given([approved()]).when(paid).thenThrows('NOT_COD', 'rule');
    decider.given([]).when(paid).thenThrows('TRANSACTION_NOT_FOUND', 'not-found');
  });
});

describe('transaction decider: a refund follows a void the gateway refused', () => {
  const voidRequested = event('VoidRequested', { voidId: 'v-1', amount: 5000, currency: 'USD', at: NOW });
  const voidFailed = event('VoidFailed', { voidId: 'v-1', message: 'Void rejected', at: NOW });
  const refusedVoid = [approved(5000), voidRequested, voidFailed];
  const notSettled = (n: number) =>
    at(
      LATER,
      command<RecordRefundAttempt>('RecordRefundAttempt', { refundId: 'r-1', attempt: n, succeeded: false, message: 'Charge not settled yet', outcome: 'NOT_SETTLED', autoCancel: false }),
    );
  const failedNotSettled = event('RefundFailed', { refundId: 'r-1', amount: 5000, attempt: 1, message: 'Charge not settled yet', outcome: 'NOT_SETTLED', at: LATER });

  it('an unsettled charge whose void failed can be refunded, all that remains by default', () => {
    decider.given(refusedVoid).when(refund('r-1')).then([event('RefundRequested', { refundId: 'r-1', amount: 5000, currency: 'USD', at: NOW })]);
  });

  it('never more than remains, and not while a void is reserved', () => {
    const error = decider.given(refusedVoid).when(refund('r-1', 5001)).thenThrows('REFUND_EXCEEDS_REMAINING', 'rule');
    expect(error.details).toEqual({ field: 'amount', remaining: 5000 });
    decider.given([...refusedVoid, refundRequested('r-1', 5000)]).when(refund('r-2')).thenThrows('NOTHING_TO_REFUND', 'rule');
    decider.given([approved(5000), voidRequested]).when(refund('r-1')).thenThrows('CHARGE_NOT_SETTLED', 'rule');
  });

  it('never both: once the refund is requested, the charge cannot be voided', () => {
    decider.given([...refusedVoid, refundRequested('r-1', 5000)]).when(command<RequestVoid>('RequestVoid', { voidId: 'v-1' })).thenThrows('CHARGE_REFUNDED', 'rule');
  });

  it('refused because the charge has not settled: queued until the settlement', () => {
    decider
      .given([...refusedVoid, refundRequested('r-1', 5000)])
      .when(notSettled(1))
      .then([failedNotSettled, event('RefundQueued', { refundId: 'r-1', amount: 5000, retryNumber: 1, afterSettlement: true, at: LATER })]);
  });

  it('refused as not settled by a charge that settled meanwhile: queued for the usual retry', () => {
    decider
      .given([...refusedVoid, refundRequested('r-1', 5000), settled()])
      .when(notSettled(1))
      .then([failedNotSettled, event('RefundQueued', { refundId: 'r-1', amount: 5000, retryNumber: 1, at: LATER })]);
  });
});
