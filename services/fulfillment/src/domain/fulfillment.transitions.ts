import { FULFILLMENT_STATUSES, FulfillmentStatus, TransitionTable, allowedFrom, refusedIn } from '@continuum/contracts';
import { FulfillmentCommand } from './fulfillment.commands';

/** The commands on a fulfillment that exists (creating one is never refused: a second create changes nothing). */
export type FulfillmentAction = Exclude<FulfillmentCommand['type'], 'CreateFulfillment'>;

/** The error a command gets when the fulfillment is in a status it is not allowed from. */
export interface Refusal {
  readonly code: string;
  /** why, in the words an agent (or a house) needs */
  readonly reason: string;
}

/**
 * Why a fulfillment in a status cannot take a command that status does not allow, unless the
 * command's row names a refusal of its own for that status.
 */
export const REFUSED_IN_STATUS: Readonly<Record<FulfillmentStatus, Refusal>> = {
  HOLD: { code: 'NOT_EXPORTED', reason: 'it has not been sent to the fulfillment house yet' },
  RECYCLED: { code: 'NOT_EXPORTED', reason: 'it failed and waits for its automatic resend' },
  CANCELLED: { code: 'FULFILLMENT_CANCELLED', reason: 'it is cancelled' },
  FAILED: { code: 'FULFILLMENT_FAILED', reason: 'the fulfillment house rejected it for good' },
  PENDING: { code: 'ALREADY_PENDING', reason: 'it is already PENDING' },
  SHIPPED: { code: 'ALREADY_SHIPPED', reason: 'it is already SHIPPED' },
  DELIVERED: { code: 'ALREADY_DELIVERED', reason: 'it is already DELIVERED' },
  RMA_PENDING: { code: 'ALREADY_RMA_PENDING', reason: 'it is already RMA_PENDING' },
  RETURNED: { code: 'ALREADY_RETURNED', reason: 'it is already RETURNED' },
};

/** One row of the fulfillment lifecycle: the statuses a command is allowed from and the one it leads to. */
export interface FulfillmentTransition {
  readonly from: readonly FulfillmentStatus[];
  /** the status it leads to from the first of `from` (absent: the status stays) */
  readonly to?: FulfillmentStatus;
  /** what the command does, as the refusal says it: "Cannot <what> the fulfillment: <reason>" */
  readonly what: string;
  /** refusals of this command that differ from the status's own (`REFUSED_IN_STATUS`) */
  readonly refused?: Readonly<Partial<Record<FulfillmentStatus, Refusal>>>;
}

const NEVER_SHIPPED: readonly FulfillmentStatus[] = ['HOLD', 'PENDING', 'RECYCLED', 'CANCELLED', 'FAILED'];
/** Statuses before the package left that may still ship (COD actions wait for SHIPPED). */
const NOT_SHIPPED_YET: readonly FulfillmentStatus[] = ['HOLD', 'PENDING', 'RECYCLED'];

/**
 * The fulfillment lifecycle, one row per command on an existing fulfillment. A repeat of what
 * already happened (the same SHIPPED, DELIVERED, RMA number, return, failure, cancel) is answered
 * with no events before the table is consulted; the decider's other rules (export facts, tracking
 * numbers after delivery, COD) come after it. docs/fulfillment.md prints this table.
 */
