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
