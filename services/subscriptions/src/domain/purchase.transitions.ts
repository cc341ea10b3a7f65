import { PURCHASE_STATUSES, PurchaseStatus, TransitionTable } from '@continuum/contracts';
import { BILLABLE_STATUSES } from './purchase.state';

/**
 * The purchase commands whose status matters. `ScheduleCancellation` is CancelPurchase AFTER_NEXT_BILL
 * or ON_DATE, guarded by the `CancelPurchase` row first and then by its own. Commands not listed
 * (start, the rebill outcomes, fulfillments, the sweeper's request again) are taken in every status:
 * the decider decides them from the state.
 */
export type PurchaseTransitionName =
  | 'UpdatePurchase'
  | 'RestartTrial'
  | 'SkipTrial'
  | 'CancelPurchase'
  | 'ScheduleCancellation'
  | 'PausePurchase'
  | 'ResumePurchase'
  | 'ForceBill'
  | 'BillIfDue'
  | 'RetryBill'
  | 'ChangeProduct'
  | 'ReactivatePurchase';

/** Every status but CANCELLED and COMPLETE: a purchase that can still change. */
const OPEN = PURCHASE_STATUSES.filter((status) => status !== 'CANCELLED' && status !== 'COMPLETE');
const CANCELLED = { code: 'PURCHASE_CANCELLED', message: 'The purchase is cancelled: reactivate it first' };
const COMPLETE = { code: 'PURCHASE_COMPLETE', message: 'The purchase is complete: its final bill cycle was billed' };
/** The refusals of billing (force bill, a run): each status that is not billed says why. */
const NOT_BILLED = {
  CANCELLED,
  COMPLETE,
  PAUSED: { code: 'PURCHASE_PAUSED', message: 'The purchase is paused: resume it first' },
  RECYCLE_BILLING: { code: 'RECYCLE_PENDING', message: 'The purchase is in recycle billing: its retry is scheduled' },
  RECYCLE_FAILED: { code: 'RECYCLE_FAILED', message: 'Recycle billing failed: reactivate the purchase first' },
} as const;

/**
 * The purchase lifecycle: which statuses each command is allowed from, the status it leads to, what
 * it does (`then`, the docs print it), and the refusal from any other status, unless `refusals` gives
 * that status its own (a cancelled purchase is `PURCHASE_CANCELLED`, a paused one `PURCHASE_PAUSED`,
 * ...). The decider reads it through `allowedFrom`; docs/subscriptions.md prints it (a spec keeps the
 * two equal).
 */
export const PURCHASE_TRANSITIONS: TransitionTable<PurchaseStatus, PurchaseTransitionName> = {
  UpdatePurchase: { from: OPEN, then: 'changed (COMPLETE when the current, billed cycle is made the final one)', ...CANCELLED, refusals: { COMPLETE } },
  RestartTrial: {
    from: ['TRIAL', 'ACTIVE'],
    to: 'TRIAL',
    then: 'next bill = today + trial days; nothing in flight',
    code: 'CANNOT_RESTART_TRIAL',
    message: 'Only a TRIAL or ACTIVE purchase can restart its trial',
    refusals: { CANCELLED, COMPLETE },
  },
  SkipTrial: { from: ['TRIAL'], then: 'cycle 2 billed now (a bill in flight)', code: 'NOT_IN_TRIAL', message: 'Only a purchase in its trial can skip it', refusals: { CANCELLED, COMPLETE } },
  CancelPurchase: {
    from: OPEN,
    to: 'CANCELLED',
    then: 'NOW: cancelled at once',
    code: 'ALREADY_CANCELLED',
    message: 'The purchase is already cancelled',
    refusals: { COMPLETE: { code: 'PURCHASE_COMPLETE', message: 'The purchase is complete: nothing is left to cancel' } },
  },
  ScheduleCancellation: {
    from: ['TRIAL', 'ACTIVE', 'CANCELLATION_SCHEDULED'],
    to: 'CANCELLATION_SCHEDULED',
    then: 'AFTER_NEXT_BILL or ON_DATE: cancelled after the next bill or on the date',
    code: 'CANNOT_SCHEDULE_CANCELLATION',
    message: 'Only a TRIAL, ACTIVE or CANCELLATION_SCHEDULED purchase has a next billing to wait for: cancel it now',
    field: 'when',
  },
  PausePurchase: {
    from: ['TRIAL', 'ACTIVE'],
    to: 'PAUSED',
    then: 'never billed while paused; nothing in flight',
    code: 'CANNOT_PAUSE',
    message: 'Only a TRIAL or ACTIVE purchase can be paused',
    refusals: { CANCELLED, COMPLETE, PAUSED: { code: 'ALREADY_PAUSED', message: 'The purchase is already paused' } },
  },
  ResumePurchase: { from: ['PAUSED'], then: 'the status before the pause; next bill not in the past', code: 'NOT_PAUSED', message: 'The purchase is not paused' },
  ForceBill: { from: BILLABLE_STATUSES, then: 'billed now (a bill in flight); not past the final cycle, nothing in flight', code: 'NOT_BILLABLE', message: 'The purchase is not billed', refusals: NOT_BILLED },
  BillIfDue: { from: BILLABLE_STATUSES, then: 'billed when due (a billing run), or a dated cancellation takes effect first', code: 'NOT_BILLABLE', message: 'The purchase is not billed', refusals: NOT_BILLED },
  RetryBill: { from: ['RECYCLE_BILLING'], then: 'the recycled cycle billed again (the retry that is due)', code: 'RECYCLE_NOT_PENDING', message: 'No recycle retry is pending' },
  ChangeProduct: { from: OPEN, then: 'the product (and with details its prices, interval, final cycle) changed', ...CANCELLED, refusals: { COMPLETE } },
  ReactivatePurchase: {
    from: ['RECYCLE_FAILED', 'CANCELLED'],
    then: 'TRIAL (cycle 1) or ACTIVE; next bill not in the past',
    code: 'NOT_REACTIVATABLE',
    message: 'Only RECYCLE_FAILED or CANCELLED purchases are reactivated',
    refusals: { COMPLETE: { code: 'PURCHASE_COMPLETE', message: 'A complete purchase cannot be reactivated' } },
  },
};

/** The docs' table rows (docs/subscriptions.md "Lifecycle transitions"), one line per command, as the code has them. */
export function purchaseTransitionsMarkdown(): string[] {
  return (Object.keys(PURCHASE_TRANSITIONS) as PurchaseTransitionName[]).map((command) => {
    const row = PURCHASE_TRANSITIONS[command];
    const own = Object.entries(row.refusals ?? {}).map(([status, refusal]) => `${status}: \`${refusal!.code}\``);
    const others = PURCHASE_STATUSES.filter((status) => !row.from.includes(status) && row.refusals?.[status] === undefined);
    const refused = [...own, ...(others.length > 0 ? [`${others.join(', ')}: \`${row.code}\``] : [])].join('; ');
    return `| \`${command}\` | ${row.from.join(', ')} | ${row.to ?? ''} | ${row.then ?? ''} | ${refused} |`;
  });
}
