import { Collection, Connection } from 'mongoose';
import { insertOnce } from '../store/insert-once';
import { requestHash } from './idempotency.store';

export const MESSAGE_FINGERPRINTS_COLLECTION = 'message_fingerprints';

interface FingerprintRecord {
  _id: string;
  hash: string;
  firstSeenAt: Date;
}

/** What a message's idempotency key says about the message: new, a repeat, or the key reused for another body. */
export type FingerprintVerdict = 'first' | 'same' | 'different';

/**
 * The Idempotency-Key rule for messages (`clientOrderId` on orders.intake.v1): the first body seen
 * with a key is remembered by its hash; a repeat with the same body is a replay, the same key with
 * another body is refused, as HTTP answers 422 for it. One atomic insert per key, so it needs no
 * transactions (FerretDB).
 *
 *   const verdict = await fingerprints.claim('intake:["lander","c-1"]', body); // 'first' | 'same' | 'different'
 */
export class MessageFingerprints {
  private readonly records: Collection<FingerprintRecord>;

  constructor(
    connection: Connection,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.records = connection.collection<FingerprintRecord>(MESSAGE_FINGERPRINTS_COLLECTION);
  }

  /** sha256 of the key and the body, key order in the body not counting. */
  static hash(key: string, body: unknown): string {
    return requestHash('MESSAGE', key, body);
  }

  async claim(key: string, body: unknown): Promise<FingerprintVerdict> {
    const hash = MessageFingerprints.hash(key, body);
    for (let attempt = 0; attempt < 3; attempt++) {
      if ((await insertOnce(this.records, { _id: key, hash, firstSeenAt: this.clock() })) === 'inserted') return 'first';
      const existing = await this.records.findOne({ _id: key });
      if (existing) return existing.hash === hash ? 'same' : 'different';
      // released between our insert and our read: try again
    }
    return 'same';
  }

  /** Forgets a key whose message was refused, so a corrected message may use it again (as a failed HTTP request frees its key). */
  async release(key: string, body: unknown): Promise<void> {
    await this.records.deleteOne({ _id: key, hash: MessageFingerprints.hash(key, body) });
  }
}
