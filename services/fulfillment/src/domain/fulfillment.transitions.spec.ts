import { DomainError, FULFILLMENT_STATUSES } from '@continuum/contracts';
import { FULFILLMENT_TRANSITIONS, FulfillmentAction, allowedFromStatus } from './fulfillment.transitions';

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

describe('fulfillment transition table', () => {
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
