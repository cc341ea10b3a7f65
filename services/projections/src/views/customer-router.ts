import { Collection, Connection } from 'mongoose';
import { EventEnvelope } from '@continuum/contracts';
import { insertOnce, isDuplicateKey } from '@continuum/platform';

type RouteDocument =
  | { _id: string; kind: 'alias'; into: string }
  | { _id: string; kind: 'stream'; customerId: string }
  | { _id: string; kind: 'order'; customerId: string }
  | { _id: string; kind: 'parked'; events: Array<EventEnvelope & { topic: string }> };

const CACHE_LIMIT = 50_000;

/**
 * Where a customer's events go, learned from the events themselves (collection
 * `projection_routes_<generation>`, `_id` reads only): merged customers (`alias:<id>` -> survivor),
 * the customer a stream belongs to (`stream:<id>`, from its first event that names one), the customer
 * of an order (`order:<id>`), and events parked until their order's customer is known.
 */
export class CustomerRouter {
  private readonly routes: Collection<RouteDocument>;
  private readonly known = new Map<string, string>();

  constructor(connection: Connection, readonly collectionName: string) {
    this.routes = connection.collection<RouteDocument>(collectionName);
  }

  /** The customer that now holds `customerId`'s records: itself, or the survivor of its merges. */
  async resolve(customerId: string): Promise<string> {
    let current = customerId;
    for (let hop = 0; hop < 20; hop++) {
      const into = await this.lookup(`alias:${current}`, (route) => (route.kind === 'alias' ? route.into : undefined));
      if (into === undefined || into === current) return current;
      current = into;
    }
    return current;
  }

  /** Records that `from` was merged into `into` (once: both events of a merge say the same). */
  async alias(from: string, into: string): Promise<void> {
    if (from === into) return;
    await insertOnce(this.routes, { _id: `alias:${from}`, kind: 'alias', into });
    this.known.delete(`alias:${from}`);
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
    if (this.known.size >= CACHE_LIMIT) this.known.clear();
    this.known.set(id, value);
  }
}
