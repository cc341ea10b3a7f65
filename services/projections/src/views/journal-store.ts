import { Collection, Connection } from 'mongoose';
import { LRUCache } from 'lru-cache';
import { isDuplicateKey } from '@continuum/platform';
import { CustomerJournal, JournalEntry, journalOf } from '../domain';

/** Entries a page takes before the next one is started: an event rewrites a page of at most about this many. */
export const JOURNAL_PAGE_SIZE = 32;

/** Heads kept in the process (the last page of each customer written to lately). */
const HEAD_CACHE = 20_000;

/** Entries of full pages kept in the process (a full page never changes): a read fetches only the pages still filling. */
const FULL_PAGE_ENTRIES = 200_000;

/** How many merges a customer's records are followed through, and how often an append starts over. */
const MAX_HOPS = 20;
const MAX_APPEND_ATTEMPTS = 100;

/**
 * A customer's journal as documents of `<collection>`:
 * - the head (`head:<customerId>`): how many pages the journal has (`pages`; page n is named
 *   `page:<customerId>:<n>`), and once the customer is merged into another, `mergedInto`;
 * - pages (`page:<customerId>:<n>`): the entries in the order they arrived (`count` of them),
 *   `sealed` once a merge moved them: nothing is appended to a sealed page.
 */
type JournalDocument =
  | { _id: string; kind: 'head'; pages: number; mergedInto?: string }
  | { _id: string; kind: 'page'; count: number; entries: JournalEntry[]; sealed?: boolean };

type Head = Extract<JournalDocument, { kind: 'head' }>;
type Page = Extract<JournalDocument, { kind: 'page' }>;

const headId = (customerId: string) => `head:${customerId}`;
const pageId = (customerId: string, page: number) => `page:${customerId}:${page}`;

/**
 * The customers' journals in pages: appending an event is one write to the journal's last page
 * (`$push` with a filter: not sealed, not full), whatever the customer's age; reading a journal is
 * the head and its pages (two reads), put in journal order by `journalOf`, which also keeps each
 * stream position once (a redelivered event may be stored twice; it is read once).
 *
 * A merge writes `mergedInto` on the merged customer's head first, then seals its pages, then
 * moves their entries into the survivor's journal: an appender that finds its page sealed (or its
 * head merged) reads the head again and follows `mergedInto`, so an event applied by another
 * instance while the merge moves the journal is never lost, and no alias needs looking up per event.
 */
export class JournalStore {
  private readonly documents: Collection<JournalDocument>;
  /** per customer, the head as this process last saw it (pages only grow; a merge is found by a failed append) */
  private readonly heads = new LRUCache<string, Head>({ max: HEAD_CACHE });
  /** entries of full pages by page id: nothing is appended to a page once it holds pageSize entries */
  private readonly fullPages = new LRUCache<string, JournalEntry[]>({ maxSize: FULL_PAGE_ENTRIES, sizeCalculation: (entries) => Math.max(1, entries.length) });

  constructor(
    connection: Connection,
    readonly collectionName: string,
    private readonly pageSize = JOURNAL_PAGE_SIZE,
  ) {
    this.documents = connection.collection<JournalDocument>(collectionName);
  }

