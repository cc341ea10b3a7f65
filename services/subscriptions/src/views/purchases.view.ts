import { Inject, Injectable } from '@nestjs/common';
import { ListPage, PurchaseStatus, SubscriptionEvent } from '@continuum/contracts';
import { eachLimited, INDEX_CHUNK, Platform, ViewDefinition, ViewStore } from '@continuum/platform';
import {
  BILLABLE_STATUSES,
  ExistingPurchase,
  PurchaseProfile,
  PurchaseProfileDocument,
  evolveProfile,
  exists,
  initialProfile,
  dueForRun,
  profileOf,
  ordersOf,
  purchaseStreamId,
  purchaseTransactions,
  rebillAmount,
} from '../domain';
import { OrderTransactionsView } from './order-transactions.view';

const STREAM_PREFIX = purchaseStreamId('');
/** the one key of the `billing` index: purchases a run may bill or cancel (bounded by live subscriptions, not by history) */
export const SCHEDULED = 'scheduled';
/** the one key of the `inFlight` index: purchases with a bill requested and not answered (bounded by bills in flight) */
export const IN_FLIGHT = 'in-flight';

/**
 * Purchases as their streams fold them, with the profile's history, transactions and fulfillments;
 * listed by customer, by order (the starting order and every rebill order), by status, while
 * they wait for a billing run, and while a bill of theirs is in flight (the rebill-outcome sweeper).
 * Version 2: bills in flight carry when they were requested, the `inFlight` index is new.
 */
export const purchasesViewDefinition: ViewDefinition<PurchaseProfileDocument, SubscriptionEvent> = {
  name: 'purchases',
  version: 2,
  streamPrefix: STREAM_PREFIX,
  initial: initialProfile,
  evolve: evolveProfile,
  indexes: {
    customer: ({ state }) => (exists(state) ? [state.customerId] : []),
    order: ({ state }) => (exists(state) ? [state.orderId, ...Object.keys(state.rebillOrders)] : []),
    status: ({ state }) => (exists(state) ? [state.status] : []),
    billing: ({ state }) => (exists(state) && BILLABLE_STATUSES.includes(state.status) && state.bill === null ? [SCHEDULED] : []),
    inFlight: ({ state }) => (exists(state) && state.bill !== null ? [IN_FLIGHT] : []),
  },
};

/** how many ids of the `billing` index a billing run lists at a time (one index chunk) */
export const DUE_PAGE_SIZE = INDEX_CHUNK;
/** how many of a page's purchases a billing run reads at once (`_id` reads side by side, bounded) */
export const DUE_READS_AT_ONCE = 16;

const purchaseIdOf = (streamId: string) => streamId.slice(STREAM_PREFIX.length);
const byOrderDate = (a: ExistingPurchase, b: ExistingPurchase) => a.orderDate.localeCompare(b.orderDate) || a.purchaseId.localeCompare(b.purchaseId);

/** The purchases queries, all `_id` reads of the `purchases` view. */
@Injectable()
export class PurchasesView {
  private readonly view: ViewStore<PurchaseProfileDocument, SubscriptionEvent>;

  constructor(
    @Inject(Platform) platform: Platform,
    @Inject(OrderTransactionsView) private readonly orderTransactions: OrderTransactionsView,
  ) {
    this.view = platform.view(purchasesViewDefinition);
  }

  async profile(purchaseId: string): Promise<PurchaseProfile | undefined> {
    const doc = await this.view.get(purchaseStreamId(purchaseId));
    if (!doc || !exists(doc.state)) return undefined;
    return this.profileOf({ ...doc, state: doc.state });
  }

  /** The profile with the refunds, voids and chargebacks of the purchase's orders beside its charges (one read per order). */
  private async profileOf(doc: PurchaseProfileDocument & { state: ExistingPurchase }): Promise<PurchaseProfile> {
    const followUps = await this.orderTransactions.ofOrders(ordersOf(doc.state));
    return profileOf(doc.state, { ...doc, transactions: purchaseTransactions(doc.state, doc.transactions, followUps) }, rebillAmount(doc.state));
  }

  async state(purchaseId: string): Promise<ExistingPurchase | undefined> {
    const doc = await this.view.get(purchaseStreamId(purchaseId));
    return doc && exists(doc.state) ? doc.state : undefined;
  }

