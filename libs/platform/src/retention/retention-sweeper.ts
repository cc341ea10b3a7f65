import { Connection } from 'mongoose';
import { RunnerLogger } from '../kafka';
import type { SweeperReport } from '../ops/sweepers';
import { CleanupResult, ensureRetentionIndexes, removeExpiredRecords, RetentionSettings } from './retention';

/** the first cleanup after a start */
const FIRST_RUN_AFTER_MS = 60_000;

/**
 * The scheduled cleanup of one service: at start the TTL indexes when the store is MongoDB, then
 * `removeExpiredRecords` a minute after start and every `cleanupIntervalMs` after that. Every
 * instance runs it; two at once only delete the same records. A failed run is logged and the next
 * one tries again.
 */
export class RetentionSweeper {
  private timer?: NodeJS.Timeout;
  private running?: Promise<CleanupResult | undefined>;
  private store?: 'mongodb' | 'ferretdb';
  private report?: SweeperReport;

  constructor(
    private readonly connection: Connection,
    private readonly settings: RetentionSettings,
    private readonly logger: RunnerLogger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Reports every run (its removals, or its failure) to the service's sweeper registry (GET /ops, /metrics). */
  reportTo(report: SweeperReport): void {
    this.report = report;
  }

  async start(): Promise<void> {
    try {
      const store = await ensureRetentionIndexes(this.connection, this.settings.retentionDays);
      this.store = store;
      this.logger.info({ store, retentionDays: this.settings.retentionDays }, store === 'mongodb' ? 'retention: TTL indexes in place' : 'retention: scheduled cleanup only (this store keeps no TTL index)');
    } catch (error) {
      // the cleanup removes the same records without them; a service does not fail to start for an index
      this.logger.warn({ err: error }, 'retention: could not create the TTL indexes; the scheduled cleanup still runs');
    }
    // the first run a minute after start (or sooner with a shorter interval), so an instance that is
    // restarted more often than the interval still cleans up; then every interval
    this.timer = setTimeout(() => {
      void this.runOnce();
      this.timer = setInterval(() => void this.runOnce(), this.settings.cleanupIntervalMs);
      this.timer.unref();
    }, Math.min(this.settings.cleanupIntervalMs, FIRST_RUN_AFTER_MS));
    this.timer.unref();
  }

  /** One cleanup now (the timer's, or an operator's); a run already in progress is joined, not doubled. */
  runOnce(): Promise<CleanupResult | undefined> {
    this.running ??= removeExpiredRecords(this.connection, { now: this.clock(), retentionDays: this.settings.retentionDays, store: this.store })
      .then((result) => {
        const total = Object.values(result.removed).reduce((sum, n) => sum + n, 0);
        if (total > 0) this.logger.info({ removed: result.removed, before: result.cutoff.toISOString() }, 'retention: expired records removed');
        this.report?.ran({ removed: result.removed }, this.clock());
        return result;
      })
      .catch((error: unknown) => {
        this.logger.warn({ err: error }, 'retention cleanup failed; the next run tries again');
        this.report?.failed(error, this.clock());
        return undefined;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    clearInterval(this.timer);
    await this.running;
  }
}
