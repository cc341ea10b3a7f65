import { DomainError, PURCHASE_STATUSES, PurchaseStatus, TransitionTable, allowedFrom } from '@continuum/contracts';
import { BILLABLE_STATUSES } from './purchase.state';

/**
 * What a purchase command is allowed from and what a refused one answers. Keyed by command type,
 * except `ScheduleCancellation`: CancelPurchase AFTER_NEXT_BILL or ON_DATE, which is guarded by the
 * `CancelPurchase` row first and then by its own. `from`: the statuses the command is allowed from;
 * `to`: the status it leads to when it is one; `then`: what happens, in words (the docs print it);
 * `code`/`message`: the refusal from any other status, unless `refusals` gives that status its own
 * (a cancelled purchase is `PURCHASE_CANCELLED`, a paused one `PURCHASE_PAUSED`, ...); `field`:
 * the request field a refusal names. Commands not listed (start, the rebill outcomes, fulfillments,
 * the sweeper's request again) are taken in every status: the decider decides them from the state.
 */
interface PurchaseTransition {
  readonly from: readonly PurchaseStatus[];
  readonly to?: PurchaseStatus;
  readonly then: string;
  readonly code: string;
  readonly message: string;
  readonly refusals?: Partial<Record<PurchaseStatus, { readonly code: string; readonly message: string }>>;
  readonly field?: string;
}

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

export const PURCHASE_TRANSITIONS = {
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
} as const satisfies Record<string, PurchaseTransition>;

export type PurchaseTransitionName = keyof typeof PURCHASE_TRANSITIONS;

/** The purchase lifecycle as the shared status guard reads it (command -> from, to, the refusal). */
export const PURCHASE_TRANSITION_TABLE: TransitionTable<PurchaseStatus, PurchaseTransitionName> = PURCHASE_TRANSITIONS;

/**
 * The purchase's one status guard: `command` is allowed from `status`, or refused with the code its
 * row gives that status (`allowedFrom`: a 422 rule naming the status; here also the row's field).
 */
export function allowedFromStatus(command: PurchaseTransitionName, status: PurchaseStatus): void {
  const row: PurchaseTransition = PURCHASE_TRANSITIONS[command];
  try {
    allowedFrom(PURCHASE_TRANSITION_TABLE, command, status);
  } catch (error) {
    if (row.field === undefined || !(error instanceof DomainError)) throw error;
    throw new DomainError(error.code, error.message, error.kind, { ...error.details, field: row.field });
  }
}

/** The docs' table rows (docs/subscriptions.md "Lifecycle transitions"), one line per command, as the code has them. */
export function purchaseTransitionsMarkdown(): string[] {
  return (Object.keys(PURCHASE_TRANSITIONS) as PurchaseTransitionName[]).map((command) => {
    const row: PurchaseTransition = PURCHASE_TRANSITIONS[command];
    const own = Object.entries(row.refusals ?? {}).map(([status, refusal]) => `${status}: \`${refusal!.code}\``);
    const others = PURCHASE_STATUSES.filter((status) => !row.from.includes(status) && row.refusals?.[status] === undefined);
    const refused = [...own, ...(others.length > 0 ? [`${others.join(', ')}: \`${row.code}\``] : [])].join('; ');
    return `| \`${command}\` | ${row.from.join(', ')} | ${row.to ?? ''} | ${row.then} | ${refused} |`;
  });
}
