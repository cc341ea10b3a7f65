import { registry } from '@continuum/contracts';
import { causedBy, currentVersion, eventEnvelope, republished, testActor } from './event-builders';

describe('eventEnvelope', () => {
  it('builds an envelope at the current schema version, first in its stream, with fresh ids, no cause and the test actor', () => {
    const before = Date.now();
    const envelope = eventEnvelope('PaymentApproved', 'transaction-t-1', { transactionId: 't-1' });
    expect(envelope).toEqual({
      eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'PaymentApproved',
      version: registry.current('PaymentApproved').version,
      streamId: 'transaction-t-1',
      streamVersion: 1,
      occurredAt: expect.any(String),
      correlationId: expect.stringMatching(/^corr-/),
      causationId: null,
      actor: testActor,
      data: { transactionId: 't-1' },
    });
    expect(Date.parse(envelope.occurredAt)).toBeGreaterThanOrEqual(before - 1);
  });

  it('follows the registry for an event whose schema moved on (no spec publishes a stale version by hand)', () => {
    expect(registry.current('PaymentApproved').version).toBeGreaterThan(1);
    expect(eventEnvelope('PaymentApproved', 's', {}).version).toBe(registry.current('PaymentApproved').version);
  });

  it('gives every envelope its own event and correlation id', () => {
    const [a, b] = [eventEnvelope('OrderPlaced', 'order-1', {}), eventEnvelope('OrderPlaced', 'order-1', {})];
    expect(a.eventId).not.toBe(b.eventId);
    expect(a.correlationId).not.toBe(b.correlationId);
  });

  it('takes what the spec sets, and ignores an override left undefined', () => {
    const actor = { kind: 'agent' as const, id: 'dev-agent' };
    const envelope = eventEnvelope('OrderPlaced', 'order-1', { orderId: '1' }, { eventId: 'e-1', version: 1, streamVersion: 3, correlationId: 'c-1', causationId: 'e-0', actor, occurredAt: undefined });
    expect(envelope).toMatchObject({ eventId: 'e-1', version: 1, streamVersion: 3, correlationId: 'c-1', causationId: 'e-0', actor, occurredAt: expect.any(String) });
  });

  it('publishes a type the registry does not know at version 1, so a spec can see it refused', () => {
    expect(registry.has('NoSuchEvent')).toBe(false);
    expect(currentVersion('NoSuchEvent')).toBe(1);
    expect(eventEnvelope('NoSuchEvent', 's', {}).version).toBe(1);
  });
});

describe('causedBy', () => {
  it('carries the correlation id and actor of the cause and names it as causation', () => {
    const cause = eventEnvelope('OrderPlaced', 'order-1', {}, { actor: { kind: 'agent', id: 'dev-agent' } });
    const effect = eventEnvelope('PaymentApproved', 'transaction-1', {}, causedBy(cause));
    expect(effect).toMatchObject({ correlationId: cause.correlationId, causationId: cause.eventId, actor: cause.actor });
    expect(effect.eventId).not.toBe(cause.eventId);
  });
});

describe('republished', () => {
  it('is the same event under a new event id', () => {
    const original = eventEnvelope('RefundSucceeded', 'transaction-1', { refundId: 'r-1' });
    const copy = republished(original);
    expect(copy.eventId).not.toBe(original.eventId);
    expect({ ...copy, eventId: original.eventId }).toEqual(original);
  });
});
