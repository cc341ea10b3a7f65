import { Connection } from 'mongoose';
import { defineSettings, Env, envInt, setting } from '../config';

/**
 * The records kept only to recognise a repeat, each with the time it was written. A repeat comes
 * within minutes (a retried request, a redelivered event, a resent message), so after the retention
 * they only take space: handled events by their group's `handledAt`, HTTP idempotency records by
 * `createdAt`, message fingerprints (`clientOrderId` of orders.intake.v1) by `firstSeenAt`.
 */
export const RETENTION_TARGETS = [
  { collection: 'handled_events', field: 'handledAt' },
  { collection: 'idempotency_records', field: 'createdAt' },
  { collection: 'message_fingerprints', field: 'firstSeenAt' },
] as const;

export interface RetentionSettings {
  /** records older than this many days are removed (`RETENTION_DAYS`, default 7; a fraction of a day with `RETENTION_MS`) */
  readonly retentionDays: number;
  /** how often a service runs the cleanup (`RETENTION_CLEANUP_INTERVAL_MS`, default hourly) */
  readonly cleanupIntervalMs: number;
}

const DAY_MS = 86_400_000;

const retentionSettings = defineSettings('retention', {
  days: setting.int('RETENTION_DAYS', 7, { min: 1, max: 3650 }),
  /** empty or unset: none (0); otherwise at least 1 s */
  retentionMs: setting.custom('RETENTION_MS', (env) => (env['RETENTION_MS'] === undefined || env['RETENTION_MS'].trim() === '' ? 0 : envInt(env, 'RETENTION_MS', DAY_MS, { min: 1_000, max: 3650 * DAY_MS }))),
  cleanupIntervalMs: setting.int('RETENTION_CLEANUP_INTERVAL_MS', 3_600_000, { min: 1_000 }),
});

/**
 * Reads RETENTION_DAYS and RETENTION_CLEANUP_INTERVAL_MS; a bad value stops the start naming the
 * variable. RETENTION_MS (at least 1000), when set, replaces RETENTION_DAYS with a retention in
 * milliseconds: for measuring the cleanup in minutes (`npm run bench -- retention-steady`), not for a
 * deployment, where a repeat must still be recognised days later.
 */
export function readRetentionSettings(env: Env): RetentionSettings {
  const { days, retentionMs, cleanupIntervalMs } = retentionSettings.load(env);
  return { retentionDays: retentionMs === 0 ? days : retentionMs / DAY_MS, cleanupIntervalMs };
}

/** Which store a connection talks to: FerretDB says so in buildInfo (`ferretdbVersion`). */
export async function storeKind(connection: Connection): Promise<'mongodb' | 'ferretdb'> {
  const info = (await connection.db!.admin().command({ buildInfo: 1 })) as { ferretdbVersion?: unknown };
  return info.ferretdbVersion === undefined ? 'mongodb' : 'ferretdb';
}

/**
 * On MongoDB a TTL index on each record's time field (`expireAfterSeconds` = the retention), so the
 * server removes expired records by itself and the scheduled cleanup finds little; a TTL index whose
 * retention changed is altered with collMod. On FerretDB nothing: it has no TTL, and its SQLite
 * backend would not use an index on the field for a range (the cleanup reads in natural order
 * instead, see removeExpiredRecords), so an index would only cost every insert. Returns the store.
 */
export async function ensureRetentionIndexes(connection: Connection, retentionDays: number): Promise<'mongodb' | 'ferretdb'> {
  const kind = await storeKind(connection);
  if (kind === 'ferretdb') return kind;
  const expireAfterSeconds = Math.round((retentionDays * DAY_MS) / 1000);
  for (const { collection, field } of RETENTION_TARGETS) {
    const name = `${field}_retention`;
    try {
      await connection.db!.collection(collection).createIndex({ [field]: 1 }, { name, expireAfterSeconds });
    } catch (error) {
      // an existing TTL index with another retention: change it in place
      if ((error as { codeName?: string }).codeName !== 'IndexOptionsConflict') throw error;
      await connection.db!.command({ collMod: collection, index: { name, expireAfterSeconds } });
    }
  }
  return kind;
}

export interface CleanupResult {
  /** removed per collection */
  readonly removed: Record<string, number>;
  readonly cutoff: Date;
}

/**
 * Removes every record whose time is before `now - retentionDays`, in batches of `batchSize`
 * (each a read of at most that many records, then one bulk of `_id` deletes, each still checked
 * against the cutoff), so no delete holds FerretDB's per-collection write lock for long.
 * - MongoDB: the batch is read by a range on the time field, through its index.
 * - FerretDB: a filter on any field but `_id` reads the whole collection (11.6 s at 100,000
 *   records, docs/operations.md), so the batch is read in the store's natural order instead, which
 *   is the order records were written: the oldest come first. The walk stops at the first batch
 *   with nothing expired. A record written far out of order (an instance whose clock was far
 *   behind) waits until the records before it have expired.
 */
export async function removeExpiredRecords(
  connection: Connection,
  options: { now: Date; retentionDays: number; store?: 'mongodb' | 'ferretdb'; batchSize?: number },
): Promise<CleanupResult> {
  const cutoff = new Date(options.now.getTime() - options.retentionDays * DAY_MS);
  const batchSize = options.batchSize ?? 1_000;
  const store = options.store ?? (await storeKind(connection));
  const removed: Record<string, number> = {};
  for (const { collection, field } of RETENTION_TARGETS) {
    const records = connection.db!.collection<{ _id: string } & Record<string, unknown>>(collection);
    const filter = store === 'mongodb' ? { [field]: { $lt: cutoff } } : {};
    let count = 0;
    for (;;) {
      const batch = await records.find(filter, { projection: { _id: 1, [field]: 1 }, limit: batchSize }).toArray();
      const expired = batch.filter((record) => record[field] instanceof Date && (record[field] as Date).getTime() < cutoff.getTime());
      if (expired.length === 0) break;
      const result = await records.bulkWrite(
        expired.map((record) => ({ deleteOne: { filter: { _id: record._id, [field]: { $lt: cutoff } } } })),
        { ordered: false },
      );
      count += result.deletedCount;
      if (batch.length < batchSize) break;
    }
    removed[collection] = count;
  }
  return { removed, cutoff };
}
