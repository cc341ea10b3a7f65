import fc from 'fast-check';
import { DomainError, PaymentsEvent, registry } from '@continuum/contracts';
import { TransactionCommand } from './transaction.commands';
import { transactionDecider } from './transaction.decider';
import { TransactionState, chargebackAmount, chargebackLimit, chargedAmount, inFlightRefundAmount, isCardCharge, refundedAmount, remainingRefundable, voidFailed } from './transaction.state';
import { ref, visa } from './transaction.fixtures';

/**
 * Property-based tests of the transaction decider (money you can prove): random
 * sequences of charges, captures, settlements, voids, refunds and their attempts, chargebacks and
 * COD outcomes, played through `decide` (a refused command is skipped) and folded with `evolve`;
 * rules that must hold whatever the sequence.
 */
type Step =
  | { readonly kind: 'charge'; readonly type: 'SALE' | 'AUTHORIZE'; readonly response: 'SUCCESS' | 'SOFT_DECLINE' | 'HARD_DECLINE'; readonly amount: number }
  | { readonly kind: 'external' | 'cod'; readonly amount: number }
  | { readonly kind: 'capture'; readonly amount?: number; readonly succeeded: boolean }
  | { readonly kind: 'settle' | 'requestVoid' | 'revertChargeback' | 'codPaid' | 'codReattempt' | 'codDeclined' }
  | { readonly kind: 'void'; readonly succeeded: boolean }
  | { readonly kind: 'refund'; readonly amount?: number }
  | { readonly kind: 'attempt'; readonly refund: number; readonly succeeded: boolean }
  | { readonly kind: 'chargeback'; readonly amount: number };

/** Amounts around the charge amounts below, so sums meet the limits exactly as often as they pass them. */
const amount = fc.oneof(fc.constantFrom(1, 100, 500, 1000, 2500, 4999, 5000, 5001), fc.integer({ min: 1, max: 6000 }));
const optionalAmount = fc.option(amount, { nil: undefined });
/** Refunds come in smaller amounts than the charges, so several meet on one charge. */
const refundAmount = fc.option(fc.oneof(fc.constantFrom(1, 100, 500, 1000, 2500), fc.integer({ min: 1, max: 5001 })), { nil: undefined });
const chargeAmount = fc.constantFrom(0, 100, 2500, 5000);

/** Weighted so that each rule is met often: refunds, their attempts and chargebacks most, a second charge (refused) least. */
const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('charge' as const), type: fc.constantFrom('SALE' as const, 'AUTHORIZE' as const), response: fc.constantFrom('SUCCESS' as const, 'SUCCESS' as const, 'SOFT_DECLINE' as const, 'HARD_DECLINE' as const), amount: chargeAmount }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constantFrom('external' as const, 'cod' as const), amount: chargeAmount }), weight: 1 },
  { arbitrary: fc.constantFrom<Step>({ kind: 'codPaid' }, { kind: 'codReattempt' }, { kind: 'codDeclined' }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('capture' as const), amount: optionalAmount, succeeded: fc.boolean() }), weight: 3 },
  { arbitrary: fc.constant<Step>({ kind: 'settle' }), weight: 2 },
  { arbitrary: fc.constant<Step>({ kind: 'requestVoid' }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('void' as const), succeeded: fc.boolean() }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('refund' as const), amount: refundAmount }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant('attempt' as const), refund: fc.nat({ max: 2 }), succeeded: fc.constantFrom(true, false, false) }), weight: 7 },
  { arbitrary: fc.record({ kind: fc.constant('chargeback' as const), amount }), weight: 4 },
  { arbitrary: fc.constant<Step>({ kind: 'revertChargeback' }), weight: 2 },
);

interface Trace {
  readonly before: TransactionState;
  readonly event: PaymentsEvent;
  readonly after: TransactionState;
}

