import { randomUUID } from 'node:crypto';
import { mongo } from 'mongoose';
import { RetryLaterError } from '../kafka/retry-backoff';
import { insertOnce } from '../store';

interface SentEmailDocument {
  _id: string;
  claimedAt: Date;
  /** the claiming store (one per process): a process knows whether it is sending its own claim */
  claimedBy?: string;
  sentAt?: Date;
}

/**
 * The key of one email that goes out at most once, unique within the service's database: payments'
 * `abandoned:<refundId>`, `refund:<refundId>`, `void:<voidId>`, `resend:<eventId>`; orders'
 * `confirmation:<orderId>`, `resend:<eventId>`.
 */
export type EmailKey = string;

/**
 * WON: this caller claimed the email and sends it (a claim this process made earlier and is not
 * sending now counts too: its send never started, or failed). SENT: sent before. SENDING: claimed by
 * another process less than SENDING_WINDOW_MS ago and not marked sent yet: it is sending it right
 * now. UNCONFIRMED: claimed longer ago and never marked sent: the claimer died between the claim and
 * the send (the email may be lost).
 */
export type EmailClaim = 'WON' | 'SENT' | 'SENDING' | 'UNCONFIRMED';

/**
 * How long another process's claim without sentAt counts as a send in progress: longer than an SMTP
 * send takes (the Mailer's timeouts bound each step of one), short because a consumer waits for it.
 */
export const SENDING_WINDOW_MS = 60_000;

/**
 * Another process claimed this email moments ago and has not confirmed it yet. Not a DomainError
 * but a RetryLaterError: the consumer retries the event, without spending its attempts, until the
 * window ends, and then finds the email SENT (or UNCONFIRMED); it is never dead-lettered for waiting.
 */
export class EmailBeingSentError extends RetryLaterError {
  constructor(
    readonly key: EmailKey,
    until: Date,
  ) {
    super(`email ${key} is being sent by another consumer: retry later`, until);
    this.name = 'EmailBeingSentError';
  }
}

/**
 * At-most-once emails (collection `sent_emails`): a sender claims an email's key before the SMTP
 * send, and the unique `_id` lets exactly one claim win, so an event redelivered after a crash
 * between the send and the handled-event record sends nothing. Another process's claim younger than
 * SENDING_WINDOW_MS without sentAt is a send in progress: sendOnce throws EmailBeingSentError so the
 * consumer retries later. The trade-off: a crash after the claim and before the send loses that one
 * email; a redelivery after the window finds the claim unconfirmed and the sender logs it at error
 * level for ops. A send that fails with an error releases its claim, so the consumer's retry sends
 * it (an SMTP error almost always means nothing went out).
 *
 * The store fails too (a restart of the database): a claim whose reply was lost, a release or a
 * sentAt that did not reach it. Each claim names its process, and the process remembers what it is
 * sending and what it sent, so its own retry sends a claim that never went out and records one that
 * did, instead of waiting for itself.
 */
export class SentEmailsStore {
  private readonly collection: mongo.Collection<SentEmailDocument>;

  private readonly now: () => Date;

  /** this process's name on its claims */
  private readonly owner = randomUUID();

  /** keys this process is sending now */
  private readonly sending = new Set<EmailKey>();

  /** keys this process sent whose sentAt has not reached the store yet */
  private readonly sentHere = new Set<EmailKey>();

  /** `db`: the service's database (`platform.connection.db`); `clock`: the system clock unless a test passes one. */
  constructor(db: Pick<mongo.Db, 'collection'>, clock?: () => Date) {
    this.collection = db.collection<SentEmailDocument>('sent_emails');
    this.now = clock ?? (() => new Date());
  }

  async claim(key: EmailKey): Promise<EmailClaim> {
    return (await this.claimOrHolder(key)).claim;
  }

  /** The claim, and when it is SENDING the earlier claim's time. */
  private async claimOrHolder(key: EmailKey): Promise<{ claim: EmailClaim; claimedAt?: Date }> {
    if ((await insertOnce(this.collection, { _id: key, claimedAt: this.now(), claimedBy: this.owner })) === 'inserted') return { claim: 'WON' };
    const earlier = await this.collection.findOne({ _id: key });
    // released in the meantime (the other send failed): this caller may claim it again
    if (!earlier) return this.claimOrHolder(key);
    if (earlier.sentAt) return { claim: 'SENT' };
    // this process's own claim, not being sent now: its send never started or failed
    if (earlier.claimedBy === this.owner && !this.sending.has(key)) return { claim: 'WON' };
    if (this.now().getTime() - earlier.claimedAt.getTime() < SENDING_WINDOW_MS) return { claim: 'SENDING', claimedAt: earlier.claimedAt };
    return { claim: 'UNCONFIRMED' };
  }

  /** The claimed email went out. */
  async markSent(key: EmailKey): Promise<void> {
    await this.collection.updateOne({ _id: key }, { $set: { sentAt: this.now() } });
    this.sentHere.delete(key);
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
    // sent by this process before its sentAt failed to reach the store: record it, send nothing
    if (this.sentHere.has(key)) {
      await this.markSent(key);
      return true;
    }
    const { claim, claimedAt } = await this.claimOrHolder(key);
    if (claim === 'SENDING') throw new EmailBeingSentError(key, new Date(claimedAt!.getTime() + SENDING_WINDOW_MS));
    if (claim === 'UNCONFIRMED') onUnconfirmed();
    if (claim !== 'WON') return false;
    this.sending.add(key);
    try {
      await send();
    } catch (error) {
      this.sending.delete(key);
      await this.release(key);
      throw error;
    }
    this.sentHere.add(key);
    this.sending.delete(key);
    await this.markSent(key);
    return true;
  }
}
