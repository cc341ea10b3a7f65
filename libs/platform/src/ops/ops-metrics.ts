import { Gauge } from 'prom-client';
import { metrics } from '../observability';
import type { OpsStatus } from './ops-status';

/** how old a snapshot a scrape may use (a scrape and a health check close together read once) */
const SCRAPE_SNAPSHOT_MAX_AGE_MS = 5_000;

const sources = new Set<OpsStatus>();

/** Each scrape reads one snapshot per registered service and lets every gauge set its values from it. */
let scrape: Promise<Awaited<ReturnType<OpsStatus['snapshot']>>[]> | undefined;
function snapshots(): Promise<Awaited<ReturnType<OpsStatus['snapshot']>>[]> {
  scrape ??= Promise.all([...sources].map((source) => source.snapshot(SCRAPE_SNAPSHOT_MAX_AGE_MS).catch(() => undefined))).then((all) => {
    scrape = undefined;
    return all.filter((s) => s !== undefined);
  });
  return scrape;
}

function gauge<L extends string>(name: string, help: string, labelNames: readonly L[], set: (g: Gauge<L>, snapshot: Awaited<ReturnType<OpsStatus['snapshot']>>) => void): Gauge<L> {
  return new Gauge<L>({
    name,
    help,
    labelNames,
    registers: [metrics],
    async collect() {
      this.reset();
      for (const snapshot of await snapshots()) set(this, snapshot);
    },
  });
}

/** The metric names the operations status exports on /metrics (docs/operations.md, "Alerts"; the Grafana dashboard names only these and the others on /metrics). */
export const OPS_METRICS = {
  consumerLag: gauge('kafka_consumer_lag', 'Messages a consumer group is behind on a partition (end offset minus committed offset)', ['service', 'group', 'topic', 'partition'], (g, s) => {
    for (const c of s.consumers) for (const p of c.lag) g.set({ service: s.service, group: c.groupId, topic: c.topic, partition: String(p.partition) }, p.lag);
  }),
  outboxBacklog: gauge('outbox_backlog', 'Commits stored and not yet published to Kafka', ['service'], (g, s) => {
    if (s.outbox) g.set({ service: s.service }, s.outbox.backlog);
  }),
  outboxOldestAge: gauge('outbox_oldest_age_seconds', 'Age of the oldest commit waiting in the outbox, in seconds (0 when none waits)', ['service'], (g, s) => {
    if (s.outbox) g.set({ service: s.service }, s.outbox.oldestAgeMs / 1000);
  }),
  queueJobs: gauge('queue_jobs', 'Jobs of a BullMQ queue, by state (waiting, active, delayed, failed, completed)', ['service', 'queue', 'state'], (g, s) => {
    for (const q of s.queues) for (const state of ['waiting', 'active', 'delayed', 'failed', 'completed'] as const) g.set({ service: s.service, queue: q.name, state }, q[state]);
  }),
  deadLetters: gauge('dead_letters', 'Records on the service dead-letter topic (replayed ones stay)', ['service', 'topic'], (g, s) => {
    for (const d of s.deadLetters) g.set({ service: s.service, topic: d.topic }, d.count);
  }),
  sweeperRuns: gauge('sweeper_runs', 'Runs of a sweeper since the process started, by result (ok, failed)', ['service', 'sweeper', 'result'], (g, s) => {
    for (const w of s.sweepers) {
      g.set({ service: s.service, sweeper: w.name, result: 'ok' }, w.runs.ok);
      g.set({ service: s.service, sweeper: w.name, result: 'failed' }, w.runs.failed);
    }
  }),
  sweeperLastRun: gauge('sweeper_last_run_timestamp_seconds', 'When a sweeper last ran (Unix seconds), by the result of that run', ['service', 'sweeper', 'result'], (g, s) => {
    for (const w of s.sweepers) if (w.lastRunAt && w.lastResult) g.set({ service: s.service, sweeper: w.name, result: w.lastResult.ok ? 'ok' : 'failed' }, Date.parse(w.lastRunAt) / 1000);
  }),
};

/** Adds a service's operations status to /metrics (until `unregisterOpsMetrics`). */
export function registerOpsMetrics(source: OpsStatus): void {
  sources.add(source);
}

export function unregisterOpsMetrics(source: OpsStatus): void {
  sources.delete(source);
}
