import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'yaml';
// The whole index, so every context has registered its events before the document is built.
import { Topics, envelopeSchema, placeOrderBodyProperties, registry } from '../index';
import { buildAsyncApi, messageId, payloadSchema } from './build-asyncapi';
import { WRITE_ASYNCAPI_COMMAND } from './render-asyncapi';

const committed = parse(readFileSync(join(__dirname, '..', '..', 'asyncapi.yaml'), 'utf8'));
const fresh = JSON.parse(JSON.stringify(buildAsyncApi(registry)));
const hint = `libs/contracts/asyncapi.yaml is out of date: run ${WRITE_ASYNCAPI_COMMAND}`;

/** Follows a local `#/a/b/c` reference inside the committed document. */
function resolve(ref: string): unknown {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<any>((node, part) => (node === undefined ? undefined : node[part]), committed);
}

describe('asyncapi.yaml', () => {
  it('is an AsyncAPI 3.0.0 document', () => {
    expect(committed.asyncapi).toBe('3.0.0');
    expect(committed.info.title).toBe('Continuum events');
    expect(committed.servers.local).toMatchObject({ protocol: 'kafka' });
  });

  it('has a message for every registered type with the payload schema in code', () => {
    const stale = registry
      .all()
      .filter((d) => !isDeepStrictEqual(committed.components?.messages?.[messageId(d, registry)]?.payload, JSON.parse(JSON.stringify(payloadSchema(d)))))
      .map((d) => `${d.type}@${d.version}`);
    expect({ hint, stale }).toEqual({ hint, stale: [] });
  });

  it('is exactly what the registry builds now', () => {
    expect({ hint, upToDate: isDeepStrictEqual(committed, fresh) }).toEqual({ hint, upToDate: true });
  });

  it('lists each message on the channel of its topic', () => {
    const channels = Object.values<any>(committed.channels);
    for (const definition of registry.all()) {
      const channel = channels.find((c) => c.address === definition.topic);
      expect(channel?.messages?.[messageId(definition, registry)]).toEqual({ $ref: `#/components/messages/${messageId(definition, registry)}` });
    }
  });

  it('only has channels whose address is a known topic, and a channel for every topic', () => {
    const addresses = Object.values<any>(committed.channels).map((c) => c.address);
    const known: string[] = Object.values(Topics);
    expect(addresses.filter((a) => !known.includes(a))).toEqual([]);
    expect([...known].sort()).toEqual([...addresses].sort());
  });

  it('has operations that reference existing channels and messages of those channels', () => {
    const operations = Object.entries<any>(committed.operations);
    expect(operations.length).toBe(Object.keys(committed.channels).length);
    for (const [name, operation] of operations) {
      const channel = resolve(operation.channel.$ref) as any;
      expect({ name, channel: channel?.address }).toEqual({ name, channel: expect.any(String) });
      for (const message of operation.messages ?? []) {
        expect({ name, ref: message.$ref, exists: message.$ref.startsWith(operation.channel.$ref + '/messages/') && resolve(message.$ref) !== undefined }).toEqual({
          name,
          ref: message.$ref,
          exists: true,
        });
      }
    }
    for (const channel of Object.values<any>(committed.channels)) {
      for (const [id, message] of Object.entries<any>(channel.messages)) {
        expect({ id, resolved: resolve(message.$ref) !== undefined }).toEqual({ id, resolved: true });
      }
    }
  });

  it('every channel has messages; fulfillment.requests.v1 carries FulfillmentRequest and FulfillmentCancelRequested', () => {
    for (const channel of Object.values<any>(committed.channels)) expect({ address: channel.address, count: Object.keys(channel.messages).length }).toEqual({ address: channel.address, count: expect.any(Number) });
    const empty = Object.values<any>(committed.channels).filter((c) => Object.keys(c.messages).length === 0).map((c) => c.address);
    expect(empty).toEqual([]);
    const requests = Object.values<any>(committed.channels).find((c) => c.address === Topics.fulfillmentRequests);
    expect(Object.keys(requests.messages)).toEqual(['FulfillmentCancelRequested', 'FulfillmentRequest']);
  });

  it('declares the Kafka headers: type, eventId and correlationId on events, reason and group on dead letters', () => {
    const event = committed.components.messages.OrderPlaced;
    expect(event.headers.required).toEqual(['type', 'eventId', 'correlationId']);
    expect(Object.keys(committed.components.messages.DeadLetter.headers.properties)).toEqual(['dlq-reason', 'dlq-group']);
  });

  it('describes PlaceOrder with the schema POST /orders is validated from', () => {
    const payload = committed.components.messages.PlaceOrder.payload;
    expect(payload.properties.items).toEqual(JSON.parse(JSON.stringify(placeOrderBodyProperties().items)));
    expect(payload.properties.customer).toEqual(JSON.parse(JSON.stringify(placeOrderBodyProperties().customer)));
    expect(payload.properties.items.items.properties.quantity.maximum).toBe(1000);
    expect(payload.oneOf.map((o: { required: string[] }) => o.required)).toEqual([['customerId'], ['customer']]);
  });

  it('receives the intake and fulfillment-house topics and sends everything else', () => {
    const actionOf = (address: string) => Object.values<any>(committed.operations).find((o) => (resolve(o.channel.$ref) as any).address === address)?.action;
    expect(actionOf(Topics.ordersIntake)).toBe('receive');
    expect(actionOf(Topics.fulfillmentUpdates)).toBe('receive');
    expect(actionOf(Topics.ordersEvents)).toBe('send');
    expect(actionOf(Topics.paymentsDlq)).toBe('send');
  });
});

describe('buildAsyncApi', () => {
  it('wraps an event schema in the envelope, with type and version fixed', () => {
    const event = registry.all().find((d) => d.kind === 'event')!;
    const payload = payloadSchema(event) as any;
    expect(payload.properties.data).toEqual(event.schema);
    expect(payload.properties.type).toEqual({ const: event.type });
    expect(payload.required).toEqual((envelopeSchema() as any).required);
  });

  it('uses an integration message schema as it is', () => {
    const message = registry.all().find((d) => d.kind === 'message')!;
    expect(payloadSchema(message)).toBe(message.schema);
  });
});
