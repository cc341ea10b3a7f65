import { EventEnvelope } from '@continuum/contracts';
import { agent } from '../history.fixtures';
import { addToBucket, BatchEvent, bucketDays, countBatchOnce, countOnce, StoredBucket, EMPTY_REPORT_DOCUMENT, evolveReportDocument, foldReportEvents, planReportBatch, ReportBucket, ReportFacts, ReportName, reportCsv, reportOf, ReportQuery, ReportRow, reportStep } from '.';
import { chargebackMarked, chargebackReverted, orderCancelled, purchaseBilled, purchaseCancelled, purchaseStarted, purchaseUpdated } from './reports.fixtures';

const bob = { kind: 'admin', id: 'bob' } as const;
/** given these events (as the reports' consumer gets them), when a report is asked, then these rows */
const given = (...events: EventEnvelope[]) => ({
  when: (report: ReportName, query: ReportQuery) => ({
    then: (rows: ReportRow[]) => expect(reportOf(report, foldReportEvents(events), query).rows).toEqual(rows),
  }),
});

describe('reports: cancellations by reason and day', () => {
  const events = [
    orderCancelled('o-1', 'c-1', '2026-03-01T09:10:00.000Z', 'customer changed their mind', agent),
    orderCancelled('o-2', 'c-2', '2026-03-01T15:00:00.000Z', 'customer changed their mind', agent),
    purchaseStarted('p-1', 'c-1', '2026-02-01T08:00:00.000Z', { nextBillDate: '2026-03-15' }),
    purchaseCancelled('p-1', 'c-1', '2026-03-02T11:00:00.000Z', { reason: 'too expensive', previousStatus: 'TRIAL', cycle: 1, actor: agent }),
  ];

  it('counts order and purchase cancellations per day and reason', () =>
    given(...events).when('cancellations', { asOf: '2026-03-05T00:00:00.000Z' }).then([
      { day: '2026-03-01', kind: 'ORDER', reason: 'customer changed their mind', count: 2 },
      { day: '2026-03-02', kind: 'PURCHASE', reason: 'too expensive', count: 1 },
    ]));

  it('as of a moment leaves out what came later, to the hour', () =>
    given(...events).when('cancellations', { asOf: '2026-03-01T12:30:00.000Z' }).then([{ day: '2026-03-01', kind: 'ORDER', reason: 'customer changed their mind', count: 1 }]));

  it('shows the days of from..to only, and by default the 30 days ending on the as-of day', () => {
    given(...events).when('cancellations', { asOf: '2026-03-05T00:00:00.000Z', from: '2026-03-02', to: '2026-03-31' }).then([{ day: '2026-03-02', kind: 'PURCHASE', reason: 'too expensive', count: 1 }]);
    given(...events).when('cancellations', { asOf: '2026-03-31T00:00:00.000Z' }).then([{ day: '2026-03-02', kind: 'PURCHASE', reason: 'too expensive', count: 1 }]);
  });

  it('counts an event delivered twice once', () =>
    given(events[0]!, events[0]!).when('cancellations', { asOf: '2026-03-05T00:00:00.000Z' }).then([{ day: '2026-03-01', kind: 'ORDER', reason: 'customer changed their mind', count: 1 }]));
});

