import { Collection, Connection } from 'mongoose';
import { EventEnvelope, Topics } from '@continuum/contracts';
import { eachLimited, ViewDefinition, ViewStore } from '@continuum/platform';
import {
  changesSearchKeys,
  CustomerHistory,
  customerNamed,
  foldHistory,
  HistoryOptions,
  JournalEntry,
  hourKey,
  hourOf,
  hoursToWalk,
  matchesEntry,
  mergeOf,
  newerSearchEntry,
  newerRow,
  OrderSearchFilter,
  OrderSearchItem,
  orderSearchKeys,
  OrderSearchRow,
  orderSearchRows,
  orderNamed,
  pageOf,
  previousHour,
  orderSummary,
  OrderSummary,
  queryKeys,
  rankResults,
  SearchEntry,
  searchEntryOf,
  SearchResult,
} from '../domain';
import { CustomerRouter } from './customer-router';
import { JournalStore } from './journal-store';

/**
 * Order rows and search entries are applied without the per-stream version guard: each is folded from
 * the whole journal, and the one folded from more journal entries wins (two instances refreshing one
 * customer), whatever event carried it.
 */
const EVERY_EVENT = { everyEvent: true } as const;

/** Store calls a batch runs side by side (owners read, journals appended and refreshed). */
const BATCH_CONCURRENCY = 16;

/** An event of a batch and the topic it came from (without the topic prefix). */
export interface TopicEvent {
  readonly event: EventEnvelope;
  readonly topic: string;
}

type Outcome = 'applied' | 'parked' | 'unrouted';

/** An event of a batch on its way into a journal: the customer that owns it (`origin`), and what it names. */
interface Routed extends TopicEvent {
  readonly at: number;
  origin: string;
  readonly orderId: string | undefined;
  readonly named: string | undefined;
}

/** What one customer's events of a batch ask `refresh` to redo: its search entry, all its order rows or some. */
interface RefreshNeeds {
  event: EventEnvelope;
  search: boolean;
  allRows: boolean;
  readonly orders: Set<string>;
  readonly placed: Set<string>;
}

/** What the history endpoint answers: the history, and the customer it is kept under after merges. */
export type HistoryAnswer = CustomerHistory & { readonly requestedId: string; readonly mergedInto: string | null; readonly asOf: string | null };

/** The search index of the search view: every key of `searchKeys`. */
export const SEARCH_INDEX = 'search';

export type { SearchEntry } from '../domain';

/** A search entry on its way into the search view (carried on the event that changed it; none before the profile). */
type SearchUpdate = EventEnvelope & { readonly entry: SearchEntry | undefined };

/** How many search entries a search reads at once. */
const SEARCH_READS_AT_ONCE = 50;

/**
 * The search view: one small document per customer (its id the customer id): the keys it is found
 * under, listed in the `search` index, the answer and the names a query is checked against
 * (`SearchEntry`). It is written only when any of that changes, and an entry folded from fewer
 * journal entries never replaces one folded from more (`newerSearchEntry`).
 */
export function searchViewDefinition(name: string): ViewDefinition<SearchEntry | null> {
  return {
    name,
    streamPrefix: '',
    initial: () => null,
    evolve: (stored, event) => newerSearchEntry(stored, (event as unknown as SearchUpdate).entry),
    indexes: { [SEARCH_INDEX]: (entry) => [...(entry?.keys ?? [])] },
  };
}

/** The order-search view's index: every key of `orderSearchKeys`. */
export const ORDER_SEARCH_INDEX = 'filters';

/** A journal's order row on its way into the order-search view (carried on the event that changed it). */
type RowUpdate = EventEnvelope & { readonly row: OrderSearchRow };

/**
 * The order-search view: one document per order (its id the order id), the row folded from the
 * customer's journal; a row folded from fewer journal entries never replaces one folded from more
 * (two instances refreshing one order), and a row that changes nothing writes nothing.
 */
export function orderSearchViewDefinition(name: string): ViewDefinition<OrderSearchRow | null> {
  return {
    name,
    streamPrefix: '',
    initial: () => null,
    evolve: (row, event) => newerRow(row, (event as unknown as RowUpdate).row),
    indexes: { [ORDER_SEARCH_INDEX]: orderSearchKeys },
  };
}

