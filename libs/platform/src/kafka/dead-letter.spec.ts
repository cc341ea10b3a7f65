import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { DomainError, deadLetterSchema } from '@continuum/contracts';
import { DeadLetter, buildDeadLetter } from './dead-letter';
import { RecordSource } from './incoming-message';

const source: RecordSource = { topic: 'orders.events.v1', partition: 2, offset: '41', key: 'order-1', headers: { trace: 'abc' } };

describe('buildDeadLetter', () => {
  it('keeps the reason, the error, where it came from and the original value, keyed like the original', () => {
    const record = buildDeadLetter({
      dlqTopic: 'payments.dlq.v1',
      reason: 'failed',
      error: new TypeError('gateway down'),
      failedAt: '2024-05-01T10:00:00.000Z',
      attempts: 5,
      groupId: 'payments.orders',
      source,
      original: '{"not":"changed"}',
    });

    expect(record.topic).toBe('payments.dlq.v1');
    expect(record.key).toBe('order-1');
    expect(record.headers).toEqual({ 'dlq-reason': 'failed', 'dlq-group': 'payments.orders' });
    expect(JSON.parse(record.value) as DeadLetter).toEqual({
      reason: 'failed',
      error: { name: 'TypeError', message: 'gateway down' },
      failedAt: '2024-05-01T10:00:00.000Z',
      attempts: 5,
      groupId: 'payments.orders',
      source,
      original: '{"not":"changed"}',
    });
  });

  it('records the code of a domain error', () => {
    const record = buildDeadLetter({
      dlqTopic: 'orders.dlq.v1',
      reason: 'rejected',
      error: new DomainError('ORDER_CANCELLED', 'The order is cancelled.'),
      failedAt: '2024-05-01T10:00:00.000Z',
      attempts: 1,
      groupId: 'g',
      source,
      original: null,
    });
    expect(JSON.parse(record.value).error).toEqual({ name: 'DomainError', message: 'The order is cancelled.', code: 'ORDER_CANCELLED' });
  });

  it('keeps no card number or cvv of the original or the error, and the rest of the original as it was', () => {
    const original = JSON.stringify({ type: 'PlaceOrder', clientOrderId: 'l-1', card: { number: '4111111111111111', expMonth: 12, expYear: 2030, cvv: '123' }, note: 'pan 4000 0000 0000 0002' });
    const record = buildDeadLetter({
      dlqTopic: 'orders.dlq.v1',
      reason: 'schema-invalid',
      error: new Error('card 4111111111111111 is not accepted'),
      failedAt: '2024-05-01T10:00:00.000Z',
      attempts: 0,
      groupId: 'orders.intake',
      source,
      original,
    });
    expect(record.value).not.toMatch(/4111111111111111|4000 0000 0000 0002|"cvv":"123"/);
    const letter = JSON.parse(record.value) as DeadLetter;
    expect(JSON.parse(letter.original!)).toEqual({ type: 'PlaceOrder', clientOrderId: 'l-1', card: { number: '[REDACTED]', expMonth: 12, expYear: 2030, cvv: '[REDACTED]' }, note: 'pan [REDACTED]' });
    expect(letter.error.message).toBe('card [REDACTED] is not accepted');
  });

  it('describes a thrown non-error value', () => {
    const record = buildDeadLetter({ dlqTopic: 'x.dlq.v1', reason: 'failed', error: 'boom', failedAt: 't', attempts: 1, groupId: 'g', source, original: 'v' });
    expect(JSON.parse(record.value).error).toEqual({ name: 'Error', message: 'boom' });
  });
});

describe('dead letters and the documented DeadLetter schema (asyncapi.yaml)', () => {
  it('match, so what ops read on a DLQ topic is what the document promises', () => {
    const validate = addFormats(new Ajv({ allErrors: true, strict: true, allowUnionTypes: true })).compile(deadLetterSchema());
    const values = [
      buildDeadLetter({ dlqTopic: 'x.dlq.v1', reason: 'rejected', error: new DomainError('C', 'm'), failedAt: '2024-05-01T10:00:00.000Z', attempts: 1, groupId: 'g', source, original: '{}' }),
      buildDeadLetter({ dlqTopic: 'x.dlq.v1', reason: 'invalid-json', error: new SyntaxError('bad'), failedAt: '2024-05-01T10:00:00.000Z', attempts: 0, groupId: 'g', source: { ...source, key: null }, original: null }),
    ].map((record) => JSON.parse(record.value));
    for (const value of values) expect({ valid: validate(value), errors: validate.errors }).toEqual({ valid: true, errors: null });
  });
});
