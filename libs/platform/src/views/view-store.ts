import { Collection, Connection } from 'mongoose';
import { DomainEvent, EnvelopeOf, EventEnvelope } from '@continuum/contracts';
import { EventStore } from '../event-store';
import { insertOnce, isDuplicateKey } from '../store/insert-once';
import { ViewDefinition } from './view-definition';

/** One view document: the view and, per stream that fed it, the last stream version applied. */
export interface ViewDocument<V> {
  _id: string;
  view: V;
  versions: Record<string, number>;
  /** how many times the document was written: each write replaces the revision it read (compare-and-set) */
  rev?: number;
}

/** How often `apply` reads and applies again when another writer changed the document in between. */
const MAX_WRITE_CONFLICTS = 50;

/**
 * Another writer kept changing a view document for MAX_WRITE_CONFLICTS attempts in a row: nothing
 * of this apply was stored; the caller's round or message is retried.
 */
export class ViewWriteConflictError extends Error {
  constructor(
    readonly view: string,
    readonly documentId: string,
  ) {
    super(`view ${view}: document ${documentId} changed under every one of ${MAX_WRITE_CONFLICTS} attempts to apply to it`);
    this.name = 'ViewWriteConflictError';
  }
}

/**
 * An index is three kinds of documents in `view_<name>__<index>`, so writing costs the same
 * whatever a key lists:
 * - the key's head (`<key>`): the ids listed last (at most INDEX_CHUNK) and the key's sealed chunks;
 * - sealed chunks (`<key>#s<n>`) of INDEX_CHUNK ids each, made when the head's ids run over;
 * - one membership per id in a sealed chunk (`<key>|<id>`: the chunk it is in), to take it off again.
 * Listing an id is one write (`$addToSet` on the head, which also makes the head); every
 * INDEX_CHUNK-th also seals a chunk. Heads written before sealed chunks existed carry
 * `open`/`openSize` and chunks named `<key>#<n>`; they are read and written the same way.
 */
type IndexDocument =
  | { _id: string; kind: 'head'; ids?: string[]; chunks: string[]; sealed?: number }
  | { _id: string; kind: 'chunk'; ids: string[] }
  | { _id: string; kind: 'member'; chunk: string };

/** Ids per index chunk: a new id rewrites a head of at most this many ids. */
export const INDEX_CHUNK = 200;

/**
 * What `views_meta` holds for a view:
 * - `<name>`: generation 0 (the unsuffixed collections) was built by definition `version`;
 * - `<name>@g<g>` with `view`: generation g is current from then on (inserted once, when a rebuild
 *   switches; the highest generation inserted is the current one);
 * - `<name>@g<g>#claim` with `claim`: a rebuild took generation g to build (its insert decides
 *   which of two rebuilds builds it).
 */
interface ViewMarker {
  _id: string;
  version: number;
  builtAt?: Date;
  streams?: number;
  view?: string;
  claim?: string;
  generation?: number;
}

/** One generation of a view: its documents, its index collections and the documents kept as written. */
interface Generation<V> {
  readonly number: number;
  readonly documents: Collection<ViewDocument<V>>;
  readonly indexes: Map<string, Collection<IndexDocument>>;
  /** documents as this store last wrote them (see `keepWrittenDocuments`), least recently used first */
  readonly written: Map<string, ViewDocument<V>>;
  /** false for a generation a rebuild is filling: nothing kept */
  readonly keeps: boolean;
}

/** When a store looks for a switch of generation, and when a rebuild drops the generation it replaced. */
export interface GenerationTiming {
  /** a store re-reads which generation is current at most this often (and on a lease term change) */
  readonly checkEveryMs: number;
  /** a rebuild drops the replaced generation this long after switching */
  readonly dropAfterMs: number;
}

export const DEFAULT_GENERATION_TIMING: GenerationTiming = { checkEveryMs: 5_000, dropAfterMs: 60_000 };

/** How `applyAt` applies. */
export interface ApplyAtOptions {
  /**
   * Evolve every event, even one whose stream version the document already passed (the version
   * guard is off): for a view that keeps each stream position itself and may get a stream's events
   * out of order from several appliers (the projections' journals). An event after which `evolve`
   * returns the same view object changed nothing: no write for it.
   */
  readonly everyEvent?: boolean;
}

/** Where a view reads the events a document missed (the service's event store). */
export interface ViewEventSource {
  readStream(streamId: string): Promise<{ readonly events: readonly EventEnvelope[] }>;
}