  /**
   * Appends `entries` to the journal of `customerId`, or of the customer it was merged into;
   * answers the customer whose journal took them.
   */
  async append(customerId: string, entries: readonly JournalEntry[]): Promise<string> {
    let holder = customerId;
    for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
      const head = this.heads.get(holder) ?? (await this.readHead(holder)) ?? (await this.createHead(holder));
      if (head.mergedInto !== undefined) {
        this.heads.delete(holder);
        holder = head.mergedInto;
        continue;
      }
      if (entries.length === 0) return holder;
      if (await this.push(holder, head.pages - 1, entries)) {
        this.heads.set(holder, head);
        return holder;
      }
      // the page is full, sealed by a merge, or another appender started a later one: look again
      const fresh = await this.readHead(holder);
      if (!fresh) throw new Error(`journal ${holder}: its head is gone`);
      if (fresh.mergedInto !== undefined || fresh.pages > head.pages) {
        this.heads.set(holder, fresh);
        continue;
      }
      // full: name the next page (never once merged: then this fails and the next look follows the merge)
      const { matchedCount } = await this.documents.updateOne({ _id: headId(holder), mergedInto: { $exists: false } } as never, { $max: { pages: head.pages + 1 } } as never);
      this.heads.set(holder, matchedCount === 1 ? { ...head, pages: Math.max(head.pages + 1, fresh.pages) } : fresh);
      if (matchedCount === 0) this.heads.delete(holder);
    }
    throw new Error(`journal ${customerId}: could not append after ${MAX_APPEND_ATTEMPTS} attempts`);
  }

  /** The journal of `customerId` or of the customer its records were merged into (`holder`); undefined when there is none. */
  async read(customerId: string): Promise<{ holder: string; journal: CustomerJournal } | undefined> {
    let holder = customerId;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const head = await this.readHead(holder);
      if (!head) return undefined;
      if (head.mergedInto !== undefined && head.mergedInto !== holder) {
        holder = head.mergedInto;
        continue;
      }
      const entries = await this.entriesOf(holder, head.pages);
      return entries.length === 0 ? undefined : { holder, journal: journalOf(holder, entries) };
    }
    return undefined;
  }

  /** The customer holding `customerId`'s records now: itself, or the survivor of its merges. */
  async resolve(customerId: string): Promise<string> {
    let holder = customerId;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const head = this.heads.get(holder) ?? (await this.readHead(holder));
      if (head?.mergedInto === undefined || head.mergedInto === holder) return holder;
      holder = head.mergedInto;
    }
    return holder;
  }

  /**
   * Merges `from` into `into`: marks `from`'s head merged (no page is started for it after this),
   * seals its pages (no entry is appended to them after this), moves their entries into the
   * survivor's journal and deletes them. Safe to repeat, and for two instances to do at once (an
   * entry moved twice is read once). Answers the survivor (`into`, or the customer it was merged into).
   */
  async merge(from: string, into: string): Promise<string> {
    const survivor = await this.resolve(into);
    if (from === into || survivor === from) return survivor;
    const markMerged = () =>
      this.documents.findOneAndUpdate({ _id: headId(from) } as never, { $set: { mergedInto: into }, $setOnInsert: { kind: 'head', pages: 0 } } as never, { upsert: true, returnDocument: 'after' });
    // two instances marking one merge at once: one upsert inserts, the other collides and updates what it inserted
    const head = (await markMerged().catch((error: unknown) => (isDuplicateKey(error) ? markMerged() : Promise.reject(error)))) as Head | null;
    this.heads.delete(from);
    const pages = head?.pages ?? 0;
    if (pages === 0) return survivor;
    const ids = Array.from({ length: pages }, (_, page) => pageId(from, page));
    // the last page may be named and not written yet: sealing it creates it, so its appender finds it sealed
    await this.documents.bulkWrite(
      ids.map((id) => ({ updateOne: { filter: { _id: id } as never, update: { $set: { sealed: true }, $setOnInsert: { kind: 'page', count: 0, entries: [] } } as never, upsert: true } })),
      { ordered: false },
    );
    const entries = await this.entriesOf(from, pages);
    let holder = survivor;
    for (let at = 0; at < entries.length; at += this.pageSize) holder = await this.append(holder, entries.slice(at, at + this.pageSize));
    await Promise.all(ids.map((id) => this.documents.deleteOne({ _id: id } as never)));
    return holder;
  }

  async drop(): Promise<void> {
    this.heads.clear();
    this.fullPages.clear();
    await this.documents.drop().catch((error: { codeName?: string }) => {
      if (error.codeName !== 'NamespaceNotFound') throw error;
    });
  }

  private async readHead(customerId: string): Promise<Head | undefined> {
    const head = await this.documents.findOne({ _id: headId(customerId) } as never);
    return head?.kind === 'head' ? head : undefined;
  }

  /** The head of a journal's first event (one page), or, when it exists already, the stored one. */
  private async createHead(customerId: string): Promise<Head> {
    const head: Head = { _id: headId(customerId), kind: 'head', pages: 1 };
    try {
      await this.documents.insertOne(head as never);
      return head;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const stored = await this.readHead(customerId);
      if (!stored) throw error;
      // a head a merge made before this customer had events has no page yet
      if (stored.pages > 0 || stored.mergedInto !== undefined) return stored;
      await this.documents.updateOne({ _id: headId(customerId), mergedInto: { $exists: false } } as never, { $max: { pages: 1 } } as never);
      return (await this.readHead(customerId)) ?? stored;
    }
  }

  /** Appends to page `page` of `customerId` when it is not sealed and has room; false otherwise. */
  private async push(customerId: string, page: number, entries: readonly JournalEntry[]): Promise<boolean> {
    if (page < 0) return false;
    try {
      const { matchedCount, upsertedCount } = await this.documents.updateOne(
        { _id: pageId(customerId, page), sealed: { $ne: true }, count: { $lt: this.pageSize } } as never,
        { $setOnInsert: { kind: 'page' }, $push: { entries: { $each: [...entries] } }, $inc: { count: entries.length } } as never,
        { upsert: true },
      );
      return matchedCount + upsertedCount === 1;
    } catch (error) {
      // the page exists and is sealed or full: the upsert collided with it
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /**
   * Every entry of pages 0..pages-1, page by page in the order they were appended: an `_id` read of
   * each page not kept in the process (a customer's history read again reads its last page only).
   */
  private async entriesOf(customerId: string, pages: number): Promise<JournalEntry[]> {
    if (pages <= 0) return [];
    const ids = Array.from({ length: pages }, (_, page) => pageId(customerId, page));
    // taken before the read: what the cache drops meanwhile is still here
    const entries = new Map<string, JournalEntry[]>();
    for (const id of ids) {
      const kept = this.fullPages.get(id);
      if (kept) entries.set(id, kept);
    }
    const missing = ids.filter((id) => !entries.has(id));
    // `_id` equality reads, at once: the local store answers other filters (`$in` too) by scanning
    const found = (await Promise.all(missing.map((id) => this.documents.findOne({ _id: id } as never)))).filter((page): page is Page => page?.kind === 'page');
    for (const page of found) {
      entries.set(page._id, page.entries);
      if (page.count >= this.pageSize) this.fullPages.set(page._id, page.entries);
    }
    return ids.flatMap((id) => entries.get(id) ?? []);
  }
}
