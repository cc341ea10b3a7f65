import { httpRequestDuration, httpRequestsTotal } from '../observability';
import { PlatformRequest, PlatformResponse } from './platform-request';

/**
 * Express middleware that counts and times every answered request (the access log line is
 * pino-http's, see requestLogger). The route label is the matched pattern (`/orders/:id`), or
 * `unmatched`, so a scan of random URLs cannot create unbounded series.
 */
export function requestMetricsMiddleware(request: PlatformRequest, response: PlatformResponse, next: () => void): void {
  const stopTimer = httpRequestDuration.startTimer();
  response.on('finish', () => {
    const route = request.route?.path !== undefined ? `${request.baseUrl}${request.route.path}` : 'unmatched';
    const labels = { method: request.method, route, status: String(response.statusCode) };
    httpRequestsTotal.inc(labels);
    stopTimer(labels);
  });
  next();
}