/**
 * An event reached a view document before the stream's earlier events did (its stream version is
 * past the document's known version + 1) and the view has no event store to read the missing ones
 * from: nothing is applied, so the caller's round fails and is retried.
 */
export class ViewGapError extends Error {
  constructor(
    readonly view: string,
    readonly documentId: string,
    readonly streamId: string,
    readonly known: number,
    readonly streamVersion: number,
  ) {
    super(`view ${view}: document ${documentId} knows ${streamId} up to version ${known} and was given version ${streamVersion}; the events in between are missing`);
    this.name = 'ViewGapError';
  }
}

/** Where each view records which definition version its documents were built by. */
export const VIEWS_META_COLLECTION = 'views_meta';

/** Field names may not contain '.' or start with '$'; stream ids are encoded so any id is a valid key. */
const versionKey = (streamId: string): string => streamId.replace(/%/g, '%25').replace(/\./g, '%2E').replace(/\$/g, '%24');

/**
 * Stores a view and applies committed events to it. The service's relay calls `apply` with every
 * round of events it publishes (the outbox entry, removed after, is the checkpoint: a restart
 * refolds nothing), and a Kafka consumer can call it the same way. An event whose stream version
 * the document already saw changes nothing, so redelivery, replays and an older event arriving
 * after a newer one are harmless. Reads are `_id` lookups: `get(id)` and `findBy(index, key)`.
 *
 * Documents are read, evolved and written back as a compare-and-set on their revision, so several
 * appliers (two instances' consumers, a rebuild's catch-up beside the relay) lose no update. A
 * rebuild writes a generation of its own beside the one served (`rebuild`) and switches every store
 * to it through `views_meta`.
 */
export class ViewStore<V, E extends DomainEvent = DomainEvent> {
  private readonly meta: Collection<ViewMarker>;
  private cacheDocuments = 0;
  private source?: ViewEventSource;
  private timing: GenerationTiming = DEFAULT_GENERATION_TIMING;
  /** the generation reads and applies go to, as last read from `views_meta` */
  private live?: Generation<V>;
  /** when `live` was last read (clock ms); 0: read it before the next use */
  private checkedAt = 0;

  constructor(
    private readonly connection: Connection,
    readonly definition: ViewDefinition<V, E>,
    /**
     * Told when `evolve` throws on an event (a bug in the view, not in the store): the event is
     * passed over so the relay keeps publishing; the view is wrong for that document until it is
     * rebuilt. Errors of the store itself propagate, so the round is retried.
     */
    private readonly onEvolveError: (error: unknown, event: EventEnvelope) => void = (error) => {
      throw error;
    },
  ) {
    this.meta = connection.collection<ViewMarker>(VIEWS_META_COLLECTION);
  }

  /** When this store looks for a switch of generation and drops a replaced one (tests shorten them). */
  switchTiming(timing: Partial<GenerationTiming>): this {
    this.timing = { ...this.timing, ...timing };
    return this;
  }

  /** The collections of generation `number`: 0 is the unsuffixed `view_<name>`, g is `view_<name>__g<g>`. */
  private generation(number: number, keeps: boolean): Generation<V> {
    const base = number === 0 ? `view_${this.definition.name}` : `view_${this.definition.name}__g${number}`;
    return {
      number,
      documents: this.connection.collection<ViewDocument<V>>(base),
      indexes: new Map(Object.keys(this.definition.indexes ?? {}).map((index) => [index, this.connection.collection<IndexDocument>(`${base}__${index}`)])),
      written: new Map(),
      keeps,
    };
  }

  /** The current generation and the definition version that built it (undefined: never built). */
  private async readMarker(): Promise<{ generation: number; version?: number }> {
    const name = this.definition.name;
    const markers = await this.meta.find({ $or: [{ _id: name }, { view: name }] }).toArray();
    let current: { generation: number; version?: number } = { generation: 0 };
    for (const marker of markers) {
      const generation = marker._id === name ? 0 : (marker.generation ?? 0);
      if (current.version === undefined || generation > current.generation) current = { generation, version: marker.version };
    }
    return current;
  }

  /**
   * The generation to read and apply to: read from `views_meta` once, then again only on the first
   * use `checkEveryMs` after the last read or after `forgetDocuments()` (a new lease term), so a
   * command or relay round costs no extra round trip. A rebuild drops the generation it replaced
   * long after every store has read the switch (`dropAfterMs` is well past `checkEveryMs`).
   */
  private async current(force = false): Promise<Generation<V>> {
    const now = Date.now();
    if (this.live && !force && this.checkedAt !== 0 && now - this.checkedAt < this.timing.checkEveryMs) return this.live;
    const { generation } = await this.readMarker();
    this.checkedAt = now;
    if (this.live?.number !== generation) this.live = this.generation(generation, true);
    return this.live;
  }

