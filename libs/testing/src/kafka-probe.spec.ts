import { EventEnvelope } from '@continuum/contracts';
import { eventEnvelope } from './event-builders';
import { dataMatches, KafkaProbe, KafkaProbeOptions } from './kafka-probe';

// What a probe makes of the records it reads and of what it is asked to publish, without Kafka:
// records go in through receive(), and publishing is caught at publishRaw.
class OfflineProbe extends KafkaProbe {
  readonly sent: { topic: string; key: string | null; value: string }[] = [];

  override async publishRaw(topic: string, key: string | null, value: string): Promise<void> {
    this.sent.push({ topic, key, value });
  }
}

const options: KafkaProbeOptions = { topicPrefix: 'it-abc.', events: ['payments.events.v1'], deadLetters: ['payments.dlq.v1'], wait: { timeoutMs: 200, intervalMs: 5 } };
let offset = 0;
const deliver = (probe: KafkaProbe, topic: string, value: string, key: string | null = 'k-1', headers: Record<string, Buffer | string | (Buffer | string)[] | undefined> = {}) =>
  probe.receive({ topic, partition: 0, message: { key: key === null ? null : Buffer.from(key), value: Buffer.from(value), offset: String(offset++), headers } });
const deadLetter = (original: string) => ({ reason: 'failed', error: { name: 'Error', message: 'boom' }, failedAt: new Date().toISOString(), attempts: 3, groupId: 'it-abc.payments.reactions', source: { topic: 'it-abc.orders.events.v1', partition: 0, offset: '7' }, original });

describe('dataMatches', () => {
  it('matches when every given key has the same value; extra keys in the data do not matter', () => {
    expect(dataMatches({ transactionId: 't-1', amount: 5 }, { transactionId: 't-1' })).toBe(true);
    expect(dataMatches({ transactionId: 't-1', final: false }, { transactionId: 't-1', final: true })).toBe(false);
    expect(dataMatches({ amount: 5 }, { amount: '5' })).toBe(false);
  });

  it('takes a predicate, and matches anything when nothing is asked', () => {
    expect(dataMatches({ amount: 5 }, (data) => data.amount > 4)).toBe(true);
    expect(dataMatches({ amount: 5 }, undefined)).toBe(true);
    expect(dataMatches(null, { amount: 5 })).toBe(false);
  });
});

