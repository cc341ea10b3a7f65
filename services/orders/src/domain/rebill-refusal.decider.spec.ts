import { RebillRefused } from '@continuum/contracts';
import { spec } from '@continuum/testing';
import { RefuseRebill, rebillRefusalDecider, rebillRefusalStreamId } from './rebill-refusal.decider';

const metadata = { now: '2026-03-01T10:00:00.000Z', actor: { kind: 'system' as const, id: 'rebills' } };
const data: RefuseRebill['data'] = {
  purchaseId: 'pu-1',
  customerId: 'cu-1',
  originalOrderId: 'o-1',
  billingCycle: 3,
  attempt: 1,
  orderId: 'o-rebill',
  code: 'BLACKLISTED',
  reason: 'This order matches blacklist rule EMAIL a@b.test',
};
const refuse: RefuseRebill = { type: 'RefuseRebill', data, metadata };
const refused: RebillRefused = { type: 'RebillRefused', data: { ...data, at: metadata.now } };

describe('rebill refusal: one answer per refused rebill request', () => {
  it('records the refusal with when it was refused', () => {
    spec(rebillRefusalDecider).given([]).when(refuse).then([refused]);
  });

  it('records nothing the second time the same request is refused', () => {
    spec(rebillRefusalDecider).given([refused]).when({ ...refuse, data: { ...data, code: 'QUANTITY_LIMIT' } }).then([]);
  });

  it('keeps each request on a stream of its own, named by the order id it would have had', () => {
    expect(rebillRefusalStreamId('o-rebill')).toBe('rebill-refusal-o-rebill');
  });
});
