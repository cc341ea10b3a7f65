import { MAX_INPUT_RECORD_BYTES, Topics } from '@continuum/contracts';
import { devKeys } from '@continuum/testing';
import { useFulfillmentService } from './fulfillment-harness';

jest.setTimeout(90_000);

// A fulfillment house's input has one set of bounds whatever the path (Kafka or HTTP; docs/api-limits.md), a
// record over the size limit is dead-lettered before it is parsed, and the house may report an RMA.
describe('what a fulfillment house sends is bounded the same on Kafka and HTTP (Kafka, FerretDB, Redis)', () => {
  const sut = useFulfillmentService();
  const { http, probe } = sut;
  const house = devKeys['fulfillment-house'];

  /** A completed order's fulfillment, sent to the house (PENDING). */
  async function exported(): Promise<string> {
    const created = await sut.orderThatShips();
    await sut.exportRun();
    await sut.fulfillmentWhen(created.fulfillmentId, (f) => f.status === 'PENDING', 'PENDING');
    return created.reference;
  }

  const update = (reference: string, fields: Record<string, unknown>) => JSON.stringify({ reference, type: 'SHIPPED', at: '2026-03-02T10:00:00Z', ...fields });

  it('a SHIPPED with a 921,600-character tracking number is dead-lettered as too large, unparsed; nothing is applied and the next update is', async () => {
    const reference = await exported();
    const huge = update(reference, { trackingNumber: 'A'.repeat(921_600), carrier: 'UPS' });
    expect(Buffer.byteLength(huge)).toBeGreaterThan(MAX_INPUT_RECORD_BYTES);
    await probe.publishRaw(Topics.fulfillmentUpdates, reference, huge);
    await probe.publishRaw(Topics.fulfillmentUpdates, reference, update(reference, { trackingNumber: '1ZGOOD1', carrier: 'UPS' }));

    const letter = await probe.waitForDeadLetter((l) => l.key === reference, 'oversize update dead-lettered');
    expect(letter).toMatchObject({
      reason: 'schema-invalid',
      attempts: 0,
      error: { name: 'RecordTooLargeError', code: 'RECORD_TOO_LARGE', message: expect.stringContaining(`at most ${MAX_INPUT_RECORD_BYTES} bytes are accepted`) },
      source: { topic: probe.topic(Topics.fulfillmentUpdates), key: reference },
    });
    expect(letter.error.message).toContain(`the record is ${Buffer.byteLength(huge) + Buffer.byteLength(reference)} bytes`);
    expect(huge.startsWith(letter.original!)).toBe(true); // its beginning, enough to see what it was
    expect(letter.original!.length).toBeLessThan(10_000);

    // same key, same partition: the valid update after it applies, and it is the only one that did
    const shipped = await sut.fulfillmentWhen(reference, (f) => f.status === 'SHIPPED', 'the next update applied');
    expect(shipped.trackingNumber).toBe('1ZGOOD1');
    expect(await sut.storedEvents(reference, 'FulfillmentShipped')).toBe(1);
    expect(probe.events('FulfillmentShipped').filter((e) => (e.data as { trackingNumber: string }).trackingNumber.length > 128)).toEqual([]);
  });

  it("a tracking number with a bidi override and control characters ('1Z\\u202eLIVE\\x07\\x00'), or over 128 characters, is dead-lettered naming the field; the valid one applies", async () => {
    const reference = await exported();
    const spoofed = update(reference, { trackingNumber: '1Z\u202eLIVE\x07\x00' });
    const long = update(reference, { trackingNumber: 'B'.repeat(129) });
    const badCarrier = update(reference, { trackingNumber: '1ZC', carrier: 'U\u2066PS' });
    for (const value of [spoofed, long, badCarrier]) await probe.publishRaw(Topics.fulfillmentUpdates, reference, value);
    await probe.publishRaw(Topics.fulfillmentUpdates, reference, update(reference, { trackingNumber: '1ZGOOD2' }));

    const letterOf = (original: string) => probe.waitForDeadLetter((l) => l.original === original, 'dead letter of the update');
    expect(await letterOf(spoofed)).toMatchObject({ reason: 'schema-invalid', error: { message: expect.stringMatching(/\/trackingNumber must match pattern/) } });
    expect(await letterOf(long)).toMatchObject({ reason: 'schema-invalid', error: { message: expect.stringMatching(/\/trackingNumber must NOT have more than 128 characters/) } });
    expect(await letterOf(badCarrier)).toMatchObject({ reason: 'schema-invalid', error: { message: expect.stringMatching(/\/carrier must match pattern/) } });

    const shipped = await sut.fulfillmentWhen(reference, (f) => f.status === 'SHIPPED', 'the valid update applied');
    expect(shipped).toMatchObject({ trackingNumber: '1ZGOOD2' });
    expect(shipped.carrier).toBeUndefined();
    expect(await sut.storedEvents(reference, 'FulfillmentShipped')).toBe(1);
  });

  it('POST /fulfillment-updates and POST /fulfillments/:id/ship refuse the same values with 400 naming the field, and store nothing', async () => {
    const reference = await exported();
    const body = { reference, type: 'SHIPPED', trackingNumber: '1ZHTTP', at: '2026-03-02T10:00:00Z' };
    for (const [field, value] of [
      ['trackingNumber', 'B'.repeat(129)],
      ['trackingNumber', '1Z LIVE'],
      ['carrier', 'C'.repeat(51)],
      ['reason', 'r'.repeat(501)],
      ['at', `2026-03-02T10:00:00.${'0'.repeat(40)}Z`],
    ] as const) {
      const answer = await http.post('/fulfillment-updates', { ...body, [field]: value }, house).expect(400);
      expect(answer.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
    const ship = await http.post(`/fulfillments/${reference}/ship`, { trackingNumber: 'B'.repeat(129) }, house).expect(400);
    expect(ship.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'trackingNumber' })]));
    expect(await sut.storedEvents(reference, 'FulfillmentShipped')).toBe(0);
    expect((await sut.fulfillment(reference)).status).toBe('PENDING');

    // the same body within bounds is applied
    expect((await http.post('/fulfillment-updates', body, house).expect(200)).body).toMatchObject({ status: 'SHIPPED', trackingNumber: '1ZHTTP' });
  });

  it('the house reports an RMA with its own key: 200, RMA_PENDING and FulfillmentRmaIssued by the house; other agent actions stay 403', async () => {
    const reference = await exported();
    await http.post(`/fulfillments/${reference}/ship`, { trackingNumber: '1ZRMA' }, house).expect(200);

    const answer = await http.post(`/fulfillments/${reference}/rma`, { rmaNumber: 'RMA-2001' }, house).expect(200);
    expect(answer.body).toMatchObject({ fulfillmentId: reference, status: 'RMA_PENDING' });
    const issued = await probe.waitForEvent('FulfillmentRmaIssued', { fulfillmentId: reference, rmaNumber: 'RMA-2001' });
    expect(issued.actor).toEqual({ kind: 'fulfillment-house', id: house });

    await http.post(`/fulfillments/${reference}/rma`, { rmaNumber: 'RMA\u202e1' }, house).expect(400);
    await http.post(`/fulfillments/${reference}/cancel`, { reason: 'not ours to cancel' }, house).expect(403);
    await http.post(`/fulfillments/${reference}/reship`, {}, house).expect(403);
    await http.post(`/fulfillments/${reference}/cod/paid`, { deliveryConfirmation: 'DC-1', date: '2026-03-05' }, house).expect(403);
    expect((await sut.fulfillment(reference)).status).toBe('RMA_PENDING');
  });
});