  /**
   * Keeps the last `count` documents this store wrote and applies the next events to them without
   * reading them back: one round trip less per apply. Meant for the view's usual applier (the relay
   * under its lease): a kept document another writer changed meanwhile costs a failed
   * compare-and-set and a read, never a lost update. `forgetDocuments()` drops them (the platform
   * calls it when its relay starts a new lease term).
   */
  keepWrittenDocuments(count: number): this {
    this.cacheDocuments = count;
    if (count === 0) this.live?.written.clear();
    return this;
  }

  /**
   * Where `apply` reads the events a document missed: an event whose stream version is past the
   * document's known version + 1 is applied after the stream's events in between (those this view
   * sends to the same document), read from `source`. Without a source such an event is refused
   * (`ViewGapError`): a view never passes over an event for good.
   */
  fillGapsFrom(source: ViewEventSource): this {
    this.source = source;
    return this;
  }

  /**
   * Drops the documents kept by `keepWrittenDocuments`: the next apply reads them, and reads which
   * generation is current first (another instance may have switched it).
   */
  forgetDocuments(): void {
    this.live?.written.clear();
    this.checkedAt = 0;
  }

  /** True for the events this view is built from. */
  feeds(event: EventEnvelope): boolean {
    return event.streamId.startsWith(this.definition.streamPrefix);
  }

  /** The document an event of this view goes to. */
  private documentOf(event: EventEnvelope): string {
    return this.definition.documentId?.(event) ?? event.streamId;
  }

  /**
   * Applies events in the order given (each stream's events in stream order); returns how many
   * changed a document. The view gets every event of its streams, so a document knows each stream
   * without gaps: an event past the known version + 1 is applied after the missing ones, read from
   * the event store (`fillGapsFrom`), or refused with `ViewGapError` when the view has none.
   */
  async apply(events: readonly EventEnvelope[]): Promise<number> {
    if (!events.some((event) => this.feeds(event))) return 0;
    return this.applyIn(await this.current(), events);
  }

  private async applyIn(generation: Generation<V>, events: readonly EventEnvelope[]): Promise<number> {
    const byDocument = new Map<string, EventEnvelope[]>();
    for (const event of events) {
      if (!this.feeds(event)) continue;
      const id = this.documentOf(event);
      byDocument.set(id, [...(byDocument.get(id) ?? []), event]);
    }
    let applied = 0;
    for (const [id, documentEvents] of byDocument) applied += await this.applyTo(generation, id, documentEvents, true);
    return applied;
  }

  /**
   * Applies events to the document the caller names, for views keyed by something the event alone
   * does not say (a customer found through a lookup, say). The same per-stream version guard holds;
   * `streamPrefix` is not consulted. Versions may skip here (a caller that routes a stream's events
   * to several documents, or applies only some of them, as the projections do), so no gap is looked
   * for: the caller keeps each stream in order. Returns how many changed the document.
   */
  async applyAt(documentId: string, events: readonly EventEnvelope[], options: ApplyAtOptions = {}): Promise<number> {
    return events.length === 0 ? 0 : this.applyTo(await this.current(), documentId, [...events], false, options.everyEvent === true);
  }

  /**
   * Applies one event of another service to the document its definition names (`documentId`, else
   * its stream): a read model fed by a consumer (`platform.readModel`). The per-stream version guard
   * makes a redelivery change nothing. Returns 1 when the document changed.
   */
  async applyEvent(event: EventEnvelope): Promise<number> {
    return this.applyAt(this.documentOf(event), [event]);
  }

  /**
   * True when every document these events go to has applied them (its version of each stream is at
   * least theirs): one `_id` read per document, for a caller waiting for the view to show a commit.
   */
  async shows(events: readonly EventEnvelope[]): Promise<boolean> {
    const wanted = new Map<string, Map<string, number>>();
    for (const event of events) {
      if (!this.feeds(event)) continue;
      const id = this.documentOf(event);
      const streams = wanted.get(id) ?? new Map<string, number>();
      const key = versionKey(event.streamId);
      streams.set(key, Math.max(streams.get(key) ?? 0, event.streamVersion));
      wanted.set(id, streams);
    }
    if (wanted.size === 0) return true;
    const generation = await this.current();
    for (const [id, streams] of wanted) {
      const stored = await generation.documents.findOne({ _id: id }, { projection: { versions: 1 } });
      for (const [key, version] of streams) if ((stored?.versions?.[key] ?? 0) < version) return false;
    }
    return true;
  }

