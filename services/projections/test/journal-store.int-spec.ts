// The paged journal against the real store (FerretDB), without Kafka: two JournalStore objects on one
// collection stand for two projections instances (each keeps its own heads in its process).
import mongoose from 'mongoose';
import { testRun } from '@continuum/testing';
import { JournalEntry } from '../src/domain';
import { approved, completed, event, placed, registered } from '../src/domain/history.fixtures';
import { CustomerProjection } from '../src/views/customer-projection';
import { JournalStore } from '../src/views/journal-store';

const run = testRun('journal-store');
const PAGE = 3;
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const note = (customerId: string, index: number) =>
  event('CustomerNoteAdded', `customer-${customerId}`, { customerId, noteId: `note-${index}`, message: `note ${index}`, author: { kind: 'agent', id: 'alice' }, at: minutesAgo(100 - index) }, minutesAgo(100 - index));
const positions = (entries: readonly JournalEntry[]) => entries.map((entry) => `${entry.streamId}@${entry.streamVersion}`);

describe('journal in pages (FerretDB)', () => {
  let connection: mongoose.Connection;
  let one: JournalStore;
  let two: JournalStore;

  beforeAll(async () => {
    connection = await mongoose.createConnection(process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017', { dbName: run.database }).asPromise();
    one = new JournalStore(connection, 'view_customer_journal_g1', PAGE);
    two = new JournalStore(connection, 'view_customer_journal_g1', PAGE);
  });

  afterAll(async () => {
    await connection?.dropDatabase().catch(() => undefined);
    await connection?.close();
  });

  it('appends an event as one write to the last page, starts a page every PAGE entries, and reads each stream position once in journal order', async () => {
    const customerId = `cus-${run.id}-pages`;
    const entries = [registered(customerId, minutesAgo(200)), ...Array.from({ length: 6 }, (_, index) => note(customerId, index))];
    // delivered newest first, one of them twice (a redelivery)
    for (const entry of [...entries].reverse()) await one.append(customerId, [entry]);
    await two.append(customerId, [{ ...entries[3]!, eventId: 'republished' }]);
    const pages = await connection.collection('view_customer_journal_g1').find({ _id: { $regex: `^page:${customerId}:` } } as never).toArray();
    expect(pages.map((page) => page['count'])).toEqual([3, 3, 2]);
    expect(await connection.collection('view_customer_journal_g1').findOne({ _id: `head:${customerId}` } as never)).toMatchObject({ pages: 3 });
    const read = await two.read(customerId);
    expect(read?.holder).toBe(customerId);
    expect(positions(read!.journal.entries)).toEqual(positions(entries));
    expect(read!.journal.entries.map((entry) => entry.eventId)).not.toContain('republished');
    expect(await one.read(`cus-${run.id}-nobody`)).toBeUndefined();
    // instance two keeps the full pages it read; what instance one appends to the page still filling shows
    const later = note(customerId, 6);
    await one.append(customerId, [later]);
    expect(positions((await two.read(customerId))!.journal.entries)).toEqual(positions([...entries, later]));
  });

  it('a merge made by the other instance is honoured: an appender whose cached page was sealed follows it to the survivor, and nothing is lost while the journal moves', async () => {
    const [survivor, merged] = [`cus-${run.id}-survivor`, `cus-${run.id}-merged`];
    const first = [registered(survivor, minutesAgo(300)), registered(merged, minutesAgo(290))];
    await one.append(survivor, [first[0]!]);
    await one.append(merged, [first[1]!]);
    // instance one has the merged customer's head in its process; instance two merges, while one keeps appending
    const notes = Array.from({ length: 12 }, (_, index) => note(merged, index));
    const [holders] = await Promise.all([Promise.all(notes.map((entry) => one.append(merged, [entry]))), two.merge(merged, survivor)]);
    expect(holders.every((holder) => holder === merged || holder === survivor)).toBe(true);
    // after the merge, instance one's appends land on the survivor without any look-up of its own
    const late = placed(`ord-${run.id}-late`, merged, minutesAgo(1));
    expect(await one.append(merged, [late])).toBe(survivor);

    const read = await one.read(merged);
    expect(read?.holder).toBe(survivor);
    // every event once, the same on both instances
    const expected = [...first, ...notes, late];
    expect(read!.journal.entries.map((entry) => entry.eventId).sort()).toEqual(expected.map((entry) => entry.eventId).sort());
    expect((await two.read(survivor))!.journal).toEqual(read!.journal);
    // the merged customer's pages are gone; its head says where its records went
    expect(await connection.collection('view_customer_journal_g1').countDocuments({ _id: { $regex: `^page:${merged}:` } } as never)).toBe(0);
    expect(await connection.collection('view_customer_journal_g1').findOne({ _id: `head:${merged}` } as never)).toMatchObject({ mergedInto: survivor });
    // merging again (the other side's merge event, a redelivery) changes nothing
    await one.merge(merged, survivor);
    expect(positions((await two.read(survivor))!.journal.entries)).toEqual(positions(read!.journal.entries));
  });

  it('a batch applied at once leaves what applying its events one at a time leaves (waiting events, a merge, a redelivery)', async () => {
    const options = { refundRetryDelayMs: 86_400_000 };
    const failed = (error: unknown) => {
      throw error;
    };
    const [single, batched] = [new CustomerProjection(connection, 71, options, failed), new CustomerProjection(connection, 72, options, failed)];
    const [ann, bob, cat] = [`cus-${run.id}-ann`, `cus-${run.id}-bob`, `cus-${run.id}-cat`];
    const [order1, order2, order3] = [`ord-${run.id}-1`, `ord-${run.id}-2`, `ord-${run.id}-3`];
    const fulfillment = `ful-${run.id}`;
    const story: JournalEntry[] = [
      registered(ann, minutesAgo(300)),
      // shipped before its order is known: it waits for the order's customer
      event('FulfillmentShipped', `fulfillment-${fulfillment}`, { fulfillmentId: fulfillment, orderId: order1, trackingNumber: '1Z999', carrier: 'UPS', shippedAt: minutesAgo(50) }, minutesAgo(50)),
      placed(order1, ann, minutesAgo(200)),
      approved(`txn-${run.id}-1`, order1, ann, minutesAgo(199)),
      registered(bob, minutesAgo(180)),
      placed(order2, bob, minutesAgo(170)),
      note(ann, 1),
      // names no customer, no order, and its stream has no owner: in no history
      event('BlacklistEntryRemoved', `blacklist-${run.id}`, { entryId: `bl-${run.id}`, type: 'EMAIL', value: 'fraud@example.com', removedBy: { kind: 'admin', id: 'root' } }, minutesAgo(40)),
      completed(order1, ann, minutesAgo(160), `txn-${run.id}-1`),
      event('CustomersMerged', `customer-${ann}`, { customerId: ann, fromCustomerId: bob }, minutesAgo(30)),
      // after the merge: the merged customer's events land on the survivor
      placed(order3, bob, minutesAgo(20)),
      note(bob, 2),
      registered(cat, minutesAgo(10)),
      note(cat, 3),
    ];
    const delivered = story.map(({ topic, origin: _origin, ...envelope }) => ({ event: envelope, topic }));
    const outcomes = [];
    for (const { event: each, topic } of delivered) outcomes.push(await single.apply(each, topic));
    expect(await batched.applyBatch(delivered)).toEqual(outcomes);
    expect(outcomes.filter((outcome) => outcome !== 'applied')).toEqual(['parked', 'unrouted']);

    // search entries and order rows say how many journal entries they were folded from (`entries`,
    // `seen`: the guard between two writers), which depends on when they were folded: a batch folds
    // once after several events
    const folded = <T>(document: T | null | undefined) => (document ? { ...document, entries: 'any', seen: 'any' } : document);
    const sameAnswers = async () => {
      for (const customerId of [ann, bob, cat]) {
        expect(await batched.history(customerId)).toEqual(await single.history(customerId));
        expect(folded(await batched.searchEntries.get(customerId))).toEqual(folded(await single.searchEntries.get(customerId)));
      }
      for (const orderId of [order1, order2, order3]) expect(folded(await batched.orders.get(orderId))).toEqual(folded(await single.orders.get(orderId)));
      const hours = (generation: number) => connection.collection(`order_search_hours_g${generation}`).findOne({ _id: 'placed' } as never);
      expect(await hours(72)).toEqual(await hours(71));
    };
    await sameAnswers();
    // the waiting shipment is in the survivor's history, the merged customer's order too
    const history = await batched.history(bob);
    expect(history?.mergedInto).toBe(ann);
    expect(JSON.stringify(history)).toContain('1Z999');
    expect(JSON.stringify(history)).toContain(order3);

    // the whole batch delivered again (a crash before the commit), then a part of it: nothing changes
    await batched.applyBatch(delivered);
    await batched.applyBatch(delivered.slice(5, 11));
    await sameAnswers();
  });
});
