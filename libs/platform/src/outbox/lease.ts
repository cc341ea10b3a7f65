import { Connection, Model, Schema } from 'mongoose';
import { isDuplicateKey } from '../store/insert-once';

/**
 * One term of a named lease: `_id` is `<lease>:<term>`. A term is written only by its owner
 * (renewals) after being inserted once; taking over inserts the next term.
 */
export interface LeaseDocument {
  _id: string;
  lease: string;
  term: number;
  owner: string;
  expiresAt: Date;
}

/** Collection of lease terms shared by every instance of a service. */
export const LEASES_COLLECTION = 'leases';
const LEASE_MODEL = 'PlatformLease';

const leaseSchema = new Schema<LeaseDocument>(
  {
    _id: { type: String, required: true },
    lease: { type: String, required: true },
    term: { type: Number, required: true },
    owner: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: LEASES_COLLECTION, versionKey: false, autoIndex: false, autoCreate: false },
);

/**
 * Makes at most one instance active at a time. FerretDB's findOneAndUpdate is not an atomic
 * compare-and-set (it reads, then writes), so two instances could both "win" a single lease
 * document. Only a unique-key insert is atomic on both FerretDB and MongoDB, so each takeover
 * inserts the next term (`<lease>:<n+1>`): of several contenders exactly one insert succeeds.
 * The holder renews its own term; it gives up when a later term exists or its term ran out.
 */
export class Lease {
  private readonly model: Model<LeaseDocument>;
  private heldTerm?: number;
  /** when this owner last wrote its term's expiry (clock ms) */
  private renewedAt?: number;

  constructor(
    connection: Connection,
    readonly id: string,
    readonly owner: string,
    private readonly leaseMs: number,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.model = (connection.models[LEASE_MODEL] as Model<LeaseDocument> | undefined) ?? connection.model<LeaseDocument>(LEASE_MODEL, leaseSchema);
  }

  /** the term this owner holds, as of its last acquire (undefined when it holds none) */
  get term(): number | undefined {
    return this.heldTerm;
  }

  /** Takes or renews the lease; true when this owner holds it afterwards. */
  async acquire(): Promise<boolean> {
    const now = this.clock().getTime();
    // Renewed less than half a term ago: the term is still ours (no one takes over a term before it
    // expires), so the relay's rounds cost no lease round trips in between.
    if (this.heldTerm !== undefined && this.renewedAt !== undefined && now - this.renewedAt < this.leaseMs / 2) return true;
    const latest = await this.latest();
    const expiresAt = new Date(now + this.leaseMs);

    if (latest && latest.term === this.heldTerm && latest.owner === this.owner) {
      // Renew only with time to spare: a contender that already saw the term expire may be taking over.
      if (latest.expiresAt.getTime() - now > this.leaseMs / 5) {
        await this.model.updateOne({ _id: latest._id }, { $set: { expiresAt } }).exec();
        this.renewedAt = now;
        return true;
      }
    }
    if (latest && latest.expiresAt.getTime() > now) {
      this.heldTerm = undefined;
      return false;
    }

    const term = (latest?.term ?? 0) + 1;
    try {
      await this.model.collection.insertOne({ _id: `${this.id}:${term}`, lease: this.id, term, owner: this.owner, expiresAt } as never);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      this.heldTerm = undefined;
      return false;
    }
    this.heldTerm = term;
    this.renewedAt = now;
    // terms before ours are finished; nobody writes them any more
    await this.model.deleteMany({ lease: this.id, term: { $lt: term } }).exec();
    return true;
  }

  /** Gives the lease up now (if we hold it) so another instance need not wait for it to expire. */
  async release(): Promise<void> {
    if (this.heldTerm === undefined) return;
    const term = this.heldTerm;
    this.heldTerm = undefined;
    this.renewedAt = undefined;
    await this.model.updateOne({ _id: `${this.id}:${term}`, owner: this.owner }, { $set: { expiresAt: new Date(0) } }).exec();
  }

  /** The owner holding the lease now, or null when it is free. */
  async holder(): Promise<string | null> {
    const latest = await this.latest();
    return latest && latest.expiresAt.getTime() > this.clock().getTime() ? latest.owner : null;
  }

  private latest(): Promise<LeaseDocument | null> {
    return this.model.findOne({ lease: this.id }).sort({ term: -1 }).lean<LeaseDocument>().exec();
  }
}
