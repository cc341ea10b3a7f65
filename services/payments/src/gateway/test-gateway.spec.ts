import { isLuhnValid } from '../domain/card';
import { GatewayTimeoutError } from './payment-gateway.port';
import { TEST_CARDS, TestGateway } from './test-gateway';

const gateway = new TestGateway();
const charge = (token: string) => gateway.charge({ token, amount: 5000, currency: 'USD', reference: 't-1', merchantId: 'm-1' });
const refund = (token: string, attempt: number) => gateway.refund({ gatewayTransactionId: 'test_ch_t-1', token, amount: 5000, attempt, reference: `rf-1:${attempt}` });

describe('TestGateway', () => {
  it('every documented test card passes the Luhn check', () => {
    for (const card of Object.values(TEST_CARDS)) expect(isLuhnValid(card)).toBe(true);
  });

  it('approves 4111111111111111 with a gateway id from the reference', async () => {
    await expect(charge(TEST_CARDS.approve)).resolves.toEqual({
      response: 'SUCCESS',
      gatewayTransactionId: 'test_ch_t-1',
      message: 'Approved',
      prepaid: false,
      brand: 'VISA',
    });
  });

  it('hard-declines 4000000000000002 and soft-declines 4000000000009995', async () => {
    await expect(charge(TEST_CARDS.hardDecline)).resolves.toMatchObject({ response: 'HARD_DECLINE', prepaid: false });
    await expect(charge(TEST_CARDS.softDecline)).resolves.toMatchObject({ response: 'SOFT_DECLINE', prepaid: false });
  });

  it('approves 4000000000000077 as PREPAID', async () => {
    await expect(charge(TEST_CARDS.prepaid)).resolves.toMatchObject({ response: 'SUCCESS', prepaid: true });
  });

  it('approves any other Luhn-valid number, hard-declines an invalid one', async () => {
    await expect(charge('5555555555554444')).resolves.toMatchObject({ response: 'SUCCESS', brand: 'MASTERCARD' });
    await expect(charge('4111 1111 1111 1111')).resolves.toMatchObject({ response: 'SUCCESS' });
    const invalid = await charge('4111111111111112');
    expect(invalid).toMatchObject({ response: 'HARD_DECLINE', message: 'Invalid card' });
    expect(invalid.gatewayTransactionId).toBeUndefined();
  });

  it('times out on 4000000000000408 instead of declining', async () => {
    await expect(charge(TEST_CARDS.timeout)).rejects.toBeInstanceOf(GatewayTimeoutError);
    await expect(refund(TEST_CARDS.timeout, 1)).rejects.toBeInstanceOf(GatewayTimeoutError);
  });

  it('refunds fail on every attempt for 4000000000000119', async () => {
    for (const attempt of [1, 2, 3, 4]) await expect(refund(TEST_CARDS.refundAlwaysFails, attempt)).resolves.toMatchObject({ succeeded: false });
  });

  it('refunds fail on the first attempt only for 4000000000000259', async () => {
    await expect(refund(TEST_CARDS.refundFirstAttemptFails, 1)).resolves.toMatchObject({ succeeded: false });
    await expect(refund(TEST_CARDS.refundFirstAttemptFails, 2)).resolves.toEqual({ succeeded: true, gatewayTransactionId: 'test_rf_test_ch_t-1_2', message: 'Refunded' });
  });

  it('refunds and voids succeed for an ordinary card', async () => {
    await expect(refund(TEST_CARDS.approve, 1)).resolves.toMatchObject({ succeeded: true });
    await expect(gateway.void({ gatewayTransactionId: 'test_ch_t-1', reference: 't-1:void' })).resolves.toEqual({ succeeded: true, gatewayTransactionId: 'test_vd_test_ch_t-1', message: 'Voided' });
  });
});
