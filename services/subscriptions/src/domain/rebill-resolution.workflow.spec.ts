import { SubscriptionEvent } from '@continuum/contracts';
import { refusal, spec } from '@continuum/testing';
import { purchaseDecider } from './purchase.decider';
import { approvedCommand, billed, cmd, orderPlaced, purchaseRef as ref, rebillRequested, started } from './purchase.fixtures';
import { ExistingPurchase } from './purchase.state';
import { RebillChargeStatus, rebillResolution, rebillToResolve } from './rebill-resolution.workflow';

const given = (events: readonly SubscriptionEvent[]) => spec(purchaseDecider).given(events);
const stateOf = (events: readonly SubscriptionEvent[]) => given(events).state as ExistingPurchase;

/** The bill of cycle 2 was requested at NOW (2026-03-10T15:00Z); REBILL_RESOLVE_AFTER_MS one hour. */
const requested = [started, rebillRequested(2, '2026-03-15')];
const awaited = [...requested, orderPlaced('o-r2', 2)];
const LATER = { now: '2026-03-10T17:00:00.000Z', afterMs: 3_600_000 };
const SOON = { now: '2026-03-10T15:10:00.000Z', afterMs: 3_600_000 };
const AT = '2026-03-10T17:00:00.000Z';

const status = (overrides: Partial<RebillChargeStatus>): RebillChargeStatus => ({ orderId: 'o-r2', transactionId: 'o-r2-charge-1', status: 'NOT_CHARGED', source: 'GATEWAY', message: 'the gateway never received the charge', ...overrides });

describe('resolving a rebill whose outcome never came: what to ask', () => {
  it('given a bill in flight with its order recorded past the age, when swept, then payments is asked about that order', () => {
    expect(rebillToResolve(stateOf(awaited), LATER)).toEqual({ kind: 'ASK', orderId: 'o-r2' });
  });

  it('given a bill in flight younger than the age, when swept, then nothing; an agent asks at once', () => {
    expect(rebillToResolve(stateOf(awaited), SOON)).toEqual({ kind: 'NOTHING' });
    expect(rebillToResolve(stateOf(awaited))).toEqual({ kind: 'ASK', orderId: 'o-r2' });
  });

  it('given a bill with no order recorded, when resolved, then orders is asked again with the same request', () => {
    expect(rebillToResolve(stateOf(requested))).toEqual({ kind: 'ASK_AGAIN', command: { type: 'RequestRebillAgain', data: { timeoutMs: 0 } } });
    given(requested)
      .when(cmd('RequestRebillAgain', { timeoutMs: 0 }, AT))
      .then([rebillRequested(2, '2026-03-15', 'SCHEDULED', 0, AT)]);
  });

  it('given no bill in flight, when swept, then nothing; when an agent resolves, then NO_REBILL_IN_FLIGHT', () => {
    const done = [...awaited, billed('o-r2', 2, '2026-04-14')];
    expect(rebillToResolve(stateOf(done), LATER)).toEqual({ kind: 'NOTHING' });
    expect(refusal(() => rebillToResolve(stateOf(done)))).toMatchObject({ code: 'NO_REBILL_IN_FLIGHT', kind: 'rule' });
  });
});

describe('resolving a rebill whose outcome never came: what is recorded', () => {
  it('given payments never charged the card, when resolved, then the bill is not billed (NOT_CHARGED) and the cycle is due again', () => {
    const next = rebillResolution(stateOf(awaited), status({}), [86_400_000]);
    expect(next.outcome).toBe('DUE_AGAIN');
    const notBilled: SubscriptionEvent = {
      type: 'PurchaseRebillNotBilled',
      data: { ...ref, orderId: 'o-r2', billingCycle: 2, attempt: 0, outcome: 'NOT_CHARGED', reason: 'payments: the gateway never received the charge', at: AT },
    };
    given(awaited)
      .when(cmd(next.command!.type, next.command!.data as never, AT))
      .then([notBilled]);
    // due again: nothing in flight, the status and next bill date stay, so a force bill asks anew
    expect(stateOf([...awaited, notBilled])).toMatchObject({ status: 'TRIAL', bill: null, billingCycle: 1, nextBillDate: '2026-03-15' });
  });

  it('given the card was charged (recorded or at the gateway), when resolved, then the cycle is billed as from PaymentApproved', () => {
    const answer = status({ status: 'APPROVED', source: 'RECORD', response: 'SUCCESS', amount: 6294, currency: 'USD', cardLast4: '1111', cardBrand: 'VISA', message: 'Approved', at: '2026-03-15T01:00:00.000Z' });
    const next = rebillResolution(stateOf(awaited), answer, []);
    expect(next).toEqual({ outcome: 'BILLED', command: { type: approvedCommand('o-r2').type, data: approvedCommand('o-r2').data } });
    given(awaited).when(approvedCommand('o-r2', AT)).then([billed('o-r2', 2, '2026-04-14')]);
  });

  it('given the gateway declined it, when resolved, then it is a decline with its response (recycle billing follows a soft one)', () => {
    const next = rebillResolution(stateOf(awaited), status({ status: 'DECLINED', response: 'SOFT_DECLINE', amount: 6294, currency: 'USD', message: 'Insufficient funds' }), [86_400_000]);
    expect(next).toMatchObject({ outcome: 'DECLINED', command: { type: 'RecordRebillDeclined', data: { orderId: 'o-r2', response: 'SOFT_DECLINE', amount: 6294, recycleDelaysMs: [86_400_000] } } });
    // the gateway's answer has no time: the decline is recorded at the command's
    expect(purchaseDecider.decide(cmd('RecordRebillDeclined', next.command!.data as never, AT), stateOf(awaited))[0]).toMatchObject({ data: { at: AT } });
    const events = purchaseDecider.decide(cmd('RecordRebillDeclined', next.command!.data as never, AT), stateOf(awaited));
    expect(events.map((e) => e.type)).toEqual(['PurchaseRebillDeclined', 'PurchaseRecycleScheduled']);
  });

  it('given an order paid another way, or an answer without the amount, when resolved, then nothing is recorded (orders tells)', () => {
    expect(rebillResolution(stateOf(awaited), status({ status: 'NOT_A_CARD_CHARGE', transactionId: null }), [])).toEqual({ outcome: 'WAITING' });
    expect(rebillResolution(stateOf(awaited), status({ status: 'APPROVED', response: 'SUCCESS' }), [])).toEqual({ outcome: 'WAITING' });
  });

  it('given an order not of this purchase, when resolved, then REBILL_ORDER_UNKNOWN', () => {
    expect(refusal(() => rebillResolution(stateOf(awaited), status({ orderId: 'o-else' }), []))).toMatchObject({ code: 'REBILL_ORDER_UNKNOWN', kind: 'not-found' });
  });
});
