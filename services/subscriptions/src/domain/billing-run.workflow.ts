import { SubscriptionEvent } from '@continuum/contracts';
import { ExistingPurchase } from './purchase.state';
import { localDate } from './calendar';

/** A bill a run requested: the purchase, the cycle and the request's number within that cycle. */
export interface RequestedBill {
  readonly purchaseId: string;
  readonly billingCycle: number;
  readonly attempt: number;
}

/** What one purchase's `BillIfDue` decided, for the run's count: the bill it requested, if any, and whether it cancelled. */
export function billingRunStep(purchaseId: string, events: readonly SubscriptionEvent[]): { requested: RequestedBill[]; cancelled: number } {
  const requested: RequestedBill[] = [];
  let cancelled = 0;
  for (const event of events) {
    if (event.type === 'RebillRequested') requested.push({ purchaseId, billingCycle: event.data.billingCycle, attempt: event.data.attempt ?? 0 });
    if (event.type === 'PurchaseCancelled') cancelled++;
  }
  return { requested, cancelled };
}

/** How a requested bill ended, as the purchase records it: its rebill order of that cycle and attempt, approved, declined, or not answered yet. */
export function billOutcome(purchase: ExistingPurchase | undefined, bill: Pick<RequestedBill, 'billingCycle' | 'attempt'>): 'APPROVED' | 'DECLINED' | 'PENDING' {
  const order = Object.values(purchase?.rebillOrders ?? {}).find((o) => o.billingCycle === bill.billingCycle && o.attempt === bill.attempt);
  return order?.outcome ?? 'PENDING';
}

/** The run's count after one look at the bills still waiting: approved and declined ones counted, the others still waiting. */
export function countOutcomes<B extends RequestedBill>(
  waiting: readonly { bill: B; outcome: 'APPROVED' | 'DECLINED' | 'PENDING' }[],
): { billed: number; declined: number; still: B[] } {
  return {
    billed: waiting.filter((w) => w.outcome === 'APPROVED').length,
    declined: waiting.filter((w) => w.outcome === 'DECLINED').length,
    still: waiting.filter((w) => w.outcome === 'PENDING').map((w) => w.bill),
  };
}

/**
 * Whether a requested bill has ended, as the purchase (the view) records it: its rebill order was
 * approved or declined, or the purchase no longer waits for it (refused, not billed, cancelled).
 * A purchase that has not recorded the request yet (the view lags the append) has not ended it.
 */
export function billEnded(purchase: ExistingPurchase | undefined, bill: Pick<RequestedBill, 'billingCycle' | 'attempt'>): boolean {
  if (billOutcome(purchase, bill) !== 'PENDING') return true;
  if (purchase === undefined || (purchase.requestsByCycle[bill.billingCycle] ?? 0) <= bill.attempt) return false;
  return !(purchase.bill !== null && purchase.bill.billingCycle === bill.billingCycle && purchase.bill.attempt === bill.attempt);
}

/** A bill in the run's window: requested at `requestedAtMs` (the run's clock). */
export interface WindowedBill extends RequestedBill {
  readonly requestedAtMs: number;
}

/**
 * The run keeps at most a window of bills without an outcome, so the orders, charges and
 * fulfillments its bills cause never queue far ahead of new orders in the services they share. A
 * bill leaves the window when it has ended, or once it has held its place `holdMs` (an outcome that
 * is slow or never comes does not stop the run; the sweepers follow such a bill).
 */
export function leavesWindow(purchase: ExistingPurchase | undefined, bill: WindowedBill, nowMs: number, holdMs: number): boolean {
  return billEnded(purchase, bill) || nowMs - bill.requestedAtMs >= holdMs;
}

/**
 * Whether a run as of `asOf` has to act on this purchase (one listed by the view's `billing` index:
 * billable, nothing in flight): its next bill date, or the date of a dated cancellation, is on or
 * before the date of `asOf` in the purchase's time zone.
 */
export function dueForRun(purchase: ExistingPurchase, asOf: string): boolean {
  const today = localDate(asOf, purchase.timeZone);
  const cancelOn = purchase.cancellation?.when === 'ON_DATE' ? purchase.cancellation.date : undefined;
  return (purchase.nextBillDate !== null && purchase.nextBillDate <= today) || (cancelOn !== undefined && cancelOn <= today);
}
