import { Topics } from '@continuum/contracts';
import { IDEMPOTENCY_COLLECTION, Platform } from '@continuum/platform';
import { TEST_CARDS } from '../src/gateway';
import { CARD_VAULT_COLLECTION, CardVault, CardVaultIntegrityError } from '../src/vault';
import { cardOnFile, newOrderId, orderPlaced, upsellAdded, usePaymentsService } from './payments-harness';

const future = new Date().getUTCFullYear() + 2;
const card = (number: string, extra: Record<string, unknown> = {}) => ({ number, expMonth: 6, expYear: future, cvv: '7391', ...extra });

// The card vault against the real store: POST /cards, what is stored, the round trip, and charges by token.
describe('card vault (POST /cards, FerretDB, Kafka)', () => {
  const { app, http, probe, tokenise, placeCardOrder } = usePaymentsService();
  const post = (body: object, key = 'dev-service', headers: Record<string, string> = {}) => {
    const call = http.post('/cards', body, key);
    for (const [name, value] of Object.entries(headers)) call.set(name, value);
    return call;
  };
  const vaultDocs = () => app().get(Platform).connection.db!.collection(CARD_VAULT_COLLECTION);

  it('tokenises a card for a service: an opaque token and what may be shown, never the number or cvv', async () => {
    const answer = await post(card('5555555555554444')).expect(201);
    expect(answer.body).toEqual({ token: expect.stringMatching(/^tok_[A-Za-z0-9_-]{24}$/), brand: 'MASTERCARD', last4: '4444', bin: '555555', expMonth: 6, expYear: future });
    const stored = await vaultDocs().findOne({ _id: answer.body.token });
    expect(stored).toMatchObject({ brand: 'MASTERCARD', last4: '4444', bin: '555555', number: { keyId: expect.any(String), iv: expect.any(String), ciphertext: expect.any(String), tag: expect.any(String) } });
    // a cvv field, not the letters: the sealed number is random base64, which may spell them
    expect(JSON.stringify(stored)).not.toMatch(/5555555555554444|7391|"cvv"/i);
    await expect(app().get(CardVault).reveal(answer.body.token)).resolves.toEqual({ number: '5555555555554444', expMonth: 6, expYear: future });
  });

  it('gives another token each time the same card is tokenised', async () => {
    const first = await tokenise(TEST_CARDS.approve);
    const second = await tokenise(TEST_CARDS.approve);
    expect(first.token).not.toBe(second.token);
    expect(first.brand).toBe('VISA');
  });

  it('is for services only: 401 without a key, 403 for an agent', async () => {
    await post(card(TEST_CARDS.approve), 'nobody').expect(401);
    await post(card(TEST_CARDS.approve), 'dev-agent').expect(403);
  });

  it('refuses a mistyped, short, expired or malformed card with 400 naming the field, never echoing the number', async () => {
    const cases: [object, string][] = [
      [card('4111111111111112'), 'number'],
      [card('41111111111'), 'number'],
      [card(TEST_CARDS.approve, { expMonth: 13 }), 'expMonth'],
      [card(TEST_CARDS.approve, { expMonth: 1, expYear: 2020 }), 'expYear'],
      [card(TEST_CARDS.approve, { cvv: '12' }), 'cvv'],
      [card(TEST_CARDS.approve, { pin: '1234' }), 'pin'],
    ];
    for (const [body, field] of cases) {
      const answer = await post(body).expect(400);
      expect(answer.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(answer.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(JSON.stringify(answer.body)).not.toMatch(/4111111111111112|4111111111111111|41111111111/);
    }
    expect(await vaultDocs().countDocuments({ last4: '1112' })).toBe(0);
  });

  it('keeps no card number in the Idempotency-Key record and replays the same token', async () => {
    const body = card('4000000000000077');
    const first = await post(body, 'dev-service', { 'Idempotency-Key': 'tokenise-1' }).expect(201);
    const again = await post(body, 'dev-service', { 'Idempotency-Key': 'tokenise-1' }).expect(201);
    expect(again.body.token).toBe(first.body.token);
    const record = await app().get(Platform).connection.db!.collection(IDEMPOTENCY_COLLECTION).findOne({ _id: 'dev-service:tokenise-1' as never });
    expect(record).not.toBeNull();
    expect(JSON.stringify(record)).not.toMatch(/4000000000000077|7391/);
  });

  it('does not open a sealed number that was altered in the store', async () => {
    const { token } = await tokenise(TEST_CARDS.approve);
    const stored = await vaultDocs().findOne({ _id: token as never });
    const bytes = Buffer.from(stored!['number'].ciphertext, 'base64');
    bytes[0] = bytes[0]! ^ 0xff;
    await vaultDocs().updateOne({ _id: token as never }, { $set: { 'number.ciphertext': bytes.toString('base64') } });
    await expect(app().get(CardVault).reveal(token)).rejects.toBeInstanceOf(CardVaultIntegrityError);
    await expect(app().get(CardVault).reveal('tok_never-issued')).resolves.toBeUndefined();
  });

  it('charges by token: the gateway reads the number from the vault, events carry token, brand, last four and BIN only', async () => {
    const { transactionId } = await placeCardOrder({ card: '2223003122003222' });
    const approved = await probe.waitForEvent('PaymentApproved', { transactionId });
    expect(approved.data).toMatchObject({ card: { token: expect.stringMatching(/^tok_/), brand: 'MASTERCARD', last4: '3222', bin: '222300' } });
    expect(JSON.stringify(approved)).not.toContain('2223003122003222');
  });

  it('4000000000000341 approves the order charge and soft-declines a later charge on the stored token (an upsell)', async () => {
    const { orderId, transactionId } = await placeCardOrder({ card: TEST_CARDS.laterChargesSoftDecline, total: 3000 });
    await probe.waitForEvent('PaymentApproved', { transactionId });
    await probe.publish(Topics.ordersEvents, `order-${orderId}`, 'UpsellAdded', upsellAdded(orderId, { orderItemId: 'oi-9', price: 1000, orderTotal: 3000 }));
    const declined = await probe.waitForEvent('PaymentDeclined', { transactionId: `${orderId}-upsell-oi-9` });
    expect(declined.data).toMatchObject({ response: 'SOFT_DECLINE', purpose: 'UPSELL', card: { last4: '0341' } });
  });

  it('4000000000000358 hard-declines a rebill charged on the token of the original order', async () => {
    const token = cardOnFile(await tokenise(TEST_CARDS.laterChargesHardDecline));
    const orderId = newOrderId();
    const rebill = { ...orderPlaced(orderId, { card: token, total: 2298 }), rebill: { purchaseId: `pur-${orderId}`, billingCycle: 2, originalOrderId: 'ord-original' } };
    await probe.publish(Topics.ordersEvents, `order-${orderId}`, 'OrderPlaced', rebill);
    const declined = await probe.waitForEvent('PaymentDeclined', { transactionId: `${orderId}-charge-1` });
    expect(declined.data).toMatchObject({ response: 'HARD_DECLINE', purpose: 'REBILL', card: { token: token.token, last4: '0358' } });
  });
});
