import { EventEnvelope } from '@continuum/contracts';
import { ReportDelta } from './report-buckets';

/**
 * What the reports remember of one stream between its events, to know what an event changed
 * (`facts:<streamId>`): a purchase's row in the continuity, projected-billing and retention reports,
 * or the reason of a transaction's chargeback. `seen` is the last stream version folded.
 */
export type ReportFacts = PurchaseFacts | ChargebackFacts | CountedFacts;

/** A stream whose events counted in the reports but need nothing else remembered: up to which version it was counted. */
export interface CountedFacts {
  readonly kind: 'counted';
  readonly seen: number;
}

export interface PurchaseFacts {
  readonly kind: 'purchase';
  readonly seen: number;
  readonly status: string;
  readonly cycle: number;
  /** the next bill's calendar date (`YYYY-MM-DD`), null when none is due */
  readonly nextBillDate: string | null;
  readonly price: number;
  readonly shippingPrice: number;
  /** a CUSTOM sales tax charged on every rebill (AUTO: 0) */
  readonly salesTax: number;
  readonly currency: string;
  /** `YYYY-MM` of the order that started it */
  readonly startMonth: string;
  /** the highest billing cycle billed (1: the starting order) */
  readonly reached: number;
}

export interface ChargebackFacts {
  readonly kind: 'chargeback';
  readonly seen: number;
  /** the reason code of the chargeback marked last, null once reverted */
  readonly reason: string | null;
  readonly amount: number;
}

/** Statuses in which a purchase bills on its next bill date. */
const BILLING_STATUSES = ['TRIAL', 'ACTIVE', 'RECYCLE_BILLING', 'PAUSE_SCHEDULED', 'CANCELLATION_SCHEDULED'];

/** A reason code left empty is counted as this. */
export const UNKNOWN_REASON = 'UNKNOWN';

/** What one event does to the reports: the stream's facts after it (when it changed them) and the deltas. */
export interface ReportStep {
  readonly facts?: ReportFacts;
  readonly deltas: readonly ReportDelta[];
}

type Data = Record<string, unknown>;
const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
/** a billing-calendar date, or the day of an instant (a recycle retry's `retryAt`) */
const calendarDay = (value: unknown): string | null => str(value)?.slice(0, 10) ?? null;

/** The facts of a purchase after one of its stream's events (undefined: the event changes none of them). */
export function evolvePurchaseFacts(facts: PurchaseFacts | undefined, event: EventEnvelope): PurchaseFacts | undefined {
  const data = event.data as Data;
  if (event.type === 'PurchaseStarted') {
    const salesTax = data['salesTax'] as { mode?: string; amount?: number } | undefined;
    return {
      kind: 'purchase',
      seen: event.streamVersion,
      status: str(data['status']) ?? 'TRIAL',
      cycle: num(data['billingCycle']) ?? 1,
      nextBillDate: calendarDay(data['nextBillDate']),
      price: num(data['price']) ?? 0,
      shippingPrice: num(data['shippingPrice']) ?? 0,
      salesTax: salesTax?.mode === 'CUSTOM' ? (salesTax.amount ?? 0) : 0,
      currency: str(data['currency']) ?? 'USD',
      startMonth: (str(data['orderDate']) ?? event.occurredAt).slice(0, 7),
      reached: 1,
    };
  }
  if (!facts) return undefined;
  const next = (change: Partial<PurchaseFacts>): PurchaseFacts => ({ ...facts, ...change, seen: event.streamVersion });
  switch (event.type) {
    case 'PurchaseUpdated': {
      const changes = (data['changes'] ?? {}) as Data;
      const salesTax = changes['salesTax'] as { mode?: string; amount?: number } | undefined;
      return next({
        price: num(changes['price']) ?? facts.price,
        shippingPrice: num(changes['shippingPrice']) ?? facts.shippingPrice,
        salesTax: salesTax === undefined ? facts.salesTax : salesTax.mode === 'CUSTOM' ? (salesTax.amount ?? 0) : 0,
        nextBillDate: changes['nextBillDate'] === undefined ? facts.nextBillDate : calendarDay(changes['nextBillDate']),
      });
    }
    case 'PurchaseProductChanged':
      return next({ price: num(data['price']) ?? facts.price, shippingPrice: num(data['shippingPrice']) ?? facts.shippingPrice });
    case 'PurchaseTrialRestarted':
      return next({ status: 'TRIAL', cycle: num(data['billingCycle']) ?? facts.cycle, nextBillDate: calendarDay(data['nextBillDate']) });
    case 'PurchaseTrialSkipped':
      return next({ cycle: num(data['billingCycle']) ?? facts.cycle });
    case 'PurchaseCancellationScheduled':
      return next({ status: 'CANCELLATION_SCHEDULED' });
    case 'PurchaseCancelled':
      return next({ status: 'CANCELLED', nextBillDate: null });
    case 'PurchasePaused':
      return next({ status: 'PAUSED' });
    case 'PurchaseResumed':
      return next({ status: str(data['status']) ?? facts.status, nextBillDate: calendarDay(data['nextBillDate']) });
    case 'PurchaseReactivated':
      return next({ status: str(data['status']) ?? facts.status, cycle: num(data['billingCycle']) ?? facts.cycle, nextBillDate: calendarDay(data['nextBillDate']) });
    case 'PurchaseBilled': {
      const cycle = num(data['billingCycle']) ?? facts.cycle;
      return next({ status: str(data['status']) ?? facts.status, cycle, nextBillDate: calendarDay(data['nextBillDate']), reached: Math.max(facts.reached, cycle) });
    }
    case 'PurchaseRecycleScheduled':
      return next({ status: 'RECYCLE_BILLING', nextBillDate: calendarDay(data['retryAt']) });
    case 'PurchaseRecycleFailed':
      return next({ status: 'RECYCLE_FAILED', nextBillDate: null });
    case 'PurchaseCompleted':
      return next({ status: 'COMPLETE', nextBillDate: null });
    default:
      return undefined;
  }
}

