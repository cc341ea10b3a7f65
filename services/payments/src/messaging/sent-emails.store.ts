import { Inject, Injectable } from '@nestjs/common';
import { mongo } from 'mongoose';
import { Platform } from '@continuum/platform';

interface SentEmailDocument {
  _id: string;
  claimedAt: Date;
  sentAt?: Date;
}

/** The key of one email that goes out at most once: `abandoned:<refundId>`, `refund:<refundId>`, `void:<voidId>`, `resend:<eventId>`. */
export type EmailKey = `${'abandoned' | 'refund' | 'void' | 'resend'}:${string}`;

/**
 * WON: this caller claimed the email and sends it. SENT: sent before. UNCONFIRMED: claimed before but
 * never marked sent: the claimer died between the claim and the send (the email may be lost).
 */
export type EmailClaim = 'WON' | 'SENT' | 'UNCONFIRMED';

/**
 * At-most-once emails (collection `sent_emails`): a sender claims an email's key before the SMTP
 * send, and the unique `_id` lets exactly one claim win, so an event redelivered after a crash
 * between the send and the handled-event record sends nothing. The trade-off: a crash after the
 * claim and before the send loses that one email; the redelivery finds the claim unconfirmed and
 * the sender logs it at error level for ops. A send that fails with an error releases its claim,
 * so the consumer's retry sends it (an SMTP error almost always means nothing went out).
 */
@Injectable()
export class SentEmailsStore {
  private readonly collection: mongo.Collection<SentEmailDocument>;

  constructor(@Inject(Platform) platform: Platform) {
    this.collection = platform.connection.db!.collection<SentEmailDocument>('sent_emails');
  }

  async claim(key: EmailKey): Promise<EmailClaim> {
    try {
      await this.collection.insertOne({ _id: key, claimedAt: new Date() });
      return 'WON';
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      const earlier = await this.collection.findOne({ _id: key });
      return earlier?.sentAt ? 'SENT' : 'UNCONFIRMED';
    }
  }

  /** The claimed email went out. */
  async markSent(key: EmailKey): Promise<void> {
    await this.collection.updateOne({ _id: key }, { $set: { sentAt: new Date() } });
  }

  /** Gives a claim back after a failed send, so a retry may send the email. */
  async release(key: EmailKey): Promise<void> {
    await this.collection.deleteOne({ _id: key });
  }

  /**
   * Claims `key`, runs `send` only when this caller won, and records the outcome; returns whether
   * it sent. An earlier claim never confirmed is reported through `onUnconfirmed` (log it at error).
   */
  async sendOnce(key: EmailKey, send: () => Promise<unknown>, onUnconfirmed: () => void): Promise<boolean> {
    const claim = await this.claim(key);
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
