import { randomUUID } from 'node:crypto';
import { Topics } from '@continuum/contracts';
import { PlainKafkaHouse } from './house-client';
import { useFulfillmentService } from './fulfillment-harness';

jest.setTimeout(90_000);

// A fulfillment house with a plain Kafka client and the documented JSON only (house-client.ts):
// it consumes fulfillment.requests.v1 and answers on fulfillment.updates.v1.
describe('a fulfillment house over Kafka (Kafka, FerretDB, Redis)', () => {
  const sut = useFulfillmentService();
  const { probe } = sut;
  let house: PlainKafkaHouse;

  beforeAll(async () => {
    house = new PlainKafkaHouse(sut.names.topicPrefix);
    await house.start();
  });
  afterAll(async () => {
    await house?.stop();
  });

  /** A completed order's fulfillment, exported: the house has its request. */
  async function exportedToHouse(): Promise<string> {
    const created = await sut.orderThatShips();
    await sut.exportRun();
    await house.waitForRequest(created.reference);
    return created.reference;
  }

  /** Sends a record that is not JSON under `reference` and waits for its dead letter: the updates before it on that partition were handled. */
  async function drainFor(reference: string): Promise<void> {
    // a uuid, not Math.random(): a run of 13-19 digits that passes Luhn reads [REDACTED] in a dead letter
    const marker = `not json ${randomUUID()}`;
    await house.send(reference, marker);
    await probe.waitForDeadLetter((letter) => letter.original === marker, 'marker dead-lettered');
  }

  it('receives the documented request and its SHIPPED then DELIVERED move the fulfillment', async () => {
    const reference = await exportedToHouse();
    const request = await house.waitForRequest(reference);
    expect(request.json).toEqual({
      reference,
      orderId: reference.replace(/-F1$/, ''),
      customerId: expect.stringMatching(/^cus-/),
      items: [{ sku: 'SKU-1', name: 'Serum', quantity: 2 }],
      shipTo: { name: 'Ann Lee', address: { line1: '1 Main St', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' } },
      shippingMethod: 'STANDARD',
      attempt: 1,
    });
    expect(request.value).not.toMatch(/token|last4|bin|card/i);

    await house.send(reference, `{"reference":"${reference}","type":"SHIPPED","trackingNumber":"1Z999AA1","carrier":"UPS","at":"2026-03-02T10:00:00Z"}`);
    await sut.fulfillmentWhen(reference, (f) => f.status === 'SHIPPED' && f.trackingNumber === '1Z999AA1' && f.carrier === 'UPS', 'SHIPPED');
    await house.send(reference, `{"reference":"${reference}","type":"DELIVERED","at":"2026-03-04T15:00:00Z"}`);
    const delivered = await sut.fulfillmentWhen(reference, (f) => f.status === 'DELIVERED', 'DELIVERED');
    expect(delivered.deliveredAt).toBe('2026-03-04T15:00:00Z');
  });

  it('the same update twice changes nothing', async () => {
    const reference = await exportedToHouse();
    const shipped = `{"reference":"${reference}","type":"SHIPPED","trackingNumber":"1ZTWICE","at":"2026-03-02T10:00:00Z"}`;
    await house.send(reference, shipped);
    await house.send(reference, shipped);
    await drainFor(reference);
    expect(await sut.storedEvents(reference, 'FulfillmentShipped')).toBe(1);
    expect((await sut.fulfillment(reference)).status).toBe('SHIPPED');
    expect(probe.deadLetters.filter((letter) => letter.original === shipped)).toEqual([]);
  });

  it('a malformed update and one for an unknown reference land in the DLQ with their reasons; the next update is applied', async () => {
    const reference = await exportedToHouse();
    await house.send(reference, '{"reference": "oops"');
    await house.send('nobody-F1', '{"reference":"nobody-F1","type":"SHIPPED","trackingNumber":"1Z0","at":"2026-03-02T10:00:00Z"}');
    await house.send(reference, `{"reference":"${reference}","type":"SHIPPED","at":"2026-03-02T10:00:00Z"}`); // no tracking number
    await house.send(reference, `{"reference":"${reference}","type":"SHIPPED","trackingNumber":"1ZNEXT","at":"2026-03-02T10:00:00Z"}`);

    const malformed = await probe.waitForDeadLetter((letter) => letter.original === '{"reference": "oops"', 'malformed update dead-lettered');
    expect(malformed).toMatchObject({ reason: 'invalid-json', original: '{"reference": "oops"', source: { topic: `${sut.names.topicPrefix}${Topics.fulfillmentUpdates}` } });
    const unknown = await probe.waitForDeadLetter((letter) => letter.key === 'nobody-F1', 'unknown reference dead-lettered');
    expect(unknown).toMatchObject({ reason: 'rejected', error: { code: 'FULFILLMENT_NOT_FOUND' } });
    expect(unknown.original).toContain('nobody-F1');
    const untracked = await probe.waitForDeadLetter((letter) => letter.key === reference && letter.reason === 'schema-invalid', 'SHIPPED without tracking dead-lettered');
    expect(untracked.error.message).toMatch(/trackingNumber/);
    await sut.fulfillmentWhen(reference, (f) => f.status === 'SHIPPED' && f.trackingNumber === '1ZNEXT', 'the next update applied');
  });

  it('an illegal transition is dead-lettered as rejected with the rule that refused it', async () => {
    const reference = await exportedToHouse();
    await house.send(reference, `{"reference":"${reference}","type":"RETURNED","at":"2026-03-02T10:00:00Z"}`);
    const refused = await probe.waitForDeadLetter((letter) => letter.key === reference && letter.reason === 'rejected', 'RETURNED before shipping dead-lettered');
    expect(refused.error).toMatchObject({ code: 'NOT_SHIPPED' });
    expect((await sut.fulfillment(reference)).status).toBe('PENDING');
  });

  it('DELIVERED before SHIPPED: delivered at once, the late SHIPPED adds the tracking', async () => {
    const reference = await exportedToHouse();
    await house.send(reference, `{"reference":"${reference}","type":"DELIVERED","at":"2026-03-04T15:00:00Z"}`);
    await sut.fulfillmentWhen(reference, (f) => f.status === 'DELIVERED', 'DELIVERED first');
    await house.send(reference, `{"reference":"${reference}","type":"SHIPPED","trackingNumber":"1ZLATE","carrier":"USPS","at":"2026-03-02T10:00:00Z"}`);
    await sut.fulfillmentWhen(reference, (f) => f.status === 'DELIVERED' && f.trackingNumber === '1ZLATE', 'tracking added, still DELIVERED');
  });

  it('FAILED -> RECYCLED, resent once as attempt 2 -> PENDING; a second FAILED is final', async () => {
    const reference = await exportedToHouse();
    await house.send(reference, `{"reference":"${reference}","type":"FAILED","reason":"address not found","at":"2026-03-02T10:00:00Z"}`);
    await sut.fulfillmentWhen(reference, (f) => f.status === 'RECYCLED', 'RECYCLED');
    await sut.exportRun();
    await house.waitForRequest(reference, 2);
    await sut.fulfillmentWhen(reference, (f) => f.status === 'PENDING' && f.exportAttempts === 2, 'resent');
    await house.send(reference, `{"reference":"${reference}","type":"FAILED","reason":"address still not found","at":"2026-03-03T10:00:00Z"}`);
    await sut.fulfillmentWhen(reference, (f) => f.status === 'FAILED', 'FAILED for good');
    await sut.exportRun();
    expect((await sut.fulfillment(reference)).status).toBe('FAILED');
  });
});
