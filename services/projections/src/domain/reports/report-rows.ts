import { BucketMoment, DaySum, momentOf, ReportBucket, ReportName, sumsUntil, totalsOf } from './report-buckets';

/** A report's rows are flat records of strings and numbers (one CSV line each). */
export type ReportRow = Readonly<Record<string, string | number>>;

/** The columns of each report, in order: the JSON rows' fields and the CSV header. */
export const REPORT_COLUMNS: Readonly<Record<ReportName, readonly string[]>> = {
  cancellations: ['day', 'kind', 'reason', 'count'],
  continuity: ['status', 'cycle', 'purchases'],
  'projected-billing': ['date', 'currency', 'purchases', 'amount'],
  retention: ['startMonth', 'cycle', 'purchases', 'share'],
  chargebacks: ['day', 'reason', 'count', 'amount', 'reverted', 'revertedAmount'],
  'agent-actions': ['agent', 'role', 'action', 'count'],
};

/**
 * Reports that count what happened on each day (read from the buckets of the days asked for only);
 * the others are states (what the purchases are as of a moment: every bucket up to it).
 */
const DAILY: readonly ReportName[] = ['cancellations', 'chargebacks', 'agent-actions'];

/** Days a report covers when `from`/`to` are left out: this many, ending (daily) or starting (projected billing) on the as-of day. */
export const DEFAULT_DAYS = 30;

export interface ReportQuery {
  /** ISO-8601 UTC instant */
  readonly asOf: string;
  /** `YYYY-MM-DD` (UTC), inclusive */
  readonly from?: string;
  readonly to?: string;
}

export interface Report {
  readonly report: ReportName;
  readonly asOf: string;
  /** the days (or, for retention, start months' days) the rows cover; null: not bounded */
  readonly from: string | null;
  readonly to: string | null;
  readonly columns: readonly string[];
  readonly rows: readonly ReportRow[];
}

/** `day` moved by `days` (calendar arithmetic in UTC). */
export function addDays(day: string, days: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, date + days)).toISOString().slice(0, 10);
}

/** The window of days a report's rows cover, from the query and its defaults. */
export function windowOf(report: ReportName, query: ReportQuery): { from: string | null; to: string | null } {
  const today = query.asOf.slice(0, 10);
  if (DAILY.includes(report)) {
    const to = query.to ?? today;
    return { from: query.from ?? addDays(query.to ?? today, -(DEFAULT_DAYS - 1)), to };
  }
  if (report === 'projected-billing') {
    const from = query.from ?? (query.to !== undefined && query.to < today ? addDays(query.to, -(DEFAULT_DAYS - 1)) : today);
    return { from, to: query.to ?? addDays(from, DEFAULT_DAYS - 1) };
  }
  return { from: query.from ?? null, to: query.to ?? null };
}

/**
 * The bucket days a report needs read (inclusive): a daily report the days of its window up to the
 * as-of day; a state report every day up to the as-of day (from: null, the first).
 */
export function bucketDays(report: ReportName, query: ReportQuery): { from: string | null; to: string } | undefined {
  const today = query.asOf.slice(0, 10);
  if (!DAILY.includes(report)) return { from: null, to: today };
  const window = windowOf(report, query);
  const to = window.to! < today ? window.to! : today;
  return window.from! > to ? undefined : { from: window.from, to };
}

const within = (day: string, window: { from: string | null; to: string | null }) => (window.from === null || day >= window.from) && (window.to === null || day <= window.to);
const byColumns = (columns: readonly string[]) => (a: ReportRow, b: ReportRow) => {
  for (const column of columns) {
    const [x, y] = [a[column]!, b[column]!];
    if (x === y) continue;
    return typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
  }
  return 0;
};

/** Order of statuses in the continuity report: a purchase's life from trial to its ends. */
const STATUS_ORDER = ['TRIAL', 'ACTIVE', 'PAUSE_SCHEDULED', 'PAUSED', 'RECYCLE_BILLING', 'RECYCLE_FAILED', 'CANCELLATION_SCHEDULED', 'CANCELLED', 'COMPLETE'];

