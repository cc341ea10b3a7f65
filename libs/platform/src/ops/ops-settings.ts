import { defineSettings, setting } from '../config';

/**
 * Where `/health` turns `degraded` (HTTP 200 with the reasons), read by every service
 * (docs/operations.md, "Alerts").
 */
export const opsSettings = defineSettings('operations thresholds', {
  /** messages one consumer group is behind on one partition */
  lagDegraded: setting.int('OPS_LAG_DEGRADED', 10_000, { min: 1 }),
  /** age of the oldest commit waiting in the outbox */
  outboxAgeDegradedMs: setting.int('OPS_OUTBOX_AGE_DEGRADED_MS', 300_000, { min: 1 }),
  /** commits waiting in the outbox */
  outboxBacklogDegraded: setting.int('OPS_OUTBOX_BACKLOG_DEGRADED', 10_000, { min: 1 }),
  /** failed jobs kept in one queue */
  failedJobsDegraded: setting.int('OPS_FAILED_JOBS_DEGRADED', 100, { min: 1 }),
});

export type OpsSettings = ReturnType<typeof opsSettings.load>;
