import { Logger } from 'pino';
import { httpRequestDuration, httpRequestsTotal } from '../observability';
import { PlatformRequest, PlatformResponse } from './platform-request';

/**
 * Express middleware that counts and times every answered request and writes one access log line.
 * The route label is the matched pattern (`/orders/:id`), or `unmatched`, so a scan of random URLs
 * cannot create unbounded series. Logged with the correlation id explicitly: 'finish' fires
 * outside the request's async context.
 */
export function requestTelemetryMiddleware(logger: Logger) {
  return (request: PlatformRequest, response: PlatformResponse, next: () => void): void => {
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = request.route?.path !== undefined ? `${request.baseUrl}${request.route.path}` : 'unmatched';
      const labels = { method: request.method, route, status: String(response.statusCode) };
      httpRequestsTotal.inc(labels);
      httpRequestDuration.observe(labels, seconds);
      logger.info(
        {
          correlationId: request.platformContext?.correlationId,
          method: request.method,
          url: request.originalUrl,
          status: response.statusCode,
          durationMs: Math.round(seconds * 1000),
          actor: request.platformContext?.actor,
        },
        'request completed',
      );
    });
    next();
  };
}
