import { EnvelopeOf, SubscriptionEvent } from '@continuum/contracts';
import { billed, declined, orderPlaced, rebillRequested, started } from './purchase.fixtures';
import { evolveProfile, initialProfile, profileOf } from './purchase.profile';
import { ExistingPurchase } from './purchase.state';

const envelope = (event: SubscriptionEvent, n: number, actor = { kind: 'system' as const, id: 'billing-run' }): EnvelopeOf<SubscriptionEvent> =>
  ({ ...event, eventId: `e-${n}`, version: 1, streamId: 'purchase-pu-1', streamVersion: n, occurredAt: `2026-03-15T00:00:0${n}.000Z`, correlationId: `c-${n}`, causationId: null, actor }) as EnvelopeOf<SubscriptionEvent>;

const fold = (events: readonly SubscriptionEvent[]) => events.map((e, i) => envelope(e, i + 1)).reduce(evolveProfile, initialProfile());

describe('the purchase profile view', () => {
  it('keeps each action with when and by whom, the transactions (declines included) and the fulfillments', () => {
    const fulfilled: SubscriptionEvent = { type: 'PurchaseFulfillmentRecorded', data: { purchaseId: 'pu-1', customerId: 'cu-1', fulfillmentId: 'f-1', orderId: 'o-r2b', status: 'HOLD', at: '2026-03-16T00:00:00.000Z' } };
    const shipped: SubscriptionEvent = { ...fulfilled, data: { ...(fulfilled.data as object), status: 'SHIPPED', trackingNumber: '1Z' } } as SubscriptionEvent;
    const doc = fold([started, rebillRequested(2, '2026-03-15'), orderPlaced('o-r2', 2), declined('o-r2', 2, 0), rebillRequested(2, '2026-03-15', 'RECYCLE', 1), orderPlaced('o-r2b', 2, 1), billed('o-r2b', 2, '2026-04-14'), fulfilled, shipped]);
    expect(doc.history.map((h) => h.type)).toEqual([
      'PurchaseStarted',
      'RebillRequested',
      'PurchaseRebillOrderPlaced',
      'PurchaseRebillDeclined',
      'RebillRequested',
      'PurchaseRebillOrderPlaced',
      'PurchaseBilled',
      'PurchaseFulfillmentRecorded',
      'PurchaseFulfillmentRecorded',
    ]);
    expect(doc.history[6]).toMatchObject({ at: '2026-03-15T00:00:07.000Z', actor: { kind: 'system', id: 'billing-run' }, summary: 'Billed cycle 2: 62.94 USD approved; next bill 2026-04-14' });
    expect(doc.transactions.map((t) => [t.orderId, t.response, t.billingCycle])).toEqual([
      ['o-1', 'SUCCESS', 1],
      ['o-r2', 'SOFT_DECLINE', 2],
      ['o-r2b', 'SUCCESS', 2],
    ]);
    expect(doc.fulfillments).toEqual([{ fulfillmentId: 'f-1', orderId: 'o-r2b', status: 'SHIPPED', trackingNumber: '1Z', updatedAt: '2026-03-16T00:00:00.000Z' }]);
  });

  it('shows no next bill date once cancelled', () => {
    const doc = fold([started, { type: 'PurchaseCancelled', data: { purchaseId: 'pu-1', customerId: 'cu-1', reason: 'r', source: 'AGENT', previousStatus: 'TRIAL', billingCycle: 1 } }]);
    expect(profileOf(doc.state as ExistingPurchase, doc, 0)).toMatchObject({ status: 'CANCELLED', nextBillDate: null });
  });
});
