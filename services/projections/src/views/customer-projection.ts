import { Connection } from 'mongoose';
import { EventEnvelope } from '@continuum/contracts';
import { ViewDefinition, ViewStore } from '@continuum/platform';
import {
  CustomerHistory,
  CustomerJournal,
  customerNamed,
  emptyJournal,
  foldHistory,
  HistoryOptions,
  JournalEntry,
  matchesQuery,
  mergeOf,
  orderNamed,
  orderSummary,
  OrderSummary,
  queryKeys,
  rankResults,
  recordEntry,
  searchKeys,
  searchResult,
  SearchResult,
} from '../domain';
import { CustomerRouter } from './customer-router';

/**
 * Journals are applied to without the per-stream version guard: a customer's streams are split over
 * instances (partitions), parked events of a stream come back after its later ones, and a merge
 * moves entries of streams the survivor may have seen later versions of. `recordEntry` keeps each
 * stream position once, so every event is still in a journal once.
 */
const EVERY_EVENT = { everyEvent: true } as const;

const MAX_FOLD_ATTEMPTS = 50;

/** An envelope on its way into a journal: where it came from and which journal it goes to. */
type Routed = JournalEntry & { readonly journalOf: string };

/** What the history endpoint answers: the history, and the customer it is kept under after merges. */
export type HistoryAnswer = CustomerHistory & { readonly requestedId: string; readonly mergedInto: string | null; readonly asOf: string | null };

/** The search index of the journal view: every key of `searchKeys`. */
export const SEARCH_INDEX = 'search';

/**
 * The journal view: one document per customer (its id the customer id), every event about the
 * customer in it, guarded by per-stream version like every view. The history, the order summary and
 * the search entry are folds of it; `search` lists each customer under the keys it is found by.
 */
export function journalViewDefinition(name: string, options: HistoryOptions): ViewDefinition<CustomerJournal> {
  // indexes are computed from the folded history: keep the last fold so a document is folded once per update
  let last: { journal: CustomerJournal; keys: string[] } | undefined;
  const keysOf = (journal: CustomerJournal) => {
    if (last?.journal !== journal) last = { journal, keys: searchKeys(foldHistory(journal, options)) };
    return last.keys;
  };
  return {
    name,
    streamPrefix: '',
    initial: emptyJournal,
    evolve: (journal, event) => {
      const { journalOf, ...entry } = event as unknown as Routed;
      return recordEntry(journal, entry as JournalEntry, journalOf);
    },
    indexes: { [SEARCH_INDEX]: keysOf },
  };
}

/**
 * One generation of the customer projection: the journal view and its routes, built by one consumer
 * group (`history.g<n>`). A rebuild builds generation n+1 next to the live one and switches to it.
 */
export class CustomerProjection {
  readonly journal: ViewStore<CustomerJournal>;
  readonly router: CustomerRouter;

  constructor(
    connection: Connection,
    readonly generation: number,
    private readonly options: HistoryOptions,
    onEvolveError: (error: unknown, event: EventEnvelope) => void,
  ) {
    this.journal = new ViewStore(connection, journalViewDefinition(`customer_journal_g${generation}`, options), onEvolveError);
    this.router = new CustomerRouter(connection, `projection_routes_g${generation}`);
  }

