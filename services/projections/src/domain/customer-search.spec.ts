import { foldHistory, HistoryOptions } from './customer-history';
import { matchesEntry, newerSearchEntry, SearchEntry, searchEntryOf, searchKeys } from './customer-search';
import { approved, event, journalOf, placed, registered } from './history.fixtures';

const options: HistoryOptions = { refundRetryDelayMs: 86_400_000 };

/** Sam Doe (an order, paid by card) and Samuel Rivera-Long (an order) merged into Sam. */
function mergedStory() {
  const survivor = [
    registered('cus-s', '2026-10-01T00:00:00.000Z', { firstName: 'Sam', email: 'Sam@Example.com', phone: '+1 512 555 0100' }),
    placed('ord-s', 'cus-s', '2026-10-02T00:00:00.000Z'),
    approved('txn-s', 'ord-s', 'cus-s', '2026-10-02T00:00:01.000Z'),
  ];
  const merged = [
    registered('cus-m', '2026-10-03T00:00:00.000Z', { firstName: 'Samuel', lastName: 'Rivera-Longfellowson', email: 'samuel@example.org', phone: '555 0199 777' }),
    placed('ord-m', 'cus-m', '2026-10-04T00:00:00.000Z', 'COD'),
  ].map((entry) => ({ ...entry, origin: 'cus-m' }));
  const merge = event('CustomersMerged', 'customer-cus-s', { customerId: 'cus-s', fromCustomerId: 'cus-m' }, '2026-10-05T00:00:00.000Z');
  return [...survivor, ...merged, merge];
}

const entryOf = (entries: ReturnType<typeof mergedStory>) => searchEntryOf(foldHistory(journalOf('cus-s', entries), options), entries.length);

describe('customer search entry', () => {
  const story = mergedStory();
  const entry = entryOf(story)!;

  it('carries the answer, the keys and the names of the customer and of the customer merged into it', () => {
    expect(entry.entries).toBe(story.length);
    expect(entry.result).toEqual({ customerId: 'cus-s', name: 'Sam Doe', email: 'Sam@Example.com', phone: '+1 512 555 0100', lastOrderAt: '2026-10-04T00:00:00.000Z' });
    expect(entry.keys).toEqual(searchKeys(foldHistory(journalOf('cus-s', story), options)));
    expect([...entry.names].sort()).toEqual(['doe', 'rivera-longfellowson', 'sam', 'sam doe', 'samuel', 'samuel rivera-longfellowson'].sort());
  });

  it('has none before the profile is folded', () => {
    expect(searchEntryOf(foldHistory(journalOf('cus-x', [placed('ord-x', 'cus-x', '2026-10-02T00:00:00.000Z')]), options), 1)).toBeUndefined();
  });

  it('matches an email, phone, order id or card last four it lists, and a name by prefix past the indexed length', () => {
    expect(matchesEntry(entry, ' SAMUEL@example.org ')).toBe(true); // the merged customer's email
    expect(matchesEntry(entry, '+1 (512) 555-0100')).toBe(true);
    expect(matchesEntry(entry, 'ord-m')).toBe(true);
    expect(matchesEntry(entry, '1111')).toBe(true);
    expect(matchesEntry(entry, 'samuel  rivera-longfellows')).toBe(true); // longer than 12 characters
    expect(matchesEntry(entry, 'Sam D')).toBe(true);
    expect(matchesEntry(entry, 'samuel rivera-longfellowsox')).toBe(false);
    expect(matchesEntry(entry, 'other@example.com')).toBe(false);
    expect(matchesEntry(entry, 'ord-z')).toBe(false);
    expect(matchesEntry(entry, '2222')).toBe(false);
    expect(matchesEntry(entry, 's')).toBe(false); // shorter than a name prefix
  });

  it('a name key alone never matches: the name itself must start with the query', () => {
    const tricky: SearchEntry = { ...entry, keys: [...entry.keys, 'name:zed'], names: ['sam'] };
    expect(matchesEntry(tricky, 'zed')).toBe(false);
  });

  it('is replaced only by an entry folded from more journal entries that changes something a search reads', () => {
    const before = entryOf(story.slice(0, 3))!;
    expect(newerSearchEntry(null, before)).toBe(before);
    expect(newerSearchEntry(null, undefined)).toBeNull();
    expect(newerSearchEntry(entry, undefined)).toBe(entry);
    expect(newerSearchEntry(before, entry)).toBe(entry);
    expect(newerSearchEntry(entry, before)).toBe(entry); // folded from fewer entries
    expect(newerSearchEntry(entry, { ...entry })).toBe(entry); // as many entries
    // a later event that changes nothing the search reads writes nothing
    expect(newerSearchEntry(entry, { ...entry, entries: entry.entries + 1, keys: [...entry.keys].reverse() })).toBe(entry);
    // the answer changing alone (a later order) is written though the keys stay
    const later = { ...entry, entries: entry.entries + 1, result: { ...entry.result, lastOrderAt: '2026-10-09T00:00:00.000Z' } };
    expect(newerSearchEntry(entry, later)).toBe(later);
    const renamed = { ...entry, entries: entry.entries + 1, names: [...entry.names, 'samantha'] };
    expect(newerSearchEntry(entry, renamed)).toBe(renamed);
  });

  it('an entry stored before entries carried the answer is replaced by the next one folded', () => {
    const legacy = { entries: 9, keys: entry.keys } as unknown as SearchEntry;
    const next = { ...entry, entries: 10 };
    expect(newerSearchEntry(legacy, next)).toBe(next);
  });
});
