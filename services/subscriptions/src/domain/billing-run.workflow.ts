import { SubscriptionEvent } from '@continuum/contracts';
import { ExistingPurchase } from './purchase.state';

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
