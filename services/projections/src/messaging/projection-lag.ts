import { Histogram } from 'prom-client';
import { HealthProbe, metrics } from '@continuum/platform';

/** Time from an event's occurredAt to its view update, per topic (the live view only; rebuilds replay old events). */
export const projectionLag = new Histogram({
  name: 'projection_lag_seconds',
  help: "Seconds from an event's occurredAt to the update of the customer projection, by topic",
  labelNames: ['topic'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
  registers: [metrics],
});

/**
 * The latest lag per topic, for /health: degraded while the last update of a topic came later than
 * the threshold after its event, within the window (an idle topic is not behind).
 */
export class LagTracker {
  private readonly latest = new Map<string, { lagMs: number; at: number }>();

  constructor(
    private readonly thresholdMs: number,
    private readonly windowMs: number,
  ) {}

  record(topic: string, occurredAt: string, now: number): void {
    const lagMs = Math.max(0, now - new Date(occurredAt).getTime());
    projectionLag.observe({ topic }, lagMs / 1000);
    this.latest.set(topic, { lagMs, at: now });
  }

  /** Topics behind the threshold now, with their lag. */
  behind(now: number): Array<{ topic: string; lagMs: number }> {
    return [...this.latest.entries()]
      .filter(([, last]) => last.lagMs > this.thresholdMs && now - last.at <= this.windowMs)
      .map(([topic, last]) => ({ topic, lagMs: last.lagMs }));
  }

  probe(): HealthProbe {
    return {
      name: 'projection-lag',
      critical: false,
      check: async () => {
        const behind = this.behind(Date.now());
        if (behind.length > 0) {
          throw new Error(`views lag behind: ${behind.map(({ topic, lagMs }) => `${topic} ${(lagMs / 1000).toFixed(1)} s`).join(', ')} (threshold ${(this.thresholdMs / 1000).toFixed(1)} s)`);
        }
      },
    };
  }
}