/**
 * A report as of `query.asOf` from its buckets (pure): the buckets are summed up to that moment
 * (days before it whole, its own day up to the end of its hour), then shaped into the report's rows.
 */
export function reportOf(report: ReportName, buckets: readonly ReportBucket[], query: ReportQuery): Report {
  const until: BucketMoment = momentOf(query.asOf);
  const window = windowOf(report, query);
  const sums = sumsUntil(
    buckets.filter((bucket) => bucket.report === report),
    until,
  );
  const columns = REPORT_COLUMNS[report];
  const rows = rowsOf(report, sums, window).sort(report === 'continuity' ? continuityOrder : byColumns(columns));
  return { report, asOf: query.asOf, from: window.from, to: window.to, columns, rows };
}

const continuityOrder = (a: ReportRow, b: ReportRow) =>
  STATUS_ORDER.indexOf(String(a['status'])) - STATUS_ORDER.indexOf(String(b['status'])) || Number(a['cycle']) - Number(b['cycle']);

function rowsOf(report: ReportName, sums: readonly DaySum[], window: { from: string | null; to: string | null }): ReportRow[] {
  switch (report) {
    case 'cancellations':
      return sums.filter((sum) => within(sum.day, window)).map((sum) => ({ day: sum.day, kind: sum.key[0]!, reason: sum.key[1]!, count: sum.count }));
    case 'chargebacks': {
      const rows = new Map<string, { day: string; reason: string; count: number; amount: number; reverted: number; revertedAmount: number }>();
      for (const sum of sums.filter((candidate) => within(candidate.day, window))) {
        const [reason, what] = [sum.key[0]!, sum.key[1]];
        const id = JSON.stringify([sum.day, reason]);
        const row = rows.get(id) ?? { day: sum.day, reason, count: 0, amount: 0, reverted: 0, revertedAmount: 0 };
        if (what === 'REVERTED') [row.reverted, row.revertedAmount] = [row.reverted + sum.count, row.revertedAmount + sum.amount];
        else [row.count, row.amount] = [row.count + sum.count, row.amount + sum.amount];
        rows.set(id, row);
      }
      return [...rows.values()];
    }
    case 'agent-actions':
      return totalsOf(sums.filter((sum) => within(sum.day, window))).map((total) => ({ agent: total.key[0]!, role: total.key[1]!, action: total.key[2]!, count: total.count }));
    case 'continuity':
      return totalsOf(sums)
        .filter((total) => total.count > 0)
        .map((total) => ({ status: total.key[0]!, cycle: Number(total.key[1]), purchases: total.count }));
    case 'projected-billing':
      return totalsOf(sums)
        .filter((total) => total.count > 0 && within(total.key[0]!, window))
        .map((total) => ({ date: total.key[0]!, currency: total.key[1]!, purchases: total.count, amount: total.amount }));
    case 'retention': {
      const months = { from: window.from?.slice(0, 7) ?? null, to: window.to?.slice(0, 7) ?? null };
      const totals = totalsOf(sums).filter((total) => within(total.key[0]!, months));
      const started = new Map(totals.filter((total) => total.key[1] === '1').map((total) => [total.key[0]!, total.count]));
      return totals.map((total) => {
        const base = started.get(total.key[0]!) ?? 0;
        return { startMonth: total.key[0]!, cycle: Number(total.key[1]), purchases: total.count, share: base === 0 ? 0 : Math.round((total.count / base) * 10_000) / 10_000 };
      });
    }
  }
}

/**
 * A field of a CSV line: quoted when it holds a comma, a quote or a line break (quotes doubled); a
 * text that a spreadsheet would run as a formula (starting with = + - @) gets a leading apostrophe.
 */
const csvField = (value: string | number) => {
  const text = typeof value === 'string' && /^[=+\-@\t]/.test(value) ? `'${value}` : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** The report as CSV: a header line of its columns, then one line per row (CRLF line ends). */
export function reportCsv(report: Pick<Report, 'columns' | 'rows'>): string {
  const lines = [report.columns.map(csvField).join(','), ...report.rows.map((row) => report.columns.map((column) => csvField(row[column] ?? '')).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
