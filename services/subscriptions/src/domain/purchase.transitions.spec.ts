import { PurchaseStatus, allowedFrom } from '@continuum/contracts';
import { refusal } from '@continuum/testing';
import { PURCHASE_TRANSITIONS, PurchaseTransitionName } from './purchase.transitions';

const allowedFromStatus = (command: PurchaseTransitionName, status: PurchaseStatus) => allowedFrom(PURCHASE_TRANSITIONS, command, status);

describe('purchase transitions (the table the purchase decider guards with, through allowedFrom)', () => {
  it('given a status the command is allowed from, when guarded, then it passes', () => {
    expect(() => allowedFromStatus('ForceBill', 'CANCELLATION_SCHEDULED')).not.toThrow();
    expect(() => allowedFromStatus('ReactivatePurchase', 'CANCELLED')).not.toThrow();
  });

  it('given a status with a refusal of its own, when guarded, then that code, as a rule naming the status', () => {
    const error = refusal(() => allowedFromStatus('ForceBill', 'PAUSED'));
    expect([error.code, error.kind, error.details]).toEqual(['PURCHASE_PAUSED', 'rule', { status: 'PAUSED' }]);
    expect(refusal(() => allowedFromStatus('ForceBill', 'RECYCLE_BILLING')).code).toBe('RECYCLE_PENDING');
  });

  it('given any other status, when guarded, then the row\'s code', () => {
    expect(refusal(() => allowedFromStatus('ForceBill', 'PAUSE_SCHEDULED')).code).toBe('NOT_BILLABLE');
    expect(refusal(() => allowedFromStatus('ResumePurchase', 'ACTIVE')).code).toBe('NOT_PAUSED');
  });

  it('given a paused purchase, when a cancellation is scheduled, then the refusal names the field `when` (the request asks for a later cancellation)', () => {
    const error = refusal(() => allowedFromStatus('ScheduleCancellation', 'PAUSED'));
    expect([error.code, error.details]).toEqual(['CANNOT_SCHEDULE_CANCELLATION', { status: 'PAUSED', field: 'when' }]);
  });
});
