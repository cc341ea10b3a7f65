import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { FULFILLMENT_UPDATE_MESSAGE, registry } from '@continuum/contracts';
import { FulfillmentUpdateDto, RmaDto, ShipDto } from './fulfillment.dto';

const valid = { reference: 'o-1-F1', type: 'SHIPPED', trackingNumber: '1Z999AA1', carrier: 'UPS', at: '2026-03-02T10:00:00Z', reason: 'left at the door' };

/** The fields class-validator refuses in `body` as `dto`. */
const httpRefuses = (dto: new () => object, body: object): string[] => validateSync(plainToInstance(dto, body)).map((error) => error.property);

/** Whether the FulfillmentUpdate message schema (fulfillment.updates.v1) refuses `body`, naming `field`. */
const kafkaRefuses = (body: object, field: string): boolean => {
  try {
    registry.validate(FULFILLMENT_UPDATE_MESSAGE, 1, body);
    return false;
  } catch (error) {
    return (error as Error).message.includes(`/${field} `);
  }
};

describe('fulfillment DTOs and the FulfillmentUpdate message: one set of bounds', () => {
  const probes: Record<string, readonly string[]> = {
    reference: ['o-1-F1', 'r'.repeat(128), 'r'.repeat(129), 'o-1 F1', 'o-1-F1\u202e'],
    trackingNumber: ['1Z999AA1', 'T'.repeat(128), 'T'.repeat(129), '1Z\u202eLIVE\x07\x00', '1Z 999', 'A'.repeat(921_600)],
    carrier: ['UPS', 'La Poste', 'C'.repeat(50), 'C'.repeat(51), 'U\x07PS', 'UPS\u2069', '   '],
    at: ['2026-03-02T10:00:00Z', '2026-03-02T10:00:00.123+05:30', 'yesterday', `2026-03-02T10:00:00.${'0'.repeat(40)}Z`, '2026-03-02T10:00:00Z\x00'],
    reason: ['address not found', 'line one\nline two', 'r'.repeat(500), 'r'.repeat(501), 'gone\u202e', '\t'],
  };

  it.each(Object.keys(probes))('POST /fulfillment-updates refuses exactly what fulfillment.updates.v1 refuses in %s', (field) => {
    for (const value of probes[field]!) {
      const body = { ...valid, [field]: value };
      const verdicts = { value: value.slice(0, 30), http: httpRefuses(FulfillmentUpdateDto, body).includes(field), kafka: kafkaRefuses(body, field) };
      expect(verdicts).toEqual({ ...verdicts, http: verdicts.kafka });
    }
  });

  it('each probe set has values on both sides of the bound (the comparison above is not vacuous)', () => {
    for (const field of Object.keys(probes)) {
      const refused = probes[field]!.map((value) => kafkaRefuses({ ...valid, [field]: value }, field));
      expect({ field, some: refused.includes(true), notAll: refused.includes(false) }).toEqual({ field, some: true, notAll: true });
    }
  });

  it('the ship and RMA actions take tracking and RMA numbers under the same bounds', () => {
    expect(httpRefuses(ShipDto, { trackingNumber: 'T'.repeat(128), carrier: 'UPS' })).toEqual([]);
    expect(httpRefuses(ShipDto, { trackingNumber: 'T'.repeat(129) })).toEqual(['trackingNumber']);
    expect(httpRefuses(ShipDto, { trackingNumber: '1Z\u202eLIVE' })).toEqual(['trackingNumber']);
    expect(httpRefuses(RmaDto, { rmaNumber: 'RMA-1001' })).toEqual([]);
    expect(httpRefuses(RmaDto, { rmaNumber: 'RMA\x07' })).toEqual(['rmaNumber']);
    expect(httpRefuses(RmaDto, { rmaNumber: 'R'.repeat(129) })).toEqual(['rmaNumber']);
  });
});
