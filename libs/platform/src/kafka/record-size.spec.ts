import { MAX_INPUT_RECORD_BYTES } from '@continuum/contracts';
import { buildDeadLetter } from './dead-letter';
import { boundedSource, OVERSIZE_KEPT_CHARS, oversize, recordBytes, RecordTooLargeError } from './record-size';

describe('record size', () => {
  it('counts the bytes of key, value and headers (UTF-8), not characters', () => {
    expect(recordBytes({ key: Buffer.from('k1'), value: Buffer.from('{"a":"é"}'), headers: { trace: 'abc', multi: [Buffer.from('x'), 'yz'] } })).toBe(2 + 10 + 5 + 3 + 5 + 3);
    expect(recordBytes({ key: null, value: null })).toBe(0);
  });

  it('a record over the limit is too large and says by how much; one at the limit, or without a limit, is not', () => {
    const value = (bytes: number) => Buffer.alloc(bytes, 'a');
    expect(oversize({ key: null, value: value(MAX_INPUT_RECORD_BYTES) }, MAX_INPUT_RECORD_BYTES)).toBeUndefined();
    expect(oversize({ key: null, value: value(921_700) }, undefined)).toBeUndefined();
    const error = oversize({ key: Buffer.from('o-1-F1'), value: value(MAX_INPUT_RECORD_BYTES) }, MAX_INPUT_RECORD_BYTES);
    expect(error).toBeInstanceOf(RecordTooLargeError);
    expect(error).toMatchObject({ code: 'RECORD_TOO_LARGE', bytes: MAX_INPUT_RECORD_BYTES + 6, maxBytes: MAX_INPUT_RECORD_BYTES });
    expect(error!.message).toContain(`the record is ${MAX_INPUT_RECORD_BYTES + 6} bytes (key, value and headers); at most ${MAX_INPUT_RECORD_BYTES} bytes are accepted`);
  });

  it('the dead letter of an oversize record keeps the reason, the code and the first characters of the record, card data redacted first', () => {
    const huge = `{"reference":"o-1-F1","number":"4111111111111111","trackingNumber":"${'A'.repeat(921_600)}"}`;
    const source = boundedSource({ topic: 'fulfillment.updates.v1', partition: 0, offset: '9', key: 'k'.repeat(50_000), headers: { big: 'h'.repeat(50_000) } });
    const record = buildDeadLetter({
      dlqTopic: 'fulfillment.dlq.v1',
      reason: 'schema-invalid',
      error: new RecordTooLargeError(huge.length, MAX_INPUT_RECORD_BYTES),
      failedAt: '2026-03-02T10:00:00.000Z',
      attempts: 0,
      groupId: 'fulfillment.house-updates',
      source,
      original: huge,
      originalMaxChars: OVERSIZE_KEPT_CHARS,
    });
    const letter = JSON.parse(record.value);
    expect(letter).toMatchObject({ reason: 'schema-invalid', attempts: 0, error: { name: 'RecordTooLargeError', code: 'RECORD_TOO_LARGE' } });
    expect(letter.original).toHaveLength(OVERSIZE_KEPT_CHARS);
    expect(letter.original.startsWith('{"reference":"o-1-F1","number":"[REDACTED]"')).toBe(true);
    expect(letter.source.key).toHaveLength(OVERSIZE_KEPT_CHARS);
    expect(letter.source.headers.big).toHaveLength(OVERSIZE_KEPT_CHARS);
    expect(Buffer.byteLength(record.value)).toBeLessThan(4 * OVERSIZE_KEPT_CHARS);
  });
});