  /** Removes a document and takes it off every index (e.g. once its content moved to another document). */
  async remove(id: string): Promise<void>;
  /**
   * Removes the document only if its revision is still `rev` (as `getWithRevision` read it): false,
   * and nothing removed, when another writer changed it since. The document goes first, then its
   * index entries (an entry of a missing document is dropped by readers).
   */
  async remove(id: string, rev: number): Promise<boolean>;
  async remove(id: string, rev?: number): Promise<void | boolean> {
    if (rev !== undefined) return this.removeAt(id, rev);
    const generation = await this.current();
    generation.written.delete(id);
    const stored = await generation.documents.findOne({ _id: id });
    if (!stored) return;
    for (const [index, keysOf] of Object.entries(this.definition.indexes ?? {})) {
      for (const key of keysOf(stored.view)) await this.unlistFrom(this.index(generation, index), key, id);
    }
    await generation.documents.deleteOne({ _id: id });
  }

  /** Drops the view's current collections (documents and indexes): for a view replaced by a rebuilt copy. */
  async drop(): Promise<void> {
    await this.dropGeneration(await this.current());
  }

  private async dropGeneration(generation: Generation<V>): Promise<void> {
    generation.written.clear();
    for (const collection of [generation.documents, ...generation.indexes.values()]) {
      await collection.drop().catch((error: { codeName?: string }) => {
        if (error.codeName !== 'NamespaceNotFound') throw error;
      });
    }
  }

  private async removeAt(id: string, rev: number): Promise<boolean> {
    const generation = await this.current();
    generation.written.delete(id);
    const stored = await generation.documents.findOne({ _id: id });
    if (!stored) return true;
    if ((stored.rev ?? 0) !== rev) return false;
    const filter = stored.rev === undefined ? { _id: id, rev: { $exists: false } } : { _id: id, rev };
    const { deletedCount } = await generation.documents.deleteOne(filter as never);
    if (deletedCount === 0) return false;
    for (const [index, keysOf] of Object.entries(this.definition.indexes ?? {})) {
      for (const key of keysOf(stored.view)) await this.unlistFrom(this.index(generation, index), key, id);
    }
    return true;
  }

  /** The view document with this id and its revision (0 for one written before revisions), for `remove(id, rev)`. */
  async getWithRevision(id: string): Promise<{ view: V; rev: number } | undefined> {
    const stored = await (await this.current()).documents.findOne({ _id: id });
    return stored ? { view: stored.view, rev: stored.rev ?? 0 } : undefined;
  }

  /** The view document with this id, or undefined. */
  async get(id: string): Promise<V | undefined> {
    return (await (await this.current()).documents.findOne({ _id: id }))?.view;
  }

  /** The ids of the documents listed under `key` in `index`, as the index says (one read per chunk). */
  async idsBy(index: string, key: string): Promise<string[]> {
    const entries = this.index(await this.current(), index);
    const head = await entries.findOne({ _id: key });
    // (a key stored before chunks existed is a head without `kind`: its ids inline)
    if (!head || (head.kind !== undefined && head.kind !== 'head')) return [];
    const ids = new Set<string>();
    for (const chunkId of head.chunks ?? []) {
      const chunk = await entries.findOne({ _id: chunkId });
      if (chunk?.kind === 'chunk') for (const id of chunk.ids) ids.add(id);
    }
    for (const id of head.ids ?? []) ids.add(id);
    return [...ids];
  }

