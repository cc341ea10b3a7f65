import { Collection, Connection } from 'mongoose';
import { LRUCache } from 'lru-cache';
import { EventEnvelope } from '@continuum/contracts';
import { insertOnce, isDuplicateKey } from '@continuum/platform';

type RouteDocument =
  | { _id: string; kind: 'stream'; customerId: string }
  | { _id: string; kind: 'order'; customerId: string }
  | { _id: string; kind: 'parked'; events: Array<EventEnvelope & { topic: string }> };

/** Owners kept in the process, least recently used dropped first. */
const CACHE_LIMIT = 50_000;

/**
 * Where a customer's events go, learned from the events themselves (collection
 * `projection_routes_<generation>`, `_id` reads only): the customer a stream belongs to (`stream:<id>`, from its first event that names one), the customer
 * of an order (`order:<id>`), and events parked until their order's customer is known. An owner
 * never changes once stored (a merge is recorded on the merged customer's journal, which sends its
 * events on to the survivor: see JournalStore), so owners found are kept in the process.
 */
export class CustomerRouter {
  private readonly routes: Collection<RouteDocument>;
  private readonly known = new LRUCache<string, string>({ max: CACHE_LIMIT });
  /** orders whose parked events this process took after their owner was stored */
  private readonly unparked = new LRUCache<string, true>({ max: CACHE_LIMIT });

  constructor(connection: Connection, readonly collectionName: string) {
    this.routes = connection.collection<RouteDocument>(collectionName);
  }

  streamOwner(streamId: string): Promise<string | undefined> {
    return this.lookup(`stream:${streamId}`, (route) => (route.kind === 'stream' ? route.customerId : undefined));
  }

  orderOwner(orderId: string): Promise<string | undefined> {
    return this.lookup(`order:${orderId}`, (route) => (route.kind === 'order' ? route.customerId : undefined));
  }

  /**
   * Records the owner once: the first event to name one wins (a merge is an alias, not a new owner).
   * Returns the stream's owner as stored (another instance may have claimed it first).
   */
  async claimStream(streamId: string, customerId: string): Promise<string> {
    if ((await insertOnce(this.routes, { _id: `stream:${streamId}`, kind: 'stream', customerId })) === 'inserted') {
      this.remember(`stream:${streamId}`, customerId);
      return customerId;
    }
    return (await this.streamOwner(streamId)) ?? customerId;
  }

  /**
   * `claimStream` for many streams at once (one insert of them all): answers each stream's owner
   * as stored. A stream another applier claimed first keeps its owner (read back after the insert).
   */
  async claimStreams(claims: ReadonlyMap<string, string>): Promise<Map<string, string>> {
    const owners = new Map(claims);
    if (claims.size === 0) return owners;
    const collided = await this.insertRoutes([...claims].map(([streamId, customerId]) => ({ _id: `stream:${streamId}`, kind: 'stream', customerId })));
    if (!collided) {
      for (const [streamId, customerId] of claims) this.remember(`stream:${streamId}`, customerId);
      return owners;
    }
    // some were there already: what is stored is the owner (ours for the ones this insert wrote)
    await Promise.all([...claims.keys()].map(async (streamId) => owners.set(streamId, (await this.streamOwner(streamId)) ?? claims.get(streamId)!)));
    return owners;
  }

  /** `claimOrder` for many orders at once (one insert of those not known to have an owner); the first owner stored stays. */
  async claimOrders(claims: ReadonlyMap<string, string>): Promise<void> {
    const unknown = [...claims].filter(([orderId]) => this.known.get(`order:${orderId}`) === undefined);
    if (unknown.length === 0) return;
    const collided = await this.insertRoutes(unknown.map(([orderId, customerId]) => ({ _id: `order:${orderId}`, kind: 'order', customerId })));
    if (!collided) for (const [orderId, customerId] of unknown) this.remember(`order:${orderId}`, customerId);
    // some were there already: learn the stored owners (a later claim of them looks nothing up)
    else await Promise.all(unknown.map(([orderId]) => this.orderOwner(orderId)));
  }

  /**
   * `unpark` for an order just claimed, once per order in this process: once its events were taken
   * after its owner was stored, whoever parks another looks at the owner again and takes it back
   * itself (`park`), so no later event of the order needs to look.
   */
  async unparkClaimed(orderId: string): Promise<Array<EventEnvelope & { topic: string }>> {
    if (this.unparked.has(orderId)) return [];
    const events = await this.unpark(orderId);
    this.unparked.set(orderId, true);
    return events;
  }

  /** True when this call made `customerId` the order's owner. */
  async claimOrder(orderId: string, customerId: string): Promise<boolean> {
    if ((await this.orderOwner(orderId)) !== undefined) return false;
    const inserted = (await insertOnce(this.routes, { _id: `order:${orderId}`, kind: 'order', customerId })) === 'inserted';
    if (inserted) this.remember(`order:${orderId}`, customerId);
    return inserted;
  }

  /**
   * Keeps an event until the customer of its order is known. The caller looks at the order's owner
   * again afterwards (`orderOwner`, which reads the store while it is unknown): another instance may
   * have claimed it in between.
   */
  async park(orderId: string, event: EventEnvelope & { topic: string }): Promise<void> {
    const update = () => this.routes.updateOne({ _id: `parked:${orderId}` }, { $set: { kind: 'parked' }, $push: { events: event } } as never, { upsert: true });
    // two instances parking the first events of one order at once: one upsert inserts, the other
    // collides and pushes onto what the first inserted
    await update().catch((error: unknown) => (isDuplicateKey(error) ? update() : Promise.reject(error)));
  }

  /**
   * The events parked for `orderId`, now handed over and forgotten: one atomic take, so of two
   * instances unparking at once one gets them and the other none, and an event parked after the
   * take waits for its parker's own look again.
   */
  async unpark(orderId: string): Promise<Array<EventEnvelope & { topic: string }>> {
    const parked = await this.routes.findOneAndDelete({ _id: `parked:${orderId}`, kind: 'parked' } as never);
    return parked?.kind === 'parked' ? parked.events : [];
  }

  async drop(): Promise<void> {
    await this.routes.drop().catch((error: { codeName?: string }) => {
      if (error.codeName !== 'NamespaceNotFound') throw error;
    });
  }

  /** Inserts routes (unordered: each one that is new is written); true when some were there already. */
  private async insertRoutes(documents: RouteDocument[]): Promise<boolean> {
    try {
      await this.routes.insertMany(documents, { ordered: false });
      return false;
    } catch (error) {
      const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
      const failures = (Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [error]) as unknown[];
      if (failures.every((failure) => isDuplicateKey(failure) || isDuplicateKey((failure as { err?: unknown }).err))) return true;
      throw error;
    }
  }

  private async lookup(id: string, read: (route: RouteDocument) => string | undefined): Promise<string | undefined> {
    const cached = this.known.get(id);
    if (cached !== undefined) return cached;
    const route = await this.routes.findOne({ _id: id });
    const value = route ? read(route) : undefined;
    // only what exists is cached: routes are added, never changed, so a hit stays true
    if (value !== undefined) this.remember(id, value);
    return value;
  }

  private remember(id: string, value: string): void {
    this.known.set(id, value);
  }
}
