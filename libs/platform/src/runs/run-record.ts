import { createHash } from 'node:crypto';
import { Actor } from '@continuum/contracts';

/** The collection of run records in the service's database. */
export const RUNS_COLLECTION = 'runs';

export type RunStatus = 'RUNNING' | 'DONE' | 'FAILED';

export interface RunProgress {
  readonly done: number;
  readonly total: number;
}

/**
 * One run (export, billing, settlement) as stored in `runs`: started over HTTP (with or without
 * `Prefer: respond-async`) or by a scheduled job. `result` is what the synchronous call answers.
 */
export interface RunRecord<R = unknown> {
  readonly _id: string;
  readonly kind: string;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly progress: RunProgress;
  readonly result?: R;
  readonly error?: string;
  /** who started it: the API key's actor, or the system actor of a scheduled run */
  readonly startedBy: Actor;
  /** `true` when it runs as a queued job (Prefer: respond-async or a schedule), `false` inside its request */
  readonly queued: boolean;
  /** the last write, a heartbeat of a running run */
  readonly updatedAt: string;
}

/** What GET /<kind>-runs/:id answers. */
export interface RunAnswer<R = unknown> {
  readonly runId: string;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly progress: RunProgress;
  readonly result?: R;
  readonly error?: string;
}

export function runAnswer<R>(record: RunRecord<R>): RunAnswer<R> {
  return {
    runId: record._id,
    status: record.status,
    startedAt: record.startedAt,
    ...(record.finishedAt !== undefined ? { finishedAt: record.finishedAt } : {}),
    progress: { done: record.progress.done, total: record.progress.total },
    ...(record.result !== undefined && record.result !== null ? { result: record.result } : {}),
    ...(record.error !== undefined && record.error !== null ? { error: record.error } : {}),
  };
}

const RUN_ID = /^[a-z]+-[0-9a-f-]{8,64}$/;

/**
 * The id of a new run of `kind`. A request with an Idempotency-Key (already scoped by its user) gets
 * an id derived from that key, so a retried request that failed half-way runs under the same id and
 * its items (keyed by run id) are not done twice; otherwise `fresh()` (a uuid).
 */
export function newRunId(kind: string, idempotencyKey: string | undefined, fresh: () => string): string {
  if (idempotencyKey !== undefined) return `${kind}-${createHash('sha256').update(`${kind}:${idempotencyKey}`).digest('hex').slice(0, 32)}`;
  return `${kind}-${fresh()}`;
}

/** Whether `id` can be a run id at all (anything else is simply not found). */
export function isRunId(id: string): boolean {
  return RUN_ID.test(id);
}

/** The idempotency key of one item of a run: the run id and the item's id (keys belong to the item's stream). */
export function runItemKey(runId: string, itemId: string): string {
  return `run:${runId}:${itemId}`;
}

/**
 * Whether a `Prefer` header (RFC 7240) asks for `respond-async`: comma-separated preferences, each a
 * token, maybe `=value` and `;parameters`; tokens are case-insensitive. A repeated header arrives joined by commas.
 */
export function prefersAsync(prefer: string | readonly string[] | undefined): boolean {
  if (prefer === undefined) return false;
  const values = typeof prefer === 'string' ? [prefer] : prefer;
  return values.some((value) =>
    value
      .split(',')
      .map((preference) => preference.split(';')[0]!.split('=')[0]!.trim().toLowerCase())
      .includes('respond-async'),
  );
}

/**
 * When a run writes its progress: at the first item, then after `everyItems` more items or
 * `everyMs` since the last write, and at the last item; so a big run writes a bounded number of
 * times (not once per item) and a slow one still shows movement. Pure: the caller passes the time.
 */
export class ProgressThrottle {
  private lastDone = -1;
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly everyItems = 100,
    private readonly everyMs = 1_000,
  ) {}

  /** `true` when progress `done` of `total` at `nowMs` should be written; it then counts as written. */
  due(done: number, total: number, nowMs: number): boolean {
    const write = this.lastDone < 0 || done >= total || done - this.lastDone >= this.everyItems || nowMs - this.lastAt >= this.everyMs;
    if (write && done !== this.lastDone) {
      this.lastDone = done;
      this.lastAt = nowMs;
      return true;
    }
    return false;
  }
}
