import { EventEnvelope } from '@continuum/contracts';

/**
 * One event in a customer's journal: the envelope as it was published (data upcast to the current
 * version), the topic it came from and `origin`, the customer its stream belonged to before any
 * merge (so an as-of read before a merge leaves the merged customer's records out).
 */
export type JournalEntry = EventEnvelope & { readonly topic: string; readonly origin: string };

/**
 * Every event that concerns one customer, in the order they happened. The history, order summaries
 * and search entries are folds of it, so the view is the same whatever order Kafka delivered the
 * events in, and `asOf` is the same fold over a prefix.
 */
export interface CustomerJournal {
  /** the customer the journal belongs to (null before its first event) */
  readonly customerId: string | null;
  readonly entries: readonly JournalEntry[];
}

/** Journal order: when it happened, then stream and position (a stable order for equal times). */
export function compareEntries(a: EventEnvelope, b: EventEnvelope): number {
  if (a.streamId === b.streamId) return a.streamVersion - b.streamVersion;
  return a.occurredAt.localeCompare(b.occurredAt) || a.streamId.localeCompare(b.streamId) || a.streamVersion - b.streamVersion;
}

/**
 * The entries as they stood at `asOf`: those that happened by then, without the records of
 * customers merged into this one after it.
 */
export function entriesAsOf(journal: CustomerJournal, asOf: string | undefined): readonly JournalEntry[] {
  if (asOf === undefined) return journal.entries;
  const until = new Date(asOf).getTime();
  const happened = journal.entries.filter((entry) => new Date(entry.occurredAt).getTime() <= until);
  const mergedLater = new Set(
    journal.entries
      .filter((entry) => entry.type === 'CustomersMerged' && new Date(entry.occurredAt).getTime() > until)
      .map((entry) => (entry.data as { fromCustomerId: string }).fromCustomerId),
  );
  return mergedLater.size === 0 ? happened : happened.filter((entry) => !mergedLater.has(entry.origin));
}

/**
 * The journal of `customerId` from its stored entries, in any order and possibly with repeats (a
 * redelivered event appended again, entries a merge moved twice): each stream position once (the
 * first stored), in journal order. The same entries give the same journal whatever order they came in.
 */
export function journalOf(customerId: string, stored: readonly JournalEntry[]): CustomerJournal {
  const seen = new Set<string>();
  const entries: JournalEntry[] = [];
  for (const entry of stored) {
    const position = `${entry.streamId}\u0000${entry.streamVersion}`;
    if (seen.has(position)) continue;
    seen.add(position);
    entries.push(entry);
  }
  return { customerId, entries: entries.sort(compareEntries) };
}
