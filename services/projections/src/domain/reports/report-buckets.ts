/**
 * The reports of the projections service (docs/projections.md, "Reports") are sums of small changes
 * ("deltas") that events make to a report's rows. Each change is counted in the bucket of its report
 * and the UTC day the event occurred, under the hour of that day, so a report as of any moment is the
 * sum of the buckets up to that moment (whole days before it, the hours of its own day up to its hour).
 */

/** Every report, as named in `GET /reports/<name>`. */
export const REPORT_NAMES = ['cancellations', 'continuity', 'projected-billing', 'retention', 'chargebacks', 'agent-actions'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export const isReportName = (name: string): name is ReportName => (REPORT_NAMES as readonly string[]).includes(name);

/** What one event changes in one report: the row it counts in (the report's dimensions), up or down. */
export interface ReportDelta {
  readonly report: ReportName;
  readonly key: readonly string[];
  readonly count: number;
  readonly amount: number;
}

/** The sums of a row key's deltas in one hour of a bucket's day. */
export interface ReportCell {
  readonly key: readonly string[];
  /** hour of the UTC day, 0..23 */
  readonly hour: number;
  readonly count: number;
  readonly amount: number;
}

/** One report's changes on one UTC day (`_id` `<report>@<day>`). */
export interface ReportBucket {
  readonly report: ReportName;
  /** `YYYY-MM-DD` (UTC) */
  readonly day: string;
  readonly cells: readonly ReportCell[];
}

/** A moment as the buckets resolve it: a UTC day and an hour of it. */
export interface BucketMoment {
  readonly day: string;
  readonly hour: number;
}

/** The id of the bucket of `report` on `day`. */
export const bucketId = (report: ReportName, day: string) => `${report}@${day}`;

/** The day and hour of an ISO-8601 UTC instant (`2026-03-02T10:15:00.000Z` -> 2026-03-02, 10). */
export const momentOf = (iso: string): BucketMoment => ({ day: iso.slice(0, 10), hour: Number(iso.slice(11, 13)) || 0 });

/** One string per row key (and hour), for maps: the parts may hold any character. */
const cellKey = (key: readonly string[], hour?: number) => JSON.stringify(hour === undefined ? key : [...key, hour]);

/**
 * The bucket with `deltas` (all of its report) counted under `hour`: a cell per key and hour, a cell
 * whose count and amount come back to zero is dropped (a purchase that moved out again the same hour).
 */
export function addToBucket(bucket: ReportBucket, hour: number, deltas: readonly ReportDelta[]): ReportBucket {
  const cells = new Map(bucket.cells.map((cell) => [cellKey(cell.key, cell.hour), cell]));
  for (const delta of deltas) {
    if (delta.report !== bucket.report) continue;
    const id = cellKey(delta.key, hour);
    const before = cells.get(id) ?? { key: [...delta.key], hour, count: 0, amount: 0 };
    const after = { ...before, count: before.count + delta.count, amount: before.amount + delta.amount };
    if (after.count !== 0 || after.amount !== 0) cells.set(id, after);
    else cells.delete(id);
  }
  return { ...bucket, cells: [...cells.values()] };
}

/** Where the reports' consumer read an event: a topic's partition (`<topic>/<partition>`) and the event's offset in it. */
export interface ReadPosition {
  readonly partition: string;
  readonly offset: number;
}

/**
 * A bucket as stored: with, per partition, the offset of the last event counted in it. A partition
 * is read in offset order, so an event at or before that offset (delivered again after a restart or
 * a rebalance) was counted: the guard is one number per partition, however many events the day has.
 */
export interface StoredBucket extends ReportBucket {
  readonly counted: readonly ReadPosition[];
}

/** The bucket with `deltas` counted under `hour`, read at `at`; undefined when an event read there was counted already. */
export function countOnce(bucket: StoredBucket, at: ReadPosition, hour: number, deltas: readonly ReportDelta[]): StoredBucket | undefined {
  const last = bucket.counted.find((position) => position.partition === at.partition);
  if (last && last.offset >= at.offset) return undefined;
  const counted = [...bucket.counted.filter((position) => position.partition !== at.partition), { partition: at.partition, offset: at.offset }];
  return { ...addToBucket(bucket, hour, deltas), counted };
}

/** A row key's sums on one day. */
export interface DaySum {
  readonly day: string;
  readonly key: readonly string[];
  readonly count: number;
  readonly amount: number;
}

/**
 * Per day and row key, the sums of the buckets' cells up to `until` (inclusive: the days before its
 * day whole, its day up to and including its hour); later days and hours are left out. Days in
 * ascending order.
 */
export function sumsUntil(buckets: readonly ReportBucket[], until: BucketMoment): DaySum[] {
  const sums: DaySum[] = [];
  for (const bucket of [...buckets].sort((a, b) => a.day.localeCompare(b.day))) {
    if (bucket.day > until.day) continue;
    const day = new Map<string, DaySum>();
    for (const cell of bucket.cells) {
      if (bucket.day === until.day && cell.hour > until.hour) continue;
      const id = cellKey(cell.key);
      const sum = day.get(id);
      day.set(id, sum ? { ...sum, count: sum.count + cell.count, amount: sum.amount + cell.amount } : { day: bucket.day, key: cell.key, count: cell.count, amount: cell.amount });
    }
    sums.push(...[...day.values()].filter((sum) => sum.count !== 0 || sum.amount !== 0));
  }
  return sums;
}

/** The sums over every day given, per row key (the state reports: deltas since the first event). */
export function totalsOf(sums: readonly DaySum[]): Array<{ key: readonly string[]; count: number; amount: number }> {
  const totals = new Map<string, { key: readonly string[]; count: number; amount: number }>();
  for (const sum of sums) {
    const id = cellKey(sum.key);
    const total = totals.get(id);
    totals.set(id, total ? { ...total, count: total.count + sum.count, amount: total.amount + sum.amount } : { key: sum.key, count: sum.count, amount: sum.amount });
  }
  return [...totals.values()].filter((total) => total.count !== 0 || total.amount !== 0);
}