  /**
   * One page of the ids listed under `key`, in the order they were listed (sealed chunks first, then
   * the head): at most `limit` ids after `after`. Reads the head, the membership of `after` (which
   * chunk it is in) and only the chunks from there on, so a page costs the same however long the
   * list. An `after` no longer listed under the key starts from the first id.
   */
  async idsPage(index: string, key: string, page: { after?: string; limit: number }): Promise<string[]> {
    const entries = this.index(await this.current(), index);
    const head = await entries.findOne({ _id: key });
    if (!head || (head.kind !== undefined && head.kind !== 'head')) return [];
    const chunks = head.chunks ?? [];
    let from = 0;
    let skipUntil: string | undefined;
    if (page.after !== undefined) {
      const member = await entries.findOne({ _id: `${key}|${page.after}` });
      const at = member?.kind === 'member' ? chunks.indexOf(member.chunk) : -1;
      if (at >= 0) [from, skipUntil] = [at, page.after];
      else if ((head.ids ?? []).includes(page.after)) [from, skipUntil] = [chunks.length, page.after];
    }
    const ids: string[] = [];
    // `after` is looked for in the first chunk (or head) read only: what follows it there, then everything after
    const take = (listed: readonly string[]) => {
      const start = skipUntil === undefined ? 0 : listed.indexOf(skipUntil) + 1;
      skipUntil = undefined;
      for (const id of listed.slice(start)) {
        if (ids.length >= page.limit) return;
        if (!ids.includes(id)) ids.push(id);
      }
    };
    for (let n = from; n < chunks.length && ids.length < page.limit; n += 1) {
      const chunk = await entries.findOne({ _id: chunks[n]! });
      if (chunk?.kind === 'chunk') take(chunk.ids);
    }
    if (ids.length < page.limit) take(head.ids ?? []);
    return ids;
  }

  /**
   * The ids listed last under `key` in `index`, newest first: at most `limit`. Reads the head (the
   * ids listed since the last sealed chunk) and, while that is not enough, the sealed chunks from the
   * newest back, so the cost is the same however long the list.
   */
  async latestIds(index: string, key: string, limit: number): Promise<string[]> {
    const entries = this.index(await this.current(), index);
    const head = await entries.findOne({ _id: key });
    if (!head || (head.kind !== undefined && head.kind !== 'head')) return [];
    const ids: string[] = [];
    const take = (listed: readonly string[]) => {
      for (let at = listed.length - 1; at >= 0 && ids.length < limit; at--) if (!ids.includes(listed[at]!)) ids.push(listed[at]!);
    };
    take(head.ids ?? []);
    const chunks = head.chunks ?? [];
    for (let n = chunks.length - 1; n >= 0 && ids.length < limit; n--) {
      const chunk = await entries.findOne({ _id: chunks[n]! });
      if (chunk?.kind === 'chunk') take(chunk.ids);
    }
    return ids;
  }

  /** The documents listed under `key` in `index` (each checked against the index, so a stale entry is dropped). */
  async findBy(index: string, key: string): Promise<Array<{ id: string; view: V }>> {
    const keysOf = this.definition.indexes![index]!;
    const found: Array<{ id: string; view: V }> = [];
    for (const id of await this.idsBy(index, key)) {
      const view = await this.get(id);
      if (view !== undefined && keysOf(view).includes(key)) found.push({ id, view });
    }
    return found;
  }

  /**
   * Builds the view when its definition version is newer than the one the current generation was
   * built by (a new view, a new version, a fresh database); otherwise does nothing, so a second
   * instance starting never touches what the first serves, and an instance of an older version
   * leaves a newer generation alone. Called at start before the relay runs. A view never built is
   * built in place (generation 0, nothing to empty: applying is idempotent); a built one is rebuilt
   * into the next generation (`rebuild`). Returns the number of streams folded (0 when current).
   */
  async ensureBuilt(eventStore: EventStore, onProgress?: (done: number, of: number) => void): Promise<number> {
    const marker = await this.readMarker();
    const version = this.definition.version ?? 1;
    if (marker.version !== undefined && marker.version >= version) return 0;
    if (marker.version !== undefined) return this.rebuild(eventStore, onProgress);
    const built = this.generation(0, false);
    const streams = await this.foldHistory(built, eventStore, onProgress);
    await this.meta.replaceOne({ _id: this.definition.name }, { version, builtAt: new Date(), streams: streams.size }, { upsert: true });
    this.checkedAt = 0;
    return streams.size;
  }

