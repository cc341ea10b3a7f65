import { DomainError, FULFILLMENT_STATUSES, FulfillmentStatus, allowedFrom } from '@continuum/contracts';
import { FULFILLMENT_TRANSITIONS, FulfillmentAction, ownRefusals } from './fulfillment.transitions';

const allowedFromStatus = (command: FulfillmentAction, status: FulfillmentStatus) => allowedFrom(FULFILLMENT_TRANSITIONS, command, status);

const commands = Object.keys(FULFILLMENT_TRANSITIONS) as FulfillmentAction[];

const refusedWith = (command: FulfillmentAction, status: (typeof FULFILLMENT_STATUSES)[number]): DomainError => {
  try {
    allowedFromStatus(command, status);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`${command} was allowed from ${status}`);
};

describe('fulfillment transition table (read by the decider through allowedFrom)', () => {
  it('given a status a command is allowed from, when guarded, then nothing is thrown', () => {
    for (const command of commands) for (const status of FULFILLMENT_TRANSITIONS[command].from) expect(() => allowedFromStatus(command, status)).not.toThrow();
  });

  it('given a status a command is not allowed from, when guarded, then a rule error names the status in its details', () => {
    for (const command of commands) {
      for (const status of FULFILLMENT_STATUSES.filter((s) => !FULFILLMENT_TRANSITIONS[command].from.includes(s))) {
        const error = refusedWith(command, status);
        expect(error.kind).toBe('rule');
        expect(error.details).toEqual({ status });
        expect(error.message).toContain(`(status ${status})`);
      }
    }
  });

  it('refuses with the codes agents and houses have always been given', () => {
    expect(refusedWith('ExportFulfillment', 'PENDING').code).toBe('ALREADY_PENDING');
    expect(refusedWith('ShipFulfillment', 'HOLD').code).toBe('NOT_EXPORTED');
    expect(refusedWith('ShipFulfillment', 'RECYCLED').code).toBe('NOT_EXPORTED');
    expect(refusedWith('ShipFulfillment', 'CANCELLED').code).toBe('FULFILLMENT_CANCELLED');
    expect(refusedWith('ExportFulfillment', 'FAILED').code).toBe('FULFILLMENT_FAILED');
    expect(refusedWith('DeliverFulfillment', 'RETURNED').code).toBe('ALREADY_RETURNED');
    expect(refusedWith('CancelFulfillment', 'DELIVERED').code).toBe('ALREADY_SHIPPED');
    expect(refusedWith('CancelFulfillment', 'RMA_PENDING').code).toBe('ALREADY_SHIPPED');
    expect(refusedWith('IssueRma', 'CANCELLED').code).toBe('NOT_SHIPPED');
    expect(refusedWith('IssueRma', 'RETURNED').code).toBe('ALREADY_RETURNED');
    expect(refusedWith('ReturnFulfillment', 'PENDING').code).toBe('NOT_SHIPPED');
    expect(refusedWith('ReshipFulfillment', 'RECYCLED').code).toBe('RESHIP_BEFORE_EXPORT');
    expect(refusedWith('ReshipFulfillment', 'CANCELLED').code).toBe('FULFILLMENT_CANCELLED');
    expect(refusedWith('MarkCodUndelivered', 'DELIVERED').code).toBe('ALREADY_DELIVERED');
  });

  it('words each refusal as what was refused and why: the status\'s reason, or the command\'s own', () => {
    expect(refusedWith('ShipFulfillment', 'CANCELLED').message).toBe('Cannot ship the fulfillment: it is cancelled (status CANCELLED)');
    expect(refusedWith('CancelFulfillment', 'SHIPPED').message).toBe('Cannot cancel the fulfillment: it has shipped (status SHIPPED)');
    expect(refusedWith('ShipFulfillment', 'HOLD').message).toBe('Cannot ship the fulfillment: it has not been sent to the fulfillment house yet (status HOLD)');
  });

  it("tells a command's own refusals from the statuses' (what the docs print beside each command)", () => {
    expect(ownRefusals('ShipFulfillment')).toEqual({});
    expect(Object.keys(ownRefusals('CancelFulfillment'))).toEqual(['SHIPPED', 'DELIVERED', 'RMA_PENDING', 'RETURNED']);
    expect(ownRefusals('ReshipFulfillment')).toEqual({
      HOLD: { code: 'RESHIP_BEFORE_EXPORT', message: 'Cannot reship the fulfillment: it has not reached the fulfillment house: it cannot be reshipped yet' },
      RECYCLED: { code: 'RESHIP_BEFORE_EXPORT', message: 'Cannot reship the fulfillment: it has not reached the fulfillment house: it cannot be reshipped yet' },
    });
  });

  it('refuses COD paid and undelivered with NOT_SHIPPED until the package has shipped', () => {
    for (const status of ['HOLD', 'PENDING', 'RECYCLED'] as const) {
      expect(refusedWith('MarkCodPaid', status).code).toBe('NOT_SHIPPED');
      expect(refusedWith('MarkCodUndelivered', status).code).toBe('NOT_SHIPPED');
    }
    expect(() => allowedFromStatus('MarkCodPaid', 'SHIPPED')).not.toThrow();
    expect(() => allowedFromStatus('MarkCodUndelivered', 'SHIPPED')).not.toThrow();
    expect(refusedWith('MarkCodPaid', 'CANCELLED').code).toBe('FULFILLMENT_CANCELLED');
  });
});
