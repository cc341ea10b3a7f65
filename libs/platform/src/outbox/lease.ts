import { Connection, Model, Schema } from 'mongoose';

/** A named lock held by one owner until `expiresAt`; renewing moves `expiresAt` forward. */
export interface LeaseDocument {
  _id: string;
  owner: string;
  expiresAt: Date;
}

/** Collection of leases shared by every instance of a service. */
export const LEASES_COLLECTION = 'leases';
const LEASE_MODEL = 'PlatformLease';
const DUPLICATE_KEY = 11000;

const leaseSchema = new Schema<LeaseDocument>(
  { _id: { type: String, required: true }, owner: { type: String, required: true }, expiresAt: { type: Date, required: true } },
  { collection: LEASES_COLLECTION, versionKey: false, autoIndex: false, autoCreate: false },
);

/**
 * Makes at most one instance active at a time, without transactions: acquiring is one
 * findOneAndUpdate that matches only if we hold the lease or it has expired; when it matches
 * nothing the upsert collides on `_id`, which means someone else holds it.
 */
export class Lease {
  private readonly model: Model<LeaseDocument>;

  constructor(
    connection: Connection,
    readonly id: string,
    readonly owner: string,
    private readonly leaseMs: number,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.model = (connection.models[LEASE_MODEL] as Model<LeaseDocument> | undefined) ?? connection.model<LeaseDocument>(LEASE_MODEL, leaseSchema);
  }

  /** Takes or renews the lease; true when this owner holds it afterwards. */
  async acquire(): Promise<boolean> {
    const now = this.clock();
    try {
      const lease = await this.model
        .findOneAndUpdate(
          { _id: this.id, $or: [{ owner: this.owner }, { expiresAt: { $lte: now } }] },
          { $set: { owner: this.owner, expiresAt: new Date(now.getTime() + this.leaseMs) } },
          { upsert: true, new: true },
        )
        .lean<LeaseDocument>()
        .exec();
      return lease?.owner === this.owner;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  /** Gives the lease up now (if we hold it) so another instance need not wait for it to expire. */
  async release(): Promise<void> {
    await this.model.updateOne({ _id: this.id, owner: this.owner }, { $set: { expiresAt: new Date(0) } }).exec();
  }
}
