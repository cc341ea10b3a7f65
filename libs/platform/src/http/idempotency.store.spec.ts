import { requestHash } from './idempotency.store';

describe('requestHash (what an Idempotency-Key record keeps of the body)', () => {
  const body = (number: string, cvv = '123') => ({ campaignId: 'c-1', card: { number, expMonth: 12, expYear: 2030, cvv } });

  it('does not depend on the middle digits of a card number or on the cvv, so the digest cannot be brute-forced back to a number', () => {
    expect(requestHash('POST', '/orders', body('4111111111111111'))).toBe(requestHash('POST', '/orders', body('4111110000001111', '999')));
  });

  it('still tells apart bodies with another BIN or last four, or another field', () => {
    const first = requestHash('POST', '/orders', body('4111111111111111'));
    expect(requestHash('POST', '/orders', body('4000000000000002'))).not.toBe(first);
    expect(requestHash('POST', '/orders', { ...body('4111111111111111'), campaignId: 'c-2' })).not.toBe(first);
  });
});
