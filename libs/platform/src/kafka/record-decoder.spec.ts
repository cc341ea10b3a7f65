import { MessageRegistry, SchemaValidationError, id, int, obj } from '@continuum/contracts';
import { RecordSource } from './incoming-message';
import { RecordDecoder } from './record-decoder';

const source: RecordSource = { topic: 'test.events.v1', partition: 1, offset: '7', key: 'stream-1', headers: {} };
const all = () => true;

function testRegistry(): MessageRegistry {
  const registry = new MessageRegistry();
  registry.define({ kind: 'event', type: 'ThingHappened', version: 1, topic: 'test.events.v1', description: 'v1', schema: obj({ thingId: id() }) });
  registry.define({ kind: 'event', type: 'ThingHappened', version: 2, topic: 'test.events.v1', description: 'v2', schema: obj({ thingId: id(), count: int() }) });
  registry.registerUpcaster({ type: 'ThingHappened', fromVersion: 1, upcast: (data) => ({ ...data, count: 0 }) });
  registry.define({ kind: 'message', type: 'DoThing', version: 1, topic: 'test.intake.v1', description: 'm', schema: obj({ type: { const: 'DoThing' }, messageId: id(), thingId: id() }, ['type', 'thingId']) });
  return registry;
}

const envelope = (overrides: Record<string, unknown> = {}) => ({
  eventId: 'e-1',
  type: 'ThingHappened',
  version: 2,
  streamId: 'stream-1',
  streamVersion: 1,
  occurredAt: '2024-05-01T10:00:00.000Z',
  correlationId: 'c-1',
  causationId: null,
  actor: { kind: 'system', id: 'test' },
  data: { thingId: 't-1', count: 3 },
  ...overrides,
});

describe('RecordDecoder (envelope)', () => {
  const decoder = new RecordDecoder(testRegistry(), 'envelope');

  it('gives the handler the envelope, its type, where it came from and the event id as dedup id', () => {
    const result = decoder.decode(JSON.stringify(envelope()), source, all);
    expect(result).toEqual({
      kind: 'ok',
      message: { envelope: envelope(), type: 'ThingHappened', dedupId: 'e-1', topic: 'test.events.v1', partition: 1, offset: '7', key: 'stream-1' },
    });
  });

  it('upcasts an old version before validating and handing it over', () => {
    const result = decoder.decode(JSON.stringify(envelope({ version: 1, data: { thingId: 't-1' } })), source, all);
    expect(result.kind === 'ok' && result.message.envelope).toMatchObject({ version: 2, data: { thingId: 't-1', count: 0 } });
  });

  it('calls a value that is not JSON invalid-json', () => {
    const result = decoder.decode('{not json', source, all);
    expect(result).toMatchObject({ kind: 'invalid', reason: 'invalid-json' });
  });

  it('calls an envelope missing a field schema-invalid and names the field', () => {
    const { eventId: _eventId, ...withoutId } = envelope();
    const result = decoder.decode(JSON.stringify(withoutId), source, all);
    expect(result.kind).toBe('invalid');
    if (result.kind !== 'invalid') return;
    expect(result.reason).toBe('schema-invalid');
    expect((result.error as SchemaValidationError).errors).toContainEqual({ path: '/eventId', message: expect.any(String) });
  });

  it('calls data that breaks the event schema schema-invalid', () => {
    const result = decoder.decode(JSON.stringify(envelope({ data: { thingId: 't-1', count: 'three' } })), source, all);
    expect(result).toMatchObject({ kind: 'invalid', reason: 'schema-invalid' });
  });

  it('calls a version newer than any registered schema-invalid', () => {
    const result = decoder.decode(JSON.stringify(envelope({ version: 3 })), source, all);
    expect(result).toMatchObject({ kind: 'invalid', reason: 'schema-invalid' });
  });

  it('passes an unregistered type with a valid envelope to its handler as it is', () => {
    const result = decoder.decode(JSON.stringify(envelope({ type: 'Unregistered', data: { anything: 1 } })), source, all);
    expect(result).toMatchObject({ kind: 'ok', message: { type: 'Unregistered', envelope: { data: { anything: 1 } } } });
  });

  it('skips a type nobody handles without checking its data', () => {
    const result = decoder.decode(JSON.stringify(envelope({ data: { wrong: true } })), source, () => false);
    expect(result).toEqual({ kind: 'skip', type: 'ThingHappened' });
  });

  it("knows from the relay's type header a record nobody here handles, before reading its value", () => {
    const handles = (type: string) => type === 'ThingHappened';
    expect(decoder.skippedByHeader({ ...source, headers: { type: 'OtherThing', eventId: 'e-2' } }, handles)).toBe('OtherThing');
    // a handled type, or no type header (an older record, one written by hand): the value decides
    expect(decoder.skippedByHeader({ ...source, headers: { type: 'ThingHappened' } }, handles)).toBeUndefined();
    expect(decoder.skippedByHeader(source, handles)).toBeUndefined();
    expect(decoder.skippedByHeader({ ...source, headers: { type: '' } }, handles)).toBeUndefined();
  });
});