/** How many hours' index keys an order search reads at once. */
const HOURS_PER_READ = 24;

/** The hours orders were placed in, first and last (one document, `_id` 'placed'): where a search walk stops. */
interface PlacedHours {
  _id: string;
  first: string;
  last: string;
}

/** An order search: the filters, `q` (as in the customer search), the page size and the cursor. */
export interface OrderSearchQuery extends OrderSearchFilter {
  readonly q?: string;
  readonly limit: number;
  readonly after?: string;
}

/** The `after` of an order search names no order the search knows. */
export class UnknownCursorError extends Error {
  constructor(readonly after: string) {
    super(`after: no order ${after} in the order search`);
    this.name = 'UnknownCursorError';
  }
}

/**
 * One generation of the customer projection: the journal view and its routes, built by one consumer
 * group (`history.g<n>`). A rebuild builds generation n+1 next to the live one and switches to it.
 */
export class CustomerProjection {
  readonly journal: JournalStore;
  readonly searchEntries: ViewStore<SearchEntry | null>;
  readonly router: CustomerRouter;
  readonly orders: ViewStore<OrderSearchRow | null>;
  private readonly placedHours: Collection<PlacedHours>;

  constructor(
    connection: Connection,
    readonly generation: number,
    private readonly options: HistoryOptions,
    onEvolveError: (error: unknown, event: EventEnvelope) => void,
  ) {
    this.journal = new JournalStore(connection, `view_customer_journal_g${generation}`);
    this.searchEntries = new ViewStore(connection, searchViewDefinition(`customer_search_g${generation}`), onEvolveError);
    this.router = new CustomerRouter(connection, `projection_routes_g${generation}`);
    this.orders = new ViewStore(connection, orderSearchViewDefinition(`order_search_g${generation}`), onEvolveError);
    this.placedHours = connection.collection<PlacedHours>(`order_search_hours_g${generation}`);
  }

