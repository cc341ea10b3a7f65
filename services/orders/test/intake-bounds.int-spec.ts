import { randomUUID } from 'node:crypto';
import { MAX_INPUT_RECORD_BYTES, Topics } from '@continuum/contracts';
import { eventually, newCustomer } from '@continuum/testing';
import { derivedId } from '@continuum/platform';
import { intakeSeed } from '../src/messaging/intake-seed';
import { useOrdersService } from './orders-harness';

jest.setTimeout(90_000);

// orders.intake.v1 takes what POST /orders takes. Its fields were already bounded by the
// DTOs' schemas; what the topic lacked was a limit on the record itself, and a proof of the text rules.
describe('orders.intake.v1 is bounded like POST /orders (real stack)', () => {
  const t = useOrdersService();
  let campaignId: string;
  let productId: string;

  beforeAll(async () => {
    ({ campaignId, productIds: [productId] } = await t.createCampaign('Bounded intake', [{ sku: 'B-1', name: 'One', price: 2500, shippingPrice: 500, billingType: 'STRAIGHT' }]));
  });

  const message = (clientOrderId: string, extra: Record<string, unknown> = {}) => ({
    type: 'PlaceOrder',
    clientOrderId,
    campaignId,
    customer: newCustomer(),
    items: [{ productId, quantity: 1 }],
    paymentType: 'EXTERNAL',
    ...extra,
  });
  const orderOf = (clientOrderId: string) => derivedId(`order:${intakeSeed(undefined, clientOrderId)}`);

  it('a schema-valid PlaceOrder record over the limit is dead-lettered unparsed (RECORD_TOO_LARGE) and places nothing; the same message at its size is placed', async () => {
    const clientOrderId = `big-${randomUUID()}`;
    const body = message(clientOrderId);
    // JSON whitespace keeps it valid against the schema: only its size is wrong
    const padded = JSON.stringify(body, null, 2).replace('{', `{${' '.repeat(MAX_INPUT_RECORD_BYTES)}`);
    expect(JSON.parse(padded)).toEqual(body);
    await t.probe.publishRaw(Topics.ordersIntake, clientOrderId, padded);
    await t.probe.publishRaw(Topics.ordersIntake, clientOrderId, JSON.stringify(body));

    const letter = await t.probe.waitForDeadLetter((d) => d.key === clientOrderId, 'the oversize intake dead letter');
    expect(letter).toMatchObject({ reason: 'schema-invalid', attempts: 0, error: { name: 'RecordTooLargeError', code: 'RECORD_TOO_LARGE' } });
    expect(letter.error.message).toContain(`at most ${MAX_INPUT_RECORD_BYTES} bytes are accepted`);
    // the one behind it on the partition is placed, once: the oversize copy changed nothing
    await eventually(async () => (await t.http.get(`/orders/${orderOf(clientOrderId)}`)).status === 200, 'the order of the message at its size');
    expect(await t.commits({ 'events.type': 'OrderPlaced', 'events.data.clientOrderId': clientOrderId })).toHaveLength(1);
    expect(t.probe.deadLetters.filter((d) => d.key === clientOrderId)).toHaveLength(1);
  });

  it('a control or bidi character in any text field, or a field over its length, is dead-lettered naming the field; nothing is stored', async () => {
    const cases: [string, (id: string) => Record<string, unknown>][] = [
      ['/customer/firstName', (id) => message(id, { customer: { ...newCustomer(), firstName: 'Ann\u202eeiL' } })],
      ['/customer/billingAddress/line1', (id) => message(id, { customer: { ...newCustomer(), billingAddress: { ...newCustomer().billingAddress, line1: '1 Main St\x07\x00' } } })],
      ['/externalReference', (id) => message(id, { externalReference: 'x'.repeat(101) })],
      ['/clientOrderId', (id) => ({ ...message(id), clientOrderId: `${id}\u2066` })],
    ];
    for (const [field, build] of cases) {
      const clientOrderId = `bad-${randomUUID()}`;
      await t.probe.publishRaw(Topics.ordersIntake, clientOrderId, JSON.stringify(build(clientOrderId)));
      const letter = await t.probe.waitForDeadLetter((d) => d.key === clientOrderId, `the dead letter naming ${field}`);
      expect({ field, reason: letter.reason, message: letter.error.message }).toEqual({ field, reason: 'schema-invalid', message: expect.stringContaining(`${field} `) });
      expect(await t.commits({ 'events.data.clientOrderId': { $in: [clientOrderId, `${clientOrderId}\u2066`] } })).toEqual([]);
    }
  });
});
