import { PaymentsEvent, SubscriptionEvent } from '@continuum/contracts';
import { fold, spec } from '@continuum/testing';
import { purchaseDecider } from './purchase.decider';
import { NOW, agent, billed, orderPlaced, rebillChargeOutcome, rebillRequested, started } from './purchase.fixtures';
import { ExistingPurchase } from './purchase.state';
import { planPaymentEvent } from './rebill-outcomes';

const purchaseOf = (events: readonly SubscriptionEvent[]) => fold(purchaseDecider, events) as ExistingPurchase;
const requestedOnly = purchaseOf([started, rebillRequested(2, '2026-03-15')]);
const billingEvents = [started, rebillRequested(2, '2026-03-15'), orderPlaced('o-r2', 2)];
const billing = purchaseOf(billingEvents);
const billedEvents = [...billingEvents, billed('o-r2', 2, '2026-04-14')];
const active = purchaseOf(billedEvents);

const outcome = rebillChargeOutcome;
const approved = (purpose = 'REBILL') => ({ type: 'PaymentApproved', eventId: 'e-approved', data: { ...outcome, message: 'Approved', response: 'SUCCESS', prepaid: false, purpose } }) as PaymentsEvent & { eventId: string };
const declined = { type: 'PaymentDeclined', eventId: 'e-declined', data: { ...outcome, message: 'Declined', response: 'HARD_DECLINE', purpose: 'REBILL' } } as PaymentsEvent & { eventId: string };
const charge = { orderId: 'o-r2', transactionId: 'o-r2-charge-1', amount: 6294, currency: 'USD', cardLast4: '1111', cardBrand: 'VISA', message: 'Approved', at: '2026-03-15T01:00:00.000Z' };
const recordApproved = { purchaseId: 'pu-1', command: { type: 'RecordRebillApproved', data: charge } };
const state = (purchases: readonly ExistingPurchase[]) => ({ purchases, recycleDelaysMs: [] });

describe('planPaymentEvent: what payment-reactions does with a payment event, and which kept outcomes it removes', () => {
  it('a rebill outcome whose order no purchase knows yet is kept, and nothing is decided or removed', () => {
    expect(planPaymentEvent(approved(), state([]))).toEqual({ kind: 'keep' });
    expect(planPaymentEvent(approved(), state([requestedOnly]))).toEqual({ kind: 'keep' });
    expect(planPaymentEvent(declined, state([requestedOnly]))).toEqual({ kind: 'keep' });
  });

  it('a rebill outcome whose purchase knows the order is decided, then whatever is kept for that order is removed', () => {
    expect(planPaymentEvent(approved(), state([billing]))).toEqual({ kind: 'decide', work: [recordApproved], forgetKept: 'o-r2' });
    const plan = planPaymentEvent(declined, state([billing]));
    expect(plan).toMatchObject({ kind: 'decide', work: [{ purchaseId: 'pu-1', command: { type: 'RecordRebillDeclined' } }], forgetKept: 'o-r2' });
  });

  it('the same outcome read again after its purchase decided it (a retry of a failed attempt) still removes the kept outcomes, and bills once', () => {
    const plan = planPaymentEvent(approved(), state([active]));
    expect(plan).toEqual({ kind: 'decide', work: [recordApproved], forgetKept: 'o-r2' });
    // the purchase ignores an outcome it recorded already: decided once
    spec(purchaseDecider)
      .given(billedEvents)
      .when({ ...recordApproved.command, metadata: { now: NOW, actor: agent } } as never)
      .then([]);
  });

  it('payment events that are not a rebill charge outcome are never kept and remove nothing', () => {
    expect(planPaymentEvent(approved('ORDER'), state([]))).toEqual({ kind: 'decide', work: [], forgetKept: null });
    // an approved rerun of a declined rebill bills its purchase, but a rerun is never kept
    expect(planPaymentEvent(approved('RERUN'), state([billing]))).toEqual({ kind: 'decide', work: [recordApproved], forgetKept: null });
    expect(planPaymentEvent(approved('RERUN'), state([]))).toEqual({ kind: 'decide', work: [], forgetKept: null });
  });
});
