import { defineSettings, Env, setting, SettingsOf } from '@continuum/platform';
import { HistoryOptions } from './domain';

/** The projections service's own settings, read once at start. */
const schema = {
  /** the refund retry delay of payments, to show when a queued refund is retried */
  refundRetryDelayMs: setting.int('REFUND_RETRY_DELAY_MS', 86_400_000, { min: 0 }),
  /** /health says degraded when an event took longer than this from occurredAt to its view update */
  lagDegradedMs: setting.int('PROJECTION_LAG_DEGRADED_MS', 60_000, { min: 1 }),
  /** how long a lagging update keeps /health degraded when no later event came to say otherwise */
  lagWindowMs: setting.int('PROJECTION_LAG_WINDOW_MS', 60_000, { min: 1 }),
  /** most customers a search reads (index lists beyond it are cut; see docs/projections.md) */
  searchMaxCandidates: setting.int('SEARCH_MAX_CANDIDATES', 200, { min: 1 }),
  /** how often a running rebuild checks its lag and logs its progress */
  rebuildPollMs: setting.int('REBUILD_POLL_MS', 1_000, { min: 10 }),
  /** how often an instance re-reads which generation is live (to follow a switch another instance made) */
  metaCheckMs: setting.int('PROJECTION_META_CHECK_MS', 2_000, { min: 10 }),
  /** how long after a switch the replaced generation is dropped (at least three checks: every instance has followed) */
  dropAfterMs: setting.int('PROJECTION_DROP_AFTER_MS', 60_000, { min: 1 }),
  /** a rebuild whose instance has not renewed its marker for this long (at least five polls) is taken for dead and dropped */
  rebuildStaleMs: setting.int('REBUILD_STALE_MS', 30_000, { min: 1 }),
};

export const projectionsSettings = defineSettings('projections', schema);
export type ProjectionsSettings = SettingsOf<typeof schema> & HistoryOptions;

export const PROJECTIONS_SETTINGS = projectionsSettings.token;

/** Reads the settings; a bad value throws a ConfigError that names the variable. */
export const loadProjectionsSettings = (env: Env = process.env): ProjectionsSettings => projectionsSettings.load(env);
