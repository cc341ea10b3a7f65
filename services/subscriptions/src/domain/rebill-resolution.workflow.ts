import { DomainError } from '@continuum/contracts';
import { RecordRebillApproved, RecordRebillDeclined, RecordRebillNotBilled, RequestRebillAgain } from './purchase.commands';
import { ExistingPurchase } from './purchase.state';

/**
 * Resolving a rebill whose outcome never came (the order's payment answer was lost, or its charge timed
 * out at the gateway and was dead-lettered): the rebill-resolve sweeper (every REBILL_RESOLVE_INTERVAL_MS,
 * for bills in flight longer than REBILL_RESOLVE_AFTER_MS) and an agent's
 * `POST /purchases/:id/resolve-rebill` (at once) ask payments for the rebill order's charge status
 * (`GET /orders/:orderId/charge-status`: its record, else the gateway's status query) and record what it
 * says. Steps for `ResolveRebillHandler` (commands/resolve-rebill.handler.ts): `rebillToResolve`
 * (which order to ask about, or orders to ask again) and `rebillResolution` (what to record).
 */

/** payments' answer about a rebill order's charge, as subscriptions reads it. */
export interface RebillChargeStatus {
  readonly orderId: string;
  readonly transactionId: string | null;
  /** APPROVED: charged; DECLINED; NOT_CHARGED: the gateway never received it; NOT_A_CARD_CHARGE: paid another way (orders answers) */
  readonly status: 'APPROVED' | 'DECLINED' | 'NOT_CHARGED' | 'NOT_A_CARD_CHARGE';
  readonly source: 'RECORD' | 'GATEWAY';
  readonly response?: 'SUCCESS' | 'SOFT_DECLINE' | 'HARD_DECLINE';
  readonly amount?: number;
  readonly currency?: string;
  readonly cardLast4?: string;
  readonly cardBrand?: string;
  readonly message: string;
  readonly at?: string;
}

/** When a bill in flight is old enough to resolve: `now` and REBILL_RESOLVE_AFTER_MS; none for an agent (at once). */
export interface ResolveClock {
  readonly now: string;
  readonly afterMs: number;
}

/**
 * What to resolve on the purchase: ASK payments about the rebill order's charge (its order is
 * recorded and its outcome pending), ASK_AGAIN orders (no order recorded yet: the same request again,
 * as the rebill-outcome sweeper does), or NOTHING (no bill in flight, or one younger than the age).
 * An agent (no clock) with no bill in flight is refused: NO_REBILL_IN_FLIGHT (422).
 */
export type RebillToResolve =
  | { readonly kind: 'ASK'; readonly orderId: string }
  | { readonly kind: 'ASK_AGAIN'; readonly command: Pick<RequestRebillAgain, 'type' | 'data'> }
  | { readonly kind: 'NOTHING' };

export function rebillToResolve(p: ExistingPurchase, clock?: ResolveClock): RebillToResolve {
  const bill = p.bill;
  if (!bill) {
    if (clock) return { kind: 'NOTHING' };
    throw new DomainError('NO_REBILL_IN_FLIGHT', `Purchase ${p.purchaseId} has no bill in flight to resolve`, 'rule');
  }
  if (clock && bill.requestedAt !== null && Date.parse(clock.now) - Date.parse(bill.requestedAt) <= clock.afterMs) return { kind: 'NOTHING' };
  if (bill.orderId === null) return { kind: 'ASK_AGAIN', command: { type: 'RequestRebillAgain', data: { timeoutMs: clock?.afterMs ?? 0 } } };
  const order = p.rebillOrders[bill.orderId];
  if (order && order.outcome !== 'PENDING') return { kind: 'NOTHING' };
  return { kind: 'ASK', orderId: bill.orderId };
}

type ResolutionCommand = Pick<RecordRebillApproved, 'type' | 'data'> | Pick<RecordRebillDeclined, 'type' | 'data'> | Pick<RecordRebillNotBilled, 'type' | 'data'>;

/** What the resolution recorded: BILLED, DECLINED (recycle or RECYCLE_FAILED follows as for any decline), DUE_AGAIN, or WAITING (orders tells: nothing recorded). */
export type RebillResolutionOutcome = 'BILLED' | 'DECLINED' | 'DUE_AGAIN' | 'WAITING';

/**
 * The command that records payments' answer on the purchase: a charge (recorded or at the gateway) bills
 * the cycle; a decline is a decline (recycle billing as usual); a charge the gateway never received
 * makes the cycle due again (NOT_CHARGED); an order paid another way, or an answer without the amount
 * charged, records nothing (WAITING).
 */
export function rebillResolution(
  p: ExistingPurchase,
  answer: RebillChargeStatus,
  recycleDelaysMs: readonly number[],
): { readonly outcome: RebillResolutionOutcome; readonly command?: ResolutionCommand } {
  const order = p.rebillOrders[answer.orderId];
  if (!order) throw new DomainError('REBILL_ORDER_UNKNOWN', `Order ${answer.orderId} is not a rebill of this purchase`, 'not-found');
  if (answer.status === 'NOT_CHARGED') {
    // recorded at the command's time (metadata.now)
    const data = { orderId: answer.orderId, billingCycle: order.billingCycle, attempt: order.attempt, outcome: 'NOT_CHARGED' as const, reason: `payments: ${answer.message}` };
    return { outcome: 'DUE_AGAIN', command: { type: 'RecordRebillNotBilled', data } };
  }
  if (answer.status === 'NOT_A_CARD_CHARGE' || answer.amount === undefined || answer.transactionId === null) return { outcome: 'WAITING' };
  const charge = {
    orderId: answer.orderId,
    transactionId: answer.transactionId,
    amount: answer.amount,
    currency: answer.currency ?? p.currency,
    ...(answer.cardLast4 !== undefined ? { cardLast4: answer.cardLast4 } : {}),
    ...(answer.cardBrand !== undefined ? { cardBrand: answer.cardBrand } : {}),
    message: answer.message,
    // payments' record has the charge's time; a gateway answer has none: the command's time
    ...(answer.at !== undefined ? { at: answer.at } : {}),
  };
  if (answer.status === 'APPROVED') return { outcome: 'BILLED', command: { type: 'RecordRebillApproved', data: charge } };
  const response = answer.response === 'SOFT_DECLINE' ? 'SOFT_DECLINE' : 'HARD_DECLINE';
  return { outcome: 'DECLINED', command: { type: 'RecordRebillDeclined', data: { ...charge, response, recycleDelaysMs } } };
}
