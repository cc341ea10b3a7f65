import type { HealthProbe } from '../http';
import type { OpsSettings } from './ops-settings';
import { degradedReasons, OpsStatus } from './ops-status';

/** how old a snapshot a health check may use (the start scripts ask every half second) */
const HEALTH_SNAPSHOT_MAX_AGE_MS = 5_000;

/**
 * The non-critical /health checks of the operations thresholds: `consumer-lag`, `outbox` and
 * `queues` each fail (so the report is `degraded`, HTTP 200, the reason under `errors`) while past
 * its threshold. A part that could not be read is not a reason here (the `kafka` check says so).
 */
export function opsHealthProbes(status: OpsStatus, thresholds: OpsSettings): HealthProbe[] {
  return (['consumer-lag', 'outbox', 'queues'] as const).map((name) => ({
    name,
    critical: false,
    check: async () => {
      const reason = degradedReasons(await status.snapshot(HEALTH_SNAPSHOT_MAX_AGE_MS), thresholds)[name];
      if (reason !== undefined) throw new Error(reason);
    },
  }));
}
