import { createHash } from 'node:crypto';
import { Collection, Connection } from 'mongoose';
import { insertOnce } from '../store/insert-once';
import { maskCardData } from '../card-data';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const IDEMPOTENCY_COLLECTION = 'idempotency_records';

/**
 * Injection token of the service's mongoose Connection, used for idempotency records. A service
 * provides it anywhere in its module tree:
 * `{ provide: PLATFORM_CONNECTION, useFactory: () => mongoose.createConnection(url, { dbName }).asPromise() }`.
 */
export const PLATFORM_CONNECTION = Symbol('PLATFORM_CONNECTION');

/** One POST seen with an Idempotency-Key. `body` is the JSON text that was sent, replayed verbatim. */
export interface IdempotencyRecord {
  _id: string;
  requestHash: string;
  status: 'pending' | 'done';
  response?: { statusCode: number; body: string | null };
  createdAt: Date;
  completedAt?: Date;
}

export type IdempotencyBegin =
  /** This request owns the key; `startedAt` identifies the ownership for complete/release. */
  | { readonly kind: 'started'; readonly startedAt: Date }
  | { readonly kind: 'replay'; readonly statusCode: number; readonly body: unknown }
  | { readonly kind: 'mismatch' }
  | { readonly kind: 'in-progress' };

/** Keys are per caller: the same key from two users names two requests. */
export function idempotencyScope(user: string, key: string): string {
  return `${user}:${key}`;
}

/** Key order in the body does not make another request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as Record<string, unknown>)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * sha256 of method, path and body: what "the same request" means for a repeated key. A card number
 * in the body counts by its BIN and last four only and a cvv not at all (maskCardData), so the
 * stored digest cannot be brute-forced back to a number; a repeat that changes only the middle
 * digits or the cvv is taken for the same request.
 */
export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method.toUpperCase()}\n${path}\n${canonicalJson(maskCardData(body))}`).digest('hex');
}

/**
 * The records behind Idempotency-Key. Only atomic single-document operations (insert, conditional
 * update, conditional delete), so it works on FerretDB without transactions: a duplicate-key insert
 * means another request was first.
 */
export class IdempotencyStore {
  private readonly records: Collection<IdempotencyRecord>;

  constructor(
    connection: Connection,
    /** A pending record older than this is taken to belong to a crashed request and may be taken over. */
    private readonly staleAfterMs = 30_000,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.records = connection.collection<IdempotencyRecord>(IDEMPOTENCY_COLLECTION);
  }

  async begin(id: string, hash: string): Promise<IdempotencyBegin> {
    // A record can vanish between our failed insert and our read (its request failed and released it): try again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = this.clock();
      if ((await insertOnce(this.records, { _id: id, requestHash: hash, status: 'pending', createdAt: now })) === 'inserted') return { kind: 'started', startedAt: now };
      const existing = await this.records.findOne({ _id: id });
      if (!existing) continue;
      if (existing.requestHash !== hash) return { kind: 'mismatch' };
      if (existing.status === 'done' && existing.response) {
        const { statusCode, body } = existing.response;
        return { kind: 'replay', statusCode, body: body === null ? undefined : JSON.parse(body) };
      }
      if (now.getTime() - existing.createdAt.getTime() <= this.staleAfterMs) return { kind: 'in-progress' };
      const takeover = await this.records.updateOne(
        { _id: id, status: 'pending', createdAt: existing.createdAt },
        { $set: { createdAt: now } },
      );
      return takeover.modifiedCount === 1 ? { kind: 'started', startedAt: now } : { kind: 'in-progress' };
    }
    return { kind: 'in-progress' };
  }

  /** Stores the answer for repeats, unless a takeover made another request the owner meanwhile. */
  async complete(id: string, startedAt: Date, response: { statusCode: number; body: unknown }): Promise<void> {
    const body = response.body === undefined ? null : JSON.stringify(response.body);
    await this.records.updateOne(
      { _id: id, status: 'pending', createdAt: startedAt },
      { $set: { status: 'done', response: { statusCode: response.statusCode, body }, completedAt: this.clock() } },
    );
  }

  /** Frees the key after a failed request, so the client may retry it. */
  async release(id: string, startedAt: Date): Promise<void> {
    await this.records.deleteOne({ _id: id, status: 'pending', createdAt: startedAt });
  }
}
