import { CARD_LOG_REDACT_PATHS, maskCardData, redactCardText } from './redact-card-data';

describe('redactCardText', () => {
  it('redacts number, cardNumber and cvv values in JSON text and keeps the rest as it was', () => {
    const original = '{"type":"PlaceOrder","card":{"number":"4111111111111111","expMonth":12,"cvv":"123"},"items":[{"quantity":2}],"cardNumber":5555555555554444}';
    expect(redactCardText(original)).toBe(
      '{"type":"PlaceOrder","card":{"number":"[REDACTED]","expMonth":12,"cvv":"[REDACTED]"},"items":[{"quantity":2}],"cardNumber":"[REDACTED]"}',
    );
  });

  it('redacts field values in text that is not valid JSON (a cut-off record)', () => {
    expect(redactCardText('{"card":{"number": "4000000000000002", "CVV":"9876"')).toBe('{"card":{"number": "[REDACTED]", "CVV":"[REDACTED]"');
  });

  it('redacts Luhn-valid 13 to 19 digit runs anywhere, with or without spaces and dashes', () => {
    expect(redactCardText('paid with 4111 1111 1111 1111 today')).toBe('paid with [REDACTED] today');
    expect(redactCardText('ref=4000-0000-0000-0077;')).toBe('ref=[REDACTED];');
    expect(redactCardText('{"note":"card 378282246310005"}')).toBe('{"note":"card [REDACTED]"}');
  });

  it('keeps digit runs that are no card number: too short, too long or failing the Luhn check', () => {
    const kept = 'phone 5551234567, order 4111111111111112, id 12345678901234567890, date 2026-03-02';
    expect(redactCardText(kept)).toBe(kept);
  });
});

describe('maskCardData', () => {
  it('keeps UUIDs whole even where their digits and dashes make a Luhn-valid run, and still redacts a card beside one', () => {
    // a correlation id that once came out of a dead letter as "c[REDACTED]f7-..."
    const id = 'c8218662-5859-42f7-ae1e-c4d97faa4f51';
    expect(redactCardText(`{"correlationId":"${id}"}`)).toBe(`{"correlationId":"${id}"}`);
    expect(maskCardData({ correlationId: id })).toEqual({ correlationId: id });
    expect(redactCardText(`${id} 4111111111111111`)).toBe(`${id} [REDACTED]`);
  });

  it('keeps BIN and last four of a card number and drops the cvv, in a copy', () => {
    const body = { campaignId: 'c-1', card: { number: '4111111111111111', expMonth: 12, expYear: 2030, cvv: '123' } };
    expect(maskCardData(body)).toEqual({ campaignId: 'c-1', card: { number: '411111…1111', expMonth: 12, expYear: 2030, cvv: '[REDACTED]' } });
    expect(body.card.number).toBe('4111111111111111');
  });

  it('masks Luhn-valid numbers inside any string and leaves other values alone', () => {
    expect(maskCardData({ note: 'card 4000000000000077 please', rma: { number: 'RMA-17' }, items: [1, 'x'] })).toEqual({
      note: 'card 400000…0077 please',
      rma: { number: 'RMA-17' },
      items: [1, 'x'],
    });
  });
});

describe('CARD_LOG_REDACT_PATHS', () => {
  it('covers the card of a request body and bare cvv fields', () => {
    expect(CARD_LOG_REDACT_PATHS).toEqual(expect.arrayContaining(['card.number', '*.card.number', 'cvv', '*.cvv', 'cardNumber']));
  });
});