  /** The purchases an order started or billed. */
  async ofOrder(orderId: string): Promise<ExistingPurchase[]> {
    return this.list('order', orderId);
  }

  /** GET /purchases: by customer, order and/or status (every filter given must match), oldest order first. */
  async search(filter: { customerId?: string; orderId?: string; status?: PurchaseStatus }): Promise<PurchaseProfile[]> {
    const [index, key] = filter.orderId !== undefined ? ['order', filter.orderId] : filter.customerId !== undefined ? ['customer', filter.customerId] : ['status', filter.status!];
    const docs = (await this.view.findBy(index, key))
      .map(({ view }) => view)
      .filter((doc): doc is PurchaseProfileDocument & { state: ExistingPurchase } => exists(doc.state))
      .filter(({ state }) => (filter.customerId === undefined || state.customerId === filter.customerId) && (filter.status === undefined || state.status === filter.status))
      .sort((a, b) => byOrderDate(a.state, b.state));
    return Promise.all(docs.map((doc) => this.profileOf(doc)));
  }

  /** One page of the purchases in `status`, in the order they reached it: `limit` of them after the purchase `after`. */
  async inStatusPage(status: PurchaseStatus, page: ListPage): Promise<PurchaseProfile[]> {
    const ids = await this.view.idsPage('status', status, { limit: page.limit, ...(page.after !== undefined ? { after: purchaseStreamId(page.after) } : {}) });
    const found: PurchaseProfile[] = [];
    for (const id of ids) {
      const doc = await this.view.get(id);
      if (doc && exists(doc.state) && doc.state.status === status) found.push(await this.profileOf({ ...doc, state: doc.state }));
    }
    return found;
  }

  /**
   * The purchases a run as of `asOf` has to act on (`dueForRun`: billable, nothing in flight, due by
   * then or with a dated cancellation that has come), a page at a time: the `billing` index is listed
   * `pageSize` ids at a time (`idsPage`) and the purchases of a page are read when the run reaches
   * that page, so a run holds one page of documents, never the whole book. The run takes each
   * purchase it bills off the index (its bill is in flight) and a billed one comes back at its end,
   * so the next page is listed before the current one is handed out (the cursor, the current page's
   * last id, is still listed then), and an id met again later in the same run (listed again, or a
   * page started over because its cursor left the index meanwhile) is passed over. A page's purchases
   * are read side by side, at most `DUE_READS_AT_ONCE` at a time, and yielded in the page's order.
   */
  async *dueBy(asOf: string, pageSize = DUE_PAGE_SIZE): AsyncGenerator<string[]> {
    const listed = purchasesViewDefinition.indexes!['billing']!;
    const seen = new Set<string>();
    const pageAfter = (after?: string) => this.view.idsPage('billing', SCHEDULED, { limit: pageSize, ...(after !== undefined ? { after } : {}) });
    for (let page = await pageAfter(); page.length > 0; ) {
      const next = page.length < pageSize ? [] : await pageAfter(page[page.length - 1]);
      const unseen = [...new Set(page)].filter((id) => !seen.has(id));
      for (const id of unseen) seen.add(id);
      // the page's purchases read side by side (at most DUE_READS_AT_ONCE at a time), answered in the page's order
      const docs = await eachLimited(unseen, DUE_READS_AT_ONCE, (id) => this.view.get(id));
      const due = unseen.filter((_, at) => {
        const doc = docs[at];
        return doc !== undefined && exists(doc.state) && listed(doc).includes(SCHEDULED) && dueForRun(doc.state, asOf);
      }).map(purchaseIdOf);
      if (due.length > 0) yield due;
      page = next;
    }
  }

  /** Purchases with a bill requested and not answered yet (their ids, sorted). */
  async withBillInFlight(): Promise<string[]> {
    return (await this.view.findBy('inFlight', IN_FLIGHT))
      .filter(({ view }) => exists(view.state) && view.state.bill !== null)
      .map(({ id }) => purchaseIdOf(id))
      .sort();
  }

  private async list(index: string, key: string): Promise<ExistingPurchase[]> {
    return (await this.view.findBy(index, key)).map(({ view }) => view.state).filter(exists).sort(byOrderDate);
  }
}
