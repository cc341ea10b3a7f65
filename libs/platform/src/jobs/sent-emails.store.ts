import { mongo } from 'mongoose';
import { insertOnce } from '../store';

interface SentEmailDocument {
  _id: string;
  claimedAt: Date;
  sentAt?: Date;
}

/**
 * The key of one email that goes out at most once, unique within the service's database: payments'
 * `abandoned:<refundId>`, `refund:<refundId>`, `void:<voidId>`, `resend:<eventId>`; orders'
 * `confirmation:<orderId>`, `resend:<eventId>`.
 */
export type EmailKey = string;

/**
 * WON: this caller claimed the email and sends it. SENT: sent before. SENDING: claimed less than
 * SENDING_WINDOW_MS ago and not marked sent yet: another consumer is sending it right now.
 * UNCONFIRMED: claimed longer ago and never marked sent: the claimer died between the claim and the
 * send (the email may be lost).
 */
export type EmailClaim = 'WON' | 'SENT' | 'SENDING' | 'UNCONFIRMED';

/** How long a claim without sentAt counts as a send in progress (far longer than an SMTP send). */
export const SENDING_WINDOW_MS = 5 * 60_000;

/**
 * Another consumer claimed this email moments ago and has not confirmed it yet. Not a DomainError:
 * the consumer retries the event later, and then finds the email SENT (or, much later, UNCONFIRMED).
 */
export class EmailBeingSentError extends Error {
  constructor(readonly key: EmailKey) {
    super(`email ${key} is being sent by another consumer: retry later`);
    this.name = 'EmailBeingSentError';
  }
}

/**
 * At-most-once emails (collection `sent_emails`): a sender claims an email's key before the SMTP
 * send, and the unique `_id` lets exactly one claim win, so an event redelivered after a crash
 * between the send and the handled-event record sends nothing. A claim younger than
 * SENDING_WINDOW_MS without sentAt is a send in progress: sendOnce throws EmailBeingSentError so the
 * consumer retries later. The trade-off: a crash after the claim and before the send loses that one
 * email; a redelivery after the window finds the claim unconfirmed and the sender logs it at error
 * level for ops. A send that fails with an error releases its claim, so the consumer's retry sends
 * it (an SMTP error almost always means nothing went out).
 */
export class SentEmailsStore {
  private readonly collection: mongo.Collection<SentEmailDocument>;

  private readonly now: () => Date;

  /** `db`: the service's database (`platform.connection.db`); `clock`: the system clock unless a test passes one. */
  constructor(db: Pick<mongo.Db, 'collection'>, clock?: () => Date) {
    this.collection = db.collection<SentEmailDocument>('sent_emails');
    this.now = clock ?? (() => new Date());
  }

  async claim(key: EmailKey): Promise<EmailClaim> {
    if ((await insertOnce(this.collection, { _id: key, claimedAt: this.now() })) === 'inserted') return 'WON';
    const earlier = await this.collection.findOne({ _id: key });
    // released in the meantime (the other send failed): this caller may claim it again
    if (!earlier) return this.claim(key);
    if (earlier.sentAt) return 'SENT';
    return this.now().getTime() - earlier.claimedAt.getTime() < SENDING_WINDOW_MS ? 'SENDING' : 'UNCONFIRMED';
  }

  /** The claimed email went out. */
  async markSent(key: EmailKey): Promise<void> {
    await this.collection.updateOne({ _id: key }, { $set: { sentAt: this.now() } });
  }

  /** Whether the email under `key` went out (a claim marked sent). */
  async wasSent(key: EmailKey): Promise<boolean> {
    return (await this.collection.findOne({ _id: key }))?.sentAt !== undefined;
  }

  /** Gives a claim back after a failed send, so a retry may send the email. */
  async release(key: EmailKey): Promise<void> {
    await this.collection.deleteOne({ _id: key });
  }

  /**
   * Claims `key`, runs `send` only when this caller won, and records the outcome; returns whether
   * it sent. A claim in progress elsewhere throws EmailBeingSentError (the consumer retries); an
   * earlier claim never confirmed is reported through `onUnconfirmed` (log it at error).
   */
  async sendOnce(key: EmailKey, send: () => Promise<unknown>, onUnconfirmed: () => void): Promise<boolean> {
    const claim = await this.claim(key);
    if (claim === 'SENDING') throw new EmailBeingSentError(key);
    if (claim === 'UNCONFIRMED') onUnconfirmed();
    if (claim !== 'WON') return false;
    try {
      await send();
    } catch (error) {
      await this.release(key);
      throw error;
    }
    await this.markSent(key);
    return true;
  }
}
