/**
 * Customer search as customers grow: prints p50/p99 of `GET /customers/search?q=` per kind of query,
 * never asserts.
 *
 * Starts the projections service as a process, publishes one customer (registered, a card order
 * placed and paid) on the event topics and waits until the search finds it; then copies the
 * customer's search entry (the search view's document: keys, answer, names) with fresh ids and
 * another name, phone and email for each copy, and lists each copy in the search index under its
 * keys as the view writes them (a head per key, sealed chunks of 200 ids), until each size in
 * BENCH_CUSTOMER_SEARCH_SIZES is stored (default "1000,100000"). A search reads nothing else, so
 * nothing else is copied; BENCH_CUSTOMER_SEARCH_COPY=all copies every document the service stored
 * for the customer (journal, routes, order rows too), as a search that read them would need. The keys follow
 * docs/projections.md, "Search" (email, phone and its last ten digits, order id, card last four,
 * name prefixes of 2 to 12 characters of the first, last and full name); the bench checks them
 * against the keys the service itself wrote for the published customer before it seeds.
 * Names are 60 first names by 250 last names (each last name about 400 customers at 100,000),
 * phones and emails are each customer's own.
 *
 * At each size it runs BENCH_CUSTOMER_SEARCH_READS (default 200) searches of each kind, one at a
 * time: an email, a phone as typed ("+1 (512) 555-0100"), the last ten digits of a phone, an order
 * id, a full name, and with many matches (the answer ranks the first SEARCH_MAX_CANDIDATES listed) a
 * last name alone and a first name's first two letters. Every search of one customer must find it.
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import mongoose from 'mongoose';
import { Topics } from '@continuum/contracts';
import { eventually, eventEnvelope, KafkaProbe } from '@continuum/testing';
import { cleanUp } from './support/cleanup';
import { documentsNaming, insertByCollection, parseStored, StoredDocument, storedText } from './support/customer-documents';
import { copier, UUID } from './support/customer-story';
import { client, startFleet } from './support/fleet';
import { fmt, median, nowMs, percentile, printTable } from './support/stats';

const MONGO_URL = process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';
const SIZES = (process.env['BENCH_CUSTOMER_SEARCH_SIZES'] ?? '1000,100000').split(',').map(Number);
const READS = Number(process.env['BENCH_CUSTOMER_SEARCH_READS'] ?? 200);
const COPY_ALL = process.env['BENCH_CUSTOMER_SEARCH_COPY'] === 'all';
/** customers copied per insert */
const BATCH = 500;
/** ids per sealed index chunk (the view store's INDEX_CHUNK) */
const CHUNK = 200;

const FIRST = ['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen', 'Chris', 'Lisa', 'Daniel', 'Nancy', 'Matthew', 'Betty', 'Anthony', 'Sandra', 'Mark', 'Margaret', 'Donald', 'Ashley', 'Steven', 'Kimberly', 'Andrew', 'Emily', 'Paul', 'Donna', 'Joshua', 'Michelle', 'Kenneth', 'Carol', 'Kevin', 'Amanda', 'Brian', 'Melissa', 'George', 'Deborah', 'Timothy', 'Stephanie', 'Ronald', 'Dorothy', 'Jason', 'Rebecca', 'Edward', 'Sharon', 'Jeffrey', 'Laura', 'Ryan', 'Cynthia'];
const LAST_STEMS = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris'];
const LAST_ENDS = ['', 'son', 'ton', 'ley', 'field', 'wood', 'berg', 'man', 'ford', 'well'];
const LAST = LAST_STEMS.flatMap((stem) => LAST_ENDS.map((end) => `${stem}${end}`));

/** Customer n's profile: name from the lists, its own phone and email. */
function person(n: number): { first: string; last: string; phone: string; email: string } {
  const first = FIRST[n % FIRST.length]!;
  const last = LAST[Math.floor(n / FIRST.length) % LAST.length]!;
  return { first, last, phone: `+1512${String(n).padStart(7, '0')}`, email: `${first}.${last}.${n}@example.com`.toLowerCase() };
}

