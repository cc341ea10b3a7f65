import { CampaignCreated, EnvelopeOf, FulfillmentEvent, PaymentsEvent } from '@continuum/contracts';
import { eventEnvelope } from '@continuum/testing';
import { campaignCatalogViewDefinition } from './campaign-catalog.view';
import { orderFulfillmentsViewDefinition } from './order-fulfillments.view';
import { orderTransactionsViewDefinition } from './order-transactions.view';

const address = { line1: '1 Main St', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' };
const created = (fulfillmentId: string, orderId: string) =>
  eventEnvelope('FulfillmentCreated', `fulfillment-${fulfillmentId}`, {
    fulfillmentId,
    orderId,
    customerId: 'cu-1',
    reference: `F-${fulfillmentId}`,
    items: [],
    shippingAddress: address,
    shippingMethod: 'STANDARD',
    cod: null,
    reshipOf: null,
    at: '2026-03-01T10:00:00.000Z',
  }) as unknown as EnvelopeOf<FulfillmentEvent>;

describe('order fulfillments read model', () => {
  const { evolve, documentId, initial } = orderFulfillmentsViewDefinition;

  it('given the fulfillments of one order, when their events arrive, then one document per order keeps the latest status of each', () => {
    const shipped = eventEnvelope('FulfillmentShipped', 'fulfillment-f-1', { fulfillmentId: 'f-1', orderId: 'o-1', trackingNumber: 'TRK-1', shippedAt: '2026-03-02T09:00:00.000Z' }, { streamVersion: 2 });
    expect([created('f-1', 'o-1'), created('f-2', 'o-1')].map((event) => documentId!(event))).toEqual(['o-1', 'o-1']);
    const view = [created('f-1', 'o-1'), created('f-2', 'o-1'), shipped as unknown as EnvelopeOf<FulfillmentEvent>].reduce(evolve, initial());
    expect(view).toEqual({
      'f-1': { fulfillmentId: 'f-1', status: 'SHIPPED', at: '2026-03-02T09:00:00.000Z', trackingNumber: 'TRK-1' },
      'f-2': { fulfillmentId: 'f-2', status: 'HOLD', at: '2026-03-01T10:00:00.000Z' },
    });
  });

  it('given an event that says nothing of a status, when it arrives, then the document is unchanged', () => {
    const before = evolve(initial(), created('f-1', 'o-1'));
    const other = eventEnvelope('FulfillmentNoted', 'fulfillment-f-1', { fulfillmentId: 'f-1', orderId: 'o-1' }) as unknown as EnvelopeOf<FulfillmentEvent>;
    expect(evolve(before, other)).toBe(before);
  });
});

describe('campaign catalog read model', () => {
  const { evolve, documentId, initial } = campaignCatalogViewDefinition;
  const campaign = (limits?: CampaignCreated['data']['limits']) =>
    eventEnvelope('CampaignCreated', 'campaign-c-1', {
      campaignId: 'c-1',
      name: 'Boxes',
      currency: 'USD',
      qaRate: 0,
      skipQaForExternal: true,
      products: [{ productId: 'p-1', sku: 'BOX', name: 'Box', price: 499, shippingPrice: 295, billingType: 'RECURRING', rebillPrice: 5999, intervalDays: 30 }],
      ...(limits ? { limits } : {}),
    }) as unknown as EnvelopeOf<CampaignCreated>;

  it('given a CampaignCreated, when applied, then the campaign document (by campaign id) has its offers and order limits', () => {
    const event = campaign({ maxQuantity: 10 });
    expect(documentId!(event)).toBe('c-1');
    expect(evolve(initial(), event)).toEqual({ products: event.data.products, limits: { maxQuantity: 10 } });
  });

  it('given a campaign that sets no limits, when applied, then its limits are known and empty (the decider applies the defaults)', () => {
    expect(evolve(initial(), campaign()).limits).toEqual({});
  });
});

describe('order transactions read model', () => {
  const { evolve, documentId, initial } = orderTransactionsViewDefinition;
  const ids = { transactionId: 'o-1-charge-1', orderId: 'o-1', customerId: 'cu-1' };
  const refund = eventEnvelope('RefundSucceeded', 'transaction-o-1-charge-1', {
    ...ids,
    refundId: 'rf-1',
    amount: 500,
    currency: 'USD',
    attempt: 1,
    gatewayTransactionId: null,
    message: 'Refunded',
    refundedTotal: 500,
    fullyRefunded: false,
    autoCancel: false,
    at: '2026-03-02T10:00:00.000Z',
  }) as unknown as EnvelopeOf<PaymentsEvent>;
  const settled = eventEnvelope('ChargeSettled', 'transaction-o-1-charge-1', { ...ids, amount: 794, settledAt: '2026-03-02T00:00:00.000Z' }) as unknown as EnvelopeOf<PaymentsEvent>;

  it('given a refund of an order charge, when applied, then the document of its order (by order id) has its row', () => {
    expect(documentId!(refund)).toBe('o-1');
    expect(evolve(initial(), refund).rows).toEqual([expect.objectContaining({ transactionId: 'rf-1', parentTransactionId: 'o-1-charge-1', type: 'REFUND', amount: 500 })]);
  });

  it('given an event that moved no money back, when applied, then the document is unchanged', () => {
    const before = evolve(initial(), refund);
    expect(evolve(before, settled)).toBe(before);
  });
});