export const FULFILLMENT_TRANSITIONS: Readonly<Record<FulfillmentAction, FulfillmentTransition>> = {
  ExportFulfillment: { from: ['HOLD', 'RECYCLED'], to: 'PENDING', what: 'export' },
  // after an early DELIVERED (or a return) a late SHIPPED only adds the tracking: the status stays
  ShipFulfillment: { from: ['PENDING', 'SHIPPED', 'DELIVERED', 'RMA_PENDING', 'RETURNED'], to: 'SHIPPED', what: 'ship' },
  // DELIVERED before SHIPPED: the package clearly left
  DeliverFulfillment: { from: ['PENDING', 'SHIPPED'], to: 'DELIVERED', what: 'deliver' },
  IssueRma: {
    from: ['SHIPPED', 'DELIVERED'],
    to: 'RMA_PENDING',
    what: 'authorise a return of',
    refused: refusedIn(NEVER_SHIPPED, { code: 'NOT_SHIPPED', reason: 'it never shipped' }),
  },
  // a house may report a return without an RMA
  ReturnFulfillment: {
    from: ['SHIPPED', 'DELIVERED', 'RMA_PENDING'],
    to: 'RETURNED',
    what: 'return',
    refused: refusedIn(NEVER_SHIPPED, { code: 'NOT_SHIPPED', reason: 'it never shipped' }),
  },
  // an agent's cancel: refused once the package left
  CancelFulfillment: {
    from: ['HOLD', 'PENDING', 'RECYCLED', 'FAILED'],
    to: 'CANCELLED',
    what: 'cancel',
    refused: refusedIn(['SHIPPED', 'DELIVERED', 'RMA_PENDING', 'RETURNED'], { code: 'ALREADY_SHIPPED', reason: 'it has shipped' }),
  },
  // an order's cancel (or a refund with auto-cancel): a fulfillment that shipped meanwhile stays as it is
  CancelIfUnshipped: { from: ['HOLD', 'PENDING', 'RECYCLED', 'FAILED'], to: 'CANCELLED', what: 'cancel' },
  // the first failure recycles it for one automatic resend; the failure of the resend is final (FAILED)
  ReportFailure: { from: ['PENDING'], to: 'RECYCLED', what: 'fail' },
  // a reship is a new fulfillment in HOLD; the original keeps its status
  ReshipFulfillment: {
    from: ['PENDING', 'FAILED', 'SHIPPED', 'DELIVERED', 'RMA_PENDING', 'RETURNED'],
    what: 'reship',
    refused: refusedIn(['HOLD', 'RECYCLED'], { code: 'RESHIP_BEFORE_EXPORT', reason: 'it has not reached the fulfillment house: it cannot be reshipped yet' }),
  },
  // only once the package shipped; after a house's DELIVERED it records only the payment
  MarkCodPaid: {
    from: ['SHIPPED', 'DELIVERED'],
    to: 'DELIVERED',
    what: 'mark COD paid on',
    refused: refusedIn(NOT_SHIPPED_YET, { code: 'NOT_SHIPPED', reason: 'it has not shipped yet' }),
  },
  // only once the package shipped; reattempt and pickup keep the status; DECLINED cancels (the one cancel after shipping)
  MarkCodUndelivered: {
    from: ['SHIPPED'],
    what: 'mark COD undelivered on',
    refused: refusedIn(NOT_SHIPPED_YET, { code: 'NOT_SHIPPED', reason: 'it has not shipped yet' }),
  },
  // an upsell joins the fulfillment only before export; from then on it ships on its own (the reaction looks again)
  AddFulfillmentItems: {
    from: ['HOLD'],
    what: 'add items to',
    refused: refusedIn(['PENDING', 'SHIPPED', 'DELIVERED', 'RMA_PENDING', 'RETURNED', 'RECYCLED', 'FAILED'], { code: 'ALREADY_EXPORTED', reason: 'it was sent to the fulfillment house' }),
  },
  // a declined upsell's lines leave only a fulfillment not exported yet; after export the decider answers no events
  RemoveFulfillmentItems: { from: ['HOLD'], what: 'remove items from' },
};

/** The refusal a command gets in a status it is not allowed from. */
export const refusalOf = (command: FulfillmentAction, status: FulfillmentStatus): Refusal =>
  FULFILLMENT_TRANSITIONS[command].refused?.[status] ?? REFUSED_IN_STATUS[status];

/**
 * The transition table as the shared guard reads it, once per status the fulfillment is in: each
 * row carries the code and message of the refusal in that status, so `allowedFrom` throws the code
 * an agent (or a house) has always been given.
 */
const TABLE_IN_STATUS = Object.fromEntries(
  FULFILLMENT_STATUSES.map((status) => [
    status,
    Object.fromEntries(
      (Object.keys(FULFILLMENT_TRANSITIONS) as FulfillmentAction[]).map((command) => {
        const row = FULFILLMENT_TRANSITIONS[command];
        const refusal = refusalOf(command, status);
        return [command, { from: row.from, to: row.to, code: refusal.code, message: `Cannot ${row.what} the fulfillment: ${refusal.reason}` }];
      }),
    ),
  ]),
) as Record<FulfillmentStatus, TransitionTable<FulfillmentStatus, FulfillmentAction>>;

/** The one status guard of the fulfillment decider: throws the command's refusal (kind rule, details `{ status }`) unless the table allows it from `status`. */
export function allowedFromStatus(command: FulfillmentAction, status: FulfillmentStatus): void {
  allowedFrom(TABLE_IN_STATUS[status], command, status);
}