const normalizeName = (name: string) => name.trim().toLowerCase().replace(/\s+/g, ' ');

/** The search keys of a customer with one order, as docs/projections.md "Search" lists them. */
function keysOf(profile: { first: string; last: string; phone: string; email: string }, orderId: string, last4: string): string[] {
  const keys = new Set<string>([`email:${profile.email.toLowerCase()}`]);
  const digits = profile.phone.replace(/\D/g, '');
  keys.add(`phone:${digits}`);
  if (digits.length > 10) keys.add(`phone:${digits.slice(-10)}`);
  const first = normalizeName(profile.first);
  const last = normalizeName(profile.last);
  for (const name of [first, last, `${first} ${last}`]) for (let length = 2; length <= Math.min(name.length, 12); length++) keys.add(`name:${name.slice(0, length)}`);
  keys.add(`order:${orderId}`);
  keys.add(`last4:${last4}`);
  return [...keys];
}

const TEMPLATE = { first: 'Templatefirst', last: 'Templatelast', phone: '+19990001234', email: 'templatefirst.templatelast@example.com' };

async function main(): Promise<void> {
  const fleet = await startFleet(['projections']);
  const connection = await mongoose.createConnection(MONGO_URL).asPromise();
  const db = connection.useDb(fleet.services['projections']!.database, { useCache: true }).db!;
  const probe = new KafkaProbe({ topicPrefix: fleet.topicPrefix });
  try {
    const agent = client(fleet.services['projections']!.url, 'dev-agent');
    const customerId = `cus-${randomUUID()}`;
    const orderId = `ord-${randomUUID()}`;
    const transactionId = `txn-${randomUUID()}`;
    const card = { token: 'tok_bench', brand: 'VISA', last4: '1111', bin: '411111' };
    const at = new Date(Date.now() - 60_000).toISOString();
    const address = { line1: '1 Main St', city: 'Austin', state: 'TX', postalCode: '78701', country: 'US' };
    const item = { orderItemId: 'oi-1', productId: 'prod-1', sku: 'SKU-1', name: 'Serum', quantity: 1, unitPrice: 4499, price: 4499, shippingPrice: 500, billingType: 'STRAIGHT' };
    const story = [
      { topic: Topics.customersEvents, envelope: eventEnvelope('CustomerRegistered', `customer-${customerId}`, { customerId, firstName: TEMPLATE.first, lastName: TEMPLATE.last, email: TEMPLATE.email, phone: TEMPLATE.phone, billingAddress: address }, { occurredAt: at }) },
      {
        topic: Topics.ordersEvents,
        envelope: eventEnvelope(
          'OrderPlaced',
          `order-${orderId}`,
          {
            orderId,
            customerId,
            campaignId: 'camp-1',
            currency: 'USD',
            paymentType: 'CARD',
            items: [item],
            totals: { subtotal: 4499, shipping: 500, salesTax: 0, discount: 0, total: 4999, refunded: 0 },
            card,
            qa: { required: false, reasons: [] },
            placedAt: at,
          },
          { occurredAt: at },
        ),
      },
      {
        topic: Topics.paymentsEvents,
        envelope: eventEnvelope(
          'PaymentApproved',
          `transaction-${transactionId}`,
          { transactionId, orderId, customerId, type: 'SALE', amount: 4999, currency: 'USD', card, merchantId: 'm-1', gatewayTransactionId: 'g-1', message: 'Approved', rerunOf: null, at, response: 'SUCCESS', prepaid: false, purpose: 'ORDER' },
          { occurredAt: at },
        ),
      },
    ];
    for (const { topic, envelope } of story) await probe.publishEnvelope(topic, envelope);
    await eventually(async () => (await agent.get(`/customers/search?q=${encodeURIComponent(TEMPLATE.email)}`)).body?.[0]?.lastOrderAt === at, 'the published customer in the search', { timeoutMs: 120_000, intervalMs: 200 });
    await eventually(async () => (await agent.get(`/orders/search?q=${encodeURIComponent(TEMPLATE.email)}`)).body?.items?.length === 1, 'its order folded', { timeoutMs: 120_000, intervalMs: 200 });

    // the search index and the keys the service listed the template under: the bench's keys must be the same
    const indexName = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).find((name) => name.endsWith('__search') && name.includes('_g1'));
    if (!indexName) throw new Error('no search index collection (…_g1__search) in the projections database');
    const index = db.collection<Record<string, unknown>>(indexName);
    const written = (await index.find({ ids: customerId } as never).toArray()).map((head) => String(head._id)).sort();
    const expected = keysOf(TEMPLATE, orderId, '1111').sort();
    if (JSON.stringify(written) !== JSON.stringify(expected)) throw new Error(`the bench's search keys differ from the view's:\nview:  ${written.join(' ')}\nbench: ${expected.join(' ')}`);

    const ids = [...new Set(JSON.stringify(story).match(UUID) ?? [])];
    // the template's own documents, without the search index's (the bench writes those from the keys);
    // unless all are asked for, only its search entry (the search view's document)
    const entries = indexName.slice(0, -'__search'.length);
    const template = (await documentsNaming(db, ids)).filter((stored) => stored.collection !== indexName && (COPY_ALL || stored.collection === entries));
    const entry = template.find((stored) => stored.collection === entries)?.doc['view'] as { result?: unknown; names?: unknown } | undefined;
    if (!entry?.result || !Array.isArray(entry.names)) throw new Error(`no search entry with its answer and names in ${entries}: ${JSON.stringify(entry)}`);
    const copy = copier(storedText(template));
    const heads = new Map<string, string[]>(written.map((key) => [key, [customerId]]));
    const stored = new Set(written);
    /** sealed chunks each stored key was written with */
    const sealedOf = new Map<string, number>();
    const customers: Array<{ id: string; orderId: string; email: string; phone: string; first: string; last: string }> = [];
    const digits = (phone: string) => phone.replace(/\D/g, '');
    const rows: string[][] = [];
    for (const size of SIZES) {
      const seedStarted = nowMs();
      const touched = new Set<string>();
      while (customers.length + 1 < size) {
        const documents: StoredDocument[] = [];
        for (let n = 0; n < BATCH && customers.length + 1 < size; n++) {
          const profile = person(customers.length);
          let text = copy();
          const replace = (from: string, to: string) => void (text = text.split(from).join(to));
          replace(TEMPLATE.email, profile.email);
          replace(TEMPLATE.first, profile.first);
          replace(TEMPLATE.last, profile.last);
          replace(TEMPLATE.first.toLowerCase(), profile.first.toLowerCase());
          replace(TEMPLATE.last.toLowerCase(), profile.last.toLowerCase());
          replace(digits(TEMPLATE.phone), digits(profile.phone));
          replace(digits(TEMPLATE.phone).slice(-10), digits(profile.phone).slice(-10));
          const copied = parseStored<StoredDocument[]>(text);
          const newId = (text.match(/cus-[0-9a-f-]{36}/) ?? [])[0]!;
          const newOrder = (text.match(/ord-[0-9a-f-]{36}/) ?? [])[0]!;
          const keys = keysOf(profile, newOrder, '1111');
          for (const document of copied) {
            // a stored search entry keeps its keys: the copy's are its own (name prefixes are not a text replace)
            const view = document.doc['view'] as { keys?: unknown } | undefined;
            if (view && Array.isArray(view.keys)) view.keys = keys;
          }
          documents.push(...copied);
          for (const key of keys) {
            const listed = heads.get(key);
            if (listed) listed.push(newId);
            else heads.set(key, [newId]);
            touched.add(key);
          }
          customers.push({ id: newId, orderId: newOrder, ...profile });
        }
        await insertByCollection(db, documents);
        if ((customers.length + 1) % 10_000 === 0) console.log(`[customer-search] copied ${customers.length + 1} of ${size} customers in ${((nowMs() - seedStarted) / 1000).toFixed(0)} s`);
      }
      // index heads as the view leaves them: every CHUNK ids sealed into `<key>#s<n>`, the rest in the head.
      // A key written at a smaller size is deleted (its head and chunks, by `_id`) and inserted again:
      // upserting chunks in bulk made the local store crawl at 100,000 customers.
      const fresh: Record<string, unknown>[] = [];
      const stale: string[] = [];
      for (const key of touched) {
        const listed = heads.get(key)!;
        const sealed = Math.floor(listed.length / CHUNK);
        const chunks = Array.from({ length: sealed }, (_, n) => `${key}#s${n}`);
        for (let n = 0; n < sealed; n++) fresh.push({ _id: chunks[n], kind: 'chunk', ids: listed.slice(n * CHUNK, (n + 1) * CHUNK) });
        fresh.push({ _id: key, kind: 'head', ids: listed.slice(sealed * CHUNK), chunks, sealed });
        if (stored.has(key)) stale.push(key, ...Array.from({ length: sealedOf.get(key) ?? 0 }, (_, n) => `${key}#s${n}`));
        stored.add(key);
        sealedOf.set(key, sealed);
      }
      for (let from = 0; from < stale.length; from += 50) await Promise.all(stale.slice(from, from + 50).map((id) => index.deleteOne({ _id: id as never })));
      for (let from = 0; from < fresh.length; from += 5000) await index.insertMany(fresh.slice(from, from + 5000) as never[], { ordered: false });
      const seededIn = (nowMs() - seedStarted) / 1000;
      console.log(`[customer-search] ${size} customers seeded in ${seededIn.toFixed(0)} s (${fresh.length} index heads and chunks written, ${stale.length} written before deleted)`);
      const pick = () => customers[Math.floor(Math.random() * customers.length)]!;
      const formatted = (phone: string) => `+1 (${phone.slice(2, 5)}) ${phone.slice(5, 8)}-${phone.slice(8)}`;
      const queries: Array<[string, () => { q: string; id?: string }]> = [
        ['email', () => { const c = pick(); return { q: c.email, id: c.id }; }],
        ['phone as typed', () => { const c = pick(); return { q: formatted(c.phone), id: c.id }; }],
        ['phone, last ten digits', () => { const c = pick(); return { q: digits(c.phone).slice(-10), id: c.id }; }],
        ['order id', () => { const c = pick(); return { q: c.orderId, id: c.id }; }],
        ['full name', () => { const c = pick(); return { q: `${c.first} ${c.last}`, id: c.id }; }],
        ['last name (many)', () => ({ q: pick().last })],
        ['two letters (many)', () => ({ q: pick().first.slice(0, 2) })],
      ];
      for (let n = 0; n < 10; n++) for (const [, query] of queries) await agent.get(`/customers/search?q=${encodeURIComponent(query().q)}`); // warm up
      const loadBefore = loadavg()[0]!.toFixed(1);
      for (const [name, query] of queries) {
        const timings: number[] = [];
        let found = 0;
        for (let n = 0; n < READS; n++) {
          const { q, id } = query();
          const started = nowMs();
          const answer = await agent.get(`/customers/search?q=${encodeURIComponent(q)}`);
          timings.push(nowMs() - started);
          if (answer.status !== 200) throw new Error(`search ${q} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
          const results = answer.body as Array<{ customerId: string }>;
          if (results.length > 0) found++;
          if (id !== undefined && !results.some((result) => result.customerId === id)) throw new Error(`search ${q} did not find ${id} (${results.length} results)`);
        }
        rows.push([String(size), name, fmt(median(timings)), fmt(percentile(timings, 0.99)), fmt(Math.max(...timings)), `${found}/${READS}`, seededIn.toFixed(0)]);
        console.log(`[customer-search] ${size} customers, ${name}: p50 ${fmt(median(timings))} ms, p99 ${fmt(percentile(timings, 0.99))} ms over ${READS} searches`);
      }
      console.log(`[customer-search] load average (1 min) before the searches ${loadBefore}, after ${loadavg()[0]!.toFixed(1)}`);
    }
    printTable(['customers', 'search', 'p50 ms', 'p99 ms', 'max ms', 'found', 'seeded in s'], rows);
  } finally {
    await probe.stop();
    await fleet.stop();
    await connection.close();
    await cleanUp(fleet);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