  /**
   * Rebuilds the view without emptying what is served: folds every stream it is built from into the
   * next generation while the current one keeps answering (and the relay keeps applying to it), then
   * applies what was committed meanwhile, switches by inserting the generation's marker, applies
   * once more what an instance that had not yet seen the switch wrote to the old generation, and
   * drops the old generation `dropAfterMs` later. Scans the commit history: an admin operation,
   * never a hot path. Returns the number of streams folded.
   */
  async rebuild(eventStore: EventStore, onProgress?: (done: number, of: number) => void): Promise<number> {
    const name = this.definition.name;
    const version = this.definition.version ?? 1;
    const replaced = (await this.current(true)).number;
    const target = await this.claimGeneration(replaced + 1, version);
    const building = this.generation(target, false);
    // a claimed generation is this rebuild's alone; anything there is from a build that died
    await this.dropGeneration(building);
    const folded = await this.foldHistory(building, eventStore, onProgress);
    await this.catchUp(building, eventStore, folded);
    await this.meta.insertOne({ _id: `${name}@g${target}`, view: name, generation: target, version, builtAt: new Date(), streams: folded.size });
    // the highest generation switched to is current: a rebuild that claimed a later one may have switched first
    const current = (await this.current(true)).number;
    // every store checks within checkEveryMs; what one applied to the old generation until then is applied here
    await new Promise((resolve) => setTimeout(resolve, this.timing.checkEveryMs + 250));
    await this.catchUp(building, eventStore, folded);
    // after the grace period: the generation replaced, any a rebuild claimed in between (built by one
    // that died, or switched to and replaced already), and this one if a later one is current
    const dropped = Array.from({ length: target - replaced }, (_, index) => replaced + index);
    if (current !== target) dropped.push(target);
    const timer = setTimeout(() => {
      void (async () => {
        for (const generation of dropped) await this.dropGeneration(this.generation(generation, false));
      })().catch(() => undefined);
    }, this.timing.dropAfterMs);
    timer.unref?.();
    return folded.size;
  }

