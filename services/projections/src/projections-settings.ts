import { Env, envInt } from '@continuum/platform';
import { HistoryOptions } from './domain';

/** The projections service's own settings, read once at start. */
export interface ProjectionsSettings extends HistoryOptions {
  /** /health says degraded when an event took longer than this from occurredAt to its view update */
  readonly lagDegradedMs: number;
  /** how long a lagging update keeps /health degraded when no later event came to say otherwise */
  readonly lagWindowMs: number;
  /** most customers a search reads (index lists beyond it are cut; see docs/projections.md) */
  readonly searchMaxCandidates: number;
  /** how often a running rebuild checks its lag and logs its progress */
  readonly rebuildPollMs: number;
}

export const PROJECTIONS_SETTINGS = Symbol('PROJECTIONS_SETTINGS');

/** Reads the settings; a bad value throws a ConfigError that names the variable. */
export function loadProjectionsSettings(env: Env = process.env): ProjectionsSettings {
  return {
    refundRetryDelayMs: envInt(env, 'REFUND_RETRY_DELAY_MS', 86_400_000, { min: 0 }),
    lagDegradedMs: envInt(env, 'PROJECTION_LAG_DEGRADED_MS', 60_000, { min: 1 }),
    lagWindowMs: envInt(env, 'PROJECTION_LAG_WINDOW_MS', 60_000, { min: 1 }),
    searchMaxCandidates: envInt(env, 'SEARCH_MAX_CANDIDATES', 200, { min: 1 }),
    rebuildPollMs: envInt(env, 'REBUILD_POLL_MS', 1_000, { min: 10 }),
  };
}
