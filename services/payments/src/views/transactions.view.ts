import { Inject, Injectable } from '@nestjs/common';
import { PaymentsEvent } from '@continuum/contracts';
import { Platform, ViewDefinition, ViewStore } from '@continuum/platform';
import {
  evolveTransaction,
  initialTransactionState,
  isSettleable,
  RefundStatus,
  RefundView,
  refundViews,
  TransactionRow,
  TransactionState,
  transactionRows,
  transactionStreamId,
} from '../domain';

const STREAM_PREFIX = transactionStreamId('');
const UNSETTLED = 'unsettled';
const ANY = 'any';

/** When an approved, settleable, unsettled charge took its money; null otherwise. */
function unsettledChargedAt(state: TransactionState): string | null {
  return state.status === 'APPROVED' && state.settledAt === null && isSettleable(state) ? (state.capture?.at ?? state.createdAt) : null;
}

/**
 * Transactions as their streams fold them, listed by order, by refund id, by refund status and
 * while they wait for settlement (that list is bounded by work in flight).
 */
export const transactionsViewDefinition: ViewDefinition<TransactionState, PaymentsEvent> = {
  name: 'transactions',
  streamPrefix: STREAM_PREFIX,
  initial: initialTransactionState,
  evolve: evolveTransaction,
  indexes: {
    order: (state) => (state.status === 'NONE' ? [] : [state.orderId]),
    // refunds and the void, by their own ids (GET /transactions/:id and /refunds/:id take either)
    refund: (state) => [...refundViews(state).map((view) => view.refundId), ...voidIds(state)],
    refundStatus: (state) => {
      const views = refundViews(state);
      return views.length === 0 ? [] : [ANY, ...new Set(views.map((view) => view.status))];
    },
    settlement: (state) => (unsettledChargedAt(state) === null ? [] : [UNSETTLED]),
  },
};

function voidIds(state: TransactionState): string[] {
  if (state.status === 'VOIDED') return [state.void.voidId];
  if (state.status === 'APPROVED' && state.pendingVoid) return [state.pendingVoid.voidId];
  return [];
}

const byCreation = (a: { id: string; view: TransactionState }, b: { id: string; view: TransactionState }) => {
  const created = (state: TransactionState) => (state.status === 'NONE' ? '' : state.createdAt);
  return created(a.view).localeCompare(created(b.view)) || a.id.localeCompare(b.id);
};
const transactionIdOf = (streamId: string) => streamId.slice(STREAM_PREFIX.length);

/**
 * The payments queries: transactions by order, refunds by id and status, and unsettled charges for
 * settlement runs, all `_id` reads of the `transactions` view. Reads of one transaction by id go to
 * its stream instead (always current).
 */
@Injectable()
export class TransactionsView {
  private readonly view: ViewStore<TransactionState, PaymentsEvent>;

  constructor(@Inject(Platform) platform: Platform) {
    this.view = platform.view(transactionsViewDefinition);
  }

  /** Every row of every transaction of the order, oldest transaction first. */
  async rowsOfOrder(orderId: string): Promise<TransactionRow[]> {
    return (await this.view.findBy('order', orderId)).sort(byCreation).flatMap(({ view }) => transactionRows(view));
  }

  async transactionIdsOfOrder(orderId: string): Promise<string[]> {
    return (await this.view.findBy('order', orderId)).sort(byCreation).map(({ id }) => transactionIdOf(id));
  }

  /** Charges still unsettled that took their money at or before `chargedBy` (ISO-8601). */
  async unsettledChargedBy(chargedBy: string): Promise<string[]> {
    return (await this.view.findBy('settlement', UNSETTLED))
      .filter(({ view }) => (unsettledChargedAt(view) ?? '9999') <= chargedBy)
      .map(({ id }) => transactionIdOf(id))
      .sort();
  }

  /** Unsettled charges with a void reserved and not yet recorded (the void-reservation sweeper's list). */
  async withVoidReserved(): Promise<string[]> {
    return (await this.view.findBy('settlement', UNSETTLED))
      .filter(({ view }) => view.status === 'APPROVED' && view.pendingVoid !== null)
      .map(({ id }) => transactionIdOf(id))
      .sort();
  }

  async refund(refundId: string): Promise<RefundView | undefined> {
    for (const { view } of await this.view.findBy('refund', refundId)) {
      const found = refundViews(view).find((candidate) => candidate.refundId === refundId);
      if (found) return found;
    }
    return undefined;
  }

  /** The transaction a refund (or a void, by its id) belongs to. */
  async transactionOfRefund(refundId: string): Promise<string | undefined> {
    const [found] = await this.view.findBy('refund', refundId);
    return found ? transactionIdOf(found.id) : undefined;
  }

  /** Refunds in this status (every refund without one), oldest request first. */
  async refundsByStatus(status?: RefundStatus): Promise<RefundView[]> {
    const transactions = await this.view.findBy('refundStatus', status ?? ANY);
    return transactions
      .flatMap(({ view }) => refundViews(view))
      .filter((refund) => status === undefined || refund.status === status)
      .sort((a, b) => a.requestedAt.localeCompare(b.requestedAt) || a.refundId.localeCompare(b.refundId));
  }
}