  /** Inserts the claim of the first free generation from `from` on (the insert is the lock). */
  private async claimGeneration(from: number, version: number): Promise<number> {
    const name = this.definition.name;
    for (let generation = from; ; generation++) {
      try {
        await this.meta.insertOne({ _id: `${name}@g${generation}#claim`, claim: name, generation, version, builtAt: new Date() });
        return generation;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
  }

  /** Folds every stream the view is built from into `generation`; returns each stream's last version folded. */
  private async foldHistory(generation: Generation<V>, eventStore: EventStore, onProgress?: (done: number, of: number) => void): Promise<Map<string, number>> {
    const folded = new Map<string, number>();
    const streamIds = await eventStore.scanStreamIds(this.definition.streamPrefix);
    for (const [done, streamId] of streamIds.entries()) {
      const { events } = await eventStore.readStream(streamId);
      await this.applyIn(generation, events);
      folded.set(streamId, events.at(-1)?.streamVersion ?? 0);
      if ((done + 1) % 1000 === 0) onProgress?.(done + 1, streamIds.length);
    }
    return folded;
  }

  /** Applies to `generation` what streams committed past the versions `folded` records (and new streams). */
  private async catchUp(generation: Generation<V>, eventStore: EventStore, folded: Map<string, number>): Promise<void> {
    for (const streamId of await eventStore.scanStreamIds(this.definition.streamPrefix)) {
      const { events } = await eventStore.readStream(streamId);
      const known = folded.get(streamId) ?? 0;
      const moved = events.filter((event) => event.streamVersion > known);
      if (moved.length === 0) continue;
      await this.applyIn(generation, events);
      folded.set(streamId, events.at(-1)!.streamVersion);
    }
  }

  /**
   * Applies `given` to document `id` as a compare-and-set: the write names the revision it read
   * (`rev`), so when another writer (another instance's consumer, a rebuild's catch-up, a relay
   * that has not seen a new lease term yet) changed the document in between, nothing is written and
   * the document is read and applied to again. No applier loses another's update, however many
   * there are; the per-stream versions make the second try skip what the other writer applied.
   */
  private async applyTo(generation: Generation<V>, id: string, given: EventEnvelope[], contiguous: boolean, everyEvent = false): Promise<number> {
    for (let attempt = 0; attempt < MAX_WRITE_CONFLICTS; attempt++) {
      const applied = await this.tryApply(generation, id, given, contiguous, attempt > 0, everyEvent);
      if (applied !== 'conflict') return applied;
      // two writers of one document: let the other finish before reading again
      await new Promise((resolve) => setTimeout(resolve, Math.min(50, 2 ** attempt) * (0.5 + Math.random())));
    }
    throw new ViewWriteConflictError(this.definition.name, id);
  }

  private async tryApply(generation: Generation<V>, id: string, given: EventEnvelope[], contiguous: boolean, reread: boolean, everyEvent = false): Promise<number | 'conflict'> {
    const written = generation.written;
    if (reread) written.delete(id);
    // A document that starts with the first event of its own stream is new, unless an earlier try
    // stored it (a redelivery): insert it without looking, and look only when the insert collides.
    if (!reread && !written.has(id) && given.every((event, index) => event.streamId === id && event.streamVersion === index + 1)) {
      const created = await this.create(generation, id, given);
      if (created !== undefined) return created;
    }
    const stored = written.get(id) ?? (await generation.documents.findOne({ _id: id }));
    const versions = { ...(stored?.versions ?? {}) };
    const events = contiguous ? await this.withoutGaps(id, given, versions) : given;
    let view = stored ? stored.view : this.definition.initial();
    let applied = 0;
    for (const event of events) {
      const key = versionKey(event.streamId);
      if (!everyEvent && (versions[key] ?? 0) >= event.streamVersion) continue;
      versions[key] = Math.max(versions[key] ?? 0, event.streamVersion);
      const before = view;
      try {
        // the stream prefix says which events these are; the store validated them against their schemas
        view = this.definition.evolve(view, event as EnvelopeOf<E>);
      } catch (error) {
        this.onEvolveError(error, event);
      }
      // everyEvent: the view itself knows what it holds; the same view back means nothing changed
      if (everyEvent && view === before) continue;
      applied++;
    }
    if (applied === 0) return 0;
    // New index entries before the document: if the process dies before the write (or the write
    // loses to another writer), the entries are extra, and readers drop entries the document does
    // not confirm. Entries the document no longer has go after the write that took them away.
    const indexes = Object.entries(this.definition.indexes ?? {}).map(([index, keysOf]) => ({ index, before: stored ? keysOf(stored.view) : [], after: keysOf(view) }));
    for (const { index, before, after } of indexes) {
      for (const key of after.filter((k) => !before.includes(k))) await this.listUnder(this.index(generation, index), key, id);
    }
    written.delete(id);
    const rev = (stored?.rev ?? 0) + 1;
    if (stored) {
      // a document written before revisions were kept has none: the first write with one claims it
      const filter = stored.rev === undefined ? { _id: id, rev: { $exists: false } } : { _id: id, rev: stored.rev };
      const { matchedCount } = await generation.documents.replaceOne(filter as never, { view, versions, rev }, { ignoreUndefined: true });
      if (matchedCount === 0) return 'conflict';
    } else if ((await insertOnce(generation.documents, { _id: id, view, versions, rev } as never, { ignoreUndefined: true })) === 'exists') {
      return 'conflict';
    }
    this.keep(generation, id, view, versions, rev);
    for (const { index, before, after } of indexes) {
      for (const key of before.filter((k) => !after.includes(k))) await this.unlistFrom(this.index(generation, index), key, id);
    }
    return applied;
  }

  /**
   * `events` with, before any event past its stream's known version + 1, the stream's events in
   * between that go to this document, read from the source; `ViewGapError` without a source.
   */
  private async withoutGaps(id: string, events: EventEnvelope[], versions: Record<string, number>): Promise<EventEnvelope[]> {
    const known = new Map<string, number>();
    const complete: EventEnvelope[] = [];
    for (const event of events) {
      const at = known.get(event.streamId) ?? versions[versionKey(event.streamId)] ?? 0;
      if (event.streamVersion > at + 1) {
        if (!this.source) throw new ViewGapError(this.definition.name, id, event.streamId, at, event.streamVersion);
        const { events: stream } = await this.source.readStream(event.streamId);
        const missing = stream.filter((e) => e.streamVersion > at && e.streamVersion < event.streamVersion && this.feeds(e) && this.documentOf(e) === id);
        const read = stream.some((e) => e.streamVersion === event.streamVersion - 1);
        // the store has every commit before a stored one: a read that ends short is no answer
        if (!read) throw new ViewGapError(this.definition.name, id, event.streamId, at, event.streamVersion);
        complete.push(...missing);
      }
      complete.push(event);
      known.set(event.streamId, Math.max(at, event.streamVersion));
    }
    return complete;
  }

  /**
   * Folds `events` into a new document and inserts it (index entries first, as in applyTo); undefined
   * when a document with this id exists already, which applyTo then reads and applies to.
   */
  private async create(generation: Generation<V>, id: string, events: EventEnvelope[]): Promise<number | undefined> {
    let view = this.definition.initial();
    const versions: Record<string, number> = {};
    for (const event of events) {
      versions[versionKey(event.streamId)] = event.streamVersion;
      try {
        view = this.definition.evolve(view, event as EnvelopeOf<E>);
      } catch (error) {
        this.onEvolveError(error, event);
      }
    }
    const indexes = Object.entries(this.definition.indexes ?? {});
    for (const [index, keysOf] of indexes) {
      for (const key of keysOf(view)) await this.listUnder(this.index(generation, index), key, id);
    }
    try {
      await generation.documents.insertOne({ _id: id, view, versions, rev: 1 } as never, { ignoreUndefined: true });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      // stored before: take back the entries the stored document does not have, then apply to it
      const stored = await generation.documents.findOne({ _id: id });
      for (const [index, keysOf] of indexes) {
        const kept = stored ? keysOf(stored.view) : [];
        for (const key of keysOf(view).filter((k) => !kept.includes(k))) await this.unlistFrom(this.index(generation, index), key, id);
      }
      return undefined;
    }
    this.keep(generation, id, view, versions, 1);
    return events.length;
  }

  private keep(generation: Generation<V>, id: string, view: V, versions: Record<string, number>, rev: number): void {
    if (this.cacheDocuments === 0 || !generation.keeps) return;
    const written = generation.written;
    // a copy: the next evolve gets a view nothing else holds on to
    written.set(id, { _id: id, view: structuredClone(view), versions, rev });
    if (written.size > this.cacheDocuments) written.delete(written.keys().next().value!);
  }

  /** Adds `id` under `key`: to the key's head, sealing the head's ids into a chunk when they run over. */
  private async listUnder(entries: Collection<IndexDocument>, key: string, id: string): Promise<void> {
    const head = await entries.findOneAndUpdate(
      { _id: key },
      { $setOnInsert: { kind: 'head', chunks: [] }, $addToSet: { ids: id } } as never,
      { upsert: true, returnDocument: 'after' },
    );
    // a head without `kind` is a key stored before chunks existed: its first seal moves its ids over
    if (head && (head.kind === 'head' || head.kind === undefined) && (head.ids?.length ?? 0) >= INDEX_CHUNK) await this.seal(entries, head);
  }

  /**
   * Moves the head's ids into a new sealed chunk and writes their memberships. Each step can be
   * repeated: a crash before the head is updated seals the same chunk again (its name comes from the
   * head's count of sealed chunks, which only that last update moves on).
   */
  private async seal(entries: Collection<IndexDocument>, head: Omit<Extract<IndexDocument, { kind: 'head' }>, 'kind'>): Promise<void> {
    const ids = head.ids ?? [];
    const chunk = `${head._id}#s${head.sealed ?? 0}`;
    await entries.replaceOne({ _id: chunk }, { kind: 'chunk', ids } as never, { upsert: true });
    await entries.insertMany(ids.map((id) => ({ _id: `${head._id}|${id}`, kind: 'member' as const, chunk })), { ordered: false }).catch((error: { code?: number; writeErrors?: Array<{ code?: number }> }) => {
      // memberships a repeated seal already wrote name the same chunk
      const codes = error.writeErrors?.map((e) => e.code) ?? [error.code];
      if (codes.some((code) => !isDuplicateKey({ code }))) throw error;
    });
    await entries.updateOne({ _id: head._id }, { $set: { kind: 'head' }, $pullAll: { ids }, $push: { chunks: chunk }, $inc: { sealed: 1 } } as never);
  }

  /** Takes `id` off `key`: off the head's ids, and out of the sealed chunk its membership names. */
  private async unlistFrom(entries: Collection<IndexDocument>, key: string, id: string): Promise<void> {
    await entries.updateOne({ _id: key }, { $pull: { ids: id } } as never);
    const memberId = `${key}|${id}`;
    const member = await entries.findOne({ _id: memberId });
    if (member?.kind !== 'member') return;
    const chunk = await entries.findOneAndUpdate({ _id: member.chunk }, { $pull: { ids: id } } as never, { returnDocument: 'after' });
    await entries.deleteOne({ _id: memberId });
    // an emptied chunk leaves the key (no chunk takes new ids once sealed), so a list that keeps
    // turning over (unsettled charges, queued refunds) is read in as many chunks as it holds ids
    if (chunk?.kind === 'chunk' && chunk.ids.length === 0) {
      await entries.updateOne({ _id: key }, { $pull: { chunks: member.chunk } } as never);
      await entries.deleteOne({ _id: member.chunk });
    }
  }

  private index(generation: Generation<V>, name: string): Collection<IndexDocument> {
    const collection = generation.indexes.get(name);
    if (!collection) throw new Error(`view ${this.definition.name} has no index ${name}`);
    return collection;
  }
}