/** Plays the steps on one transaction stream; refused commands change nothing. Returns every event with the state around it. */
function play(steps: readonly Step[]): { trace: Trace[]; states: TransactionState[] } {
  let state = transactionDecider.initialState();
  let clock = Date.parse('2026-03-01T10:00:00.000Z');
  let voids = 0;
  let refunds = 0;
  const trace: Trace[] = [];
  const states: TransactionState[] = [state];
  const apply = (type: TransactionCommand['type'], data: TransactionCommand['data']) => {
    clock += 60_000;
    const command = { type, data, metadata: { now: new Date(clock).toISOString(), actor: { kind: 'agent', id: 'alice' } } } as TransactionCommand;
    try {
      for (const event of transactionDecider.decide(command, state)) {
        const before = state;
        state = transactionDecider.evolve(state, event);
        trace.push({ before, event, after: state });
        states.push(state);
      }
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  };
  for (const s of steps) {
    switch (s.kind) {
      case 'charge':
        apply('RecordCharge', {
          ...ref,
          type: s.type,
          amount: s.amount,
          currency: 'USD',
          card: visa,
          merchantId: 'm-1',
          gatewayResult: { response: s.response, gatewayTransactionId: 'gw-1', message: s.response, prepaid: false },
          purpose: 'ORDER',
        });
        break;
      case 'external':
        apply('RecordExternalPayment', { ...ref, amount: s.amount, currency: 'USD' });
        break;
      case 'cod':
        apply('OpenCodTransaction', { ...ref, amount: s.amount, currency: 'USD' });
        break;
      case 'codPaid':
        apply('MarkCodPaid', { deliveryConfirmation: 'DC-1', date: '2026-03-05' });
        break;
      case 'codReattempt':
        apply('MarkCodUndelivered', { status: 'SCHEDULED_FOR_REATTEMPT' });
        break;
      case 'codDeclined':
        apply('MarkCodUndelivered', { status: 'DECLINED' });
        break;
      case 'capture':
        apply('CaptureAuthorization', { captureId: 'cap-1', ...(s.amount !== undefined ? { amount: s.amount } : {}), gatewayResult: { succeeded: s.succeeded, message: 'capture' } });
        break;
      case 'settle':
        apply('Settle', {});
        break;
      case 'requestVoid':
        apply('RequestVoid', { voidId: `v-${++voids}` });
        break;
      case 'void': {
        // the gateway's answer to the reserved void, or to a void asked without a reservation
        const voidId = state.status === 'APPROVED' && state.pendingVoid ? state.pendingVoid.voidId : `v-${++voids}`;
        apply('Void', { voidId, gatewayResult: { succeeded: s.succeeded, message: s.succeeded ? 'Voided' : 'Void rejected' }, autoCancel: false });
        break;
      }
      case 'refund':
        apply('RequestRefund', { refundId: `r-${++refunds}`, ...(s.amount !== undefined ? { amount: s.amount } : {}) });
        break;
      case 'attempt': {
        // the next gateway attempt of one of the refunds (as the first request or the retry queue makes it)
        const all = state.status === 'APPROVED' ? state.refunds : [];
        const refund = all[s.refund % Math.max(1, all.length)];
        if (!refund) break;
        apply('RecordRefundAttempt', {
          refundId: refund.refundId,
          attempt: refund.attempts.length + 1,
          succeeded: s.succeeded,
          message: s.succeeded ? 'Refunded' : 'Refund rejected',
          autoCancel: false,
        });
        break;
      }
      case 'chargeback':
        apply('MarkChargeback', { amount: s.amount, date: '2026-03-10', reasonCode: '10.4' });
        break;
      case 'revertChargeback':
        apply('RevertChargeback', {});
        break;
    }
  }
  return { trace, states };
}

/** A settled sale of 5000: where most runs start, so their steps meet the refund and chargeback rules. */
const settledSale: Step[] = [
  { kind: 'charge', type: 'SALE', response: 'SUCCESS', amount: 5000 },
  { kind: 'settle' },
];

const steps = fc.array(step, { minLength: 1, maxLength: 40 });
/** Most runs start with a transaction (an approved sale, settled or not, an authorization, captured or not, COD), so the sequences spend their steps on its money. */
const runs = fc.oneof(
  steps,
  { arbitrary: steps.map((s) => [...settledSale, ...s]), weight: 3 },
  fc.tuple(fc.constantFrom('SALE' as const, 'AUTHORIZE' as const), chargeAmount, steps).map(([type, total, s]): Step[] => [{ kind: 'charge', type, response: 'SUCCESS', amount: total }, ...s]),
  fc.tuple(optionalAmount, steps).map(([captured, s]): Step[] => [{ kind: 'charge', type: 'AUTHORIZE', response: 'SUCCESS', amount: 5000 }, { kind: 'capture', amount: captured, succeeded: true }, ...s]),
  fc.tuple(fc.constantFrom('cod' as const, 'external' as const), chargeAmount, steps).map(([kind, total, s]): Step[] => [{ kind, amount: total }, ...s]),
);
const TERMINAL = new Set<TransactionState['status']>(['VOIDED', 'DECLINED', 'EXTERNAL', 'COD_PAID', 'COD_DECLINED']);
const NUM_RUNS = 400;

describe('transaction decider properties (fast-check)', () => {
  it('the step player reaches refunds, the refund queue and chargebacks (so the properties test something)', () => {
    const { trace, states } = play([
      ...settledSale,
      { kind: 'refund', amount: 1000 },
      { kind: 'attempt', refund: 0, succeeded: true },
      { kind: 'refund', amount: 500 },
      { kind: 'attempt', refund: 1, succeeded: false },
      { kind: 'chargeback', amount: 3501 },
      { kind: 'chargeback', amount: 3500 },
      { kind: 'refund', amount: 1 },
      { kind: 'revertChargeback' },
      { kind: 'refund' },
      { kind: 'requestVoid' },
    ]);
    expect(trace.map(({ event }) => event.type)).toEqual([
      'PaymentApproved',
      'ChargeSettled',
      'RefundRequested',
      'RefundSucceeded',
      'RefundRequested',
      'RefundFailed',
      'RefundQueued',
      'ChargebackMarked',
      'ChargebackReverted',
      'RefundRequested',
    ]);
    expect(trace[trace.length - 1].event.data).toMatchObject({ amount: 3500 });
    expect(remainingRefundable(states[states.length - 1])).toBe(0);
  });

  it('sampled sequences emit every kind of money event the properties are about', () => {
    const seen = new Set<string>();
    for (const s of fc.sample(runs, { numRuns: 1000, seed: 18 })) for (const { event } of play(s).trace) seen.add(event.type);
    for (const type of ['AuthorizationCaptured', 'ChargeSettled', 'VoidRequested', 'VoidFailed', 'ChargeVoided', 'RefundRequested', 'RefundSucceeded', 'RefundQueued', 'ChargebackMarked', 'ChargebackReverted', 'RefundAbandoned', 'PaymentDeclined', 'CodPaymentReceived', 'CodDeliveryFailed']) {
      expect([...seen]).toContain(type);
    }
  });

  it('succeeded refunds + refunds in flight + the chargeback never exceed what was charged; what remains refundable is the rest', () => {
    fc.assert(
      fc.property(runs, (s) => {
        for (const state of play(s).states) {
          if (state.status !== 'APPROVED') continue;
          const charged = chargedAmount(state);
          const held = refundedAmount(state) + inFlightRefundAmount(state) + chargebackAmount(state);
          expect(held).toBeLessThanOrEqual(charged);
          // unsettled, only a charge whose void the gateway refused can be refunded
          expect(remainingRefundable(state)).toBe(state.settledAt === null && !voidFailed(state) ? 0 : charged - held);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('every refund and chargeback event stays within the charge, and a refunded total is what the stream says', () => {
    fc.assert(
      fc.property(runs, (s) => {
        for (const { before, event, after } of play(s).trace) {
          if (!isCardCharge(before) || !isCardCharge(after)) continue;
          if (event.type === 'RefundSucceeded') {
            expect(event.data.refundedTotal).toBe(refundedAmount(after));
            expect(event.data.fullyRefunded).toBe(refundedAmount(after) === chargedAmount(after));
          }
          if (event.type === 'RefundRequested' || event.type === 'ChargebackMarked') {
            // only on a settled charge (a refund also on an unsettled one whose void failed: never beside a void), and never more than remained before it
            if (event.type === 'ChargebackMarked' || !voidFailed(before)) expect(before.settledAt).not.toBeNull();
            if (event.type === 'RefundRequested') expect(before.status).toBe('APPROVED');
            expect(event.data.amount).toBeGreaterThan(0);
          }
          if (event.type === 'RefundRequested') expect(event.data.amount).toBeLessThanOrEqual(remainingRefundable(before));
          if (event.type === 'ChargebackMarked') expect(event.data.amount).toBeLessThanOrEqual(chargebackLimit(before));
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('a charge is voided or refunded, never both', () => {
    fc.assert(
      fc.property(runs, (s) => {
        const { trace, states } = play(s);
        const types = new Set(trace.map(({ event }) => event.type));
        expect(types.has('ChargeVoided') && types.has('RefundRequested')).toBe(false);
        for (const state of states) if (state.status === 'VOIDED') expect(state.refunds).toEqual([]);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('nothing leaves a terminal state (VOIDED, DECLINED, EXTERNAL, COD_PAID, COD_DECLINED): no event, same status', () => {
    fc.assert(
      fc.property(runs, (s) => {
        const { trace, states } = play(s);
        for (const { before, event } of trace) if (TERMINAL.has(before.status)) throw new Error(`${event.type} emitted from ${before.status}`);
        const first = states.findIndex((state) => TERMINAL.has(state.status));
        if (first >= 0) for (const state of states.slice(first)) expect(state.status).toBe(states[first].status);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('every emitted event validates against its schema in the registry', () => {
    fc.assert(
      fc.property(runs, (s) => {
        for (const { event } of play(s).trace) {
          expect(registry.has(event.type)).toBe(true);
          registry.validate(event.type, registry.current(event.type).version, event.data);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
