import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * The service's Prometheus registry, served at /metrics. Other parts register their own series on
 * it: `new Counter({ name: 'outbox_published_total', help: '...', registers: [metrics] })`.
 */
export const metrics = new Registry();

collectDefaultMetrics({ register: metrics });

/** Requests answered, by method, route pattern (not the raw URL, to bound cardinality) and status. */
export const httpRequestsTotal = new Counter({
  name: 'http_requests_total',
  help: 'HTTP requests answered, by method, route and status code',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [metrics],
});

/** How long requests took, by the same labels. */
export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration in seconds, by method, route and status code',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metrics],
});

/** Commands sent to MongoDB, by command name and collection: what each request or event costs the store. */
export const storeCommandsTotal = new Counter({
  name: 'store_commands_total',
  help: 'Commands sent to MongoDB, by command (find, insert, update, delete, ...) and collection',
  labelNames: ['command', 'collection'] as const,
  registers: [metrics],
});

/**
 * Time the store took to answer, summed by command name and collection (seconds, as the driver measures
 * from send to reply): which command costs a request or an event most, e.g. one that scans.
 */
export const storeCommandSecondsTotal = new Counter({
  name: 'store_command_seconds_total',
  help: 'Seconds MongoDB took to answer, summed by command and collection',
  labelNames: ['command', 'collection'] as const,
  registers: [metrics],
});

interface CommandMonitor {
  on(event: 'commandStarted', listener: (event: { commandName: string; command: Record<string, unknown>; requestId: number }) => void): unknown;
  on(event: 'commandSucceeded' | 'commandFailed', listener: (event: { requestId: number; duration: number }) => void): unknown;
}

/**
 * Counts every command the connection's client sends on `storeCommandsTotal` and the time it took on
 * `storeCommandSecondsTotal` (the connection needs `monitorCommands: true`).
 */
export function countStoreCommands(client: CommandMonitor): void {
  const inFlight = new Map<number, { command: string; collection: string }>();
  client.on('commandStarted', (event) => {
    const target = event.command[event.commandName];
    const collection = event.commandName === 'getMore' ? event.command['collection'] : target;
    const labels = { command: event.commandName, collection: typeof collection === 'string' ? collection : '' };
    storeCommandsTotal.inc(labels);
    inFlight.set(event.requestId, labels);
  });
  const done = (event: { requestId: number; duration: number }) => {
    const labels = inFlight.get(event.requestId);
    if (!labels) return;
    inFlight.delete(event.requestId);
    storeCommandSecondsTotal.inc(labels, event.duration / 1000);
  };
  client.on('commandSucceeded', done);
  client.on('commandFailed', done);
}
