import { RetryLaterError } from '../kafka/retry-backoff';
import { EmailBeingSentError, EmailKey, SENDING_WINDOW_MS, SentEmailsStore } from './sent-emails.store';

interface Doc {
  _id: string;
  claimedAt: Date;
  claimedBy?: string;
  sentAt?: Date;
}

/** The few collection calls the store makes, in memory, with MongoDB's duplicate-key error. */
class FakeCollection {
  readonly docs = new Map<string, Doc>();

  /** the next updateOne fails as a store restart would fail it */
  failNextUpdate = false;

  async insertOne(doc: Doc): Promise<void> {
    if (this.docs.has(doc._id)) throw Object.assign(new Error('E11000 duplicate key'), { code: 11000 });
    this.docs.set(doc._id, { ...doc });
  }

  async findOne(filter: { _id: string }): Promise<Doc | null> {
    return this.docs.get(filter._id) ?? null;
  }

  async updateOne(filter: { _id: string }, update: { $set: Partial<Doc> }): Promise<void> {
    if (this.failNextUpdate) {
      this.failNextUpdate = false;
      throw new Error('connection closed');
    }
    const doc = this.docs.get(filter._id);
    if (doc) Object.assign(doc, update.$set);
  }

  async deleteOne(filter: { _id: string }): Promise<void> {
    this.docs.delete(filter._id);
  }
}

// R8: a claim without sentAt is a send in progress for SENDING_WINDOW_MS, and only then unconfirmed.
// Two stores over one collection are two processes of the service.
describe('SentEmailsStore (at-most-once emails)', () => {
  const key: EmailKey = 'refund:r-1';
  let collection: FakeCollection;
  let now: Date;
  let store: SentEmailsStore;
  let other: SentEmailsStore;

  beforeEach(() => {
    collection = new FakeCollection();
    now = new Date('2026-03-01T10:00:00.000Z');
    store = new SentEmailsStore({ collection: () => collection } as never, () => now);
    other = new SentEmailsStore({ collection: () => collection } as never, () => now);
  });

  const later = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };

  it('sends once: the first caller sends, a later one (in either process) finds it SENT and sends nothing', async () => {
    const send = jest.fn(async () => undefined);
    const unconfirmed = jest.fn();
    expect(await store.sendOnce(key, send, unconfirmed)).toBe(true);
    later(10 * SENDING_WINDOW_MS);
    expect(await store.sendOnce(key, send, unconfirmed)).toBe(false);
    expect(await other.sendOnce(key, send, unconfirmed)).toBe(false);
    expect(send).toHaveBeenCalledTimes(1);
    expect(unconfirmed).not.toHaveBeenCalled();
    expect(await store.wasSent(key)).toBe(true);
  });

  it("another process's claim younger than the window without sentAt is being sent there: EmailBeingSentError until the window ends", async () => {
    const claimedAt = now;
    expect(await other.claim(key)).toBe('WON');
    later(SENDING_WINDOW_MS - 1);
    const send = jest.fn(async () => undefined);
    const unconfirmed = jest.fn();
    const refusal = await store.sendOnce(key, send, unconfirmed).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(EmailBeingSentError);
    expect(refusal).toBeInstanceOf(RetryLaterError);
    expect((refusal as EmailBeingSentError).until).toEqual(new Date(claimedAt.getTime() + SENDING_WINDOW_MS));
    expect(send).not.toHaveBeenCalled();
    expect(unconfirmed).not.toHaveBeenCalled();
  });

  it('the retry after the other process confirmed finds it SENT', async () => {
    expect(await other.claim(key)).toBe('WON');
    await expect(store.sendOnce(key, async () => undefined, () => undefined)).rejects.toBeInstanceOf(EmailBeingSentError);
    await other.markSent(key);
    const send = jest.fn(async () => undefined);
    expect(await store.sendOnce(key, send, () => undefined)).toBe(false);
    expect(send).not.toHaveBeenCalled();
  });

  it('a claim the window has passed without sentAt is reported as unconfirmed, and not sent again', async () => {
    expect(await other.claim(key)).toBe('WON');
    later(SENDING_WINDOW_MS);
    const send = jest.fn(async () => undefined);
    const unconfirmed = jest.fn();
    expect(await store.sendOnce(key, send, unconfirmed)).toBe(false);
    expect(unconfirmed).toHaveBeenCalledTimes(1);
    expect(send).not.toHaveBeenCalled();
    expect(await store.wasSent(key)).toBe(false);
  });

  it('a failed send releases its claim, so the retry sends', async () => {
    await expect(store.sendOnce(key, async () => Promise.reject(new Error('SMTP down')), () => undefined)).rejects.toThrow('SMTP down');
    expect(collection.docs.has(key)).toBe(false);
    const send = jest.fn(async () => undefined);
    expect(await store.sendOnce(key, send, () => undefined)).toBe(true);
    expect(send).toHaveBeenCalledTimes(1);
    expect(collection.docs.get(key)?.sentAt).toEqual(now);
  });

  it("this process's own claim it is not sending (its reply was lost, or its release failed) is sent by its retry at once", async () => {
    expect(await store.claim(key)).toBe('WON');
    const send = jest.fn(async () => undefined);
    expect(await store.sendOnce(key, send, () => undefined)).toBe(true);
    expect(send).toHaveBeenCalledTimes(1);
    expect(await other.wasSent(key)).toBe(true);
  });

  it("this process's own claim while its send runs is in progress for a second caller", async () => {
    let finish = (): void => undefined;
    const first = store.sendOnce(key, () => new Promise<void>((resolve) => (finish = resolve)), () => undefined);
    await Promise.resolve();
    await Promise.resolve();
    await expect(store.sendOnce(key, async () => undefined, () => undefined)).rejects.toBeInstanceOf(EmailBeingSentError);
    finish();
    expect(await first).toBe(true);
  });

  it('a send whose sentAt did not reach the store is recorded by the retry, and not sent again', async () => {
    const send = jest.fn(async () => undefined);
    collection.failNextUpdate = true;
    await expect(store.sendOnce(key, send, () => undefined)).rejects.toThrow('connection closed');
    expect(await store.wasSent(key)).toBe(false);
    expect(await store.sendOnce(key, send, () => undefined)).toBe(true);
    expect(send).toHaveBeenCalledTimes(1);
    expect(await other.wasSent(key)).toBe(true);
  });
});