describe('reports: continuity (purchases by status and cycle)', () => {
  const events = [
    purchaseStarted('p-1', 'c-1', '2026-02-01T08:00:00.000Z', { nextBillDate: '2026-02-15' }),
    purchaseStarted('p-2', 'c-2', '2026-02-02T08:00:00.000Z', { nextBillDate: '2026-02-16' }),
    purchaseStarted('p-3', 'c-3', '2026-02-03T08:00:00.000Z', { nextBillDate: '2026-02-17' }),
    purchaseBilled('p-1', 'c-1', '2026-02-15T06:00:00.000Z', { cycle: 2, previousStatus: 'TRIAL', status: 'ACTIVE', nextBillDate: '2026-03-17' }),
    purchaseCancelled('p-2', 'c-2', '2026-02-16T10:00:00.000Z', { reason: 'moving', previousStatus: 'TRIAL', cycle: 1, actor: agent }),
  ];

  it('counts each purchase once, in the status and cycle it is in', () =>
    given(...events).when('continuity', { asOf: '2026-03-01T00:00:00.000Z' }).then([
      { status: 'TRIAL', cycle: 1, purchases: 1 },
      { status: 'ACTIVE', cycle: 2, purchases: 1 },
      { status: 'CANCELLED', cycle: 1, purchases: 1 },
    ]));

  it('as of a moment before the bill and the cancellation: all three in trial', () =>
    given(...events).when('continuity', { asOf: '2026-02-10T00:00:00.000Z' }).then([{ status: 'TRIAL', cycle: 1, purchases: 3 }]));

  it('a purchase event delivered again after a later one changes nothing', () =>
    given(events[0]!, events[3]!, events[0]!).when('continuity', { asOf: '2026-03-01T00:00:00.000Z' }).then([{ status: 'ACTIVE', cycle: 2, purchases: 1 }]));
});

describe('reports: projected billing for the next 30 days', () => {
  const events = [
    purchaseStarted('p-1', 'c-1', '2026-03-01T08:00:00.000Z', { nextBillDate: '2026-03-15', price: 4499, shippingPrice: 500 }),
    purchaseStarted('p-2', 'c-2', '2026-03-01T09:00:00.000Z', { nextBillDate: '2026-03-15', price: 2000, shippingPrice: 0 }),
    purchaseStarted('p-3', 'c-3', '2026-03-01T10:00:00.000Z', { nextBillDate: '2026-05-01' }),
    purchaseUpdated('p-2', 'c-2', '2026-03-03T10:00:00.000Z', { nextBillDate: '2026-03-20', price: 2500 }, agent),
    purchaseStarted('p-4', 'c-4', '2026-03-02T08:00:00.000Z', { nextBillDate: '2026-03-16' }),
    purchaseCancelled('p-4', 'c-4', '2026-03-04T10:00:00.000Z', { reason: 'moving', previousStatus: 'TRIAL', cycle: 1, actor: agent }),
  ];

  it('sums what each bill date will charge (price + shipping) for the 30 days from the as-of day', () =>
    given(...events).when('projected-billing', { asOf: '2026-03-05T00:00:00.000Z' }).then([
      { date: '2026-03-15', currency: 'USD', purchases: 1, amount: 4999 },
      { date: '2026-03-20', currency: 'USD', purchases: 1, amount: 2500 },
    ]));

  it('as of before the update and the cancellation: the old date and price, and the cancelled purchase still due', () =>
    given(...events).when('projected-billing', { asOf: '2026-03-02T23:00:00.000Z' }).then([
      { date: '2026-03-15', currency: 'USD', purchases: 2, amount: 6999 },
      { date: '2026-03-16', currency: 'USD', purchases: 1, amount: 4999 },
    ]));

  it('from/to choose the bill dates', () =>
    given(...events).when('projected-billing', { asOf: '2026-03-05T00:00:00.000Z', from: '2026-04-01', to: '2026-05-31' }).then([{ date: '2026-05-01', currency: 'USD', purchases: 1, amount: 4999 }]));
});