  /**
   * Applies one event from `topic`: finds the customer it concerns (the owner of its stream, else the
   * customer it names, else its order's customer; merged customers resolve to their survivor), records
   * it in that journal, and folds a merged customer's journal into the survivor's. An event whose
   * customer is not known yet waits, parked under its order. Idempotent: the view store's per-stream
   * version guard makes a redelivery or replay change nothing.
   */
  async apply(event: EventEnvelope, topic: string): Promise<'applied' | 'parked' | 'unrouted'> {
    const merge = mergeOf(event);
    if (merge) {
      // the alias first, then the move: whatever reaches the merged journal after the move read it
      // is moved by its writer, who finds the alias when it looks again (below)
      await this.router.alias(merge.from, merge.into);
      await this.fold(await this.router.resolve(merge.into), merge.from);
    }
    const named = customerNamed(event);
    const orderId = orderNamed(event);
    let origin = await this.router.streamOwner(event.streamId);
    if (origin === undefined) {
      origin = named ?? (orderId !== undefined ? await this.router.orderOwner(orderId) : undefined);
      if (origin === undefined) {
        if (orderId === undefined) return 'unrouted';
        await this.router.park(orderId, { ...event, topic });
        // another instance may have claimed the order between the look-up and the park, and
        // unparked before this event was there: look again, and take back what is parked if so
        if ((await this.router.orderOwner(orderId)) !== undefined) await this.applyParked(orderId);
        return 'parked';
      }
      origin = await this.router.claimStream(event.streamId, origin);
    }
    const target = await this.router.resolve(origin);
    const entry: Routed = { ...event, topic, origin, journalOf: target };
    await this.journal.applyAt(target, [entry as unknown as EventEnvelope], EVERY_EVENT);
    // a merge of `target` recorded while this applied: move what landed on the merged journal
    const holder = await this.router.resolve(target);
    if (holder !== target) await this.fold(holder, target);
    if (orderId !== undefined && named !== undefined) {
      await this.router.claimOrder(orderId, named);
      // whoever claimed it (this event, or a redelivery of it before a crash), nothing stays parked
      await this.applyParked(orderId);
    }
    return 'applied';
  }

  /** Applies the events parked for `orderId` (each taken by exactly one caller). */
  private async applyParked(orderId: string): Promise<void> {
    for (const { topic: parkedTopic, ...parked } of await this.router.unpark(orderId)) await this.apply(parked, parkedTopic);
  }

  /**
   * Moves the journal of merged customer `from` into the survivor's (`into`), then removes it, but
   * only as it was read: when another instance wrote to it in between, it is read and moved again.
   */
  private async fold(into: string, from: string): Promise<void> {
    if (into === from) return;
    for (let attempt = 0; attempt < MAX_FOLD_ATTEMPTS; attempt++) {
      const merged = await this.journal.getWithRevision(from);
      if (!merged) return;
      const entries = [...merged.view.entries].sort((a, b) => a.streamId.localeCompare(b.streamId) || a.streamVersion - b.streamVersion);
      // every entry, even of a stream the survivor already saw a later version of (the journal keeps each position once)
      await this.journal.applyAt(into, entries.map((entry) => ({ ...entry, journalOf: into }) as unknown as EventEnvelope), EVERY_EVENT);
      if (await this.journal.remove(from, merged.rev)) return;
    }
    throw new Error(`the journal of merged customer ${from} kept changing while it was moved into ${into}`);
  }

  /** The history of `customerId` (or of the customer it was merged into), as it stands or stood at `asOf`. */
  async history(customerId: string, asOf?: string): Promise<HistoryAnswer | undefined> {
    const holder = await this.router.resolve(customerId);
    const journal = await this.journal.get(holder);
    if (!journal || journal.customerId === null) return undefined;
    const history = foldHistory(journal, this.options, asOf);
    if (asOf !== undefined && history.timeline.length === 0) return undefined;
    return { requestedId: customerId, mergedInto: holder === customerId ? null : holder, asOf: asOf ?? null, ...history };
  }

  async orderSummary(orderId: string): Promise<OrderSummary | undefined> {
    const owner = await this.router.orderOwner(orderId);
    if (owner === undefined) return undefined;
    const answer = await this.history(owner);
    return answer ? orderSummary(answer, orderId) : undefined;
  }

  /** Customers found by `query` (see queryKeys), most recent order first; reads at most `maxCandidates` documents. */
  async search(query: string, maxCandidates: number, limit = 50): Promise<SearchResult[]> {
    const candidates = new Set<string>();
    for (const key of queryKeys(query)) {
      for (const id of await this.journal.idsBy(SEARCH_INDEX, key)) {
        if (candidates.size >= maxCandidates) break;
        candidates.add(id);
      }
    }
    const results: SearchResult[] = [];
    for (const id of candidates) {
      const journal = await this.journal.get(id);
      if (!journal) continue;
      const history = foldHistory(journal, this.options);
      const result = searchResult(history);
      if (result && matchesQuery(history, query)) results.push(result);
    }
    return rankResults(results).slice(0, limit);
  }

  /** Drops this generation's collections (after a newer one took over). */
  async drop(): Promise<void> {
    await this.journal.drop();
    await this.router.drop();
  }
}
