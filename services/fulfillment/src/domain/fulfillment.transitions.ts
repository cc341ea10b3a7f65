import { FULFILLMENT_STATUSES, FulfillmentStatus, TransitionRefusal, TransitionTable, refusedIn } from '@continuum/contracts';
import { FulfillmentCommand } from './fulfillment.commands';

/** The commands on a fulfillment that exists (creating one is never refused: a second create changes nothing). */
export type FulfillmentAction = Exclude<FulfillmentCommand['type'], 'CreateFulfillment'>;

/**
 * Why a fulfillment in a status does not take a command that status does not allow, unless the
 * command's row names a refusal of its own for that status (`message`: the reason, in the words an
 * agent or a house needs).
 */
export const REFUSED_IN_STATUS: Readonly<Record<FulfillmentStatus, TransitionRefusal>> = {
  HOLD: { code: 'NOT_EXPORTED', message: 'it has not been sent to the fulfillment house yet' },
  RECYCLED: { code: 'NOT_EXPORTED', message: 'it failed and waits for its automatic resend' },
  CANCELLED: { code: 'FULFILLMENT_CANCELLED', message: 'it is cancelled' },
  FAILED: { code: 'FULFILLMENT_FAILED', message: 'the fulfillment house rejected it for good' },
  PENDING: { code: 'ALREADY_PENDING', message: 'it is already PENDING' },
  SHIPPED: { code: 'ALREADY_SHIPPED', message: 'it is already SHIPPED' },
  DELIVERED: { code: 'ALREADY_DELIVERED', message: 'it is already DELIVERED' },
  RMA_PENDING: { code: 'ALREADY_RMA_PENDING', message: 'it is already RMA_PENDING' },
  RETURNED: { code: 'ALREADY_RETURNED', message: 'it is already RETURNED' },
};

type FulfillmentRow = TransitionTable<FulfillmentStatus, FulfillmentAction>[FulfillmentAction];

/**
 * One row of the fulfillment lifecycle: allowed `from`, leading `to` (from the first of `from`;
 * absent: the status stays). Every other status refuses with its own reason (`REFUSED_IN_STATUS`),
 * or with the row's where `own` names one, worded "Cannot <what> the fulfillment: <reason>". As
 * every status not in `from` has its refusal, the row's code and message only sum it up.
 */
function row(what: string, from: readonly FulfillmentStatus[], to?: FulfillmentStatus, own: Partial<Record<FulfillmentStatus, TransitionRefusal>> = {}): FulfillmentRow {
  const message = `Cannot ${what} the fulfillment`;
  const refusals = Object.fromEntries(
    FULFILLMENT_STATUSES.filter((status) => !from.includes(status)).map((status) => {
      const refusal = own[status] ?? REFUSED_IN_STATUS[status];
      return [status, { code: refusal.code, message: `${message}: ${refusal.message}` }];
    }),
  );
  return { from, ...(to ? { to } : {}), code: 'TRANSITION_REFUSED', message, refusals };
}

const NEVER_SHIPPED: readonly FulfillmentStatus[] = ['HOLD', 'PENDING', 'RECYCLED', 'CANCELLED', 'FAILED'];
/** Statuses before the package left that may still ship (COD actions wait for SHIPPED). */
const NOT_SHIPPED_YET: readonly FulfillmentStatus[] = ['HOLD', 'PENDING', 'RECYCLED'];

/**
 * The fulfillment lifecycle, one row per command on an existing fulfillment. The decider reads it
 * through `allowedFrom` (`@continuum/contracts`), as every service's decider reads its own; a repeat
 * of what already happened (the same SHIPPED, DELIVERED, RMA number, return, failure, cancel) is
 * answered with no events before the table is consulted, and the decider's other rules (export
 * facts, tracking numbers after delivery, COD) come after it. docs/fulfillment.md prints this table.
 */