describe('reports: retention by start month', () => {
  const events = [
    purchaseStarted('p-1', 'c-1', '2026-01-10T08:00:00.000Z', { nextBillDate: '2026-01-24' }),
    purchaseStarted('p-2', 'c-2', '2026-01-11T08:00:00.000Z', { nextBillDate: '2026-01-25' }),
    purchaseStarted('p-3', 'c-3', '2026-02-11T08:00:00.000Z', { nextBillDate: '2026-02-25' }),
    purchaseBilled('p-1', 'c-1', '2026-01-24T06:00:00.000Z', { cycle: 2, previousStatus: 'TRIAL', status: 'ACTIVE', nextBillDate: '2026-02-23' }),
    purchaseBilled('p-1', 'c-1', '2026-02-23T06:00:00.000Z', { cycle: 3, previousStatus: 'ACTIVE', status: 'ACTIVE', nextBillDate: '2026-03-25' }),
  ];

  it('gives the share of the purchases started in a month that reached each cycle', () =>
    given(...events).when('retention', { asOf: '2026-03-01T00:00:00.000Z' }).then([
      { startMonth: '2026-01', cycle: 1, purchases: 2, share: 1 },
      { startMonth: '2026-01', cycle: 2, purchases: 1, share: 0.5 },
      { startMonth: '2026-01', cycle: 3, purchases: 1, share: 0.5 },
      { startMonth: '2026-02', cycle: 1, purchases: 1, share: 1 },
    ]));

  it('as of an earlier moment, and from/to choosing start months', () => {
    given(...events).when('retention', { asOf: '2026-02-01T00:00:00.000Z' }).then([
      { startMonth: '2026-01', cycle: 1, purchases: 2, share: 1 },
      { startMonth: '2026-01', cycle: 2, purchases: 1, share: 0.5 },
    ]);
    given(...events).when('retention', { asOf: '2026-03-01T00:00:00.000Z', from: '2026-02-01', to: '2026-02-28' }).then([{ startMonth: '2026-02', cycle: 1, purchases: 1, share: 1 }]);
  });
});

describe('reports: chargebacks per day and reason', () => {
  const events = [
    chargebackMarked('t-1', 'c-1', '2026-03-01T10:00:00.000Z', { amount: 4999, reasonCode: '4837', actor: agent }),
    chargebackMarked('t-2', 'c-2', '2026-03-01T11:00:00.000Z', { amount: 1000, reasonCode: '4837', actor: agent }),
    chargebackReverted('t-1', 'c-1', '2026-03-03T10:00:00.000Z', 4999, agent),
  ];

  it('counts and sums the marks, and the reverts under the reason of their mark', () =>
    given(...events).when('chargebacks', { asOf: '2026-03-05T00:00:00.000Z' }).then([
      { day: '2026-03-01', reason: '4837', count: 2, amount: 5999, reverted: 0, revertedAmount: 0 },
      { day: '2026-03-03', reason: '4837', count: 0, amount: 0, reverted: 1, revertedAmount: 4999 },
    ]));
});

describe('reports: customer-service actions per agent', () => {
  const events = [
    orderCancelled('o-1', 'c-1', '2026-03-01T09:10:00.000Z', 'fraud', agent),
    orderCancelled('o-2', 'c-2', '2026-03-01T09:20:00.000Z', 'fraud', agent),
    chargebackMarked('t-1', 'c-1', '2026-03-02T10:00:00.000Z', { amount: 4999, reasonCode: '4837', actor: bob }),
    // what a service or a job did, and what a reaction did on an agent's behalf, is nobody's action
    purchaseStarted('p-1', 'c-1', '2026-03-01T08:00:00.000Z', { nextBillDate: '2026-03-15' }),
    { ...purchaseCancelled('p-1', 'c-1', '2026-03-01T09:10:01.000Z', { reason: 'order cancelled', previousStatus: 'TRIAL', cycle: 1, actor: agent }), causationId: 'evt-order-cancelled' },
  ];

  it('counts per agent and kind of action, from the events of their requests', () =>
    given(...events).when('agent-actions', { asOf: '2026-03-05T00:00:00.000Z' }).then([
      { agent: 'alice', role: 'agent', action: 'OrderCancelled', count: 2 },
      { agent: 'bob', role: 'admin', action: 'ChargebackMarked', count: 1 },
    ]));

  it('from/to choose the days counted', () =>
    given(...events).when('agent-actions', { asOf: '2026-03-05T00:00:00.000Z', from: '2026-03-02', to: '2026-03-02' }).then([{ agent: 'bob', role: 'admin', action: 'ChargebackMarked', count: 1 }]));
});

