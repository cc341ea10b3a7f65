import { RebillOrderReported, RebillRefused } from '@continuum/contracts';
import { spec } from '@continuum/testing';
import { RefuseRebill, ReportRebillOrder, rebillAnswerDecider, rebillAnswerStreamId } from './rebill-answer.decider';

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
const report = (status: ReportRebillOrder['data']['status']): ReportRebillOrder => ({
  type: 'ReportRebillOrder',
  data: { purchaseId: 'pu-1', customerId: 'cu-1', billingCycle: 3, attempt: 0, orderId: 'o-rebill', status, paymentType: 'EXTERNAL', amount: 6294, currency: 'USD', reason: 'Declined by QA' },
  metadata,
});
const reported = (status: ReportRebillOrder['data']['status']): RebillOrderReported => ({ type: 'RebillOrderReported', data: { ...report(status).data, at: metadata.now } });

describe('rebill answers: what orders answered one rebill request with, besides its order', () => {
  it('records a refusal with when it was refused', () => {
    spec(rebillAnswerDecider).given([]).when(refuse).then([refused]);
  });

  it('records nothing the second time the same request is refused', () => {
    spec(rebillAnswerDecider).given([refused]).when({ ...refuse, data: { ...data, code: 'QUANTITY_LIMIT' } }).then([]);
  });

  it("reports each ending of the request's order once", () => {
    spec(rebillAnswerDecider).given([]).when(report('DECLINED')).then([reported('DECLINED')]);
    spec(rebillAnswerDecider).given([reported('DECLINED')]).when(report('DECLINED')).then([]);
    spec(rebillAnswerDecider).given([reported('COMPLETE')]).when(report('REFUNDED')).then([reported('REFUNDED')]);
  });

  it('keeps each request on a stream of its own, named by the order id it has or would have had', () => {
    expect(rebillAnswerStreamId('o-rebill')).toBe('rebill-answer-o-rebill');
  });
});
