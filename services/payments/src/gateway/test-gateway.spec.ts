import { ChargePurpose } from '@continuum/contracts';
import { isLuhnValid } from '../domain/card';
import { CardNumberSource } from '../vault/card-vault';
import { GatewayTimeoutError } from './payment-gateway.port';
import { TEST_CARDS, TestGateway } from './test-gateway';

// A unit spec stands in for the vault with a map: the token of a number is `tok_<number>`.
const vault: CardNumberSource = {
  reveal: async (token) => (token.startsWith('tok_') ? { number: token.slice(4), expMonth: 12, expYear: 2030 } : undefined),
};
const gateway = new TestGateway(vault);
const charge = (number: string, purpose: ChargePurpose = 'ORDER') =>
  gateway.charge({ token: `tok_${number}`, amount: 5000, currency: 'USD', reference: 't-1', merchantId: 'm-1', purpose });
const refund = (number: string, attempt: number, settled = true) =>
  gateway.refund({ gatewayTransactionId: 'test_ch_t-1', token: `tok_${number}`, amount: 5000, attempt, reference: `rf-1:${attempt}`, settled });
const voidOf = (number: string) => gateway.void({ gatewayTransactionId: 'test_ch_t-1', token: `tok_${number}`, reference: 't-1:void:1' });

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
    const invalid = await charge('4111111111111112');
    expect(invalid).toMatchObject({ response: 'HARD_DECLINE', message: 'Invalid card' });
    expect(invalid.gatewayTransactionId).toBeUndefined();
  });

  it('approves the order charge of 4000000000000341 and soft-declines every later charge (rebill, rerun, upsell)', async () => {
    await expect(charge(TEST_CARDS.laterChargesSoftDecline, 'ORDER')).resolves.toMatchObject({ response: 'SUCCESS' });
    for (const later of ['REBILL', 'RERUN', 'UPSELL'] as const) {
      await expect(charge(TEST_CARDS.laterChargesSoftDecline, later)).resolves.toMatchObject({ response: 'SOFT_DECLINE', gatewayTransactionId: 'test_ch_t-1' });
    }
  });

  it('approves the order charge of 4000000000000358 and hard-declines every later charge', async () => {
    await expect(charge(TEST_CARDS.laterChargesHardDecline, 'ORDER')).resolves.toMatchObject({ response: 'SUCCESS' });
    await expect(charge(TEST_CARDS.laterChargesHardDecline, 'REBILL')).resolves.toMatchObject({ response: 'HARD_DECLINE' });
  });

  it('declines a token the vault never issued, and refuses to refund on it', async () => {
    await expect(gateway.charge({ token: 'tok-unknown', amount: 100, currency: 'USD', reference: 't-2', purpose: 'ORDER' })).resolves.toEqual({
      response: 'HARD_DECLINE',
      message: 'Unknown card token',
      prepaid: false,
      brand: 'UNKNOWN',
    });
    await expect(gateway.refund({ gatewayTransactionId: 'g', token: 'tok-unknown', amount: 100, attempt: 1, reference: 'rf:1', settled: true })).resolves.toMatchObject({ succeeded: false });
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
    await expect(voidOf(TEST_CARDS.approve)).resolves.toEqual({ succeeded: true, gatewayTransactionId: 'test_vd_test_ch_t-1', message: 'Voided' });
  });

  it('approves 4000000000000424 but refuses every void of it', async () => {
    await expect(charge(TEST_CARDS.voidAlwaysFails)).resolves.toMatchObject({ response: 'SUCCESS' });
    for (let i = 0; i < 2; i++) await expect(voidOf(TEST_CARDS.voidAlwaysFails)).resolves.toEqual({ succeeded: false, message: 'Void rejected by the gateway' });
  });

  it('refuses a refund of an unsettled charge as NOT_SETTLED, and refunds it once settled', async () => {
    await expect(refund(TEST_CARDS.voidAlwaysFails, 1, false)).resolves.toEqual({ succeeded: false, message: 'Charge not settled yet', refusal: 'NOT_SETTLED' });
    await expect(refund(TEST_CARDS.approve, 1, false)).resolves.toMatchObject({ succeeded: false, refusal: 'NOT_SETTLED' });
    await expect(refund(TEST_CARDS.voidAlwaysFails, 2, true)).resolves.toEqual({ succeeded: true, gatewayTransactionId: 'test_rf_test_ch_t-1_2', message: 'Refunded' });
  });
  it('answers a status query with what it answered under the reference, and found: false for a request it never received or that timed out', async () => {
    const fresh = new TestGateway(vault);
    await expect(fresh.status({ operation: 'void', reference: 't-1:void:1' })).resolves.toEqual({ found: false });
    await fresh.void({ gatewayTransactionId: 'test_ch_t-1', token: `tok_${TEST_CARDS.approve}`, reference: 't-1:void:1' });
    await expect(fresh.status({ operation: 'void', reference: 't-1:void:1' })).resolves.toEqual({ found: true, succeeded: true, message: 'Voided', gatewayTransactionId: 'test_vd_test_ch_t-1' });
    await fresh.charge({ token: `tok_${TEST_CARDS.softDecline}`, amount: 5000, currency: 'USD', reference: 't-2', purpose: 'REBILL' });
    await expect(fresh.status({ operation: 'charge', reference: 't-2' })).resolves.toEqual({ found: true, succeeded: false, response: 'SOFT_DECLINE', message: 'Insufficient funds', gatewayTransactionId: 'test_ch_t-2', amount: 5000, currency: 'USD' });
    await expect(fresh.charge({ token: `tok_${TEST_CARDS.timeout}`, amount: 5000, currency: 'USD', reference: 't-3', purpose: 'REBILL' })).rejects.toBeInstanceOf(GatewayTimeoutError);
    await expect(fresh.status({ operation: 'charge', reference: 't-3' })).resolves.toEqual({ found: false });
    // the operation is part of the key: a void reference is not a refund's
    await expect(fresh.status({ operation: 'refund', reference: 't-1:void:1' })).resolves.toEqual({ found: false });
  });
  it('approves the order charge of 4000000000000432 and times out on every later charge of it', async () => {
    await expect(charge(TEST_CARDS.laterChargesTimeOut)).resolves.toMatchObject({ response: 'SUCCESS' });
    for (const purpose of ['REBILL', 'RERUN', 'UPSELL'] as const) await expect(charge(TEST_CARDS.laterChargesTimeOut, purpose)).rejects.toBeInstanceOf(GatewayTimeoutError);
  });
});
