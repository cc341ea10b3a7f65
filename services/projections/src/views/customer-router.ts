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
