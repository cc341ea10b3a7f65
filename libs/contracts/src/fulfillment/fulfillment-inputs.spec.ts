import { registry } from '../core/registry';
import { FULFILLMENT_UPDATE_MESSAGE, fulfillmentUpdateProperties } from './fulfillment-events';
import { collectionDateInput, FULFILLMENT_INPUT_LIMITS } from './fulfillment-inputs';

const validate = (data: unknown) => registry.validate(FULFILLMENT_UPDATE_MESSAGE, 1, data);
/** The validation error's message, or 'accepted'. */
const refusal = (data: unknown): string => {
  try {
    validate(data);
    return 'accepted';
  } catch (error) {
    return (error as Error).message;
  }
};
const shipped = { reference: 'o-1-F1', type: 'SHIPPED', trackingNumber: '1Z999AA1', carrier: 'UPS', at: '2026-03-02T10:00:00Z', reason: 'left at the door' };

describe('FulfillmentUpdate bounds (one schema for fulfillment.updates.v1 and POST /fulfillment-updates)', () => {
  it('takes a full update at its bounds', () => {
    expect(() =>
      validate({ ...shipped, trackingNumber: 'A'.repeat(FULFILLMENT_INPUT_LIMITS.codeLength), carrier: 'C'.repeat(FULFILLMENT_INPUT_LIMITS.carrierLength), reason: 'r'.repeat(FULFILLMENT_INPUT_LIMITS.reasonLength) }),
    ).not.toThrow();
  });

  it('refuses the 921,600-character tracking number and the one with a bidi override and control characters, naming the field', () => {
    expect(() => validate({ ...shipped, trackingNumber: 'A'.repeat(921_600) })).toThrow(/\/trackingNumber must NOT have more than 128 characters/);
    expect(() => validate({ ...shipped, trackingNumber: '1Z\u202eLIVE\x07\x00' })).toThrow(/\/trackingNumber must match pattern/);
  });

  it('bounds every string field: too long, a control character or a bidi mark in any of them is refused', () => {
    const properties = fulfillmentUpdateProperties();
    const strings = Object.keys(properties).filter((field) => properties[field]!['type'] === 'string');
    expect(strings.sort()).toEqual(['at', 'carrier', 'reason', 'reference', 'trackingNumber', 'type']);
    for (const field of strings) {
      const value = shipped[field as keyof typeof shipped];
      for (const bad of [`${value}\x07`, `${value}\u0000`, `${value}\u202e`, `\u2066${value}`, `${value}\x9b`, value + 'x'.repeat(501)]) {
        expect({ field, bad: JSON.stringify(bad).slice(0, 40), refusal: refusal({ ...shipped, [field]: bad }) }).toEqual({ field, bad: JSON.stringify(bad).slice(0, 40), refusal: expect.stringContaining(`/${field} `) });
      }
    }
  });

  it('the conditional rules use the same bounds: SHIPPED needs a bounded tracking number, FAILED a bounded reason', () => {
    expect(() => validate({ reference: 'o-1-F1', type: 'FAILED', reason: 'x'.repeat(501), at: '2026-03-02T10:00:00Z' })).toThrow(/\/reason/);
    expect(() => validate({ reference: 'o-1-F1', type: 'FAILED', reason: '   ', at: '2026-03-02T10:00:00Z' })).toThrow(/\/reason/);
    expect(() => validate({ reference: 'o-1-F1', type: 'SHIPPED', trackingNumber: '1Z 999', at: '2026-03-02T10:00:00Z' })).toThrow(/\/trackingNumber/);
  });

  it('the AsyncAPI description of the message states the record size limit', () => {
    expect(registry.current(FULFILLMENT_UPDATE_MESSAGE).description).toMatch(/more than 102400 bytes/);
  });
});

describe('collectionDateInput (COD paid date)', () => {
  const pattern = new RegExp(collectionDateInput()['pattern'] as string, 'u');
  it('takes a date or a date-time and nothing else', () => {
    for (const ok of ['2026-03-05', '2026-03-05T14:00:00Z', '2026-03-05T14:00', '2026-03-05T14:00:00.123+05:30']) expect(pattern.test(ok)).toBe(true);
    for (const bad of ['yesterday', '2026-03-05\u202e', '2026-03-05T14:00:00Z\x00', '05/03/2026']) expect(pattern.test(bad)).toBe(false);
  });
});