describe('reports: what a step reads and writes', () => {
  it('an event its stream\'s facts already saw adds nothing', () => {
    const started = purchaseStarted('p-1', 'c-1', '2026-03-01T08:00:00.000Z', { nextBillDate: '2026-03-15' });
    const first = reportStep(undefined, started);
    expect(first.deltas.length).toBeGreaterThan(0);
    expect(reportStep(first.facts, started)).toEqual({ deltas: [] });
  });

  it('an event counts once: read again at the same position (a restart, a rebalance) or republished under a new id at a later one', () => {
    const cancelled = orderCancelled('o-1', 'c-1', '2026-03-01T09:10:00.000Z', 'customer changed their mind', agent);
    const other = orderCancelled('o-2', 'c-2', '2026-03-01T09:20:00.000Z', 'customer changed their mind', agent);
    const query = { asOf: '2026-03-05T00:00:00.000Z' };
    const rowsOf = (events: EventEnvelope[], positions: Array<{ partition: string; offset: number }>) => reportOf('cancellations', foldReportEvents(events, positions), query).rows;
    const once = [{ day: '2026-03-01', kind: 'ORDER', reason: 'customer changed their mind', count: 2 }];
    // redelivered from the same partition and offset, after the other partition's event
    expect(rowsOf([cancelled, other, cancelled], [{ partition: 'orders/0', offset: 7 }, { partition: 'orders/1', offset: 3 }, { partition: 'orders/0', offset: 7 }])).toEqual(once);
    // the same event published again under a new event id: its stream's facts saw it
    expect(rowsOf([cancelled, other, { ...cancelled, eventId: 'republished' }], [{ partition: 'orders/0', offset: 7 }, { partition: 'orders/1', offset: 3 }, { partition: 'orders/0', offset: 8 }])).toEqual(once);
  });

  it('a bucket keeps one position per partition, however many events the day counts', () => {
    const delta = { report: 'cancellations' as const, key: ['ORDER', 'reason'], count: 1, amount: 0 };
    let bucket: StoredBucket = { report: 'cancellations', day: '2026-03-01', cells: [], counted: [] };
    for (let offset = 0; offset < 1000; offset++) bucket = countOnce(bucket, { partition: `orders/${offset % 3}`, offset }, 9, [delta]) ?? bucket;
    expect(bucket.counted).toHaveLength(3);
    expect(bucket.cells).toEqual([{ key: ['ORDER', 'reason'], hour: 9, count: 1000, amount: 0 }]);
    expect(countOnce(bucket, { partition: 'orders/1', offset: 997 }, 9, [delta])).toBeUndefined();
  });

  it('a bucket sums the deltas per row and hour, and drops a row that comes back to nothing', () => {
    const bucket = addToBucket({ report: 'continuity', day: '2026-03-01', cells: [] }, 9, [
      { report: 'continuity', key: ['TRIAL', '1'], count: 1, amount: 0 },
      { report: 'continuity', key: ['TRIAL', '1'], count: 1, amount: 0 },
      { report: 'retention', key: ['2026-03', '1'], count: 1, amount: 0 },
    ]);
    expect(bucket.cells).toEqual([{ key: ['TRIAL', '1'], hour: 9, count: 2, amount: 0 }]);
    const later = addToBucket(bucket, 10, [{ report: 'continuity', key: ['TRIAL', '1'], count: -1, amount: 0 }]);
    expect(addToBucket(later, 10, [{ report: 'continuity', key: ['TRIAL', '1'], count: 1, amount: 0 }]).cells).toEqual([{ key: ['TRIAL', '1'], hour: 9, count: 2, amount: 0 }]);
  });

  it('a document becomes the bucket its deltas name, or the facts it is given', () => {
    const envelope = (type: string, data: unknown) => ({ ...purchaseStarted('p-9', 'c-9', '2026-03-01T08:00:00.000Z', { nextBillDate: '2026-03-15' }), type, data }) as never;
    expect(evolveReportDocument(EMPTY_REPORT_DOCUMENT, envelope('ReportDeltasCounted', { report: 'cancellations', day: '2026-03-01', hour: 8, deltas: [{ report: 'cancellations', key: ['ORDER', 'x'], count: 1, amount: 0 }] }))).toEqual({
      kind: 'bucket',
      report: 'cancellations',
      day: '2026-03-01',
      cells: [{ key: ['ORDER', 'x'], hour: 8, count: 1, amount: 0 }],
    });
    const facts = { kind: 'chargeback', seen: 1, reason: '4837', amount: 100 };
    expect(evolveReportDocument(EMPTY_REPORT_DOCUMENT, envelope('ReportFactsRecorded', { facts }))).toEqual({ kind: 'facts', facts });
  });

  it('a daily report reads the buckets of its window up to the as-of day; a state report every day up to it', () => {
    expect(bucketDays('cancellations', { asOf: '2026-03-10T12:00:00.000Z' })).toEqual({ from: '2026-02-09', to: '2026-03-10' });
    expect(bucketDays('cancellations', { asOf: '2026-03-10T12:00:00.000Z', from: '2026-03-01', to: '2026-04-30' })).toEqual({ from: '2026-03-01', to: '2026-03-10' });
    expect(bucketDays('cancellations', { asOf: '2026-03-10T12:00:00.000Z', from: '2026-03-11' })).toBeUndefined();
    expect(bucketDays('continuity', { asOf: '2026-03-10T12:00:00.000Z' })).toEqual({ from: null, to: '2026-03-10' });
  });
});

