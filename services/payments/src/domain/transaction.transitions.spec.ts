import { allowedFrom } from '@continuum/contracts';
import { refusal } from '@continuum/testing';
import { REFUND_STATUSES, REFUND_TRANSITIONS, TRANSACTION_STATUSES, TRANSACTION_TRANSITIONS, refundAllows } from './transaction.transitions';

describe('transaction lifecycle table', () => {
  it('given a status each command is allowed from, when guarded, then nothing is thrown', () => {
    for (const [command, row] of Object.entries(TRANSACTION_TRANSITIONS)) {
      for (const status of row.from) expect(() => allowedFrom(TRANSACTION_TRANSITIONS, command as keyof typeof TRANSACTION_TRANSITIONS, status)).not.toThrow();
    }
  });

  it('given any other status, when guarded, then a rule error with the code for that status (CHARGE_VOIDED, NOT_A_CHARGE, NOT_COD, ...) names the status', () => {
    for (const [command, row] of Object.entries(TRANSACTION_TRANSITIONS)) {
      for (const status of TRANSACTION_STATUSES.filter((s) => !row.from.includes(s))) {
        const error = refusal(() => allowedFrom(TRANSACTION_TRANSITIONS, command as keyof typeof TRANSACTION_TRANSITIONS, status));
        expect({ command, status, code: error.code, kind: error.kind, details: error.details }).toEqual({ command, status, code: row.refusals?.[status]?.code ?? row.code, kind: 'rule', details: { status } });
      }
    }
  });

  it('given the card charge commands, when refused on a voided charge or a COD transaction, then CHARGE_VOIDED and NOT_A_CHARGE as before the table', () => {
    expect(refusal(() => allowedFrom(TRANSACTION_TRANSITIONS, 'RequestRefund', 'VOIDED')).code).toBe('CHARGE_VOIDED');
    expect(refusal(() => allowedFrom(TRANSACTION_TRANSITIONS, 'MarkChargeback', 'COD_PAID')).code).toBe('NOT_A_CHARGE');
    expect(refusal(() => allowedFrom(TRANSACTION_TRANSITIONS, 'MarkCodPaid', 'COD_DECLINED')).code).toBe('COD_DECLINED');
    expect(refusal(() => allowedFrom(TRANSACTION_TRANSITIONS, 'MarkCodUndelivered', 'COD_PAID')).code).toBe('COD_ALREADY_PAID');
    expect(refusal(() => allowedFrom(TRANSACTION_TRANSITIONS, 'MarkCodUndelivered', 'APPROVED')).code).toBe('NOT_COD');
  });
});

describe('refund lifecycle table', () => {
  it('given a finished refund, when an attempt comes, then the lifecycle allows none (the decider decides nothing)', () => {
    expect(REFUND_STATUSES.filter((status) => refundAllows('RecordRefundAttempt', status))).toEqual(['PENDING', 'QUEUED']);
  });

  it('given a refund that has not succeeded, when its email is resent, then REFUND_NOT_SUCCEEDED naming the status', () => {
    for (const status of REFUND_STATUSES.filter((s) => s !== 'SUCCEEDED')) {
      const error = refusal(() => allowedFrom(REFUND_TRANSITIONS, 'ResendRefundEmail', status));
      expect({ code: error.code, kind: error.kind, details: error.details }).toEqual({ code: 'REFUND_NOT_SUCCEEDED', kind: 'rule', details: { status } });
    }
    expect(() => allowedFrom(REFUND_TRANSITIONS, 'ResendRefundEmail', 'SUCCEEDED')).not.toThrow();
  });
});
