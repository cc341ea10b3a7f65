import { devKeys, eventually } from '@continuum/testing';
import {
  agent,
  approved,
  completed,
  event,
  orderRefunded,
  placed,
  refundFailed,
  refundQueued,
  refundRequested,
  refundSucceeded,
  registered,
  settled,
  shipco,
} from '../src/domain/history.fixtures';
import { JournalEntry, journalOf } from '../src/domain';
import { orderCancelled, purchaseStarted, purchaseUpdated } from '../src/domain/reports/reports.fixtures';
import { uid, useProjectionsService } from './projections-harness';

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/** The projections service on the real stack: events in on every topic, views out over HTTP. */
describe('projections (Kafka, FerretDB)', () => {
  // a replaced generation is dropped 2 s after the switch (every instance re-reads the marker every 0.5 s)
  const { http, publish, historyWhen, platform, probe, stop, start } = useProjectionsService({ PROJECTION_META_CHECK_MS: '500', PROJECTION_DROP_AFTER_MS: '2000' });
  const seen: string[] = [];

  it('shows what the other services published in the history and the order summary, each timeline entry with its actor and correlation id; a payment before its order converges', async () => {
    const [customerId, orderId, transactionId, fulfillmentId] = [uid('cus'), uid('ord'), uid('txn'), uid('ful')];
    seen.push(customerId);
    const corr = uid('corr');
    // payments' event first: it reaches the projection before the order it pays for
    await publish(approved(transactionId, orderId, customerId, minutesAgo(59)));
    await publish(registered(customerId, minutesAgo(61)), placed(orderId, customerId, minutesAgo(60)), completed(orderId, customerId, minutesAgo(58), transactionId));
    await publish(
      event('FulfillmentCreated', `fulfillment-${fulfillmentId}`, { fulfillmentId, orderId, customerId, reference: `${orderId}-F1`, items: [{ productId: 'p-1', sku: 'SKU-1', name: 'Serum', quantity: 1 }], shippingAddress: null, shippingMethod: 'STANDARD', cod: null, reshipOf: null, at: minutesAgo(50) }, minutesAgo(50), { correlationId: corr, actor: { kind: 'system', id: 'export-run' } }),
      // no customerId on this one: the projection knows the stream's customer from FulfillmentCreated
      event('FulfillmentShipped', `fulfillment-${fulfillmentId}`, { fulfillmentId, orderId, trackingNumber: '1Z999', carrier: 'UPS', shippedAt: minutesAgo(40) }, minutesAgo(40), { correlationId: corr, actor: shipco, origin: customerId }),
    );
    const history = await historyWhen(customerId, (h) => h.timeline.length === 6);
    expect(history.customer).toMatchObject({ customerId, firstName: 'Jane', email: 'Jane@Example.com' });
    expect(history.orders).toEqual([expect.objectContaining({ orderId, status: 'COMPLETE', card: 'VISA 1111', totals: expect.objectContaining({ total: 4999 }) })]);
    expect(history.transactions).toEqual([expect.objectContaining({ transactionId, type: 'SALE', response: 'SUCCESS', card: 'VISA 1111', amount: 4999 })]);
    expect(history.fulfillments).toEqual([expect.objectContaining({ fulfillmentId, trackingNumber: '1Z999', carrier: 'UPS' })]);
    expect(history.timeline.map((entry: any) => entry.type)).toEqual(['CustomerRegistered', 'OrderPlaced', 'PaymentApproved', 'OrderCompleted', 'FulfillmentCreated', 'FulfillmentShipped']);
    for (const entry of history.timeline) {
      const { orderId: about, ...rest } = entry;
      expect(rest).toEqual({ at: expect.any(String), type: expect.any(String), summary: expect.any(String), actor: { kind: expect.any(String), id: expect.any(String) }, correlationId: expect.any(String), source: { service: expect.any(String), eventId: expect.any(String) } });
      expect(about).toBe(entry.type === 'CustomerRegistered' ? null : orderId);
    }
    const shipping = history.timeline.filter((entry: any) => entry.correlationId === corr);
    expect(shipping.map((entry: any) => entry.actor)).toEqual([{ kind: 'scheduled-job', id: 'export-run' }, { kind: 'fulfillment-house', id: 'shipco' }]);

    const summary = (await http.get(`/orders/${orderId}/summary`).expect(200)).body;
    expect(summary).toMatchObject({ order: { orderId, status: 'COMPLETE' }, transactions: [{ transactionId, card: 'VISA 1111' }], fulfillments: [{ fulfillmentId, trackingNumber: '1Z999' }], purchases: [] });
    await http.get(`/orders/${uid('ord')}/summary`).expect(404);
    await http.get(`/customers/${uid('cus')}/history`).expect(404);
  });

  it('keeps an event that names only its order until the order\'s customer is known, then files it there', async () => {
    const [customerId, orderId, fulfillmentId] = [uid('cus'), uid('ord'), uid('ful')];
    // a stream seen first by an event without a customer (its first events never came): parked under its order
    await publish(event('FulfillmentDelivered', `fulfillment-${fulfillmentId}`, { fulfillmentId, orderId, deliveredAt: minutesAgo(3) }, minutesAgo(3), { streamVersion: 4, actor: shipco, origin: customerId }));
    await publish(registered(customerId, minutesAgo(30)), placed(orderId, customerId, minutesAgo(29)));
    const history = await historyWhen(customerId, (h) => h.timeline.length === 3);
    expect(history.timeline.map((entry: any) => entry.type)).toEqual(['CustomerRegistered', 'OrderPlaced', 'FulfillmentDelivered']);
    expect(history.timeline[2].summary).toMatch(new RegExp(`^Order ${orderId} delivered on`));
  });

  it('changes nothing when an event is delivered again, under its own id or a new one', async () => {
    const [customerId, orderId] = [uid('cus'), uid('ord')];
    seen.push(customerId);
    const [first, order] = await publish(registered(customerId, minutesAgo(30)), placed(orderId, customerId, minutesAgo(29)));
    await historyWhen(customerId, (h) => h.timeline.length === 2);
    // the same records again, and the order once more under a new event id (a producer that lost its outbox mark)
    await probe.publishEnvelope('customers.events.v1', first!);
    await probe.publishEnvelope('orders.events.v1', order!);
    await probe.publishEnvelope('orders.events.v1', { ...order!, eventId: uid('evt') });
    // later events on the same streams (so the same partitions) come after the duplicates: once they show, the duplicates were handled
    await publish(
      completed(orderId, customerId, minutesAgo(2), uid('txn')),
      event('CustomerNoteAdded', `customer-${customerId}`, { customerId, noteId: uid('note'), message: 'called about the refund', author: agent, at: minutesAgo(1) }, minutesAgo(1)),
    );
    const history = await historyWhen(customerId, (h) => h.notes.length === 1 && h.orders[0]?.status === 'COMPLETE');
    expect(history.timeline.map((entry: any) => entry.type)).toEqual(['CustomerRegistered', 'OrderPlaced', 'OrderCompleted', 'CustomerNoteAdded']);
    expect(history.orders).toHaveLength(1);
  });

  it('folds a merged customer into the survivor; later events for either id land on the survivor', async () => {
    const [survivor, merged, survivorOrder, mergedOrder, lateTxn] = [uid('cus'), uid('cus'), uid('ord'), uid('ord'), uid('txn')];
    seen.push(survivor);
    await publish(registered(survivor, minutesAgo(20), { firstName: 'Sam', email: `${survivor}@example.com` }), registered(merged, minutesAgo(19), { firstName: 'Samuel', email: `${merged}@example.com` }));
    await publish(placed(survivorOrder, survivor, minutesAgo(18)), placed(mergedOrder, merged, minutesAgo(17)));
    await historyWhen(merged, (h) => h.customer !== null && h.orders.length === 1);
    await publish(
      event('CustomersMerged', `customer-${survivor}`, { customerId: survivor, fromCustomerId: merged }, minutesAgo(10)),
      event('CustomerMergedInto', `customer-${merged}`, { customerId: merged, intoCustomerId: survivor }, minutesAgo(10)),
    );
    // after the merge, payments still names the merged customer on its order's charge
    await publish(approved(lateTxn, mergedOrder, merged, minutesAgo(5)));
    const history = await historyWhen(survivor, (h) => h.timeline.length === 7);
    expect(history.customer).toMatchObject({ customerId: survivor, firstName: 'Sam', mergedFrom: [merged] });
    expect(history.orders.map((order: any) => order.orderId).sort()).toEqual([survivorOrder, mergedOrder].sort());
    expect(history.transactions[0]).toMatchObject({ transactionId: lateTxn, orderId: mergedOrder });
    const viaMerged = (await http.get(`/customers/${merged}/history`).expect(200)).body;
    expect(viaMerged).toMatchObject({ customerId: survivor, requestedId: merged, mergedInto: survivor });
    expect((await http.get(`/orders/${mergedOrder}/summary`).expect(200)).body.transactions).toHaveLength(1);
    const asOfBefore = (await http.get(`/customers/${survivor}/history?asOf=${encodeURIComponent(minutesAgo(15))}`).expect(200)).body;
    expect(asOfBefore.orders.map((order: any) => order.orderId)).toEqual([survivorOrder]);
    // the merged customer's email finds the survivor; the merged customer is not listed on its own
    expect((await http.get(`/customers/search?q=${encodeURIComponent(`${merged}@example.com`)}`).expect(200)).body.map((r: any) => r.customerId)).toEqual([survivor]);
  });

  it('finds a customer by email, phone, order id, card last four and name prefix, most recent order first', async () => {
    const surname = `Zq${uid('x').slice(2, 8)}`.replace(/[^A-Za-z]/g, 'q');
    const [older, newer, olderOrder, newerOrder, txn] = [uid('cus'), uid('cus'), uid('ord'), uid('ord'), uid('txn')];
    seen.push(older, newer);
    const phone = `+1 512 ${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    await publish(registered(older, minutesAgo(9), { lastName: surname, email: `${older}@example.com`, phone }), registered(newer, minutesAgo(9), { lastName: surname, email: `${newer}@example.com` }));
    await publish(placed(olderOrder, older, minutesAgo(8)), placed(newerOrder, newer, minutesAgo(7)), approved(txn, olderOrder, older, minutesAgo(8)));
    await historyWhen(older, (h) => h.customer !== null && h.orders.length === 1 && h.transactions.length === 1);
    await historyWhen(newer, (h) => h.customer !== null && h.orders.length === 1);
    const search = async (q: string) => (await http.get(`/customers/search?q=${encodeURIComponent(q)}`).expect(200)).body.map((r: any) => r.customerId);
    // a search entry is written right after the journal the history is read from
    await eventually(async () => JSON.stringify(await search(`jane ${surname}`)) === JSON.stringify([newer, older]) && (await search('1111')).includes(older), 'both search entries written');
    expect(await search(`${older.toUpperCase()}@EXAMPLE.COM`)).toEqual([older]);
    expect(await search(phone.replace(/\D/g, ''))).toEqual([older]);
    expect(await search(phone.slice(3))).toEqual([older]); // without the country code
    expect(await search(olderOrder)).toEqual([older]);
    expect(await search('1111')).toContain(older);
    expect(await search(surname.slice(0, 5).toLowerCase())).toEqual([newer, older]);
    expect(await search(`jane ${surname}`)).toEqual([newer, older]);
    const [first] = (await http.get(`/customers/search?q=${surname}`).expect(200)).body;
    expect(first).toEqual({ customerId: newer, name: `Jane ${surname}`, email: `${newer}@example.com`, phone: '+1 512 555 0100', lastOrderAt: expect.any(String) });
    await http.get('/customers/search').expect(400);
  });

  it('answers as of a moment before the refund with the order unrefunded', async () => {
    const [customerId, orderId, txn] = [uid('cus'), uid('ord'), uid('txn')];
    seen.push(customerId);
    const corr = uid('corr');
    await publish(registered(customerId, minutesAgo(600)), placed(orderId, customerId, minutesAgo(590)), approved(txn, orderId, customerId, minutesAgo(589)), completed(orderId, customerId, minutesAgo(588), txn), settled(txn, orderId, customerId, minutesAgo(500)));
    await publish(refundRequested(txn, orderId, customerId, minutesAgo(100), corr), refundFailed(txn, orderId, customerId, minutesAgo(100), corr), refundQueued(txn, orderId, customerId, minutesAgo(100), corr), refundSucceeded(txn, orderId, customerId, minutesAgo(10)), orderRefunded(orderId, customerId, txn, minutesAgo(10)));
    const now = await historyWhen(customerId, (h) => h.timeline.length === 10);
    expect(now.orders[0].totals.refunded).toBe(4999);
    expect(now.timeline.find((entry: any) => entry.type === 'RefundQueued')).toMatchObject({ summary: expect.stringMatching(/^Refund of \$49\.99 queued: gateway declined, retry 1 of 3 on [A-Z][a-z]{2} \d{1,2}/), correlationId: corr });
    const before = (await http.get(`/customers/${customerId}/history?asOf=${encodeURIComponent(minutesAgo(200))}`).expect(200)).body;
    expect(before.asOf).toEqual(expect.any(String));
    expect(before.orders[0]).toMatchObject({ orderId, status: 'COMPLETE', totals: expect.objectContaining({ refunded: 0 }) });
    expect(before.transactions.map((row: any) => row.type)).toEqual(['SALE']);
    await http.get(`/customers/${customerId}/history?asOf=yesterday`).expect(400);
    await http.get(`/customers/${customerId}/history?asOf=${encodeURIComponent(minutesAgo(6000))}`).expect(404);
  });

  it('rebuilds into a fresh copy while the live view answers, switches when caught up, and gives the same documents', async () => {
    const connection = platform().connection;
    const before = new Map<string, unknown>();
    for (const id of seen) before.set(id, (await http.get(`/customers/${id}/history`).expect(200)).body);
    // the journals as stored in pages (each customer's entries, read once per stream position) and who was merged into whom
    const journals = async (generation: number) => {
      const docs = await connection.collection(`view_customer_journal_g${generation}`).find({}).toArray();
      const entries = new Map<string, JournalEntry[]>();
      for (const doc of docs.filter((each) => each['kind'] === 'page')) {
        const customerId = String(doc._id).slice('page:'.length, String(doc._id).lastIndexOf(':'));
        entries.set(customerId, [...(entries.get(customerId) ?? []), ...(doc['entries'] as JournalEntry[])]);
      }
      const merged = docs.filter((each) => each['kind'] === 'head' && each['mergedInto'] !== undefined).map((head) => [head._id, head['mergedInto']]);
      return { merged: merged.sort(), journals: [...entries].map(([customerId, stored]) => journalOf(customerId, stored)).sort((a, b) => a.customerId!.localeCompare(b.customerId!)) };
    };
    const liveDocs = await journals(1);
    expect(liveDocs.journals.length).toBeGreaterThanOrEqual(seen.length);

    await http.post('/rebuilds', { view: 'customer-history' }).expect(403);
    await http.post('/rebuilds', { view: 'everything' }, devKeys.admin).expect(400);
    const started = (await http.post('/rebuilds', { view: 'customer-history' }, devKeys.admin).expect(202)).body;
    expect(started).toMatchObject({ status: 'RUNNING', generation: 2, view: 'customer-history' });
    // the live view keeps answering meanwhile
    await http.get(`/customers/${seen[0]}/history`).expect(200);
    const done = await eventually(
      async () => {
        const progress = (await http.get(`/rebuilds/${started.rebuildId}`, devKeys.admin).expect(200)).body;
        return progress.status !== 'RUNNING' ? progress : undefined;
      },
      'the rebuild to switch',
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(done).toMatchObject({ status: 'SWITCHED', lag: 0, eventsReplayed: expect.any(Number) });
    expect(done.eventsReplayed).toBeGreaterThan(0);
    // the same journals and merges (pages hold entries in the order they arrived, which a replay may change)
    expect(await journals(2)).toEqual(liveDocs);
    for (const id of seen) expect((await http.get(`/customers/${id}/history`).expect(200)).body).toEqual(before.get(id));
    // the replaced generation and its group go once every instance has had time to follow the switch
    const admin = platform().kafka.admin();
    await admin.connect();
    try {
      await eventually(
        async () => {
          const left = await connection.collection('view_customer_journal_g1').countDocuments({});
          const groups = (await admin.listGroups()).groups.map((group) => group.groupId);
          return left === 0 && groups.includes(platform().consumerGroupId('history.g2')) && !groups.includes(platform().consumerGroupId('history.g1')) ? true : undefined;
        },
        'generation 1 and its group to be dropped after the grace period',
        { timeoutMs: 20_000, intervalMs: 250 },
      );
    } finally {
      await admin.disconnect();
    }
    await http.get(`/rebuilds/${uid('rebuild')}`, devKeys.admin).expect(404);
  });

  it('reports from the events: rows now and as of a past moment differ, CSV under a header line, agents and admins only', async () => {
    const someone = { kind: 'agent', id: uid('agent') } as const;
    const [customerId, purchaseId, reason] = [uid('cus'), uid('pur'), uid('reason')];
    const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
    const [billFirst, billThen] = [daysFromNow(10).slice(0, 10), daysFromNow(12).slice(0, 10)];
    await publish(
      orderCancelled(uid('ord'), customerId, daysFromNow(-3), reason, someone),
      purchaseStarted(purchaseId, customerId, daysFromNow(-3), { nextBillDate: billFirst, price: 2000, shippingPrice: 500 }),
      orderCancelled(uid('ord'), customerId, daysFromNow(-1), reason, someone),
      purchaseUpdated(purchaseId, customerId, daysFromNow(-1), { nextBillDate: billThen }, someone),
    );
    const twoDaysAgo = daysFromNow(-2);
    const mine = (body: any) => body.rows.filter((row: any) => row.reason === reason || row.agent === someone.id);
    const cancellations = await eventually(async () => {
      const body = (await http.get('/reports/cancellations').expect(200)).body;
      return mine(body).length === 2 ? body : undefined;
    }, 'both cancellations in the report');
    expect(cancellations.columns).toEqual(['day', 'kind', 'reason', 'count']);
    expect(mine(cancellations)).toEqual([
      { day: daysFromNow(-3).slice(0, 10), kind: 'ORDER', reason, count: 1 },
      { day: daysFromNow(-1).slice(0, 10), kind: 'ORDER', reason, count: 1 },
    ]);
    expect(mine((await http.get(`/reports/cancellations?asOf=${twoDaysAgo}`).expect(200)).body)).toEqual([{ day: daysFromNow(-3).slice(0, 10), kind: 'ORDER', reason, count: 1 }]);
    const actions = await eventually(async () => {
      const body = (await http.get('/reports/agent-actions', devKeys.admin).expect(200)).body;
      return mine(body).length === 2 ? body : undefined;
    }, 'the agent\'s actions in the report');
    expect(mine(actions)).toEqual([
      { agent: someone.id, role: 'agent', action: 'OrderCancelled', count: 2 },
      { agent: someone.id, role: 'agent', action: 'PurchaseUpdated', count: 1 },
    ]);
    expect(mine((await http.get(`/reports/agent-actions?asOf=${twoDaysAgo}`).expect(200)).body)).toEqual([{ agent: someone.id, role: 'agent', action: 'OrderCancelled', count: 1 }]);
    // a state report: the purchase's next bill moved two days later; as of before the change it had not
    const billing = (query: string) => http.get(`/reports/projected-billing?from=${billFirst}&to=${billThen}${query}`).expect(200);
    await eventually(async () => ((await billing('')).body.rows.some((row: any) => row.date === billThen) ? true : undefined), 'the moved bill in the projection');
    expect((await billing('')).body.rows.filter((row: any) => row.date === billFirst || row.date === billThen)).toEqual([{ date: billThen, currency: 'USD', purchases: 1, amount: 2500 }]);
    expect((await billing(`&asOf=${twoDaysAgo}`)).body.rows.filter((row: any) => row.date === billFirst || row.date === billThen)).toEqual([{ date: billFirst, currency: 'USD', purchases: 1, amount: 2500 }]);

    const csv = await http.get('/reports/cancellations').set('Accept', 'text/csv').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text.split('\r\n')[0]).toBe('day,kind,reason,count');
    expect(csv.text).toContain(`${daysFromNow(-1).slice(0, 10)},ORDER,${reason},1\r\n`);
    expect((await http.get('/reports/retention?format=csv').expect(200)).text.split('\r\n')[0]).toBe('startMonth,cycle,purchases,share');
    await http.get('/reports/nothing-such').expect(404);
    const bad = await http.get('/reports/cancellations?asOf=yesterday').expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'asOf' })]);
    await http.get('/reports/cancellations?from=2026-03-05&to=2026-03-01').expect(400);
    await http.get('/reports/cancellations', devKeys.service).expect(403);
  });

  it('resumes after a restart from its consumer group: events published while it was down arrive, nothing is applied twice', async () => {
    const [customerId, orderId] = [uid('cus'), uid('ord')];
    await publish(registered(customerId, minutesAgo(8)));
    await historyWhen(customerId, (h) => h.customer !== null);
    await stop();
    await publish(placed(orderId, customerId, minutesAgo(7)));
    await start();
    const history = await historyWhen(customerId, (h) => h.orders.length === 1);
    expect(history.timeline.map((entry: any) => entry.type)).toEqual(['CustomerRegistered', 'OrderPlaced']);
  });

  it('measures lag per topic on /metrics and says degraded on /health when an update comes late', async () => {
    const customerId = uid('cus');
    await publish(registered(customerId, minutesAgo(180)));
    await historyWhen(customerId, () => true);
    // the lag is recorded once the event is applied everywhere (the history shows it a moment before)
    const health = await eventually(
      async () => {
        const answer = (await http.get('/health', null).expect(200)).body;
        return /customers\.events\.v1/.test(answer.errors?.['projection-lag'] ?? '') ? answer : undefined;
      },
      'the customers topic to show as late on /health',
    );
    expect(health).toMatchObject({ status: 'degraded', checks: { 'projection-lag': 'degraded', kafka: 'up', mongodb: 'up' } });
    expect(health.errors['projection-lag']).toMatch(/customers\.events\.v1/);
    const metrics = (await http.get('/metrics', devKeys.admin).expect(200)).text;
    expect(metrics).toMatch(/projection_lag_seconds_bucket\{le="[^"]+",topic="customers.events.v1"\}/);
  });
});