export const FULFILLMENT_TRANSITIONS: TransitionTable<FulfillmentStatus, FulfillmentAction> = {
  ExportFulfillment: row('export', ['HOLD', 'RECYCLED'], 'PENDING'),
  // after an early DELIVERED (or a return) a late SHIPPED only adds the tracking: the status stays
  ShipFulfillment: row('ship', ['PENDING', 'SHIPPED', 'DELIVERED', 'RMA_PENDING', 'RETURNED'], 'SHIPPED'),
  // DELIVERED before SHIPPED: the package clearly left
  DeliverFulfillment: row('deliver', ['PENDING', 'SHIPPED'], 'DELIVERED'),
  IssueRma: row('authorise a return of', ['SHIPPED', 'DELIVERED'], 'RMA_PENDING', refusedIn(NEVER_SHIPPED, { code: 'NOT_SHIPPED', message: 'it never shipped' })),
  // a house may report a return without an RMA
  ReturnFulfillment: row('return', ['SHIPPED', 'DELIVERED', 'RMA_PENDING'], 'RETURNED', refusedIn(NEVER_SHIPPED, { code: 'NOT_SHIPPED', message: 'it never shipped' })),
  // an agent's cancel: refused once the package left
  CancelFulfillment: row('cancel', ['HOLD', 'PENDING', 'RECYCLED', 'FAILED'], 'CANCELLED', refusedIn(['SHIPPED', 'DELIVERED', 'RMA_PENDING', 'RETURNED'], { code: 'ALREADY_SHIPPED', message: 'it has shipped' })),
  // an order's cancel (or a refund with auto-cancel): a fulfillment that shipped meanwhile stays as it is
  CancelIfUnshipped: row('cancel', ['HOLD', 'PENDING', 'RECYCLED', 'FAILED'], 'CANCELLED'),
  // the first failure recycles it for one automatic resend; the failure of the resend is final (FAILED)
  ReportFailure: row('fail', ['PENDING'], 'RECYCLED'),
  // a reship is a new fulfillment in HOLD; the original keeps its status
  ReshipFulfillment: row(
    'reship',
    ['PENDING', 'FAILED', 'SHIPPED', 'DELIVERED', 'RMA_PENDING', 'RETURNED'],
    undefined,
    refusedIn(['HOLD', 'RECYCLED'], { code: 'RESHIP_BEFORE_EXPORT', message: 'it has not reached the fulfillment house: it cannot be reshipped yet' }),
  ),
  // only once the package shipped; after a house's DELIVERED it records only the payment
  MarkCodPaid: row('mark COD paid on', ['SHIPPED', 'DELIVERED'], 'DELIVERED', refusedIn(NOT_SHIPPED_YET, { code: 'NOT_SHIPPED', message: 'it has not shipped yet' })),
  // only once the package shipped; reattempt and pickup keep the status; DECLINED cancels (the one cancel after shipping)
  MarkCodUndelivered: row('mark COD undelivered on', ['SHIPPED'], undefined, refusedIn(NOT_SHIPPED_YET, { code: 'NOT_SHIPPED', message: 'it has not shipped yet' })),
  // an upsell joins the fulfillment only before export; from then on it ships on its own (the reaction looks again)
  AddFulfillmentItems: row(
    'add items to',
    ['HOLD'],
    undefined,
    refusedIn(['PENDING', 'SHIPPED', 'DELIVERED', 'RMA_PENDING', 'RETURNED', 'RECYCLED', 'FAILED'], { code: 'ALREADY_EXPORTED', message: 'it was sent to the fulfillment house' }),
  ),
  // a declined upsell's lines leave only a fulfillment not exported yet; after export the decider answers no events
  RemoveFulfillmentItems: row('remove items from', ['HOLD']),
};

/**
 * The refusals of a row that differ from the status's own (`REFUSED_IN_STATUS`): what
 * docs/fulfillment.md prints beside each command.
 */
export function ownRefusals(command: FulfillmentAction): Partial<Record<FulfillmentStatus, TransitionRefusal>> {
  const { message, refusals = {} } = FULFILLMENT_TRANSITIONS[command];
  return Object.fromEntries(Object.entries(refusals).filter(([status, refusal]) => refusal!.message !== `${message}: ${REFUSED_IN_STATUS[status as FulfillmentStatus].message}`));
}