/** What a purchase adds to the projected billing: its next bill (date, currency, amount), if it will bill. */
function nextBill(facts: PurchaseFacts | undefined): { key: string[]; amount: number } | undefined {
  if (!facts || facts.nextBillDate === null || !BILLING_STATUSES.includes(facts.status)) return undefined;
  return { key: [facts.nextBillDate, facts.currency], amount: facts.price + facts.shippingPrice + facts.salesTax };
}

/** The deltas between a purchase's facts before and after an event. */
export function purchaseDeltas(before: PurchaseFacts | undefined, after: PurchaseFacts): ReportDelta[] {
  const deltas: ReportDelta[] = [];
  if (!before || before.status !== after.status || before.cycle !== after.cycle) {
    if (before) deltas.push({ report: 'continuity', key: [before.status, String(before.cycle)], count: -1, amount: 0 });
    deltas.push({ report: 'continuity', key: [after.status, String(after.cycle)], count: 1, amount: 0 });
  }
  const [billBefore, billAfter] = [nextBill(before), nextBill(after)];
  if (JSON.stringify(billBefore) !== JSON.stringify(billAfter)) {
    if (billBefore) deltas.push({ report: 'projected-billing', key: billBefore.key, count: -1, amount: -billBefore.amount });
    if (billAfter) deltas.push({ report: 'projected-billing', key: billAfter.key, count: 1, amount: billAfter.amount });
  }
  for (let cycle = (before?.reached ?? 0) + 1; cycle <= after.reached; cycle++) deltas.push({ report: 'retention', key: [after.startMonth, String(cycle)], count: 1, amount: 0 });
  return deltas;
}

/** Events that are the work of a person: an agent's or admin's request itself (not what other services did about it). */
const isAgentAction = (event: EventEnvelope) => (event.actor.kind === 'agent' || event.actor.kind === 'admin') && event.causationId === null;

/**
 * What one event does to the reports, given the facts its stream left (pure). An event that the facts
 * already saw (`seen` at or past its stream version) does nothing: it was counted.
 */
export function reportStep(facts: ReportFacts | undefined, event: EventEnvelope): ReportStep {
  if (facts && facts.seen >= event.streamVersion) return { deltas: [] };
  const data = event.data as Data;
  const deltas: ReportDelta[] = [];
  let after: ReportFacts | undefined;
  if (isAgentAction(event)) deltas.push({ report: 'agent-actions', key: [event.actor.id, event.actor.kind, event.type], count: 1, amount: 0 });
  switch (event.type) {
    case 'OrderCancelled':
      deltas.push({ report: 'cancellations', key: ['ORDER', str(data['reason']) ?? UNKNOWN_REASON], count: 1, amount: 0 });
      break;
    case 'PurchaseCancelled':
      deltas.push({ report: 'cancellations', key: ['PURCHASE', str(data['reason']) ?? UNKNOWN_REASON], count: 1, amount: 0 });
      break;
    case 'ChargebackMarked': {
      const reason = str(data['reasonCode']) ?? UNKNOWN_REASON;
      const amount = num(data['amount']) ?? 0;
      deltas.push({ report: 'chargebacks', key: [reason, 'MARKED'], count: 1, amount });
      after = { kind: 'chargeback', seen: event.streamVersion, reason, amount };
      break;
    }
    case 'ChargebackReverted': {
      const marked = facts?.kind === 'chargeback' ? facts : undefined;
      const amount = num(data['amount']) ?? marked?.amount ?? 0;
      deltas.push({ report: 'chargebacks', key: [marked?.reason ?? UNKNOWN_REASON, 'REVERTED'], count: 1, amount });
      after = { kind: 'chargeback', seen: event.streamVersion, reason: null, amount: 0 };
      break;
    }
  }
  if (event.type.startsWith('Purchase')) {
    const before = facts?.kind === 'purchase' ? facts : undefined;
    const purchase = evolvePurchaseFacts(before, event);
    if (purchase) {
      deltas.push(...purchaseDeltas(before, purchase));
      after = purchase;
    }
  }
  // an event that counted is remembered as seen, so the same event again (republished under a new id) counts nothing
  if (!after && deltas.length > 0) after = facts ? { ...facts, seen: event.streamVersion } : { kind: 'counted', seen: event.streamVersion };
  return after ? { facts: after, deltas } : { deltas };
}