describe('RecordDecoder (message)', () => {
  const decoder = new RecordDecoder(testRegistry(), 'message');

  it('reads every message from outside, whatever its type header says', () => {
    expect(decoder.skippedByHeader({ ...source, headers: { type: 'Unhandled' } }, () => false)).toBeUndefined();
  });

  it('validates the whole message and uses its messageId as dedup id', () => {
    const message = { type: 'DoThing', messageId: 'm-1', thingId: 't-1' };
    expect(decoder.decode(JSON.stringify(message), source, all)).toEqual({
      kind: 'ok',
      message: { message, type: 'DoThing', dedupId: 'm-1', topic: 'test.events.v1', partition: 1, offset: '7', key: 'stream-1' },
    });
  });

  it('falls back to topic:partition:offset without a messageId', () => {
    const result = decoder.decode(JSON.stringify({ type: 'DoThing', thingId: 't-1' }), source, all);
    expect(result.kind === 'ok' && result.message.dedupId).toBe('test.events.v1:1:7');
  });

  it('knows a replayed dead letter without a messageId by the position of the record first dead-lettered (x-replay-of), so a replay is handled once', () => {
    const replayed = { ...source, offset: '42', headers: { 'x-replay-of': 'test.events.v1:1:7', 'x-replay-count': '1' } };
    const result = decoder.decode(JSON.stringify({ type: 'DoThing', thingId: 't-1' }), replayed, all);
    expect(result.kind === 'ok' && result.message.dedupId).toBe('test.events.v1:1:7');
  });

  it('keeps a messageId as the dedup id of a replayed message', () => {
    const replayed = { ...source, offset: '42', headers: { 'x-replay-of': 'test.events.v1:1:7' } };
    const result = decoder.decode(JSON.stringify({ type: 'DoThing', messageId: 'm-9', thingId: 't-1' }), replayed, all);
    expect(result.kind === 'ok' && result.message.dedupId).toBe('m-9');
  });

  it('calls a message that breaks its schema schema-invalid', () => {
    const result = decoder.decode(JSON.stringify({ type: 'DoThing', thingId: 't-1', extra: 1 }), source, all);
    expect(result).toMatchObject({ kind: 'invalid', reason: 'schema-invalid' });
  });

  it('calls a message without a type schema-invalid', () => {
    expect(decoder.decode(JSON.stringify({ thingId: 't-1' }), source, all)).toMatchObject({ kind: 'invalid', reason: 'schema-invalid' });
    expect(decoder.decode('[1,2]', source, all)).toMatchObject({ kind: 'invalid', reason: 'schema-invalid' });
  });

  it('calls a handled but unregistered message type schema-invalid', () => {
    expect(decoder.decode(JSON.stringify({ type: 'Nope' }), source, all)).toMatchObject({ kind: 'invalid', reason: 'schema-invalid' });
  });
});

describe('RecordDecoder (message of a fixed type)', () => {
  const registry = testRegistry();
  registry.define({ kind: 'message', type: 'PartnerReport', version: 1, topic: 'test.reports.v1', description: 'r', schema: obj({ ref: id(), type: { enum: ['DONE', 'LOST'] } }) });
  const decoder = new RecordDecoder(registry, 'message', 'PartnerReport');

  it("validates every record as that message, whatever its own type field says, and hands it to that type's handler", () => {
    const result = decoder.decode(JSON.stringify({ ref: 'r-1', type: 'DONE' }), source, (type) => type === 'PartnerReport');
    expect(result).toEqual({ kind: 'ok', message: { message: { ref: 'r-1', type: 'DONE' }, type: 'PartnerReport', dedupId: 'test.events.v1:1:7', topic: 'test.events.v1', partition: 1, offset: '7', key: 'stream-1' } });
  });

  it('calls a record that breaks the schema, or is not an object, schema-invalid', () => {
    expect(decoder.decode(JSON.stringify({ ref: 'r-1', type: 'ELSE' }), source, all)).toMatchObject({ kind: 'invalid', reason: 'schema-invalid' });
    expect(decoder.decode('[1]', source, all)).toMatchObject({ kind: 'invalid', reason: 'schema-invalid' });
    expect(decoder.decode('{oops', source, all)).toMatchObject({ kind: 'invalid', reason: 'invalid-json' });
  });
});