  /**
   * Applies one event from `topic`: finds the customer it concerns (the owner of its stream, else the
   * customer it names, else its order's customer; merged customers' journals send their events on
   * to the survivor), appends it to that journal, and for a merge moves the merged customer's journal
   * into the survivor's. An event whose customer is not known yet waits, parked under its order.
   * Idempotent: the journal is read with each stream position once, so a redelivery or replay
   * changes no answer.
   */
  async apply(event: EventEnvelope, topic: string): Promise<'applied' | 'parked' | 'unrouted'> {
    const merge = mergeOf(event);
    if (merge) {
      const survivor = await this.journal.merge(merge.from, merge.into);
      await this.searchEntries.remove(merge.from);
      await this.refresh(survivor, event, Topics.customersEvents, undefined);
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
    const entry: JournalEntry = { ...event, topic, origin };
    const holder = await this.journal.append(origin, [entry]);
    await this.refresh(holder, event, topic, orderId);
    if (orderId !== undefined && named !== undefined) {
      await this.router.claimOrder(orderId, named);
      // whoever claimed it (this event, or a redelivery of it before a crash), nothing stays parked
      await this.applyParked(orderId);
    }
    return 'applied';
  }

  /**
   * Applies a batch of events (in the order delivered) with the same result as `apply` on each in
   * turn, in fewer store round trips: the owners of the batch's streams and orders are looked up at
   * once (the router's cache, then `_id` reads side by side), new routes inserted together, each
   * customer's events appended with one journal write and its search entry and order rows refreshed
   * once. A merge, or an event whose customer is not known yet (it waits, parked), goes through
   * `apply` alone after what came before it.
   */
  async applyBatch(batch: readonly TopicEvent[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    let start = 0;
    while (start < batch.length) {
      const end = await this.applyRun(batch, start, outcomes);
      if (end >= batch.length) break;
      outcomes[end] = await this.apply(batch[end].event, batch[end].topic);
      start = end + 1;
    }
    return outcomes;
  }

  /**
   * Applies batch[start..] together up to the first event `apply` must take alone (a merge, or an
   * event that waits for its order's customer) and answers its position (batch.length when none).
   */
  private async applyRun(batch: readonly TopicEvent[], start: number, outcomes: Outcome[]): Promise<number> {
    let limit = start;
    while (limit < batch.length && !mergeOf(batch[limit].event)) limit++;
    const run = batch.slice(start, limit);
    const streams = [...new Set(run.map(({ event }) => event.streamId))];
    const streamOwners = new Map(await eachLimited(streams, BATCH_CONCURRENCY, (streamId) => this.router.streamOwner(streamId).then((owner) => [streamId, owner] as const)));
    // an order's owner is looked up only for an event that has nothing else to go by (as `apply` does)
    const orders = [...new Set(run.filter(({ event }) => streamOwners.get(event.streamId) === undefined && customerNamed(event) === undefined).map(({ event }) => orderNamed(event)))];
    const orderOwners = new Map(await eachLimited(orders.filter((orderId): orderId is string => orderId !== undefined), BATCH_CONCURRENCY, (orderId) => this.router.orderOwner(orderId).then((owner) => [orderId, owner] as const)));
    const newStreams = new Map<string, string>();
    const claims = new Map<string, string>();
    const routed: Routed[] = [];
    let end = limit;
    for (let at = start; at < limit; at++) {
      const { event, topic } = batch[at];
      const named = customerNamed(event);
      const orderId = orderNamed(event);
      let origin = streamOwners.get(event.streamId);
      if (origin === undefined) {
        origin = named ?? (orderId !== undefined ? orderOwners.get(orderId) : undefined);
        if (origin === undefined) {
          if (orderId === undefined) {
            outcomes[at] = 'unrouted';
            continue;
          }
          end = at; // it waits for its order's customer: `apply` parks it
          break;
        }
        streamOwners.set(event.streamId, origin);
        newStreams.set(event.streamId, origin);
      }
      routed.push({ event, topic, at, origin, orderId, named });
      if (orderId !== undefined && named !== undefined) {
        // the first customer named for the order is its owner, unless one is stored (claimOrders)
        if (orderOwners.get(orderId) === undefined) orderOwners.set(orderId, named);
        if (!claims.has(orderId)) claims.set(orderId, named);
      }
    }
    if (routed.length === 0) return end;
    // another applier may have claimed a stream first: its events go to the stored owner
    const stored = await this.router.claimStreams(newStreams);
    for (const each of routed) each.origin = stored.get(each.event.streamId) ?? each.origin;
    const byOrigin = new Map<string, Routed[]>();
    for (const each of routed) byOrigin.set(each.origin, [...(byOrigin.get(each.origin) ?? []), each]);
    const needs = new Map<string, RefreshNeeds>();
    await eachLimited([...byOrigin], BATCH_CONCURRENCY, async ([origin, events]) => {
      const holder = await this.journal.append(
        origin,
        events.map(({ event, topic }) => ({ ...event, topic, origin })),
      );
      const need = needs.get(holder) ?? { event: events[0].event, search: false, allRows: false, orders: new Set<string>(), placed: new Set<string>() };
      for (const { event, topic, orderId } of events) {
        const ofCustomer = topic === Topics.customersEvents;
        const ofOrder = topic === Topics.ordersEvents && orderId !== undefined;
        if (!ofCustomer && !ofOrder && !changesSearchKeys(topic)) continue;
        need.event = event;
        need.search = true;
        need.allRows ||= ofCustomer;
        if (ofOrder) need.orders.add(orderId);
        if (ofOrder && event.type === 'OrderPlaced') need.placed.add(orderId);
      }
      needs.set(holder, need);
    });
    await this.router.claimOrders(claims);
    // whoever claimed them (this batch, or a redelivery of it before a crash), nothing stays parked;
    // what waited is in the journals before they are folded below
    for (const orderId of claims.keys()) {
      for (const { topic: parkedTopic, ...parked } of await this.router.unparkClaimed(orderId)) await this.apply(parked, parkedTopic);
    }
    const hours = (await eachLimited([...needs], BATCH_CONCURRENCY, ([holder, need]) => this.refreshOnce(holder, need))).flat();
    if (hours.length > 0) {
      const sorted = [...hours].sort();
      await this.placedHours.updateOne({ _id: 'placed' }, { $min: { first: sorted[0] }, $max: { last: sorted[sorted.length - 1] } }, { upsert: true });
    }
    for (const each of routed) outcomes[each.at] = 'applied';
    return end;
  }

  /** `refresh` for everything a batch's events of one customer changed: one journal read and fold; answers the hours orders were placed in. */
  private async refreshOnce(holder: string, need: RefreshNeeds): Promise<string[]> {
    if (!need.search) return [];
    const read = await this.journal.read(holder);
    if (!read) return [];
    const { journal } = read;
    const history = foldHistory(journal, this.options);
    const search: SearchUpdate = { ...need.event, entry: searchEntryOf(history, journal.entries.length) };
    await this.searchEntries.applyAt(read.holder, [search], EVERY_EVENT);
    const rows = orderSearchRows(history, journal.entries.length).filter((row) => need.allRows || need.orders.has(row.orderId));
    await eachLimited(rows, BATCH_CONCURRENCY, (row) => this.orders.applyAt(row.orderId, [{ ...need.event, row } as RowUpdate], EVERY_EVENT));
    return rows.filter((row) => need.placed.has(row.orderId)).map((row) => hourOf(row.createdAt));
  }

  /**
   * Keeps the search view and the order-search view current with the journal, folded as it stands
   * after the write: the customer's search keys after a customers', orders' or payments' event
   * (written only when they change; `changesSearchKeys`); an order event
   * refreshes its order's row, a customer event (a profile change, a merge) every order of the
   * customer; other events change no row.
   */
  private async refresh(holder: string, event: EventEnvelope, topic: string, orderId: string | undefined): Promise<void> {
    const ofCustomer = topic === Topics.customersEvents;
    const rowsChange = ofCustomer || (topic === Topics.ordersEvents && orderId !== undefined);
    if (!rowsChange && !changesSearchKeys(topic)) return;
    const read = await this.journal.read(holder);
    if (!read) return;
    const { journal } = read;
    const history = foldHistory(journal, this.options);
    const search: SearchUpdate = { ...event, entry: searchEntryOf(history, journal.entries.length) };
    await this.searchEntries.applyAt(read.holder, [search], EVERY_EVENT);
    if (!rowsChange) return;
    const rows = orderSearchRows(history, journal.entries.length).filter((row) => ofCustomer || row.orderId === orderId);
    for (const row of rows) {
      const update: RowUpdate = { ...event, row };
      await this.orders.applyAt(row.orderId, [update], EVERY_EVENT);
    }
    if (event.type === 'OrderPlaced') {
      const placed = rows.find((row) => row.orderId === orderId);
      if (placed) {
        const hour = hourOf(placed.createdAt);
        await this.placedHours.updateOne({ _id: 'placed' }, { $min: { first: hour }, $max: { last: hour } }, { upsert: true });
      }
    }
  }

  /**
   * Orders newest first (the order search, docs/projections.md). With `q`: the orders of the customers the customer
   * search finds (at most `maxCandidates` customers). Without: walks the hours orders were placed in,
   * newest first from `to` (or the cursor) down to `from`, reading per hour one index key that lists
   * only what the narrowest filter asks for, until the page is full; every read is an `_id` lookup.
   */
  async searchOrders(query: OrderSearchQuery, maxCandidates: number): Promise<{ items: OrderSearchItem[]; next?: string }> {
    let cursor: OrderSearchItem | undefined;
    if (query.after !== undefined) {
      cursor = (await this.orders.get(query.after)) ?? undefined;
      if (!cursor) throw new UnknownCursorError(query.after);
    }
    const rows: OrderSearchRow[] = [];
    const readRows = async (ids: readonly string[]) => {
      for (const row of await Promise.all(ids.map((id) => this.orders.get(id)))) if (row) rows.push(row);
    };
    if (query.q !== undefined) {
      for (const customer of await this.search(query.q, maxCandidates, maxCandidates)) {
        await readRows(await this.orders.idsBy(ORDER_SEARCH_INDEX, `customer:${customer.customerId}`));
      }
      return pageOf(
        rows.filter((row, index) => rows.findIndex((other) => other.orderId === row.orderId) === index),
        query,
        query.limit,
        cursor,
      );
    }
    const placed = await this.placedHours.findOne({ _id: 'placed' });
    const walk = placed ? hoursToWalk(query, placed, cursor) : undefined;
    if (!walk) return { items: [] };
    // the keys of HOURS_PER_READ hours are read at once (a sparse filter walks many hours with few
    // orders), then their documents, until the page is full
    let hour = walk.start;
    while (hour >= walk.end) {
      const batch: string[] = [];
      for (; batch.length < HOURS_PER_READ && hour >= walk.end; hour = previousHour(hour)) batch.push(hour);
      // the documents of consecutive hours are read together until they could fill a page
      let pending: string[] = [];
      const listed = await Promise.all(batch.map((each) => this.orders.idsBy(ORDER_SEARCH_INDEX, hourKey(query, each))));
      for (const [position, ids] of listed.entries()) {
        pending.push(...ids);
        if (pending.length <= query.limit && position < listed.length - 1) continue;
        await readRows(pending);
        pending = [];
        // hours are disjoint: once a page and one more are found, every older hour comes after them
        const page = pageOf(rows, query, query.limit, cursor);
        if (page.next !== undefined) return page;
      }
    }
    return pageOf(rows, query, query.limit, cursor);
  }

  /** Applies the events parked for `orderId` (each taken by exactly one caller). */
  private async applyParked(orderId: string): Promise<void> {
    for (const { topic: parkedTopic, ...parked } of await this.router.unpark(orderId)) await this.apply(parked, parkedTopic);
  }

  /** The history of `customerId` (or of the customer it was merged into), as it stands or stood at `asOf`. */
  async history(customerId: string, asOf?: string): Promise<HistoryAnswer | undefined> {
    const read = await this.journal.read(customerId);
    if (!read) return undefined;
    const { holder, journal } = read;
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

  /**
   * Customers found by `query` (see queryKeys), most recent order first. Lists at most `maxCandidates`
   * ids (each key's latest listed first, so a common name finds its newest customers; each key read at once), reads their
   * search entries by `_id`, SEARCH_READS_AT_ONCE at a time, and checks the query on them. A customer
   * merged since it was listed has no entry: its journal head names the survivor, whose entry is read
   * instead (once). No journal entry is read.
   */
  async search(query: string, maxCandidates: number, limit = 50): Promise<SearchResult[]> {
    const candidates = new Set<string>();
    const pages = await Promise.all(queryKeys(query).map((key) => this.searchEntries.latestIds(SEARCH_INDEX, key, maxCandidates)));
    for (const id of pages.flat()) {
      if (candidates.size >= maxCandidates) break;
      candidates.add(id);
    }
    const found = new Map<string, SearchResult>();
    const read = new Set<string>();
    const check = async (ids: readonly string[]): Promise<string[]> => {
      const gone: string[] = [];
      for (let from = 0; from < ids.length; from += SEARCH_READS_AT_ONCE) {
        const batch = ids.slice(from, from + SEARCH_READS_AT_ONCE);
        for (const id of batch) read.add(id);
        const entries = await Promise.all(batch.map((id) => this.searchEntry(id)));
        entries.forEach((entry, at) => {
          if (!entry) gone.push(batch[at]!);
          else if (matchesEntry(entry, query)) found.set(entry.result.customerId, entry.result);
        });
      }
      return gone;
    };
    const merged = await check([...candidates]);
    const survivors = new Set(await Promise.all(merged.map((id) => this.journal.resolve(id))));
    await check([...survivors].filter((id) => !read.has(id)));
    return rankResults([...found.values()]).slice(0, limit);
  }

  /**
   * The search entry of `customerId`. One stored before entries carried the answer (a live
   * generation built by older code, answering until its rebuild switches) is folded from the journal.
   */
  private async searchEntry(customerId: string): Promise<SearchEntry | undefined> {
    const stored = await this.searchEntries.get(customerId);
    if (!stored) return undefined;
    if ((stored as Partial<SearchEntry>).result !== undefined) return stored;
    const read = await this.journal.read(customerId);
    return read?.holder === customerId ? searchEntryOf(foldHistory(read.journal, this.options), read.journal.entries.length) : undefined;
  }

  /** Drops this generation's collections (after a newer one took over). */
  async drop(): Promise<void> {
    await this.journal.drop();
    await this.searchEntries.drop();
    await this.router.drop();
    await this.orders.drop();
    await this.placedHours.drop().catch(() => undefined);
  }
}