describe('reports: CSV', () => {
  it('has a header line of the columns, then a line per row; quotes what needs it and keeps formulas text', () => {
    const csv = reportCsv({
      columns: ['day', 'kind', 'reason', 'count'],
      rows: [
        { day: '2026-03-01', kind: 'ORDER', reason: 'said "no", twice', count: 2 },
        { day: '2026-03-02', kind: 'ORDER', reason: '=HYPERLINK("x")', count: -1 },
      ],
    });
    expect(csv).toBe('day,kind,reason,count\r\n2026-03-01,ORDER,"said ""no"", twice",2\r\n2026-03-02,ORDER,"\'=HYPERLINK(""x"")",-1\r\n');
  });
});

describe('reports: a batch at a time', () => {
  // one partition's batch: several streams, several days, facts that change within the batch
  const events = [
    purchaseStarted('p-1', 'c-1', '2026-02-01T08:00:00.000Z', { nextBillDate: '2026-02-15' }),
    orderCancelled('o-1', 'c-2', '2026-02-01T09:10:00.000Z', 'customer changed their mind', agent),
    purchaseStarted('p-2', 'c-2', '2026-02-02T08:00:00.000Z', { nextBillDate: '2026-02-16' }),
    chargebackMarked('t-1', 'c-1', '2026-02-02T10:00:00.000Z', { amount: 4999, reasonCode: '4837', actor: agent }),
    purchaseBilled('p-1', 'c-1', '2026-02-15T06:00:00.000Z', { cycle: 2, previousStatus: 'TRIAL', status: 'ACTIVE', nextBillDate: '2026-03-17' }),
    purchaseCancelled('p-2', 'c-2', '2026-02-16T10:00:00.000Z', { reason: 'moving', previousStatus: 'TRIAL', cycle: 1, actor: agent }),
    chargebackReverted('t-1', 'c-1', '2026-02-16T11:00:00.000Z', 4999, agent),
    purchaseUpdated('p-1', 'c-1', '2026-02-16T12:00:00.000Z', { price: 2999 }, bob),
  ];
  const partition = 'events/0';
  /** the events at offsets 0, 1, ... of one partition, as foldReportEvents reads them by default */
  const batchOf = (from: number, to: number): BatchEvent[] => events.slice(from, to).map((event, index) => ({ event, offset: from + index }));

  /** a store of facts and buckets, as the reports' consumer keeps them */
  const newStore = () => ({ facts: new Map<string, ReportFacts>(), buckets: new Map<string, StoredBucket>() });
  type Store = ReturnType<typeof newStore>;
  /** a batch as the view applies it: facts read, buckets written, then facts; `crashAfter` buckets written it stops */
  const applyBatch = (store: Store, batch: readonly BatchEvent[], crashAfter?: number) => {
    const plan = planReportBatch(new Map(batch.map(({ event }) => [event.streamId, store.facts.get(event.streamId)])), batch);
    for (const [index, changes] of plan.buckets.entries()) {
      if (crashAfter !== undefined && index >= crashAfter) return;
      const next = countBatchOnce(store.buckets.get(changes.id) ?? { report: changes.report, day: changes.day, cells: [], counted: [] }, partition, changes.entries);
      if (next) store.buckets.set(changes.id, next);
    }
    if (crashAfter !== undefined) return;
    for (const [streamId, { facts }] of plan.facts) store.facts.set(streamId, facts);
  };
  /** buckets in one order, cells in one order, without their read positions */
  const normalized = (buckets: readonly ReportBucket[]) =>
    [...buckets]
      .map(({ report, day, cells }) => ({ report, day, cells: [...cells].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) }))
      .sort((a, b) => `${a.report}@${a.day}`.localeCompare(`${b.report}@${b.day}`));
  const oneAtATime = normalized(foldReportEvents(events));

  it('counts what the same events applied one at a time count', () => {
    const store = newStore();
    applyBatch(store, batchOf(0, events.length));
    expect(oneAtATime.length).toBeGreaterThan(4);
    expect(normalized([...store.buckets.values()])).toEqual(oneAtATime);
  });

  it('keeps each stream\'s facts in memory between its events: one facts write per stream, the last', () => {
    const plan = planReportBatch(new Map(), batchOf(0, events.length));
    expect([...plan.facts.keys()].sort()).toEqual(['o-1', 'p-1', 'p-2', 't-1'].map((id) => events.find((event) => event.streamId.endsWith(id))!.streamId).sort());
    expect(plan.facts.get(events[0]!.streamId)?.event).toBe(events[7]);
    const buckets = new Set(plan.buckets.map((changes) => changes.id));
    expect(buckets.size).toBe(plan.buckets.length);
  });

  it('a batch delivered again after a crash midway (some buckets written, no facts) counts each event once', () => {
    for (let crashAfter = 0; crashAfter <= oneAtATime.length; crashAfter++) {
      const store = newStore();
      applyBatch(store, batchOf(0, 3));
      applyBatch(store, batchOf(3, events.length), crashAfter);
      applyBatch(store, batchOf(3, events.length));
      expect(normalized([...store.buckets.values()])).toEqual(oneAtATime);
    }
  });

  it('a batch delivered again whole after part of it was counted (its first events handled one at a time) counts each event once', () => {
    for (let handled = 1; handled < events.length; handled++) {
      const store = newStore();
      // the first events of the batch counted and their facts stored, one batch of one event each
      for (let offset = 0; offset < handled; offset++) applyBatch(store, batchOf(offset, offset + 1));
      applyBatch(store, batchOf(0, events.length));
      expect(normalized([...store.buckets.values()])).toEqual(oneAtATime);
    }
  });

  it('a bucket counts only the entries after the offset it counted for the partition, and moves that offset to the last', () => {
    const entry = (offset: number, hour: number) => ({ offset, hour, deltas: [{ report: 'cancellations' as const, key: ['ORDER', 'moving'], count: 1, amount: 0 }] });
    const bucket: StoredBucket = { report: 'cancellations', day: '2026-03-01', cells: [{ key: ['ORDER', 'moving'], hour: 9, count: 2, amount: 0 }], counted: [{ partition, offset: 11 }, { partition: 'events/1', offset: 40 }] };
    const next = countBatchOnce(bucket, partition, [entry(10, 9), entry(11, 9), entry(12, 9), entry(14, 10)]);
    expect(next?.cells).toEqual([
      { key: ['ORDER', 'moving'], hour: 9, count: 3, amount: 0 },
      { key: ['ORDER', 'moving'], hour: 10, count: 1, amount: 0 },
    ]);
    expect(next?.counted).toEqual([{ partition: 'events/1', offset: 40 }, { partition, offset: 14 }]);
    expect(countBatchOnce(bucket, partition, [entry(10, 9), entry(11, 9)])).toBeUndefined();
    expect(countBatchOnce(bucket, 'events/2', [entry(3, 9)])?.counted).toEqual([...bucket.counted, { partition: 'events/2', offset: 3 }]);
  });
});