describe('KafkaProbe (offline)', () => {
  it('prefixes topic names with the run', () => {
    expect(new OfflineProbe(options).topic('orders.events.v1')).toBe('it-abc.orders.events.v1');
  });

  it('reads the events topics into published, the DLQ topics into deadLetters, and everything into records, by logical name', () => {
    const probe = new OfflineProbe({ ...options, topics: ['orders.intake.v1'] });
    expect(probe.topics).toEqual(['payments.events.v1', 'payments.dlq.v1', 'orders.intake.v1']);
    const approved = eventEnvelope('PaymentApproved', 'transaction-t-1', { transactionId: 't-1' });
    deliver(probe, 'it-abc.payments.events.v1', JSON.stringify(approved), 'transaction-t-1', { 'x-trace': Buffer.from('abc') });
    const letter = deadLetter('{"orderId":"o-1"}');
    deliver(probe, 'it-abc.payments.dlq.v1', JSON.stringify(letter), 'order-o-1');
    deliver(probe, 'it-abc.orders.intake.v1', 'not json', 'marker-1');

    expect(probe.published).toEqual([approved]);
    expect(probe.deadLetters).toEqual([{ ...letter, key: 'order-o-1', value: JSON.stringify(letter) }]);
    expect(probe.records.map((r) => [r.topic, r.key])).toEqual([
      ['payments.events.v1', 'transaction-t-1'],
      ['payments.dlq.v1', 'order-o-1'],
      ['orders.intake.v1', 'marker-1'],
    ]);
    expect(probe.records[0]!.headers).toEqual({ 'x-trace': 'abc' });
  });

  it('keeps a record that is not JSON, or has no key, without taking it for an event or a dead letter', () => {
    const probe = new OfflineProbe(options);
    const record = deliver(probe, 'it-abc.payments.events.v1', '{"type":', null);
    expect(record).toMatchObject({ topic: 'payments.events.v1', key: null, value: '{"type":' });
    expect(probe.published).toEqual([]);
    expect(probe.deadLetters).toEqual([]);
  });

  it('finds events by type and data, and waits for one that arrives later', async () => {
    const probe = new OfflineProbe(options);
    const first = eventEnvelope('PaymentApproved', 'transaction-t-1', { transactionId: 't-1', purpose: 'ORDER' });
    const other = eventEnvelope('PaymentDeclined', 'transaction-t-2', { transactionId: 't-2' });
    for (const envelope of [first, other]) deliver(probe, 'it-abc.payments.events.v1', JSON.stringify(envelope));
    expect(probe.events('PaymentApproved')).toEqual([first]);
    expect(probe.events(undefined, { transactionId: 't-2' })).toEqual([other]);

    const later = eventEnvelope('ChargeSettled', 'transaction-t-1', { transactionId: 't-1' });
    setTimeout(() => deliver(probe, 'it-abc.payments.events.v1', JSON.stringify(later)), 20);
    await expect(probe.waitForEvent('ChargeSettled', { transactionId: 't-1' })).resolves.toEqual(later);
    await expect(probe.waitForEvent('ChargeSettled', { transactionId: 't-9' })).rejects.toThrow(/waiting for ChargeSettled \{"transactionId":"t-9"\}/);
  });

  it('waits for a dead letter', async () => {
    const probe = new OfflineProbe(options);
    setTimeout(() => deliver(probe, 'it-abc.payments.dlq.v1', JSON.stringify(deadLetter('{"orderId":"o-2"}')), 'order-o-2'), 20);
    const letter = await probe.waitForDeadLetter((d) => (d.original ?? '').includes('o-2'), 'the dead letter of o-2');
    expect(letter).toMatchObject({ reason: 'failed', key: 'order-o-2' });
  });

  it('publishes an event at the current version on its stream key, as the probe actor unless the spec names one', async () => {
    const probe = new OfflineProbe({ ...options, actor: { kind: 'service', id: 'it-orders' } });
    const placed = await probe.publish('orders.events.v1', 'order-o-1', 'OrderPlaced', { orderId: 'o-1' });
    const byAgent = await probe.publish('orders.events.v1', 'order-o-1', 'OrderCancelled', { orderId: 'o-1' }, { actor: { kind: 'agent', id: 'dev-agent' }, causationId: placed.eventId });
    expect(probe.sent.map((s) => [s.topic, s.key])).toEqual([
      ['orders.events.v1', 'order-o-1'],
      ['orders.events.v1', 'order-o-1'],
    ]);
    expect(JSON.parse(probe.sent[0]!.value)).toEqual(placed);
    expect(placed.actor).toEqual({ kind: 'service', id: 'it-orders' });
    expect(JSON.parse(probe.sent[1]!.value) as EventEnvelope).toMatchObject({ actor: { kind: 'agent', id: 'dev-agent' }, causationId: placed.eventId });
    expect(byAgent.type).toBe('OrderCancelled');
  });

  it('drains a topic: a marker that is not JSON, done once the service dead-letters it', async () => {
    const probe = new OfflineProbe(options);
    const drained = probe.drain('payments.events.v1');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(probe.sent).toEqual([{ topic: 'payments.events.v1', key: expect.stringMatching(/^marker-/), value: 'not json' }]);
    deliver(probe, 'it-abc.payments.dlq.v1', JSON.stringify({ ...deadLetter('not json'), reason: 'invalid-json' }), probe.sent[0]!.key);
    await expect(drained).resolves.toBeUndefined();
  });
});
