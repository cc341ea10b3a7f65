import { DynamicModule } from '@nestjs/common';
import { Logger as NestLogger, LoggerModule, Params, PinoLogger } from 'nestjs-pino';
import { Logger } from 'pino';
import { HttpLogger, Options, pinoHttp } from 'pino-http';
import { CARD_SECRET_FIELDS, REDACTED, redactCardText } from '../card-data';
import { resolveCorrelationId } from './correlation-id.middleware';
import { PlatformRequest, PlatformResponse } from './platform-request';

/** The request as pino-http sees it: it sets `id`; `url` is Node's own, `originalUrl` Express's. */
type LoggedRequest = PlatformRequest & { id?: unknown; url?: string };

/** A query parameter named as a card secret (`?cvv=123`, `&number=4111...`), compared case-insensitively. */
const SECRET_QUERY_PARAMETER = new RegExp(`([?&](?:${CARD_SECRET_FIELDS.join('|')})=)[^&#]*`, 'gi');

/** What a line says of the request: no headers (no Authorization, no API key), the URL without card data. */
function requestFields(request: LoggedRequest): Record<string, unknown> {
  const url = (request.originalUrl ?? request.url ?? '').replace(SECRET_QUERY_PARAMETER, `$1${REDACTED}`);
  return { id: request.id, method: request.method, url: redactCardText(url) };
}

/**
 * The correlation id and, once the API key guard knew it, the actor, put on the access line itself:
 * pino-http writes it when the response finishes, outside the request's context.
 */
function whoAndWhich(request: LoggedRequest): Record<string, unknown> {
  return { correlationId: request.platformContext?.correlationId, actor: request.platformContext?.actor };
}

/** pino-http's options over the service's logger (see createLogger): one line per answered request. */
function accessLogOptions(logger: Logger): Options<LoggedRequest, PlatformResponse> {
  return {
    logger,
    // the correlation id settled by correlationIdHeaderMiddleware, which runs first
    genReqId: (request) => request.platformContext?.correlationId ?? resolveCorrelationId(undefined),
    // the logger's own serializers (an error's message and stack lose any card number) stay in force
    wrapSerializers: false,
    serializers: { req: requestFields, res: (response: PlatformResponse) => ({ statusCode: response.statusCode }) },
    customLogLevel: (_request, response, error) => (error || response.statusCode >= 500 ? 'error' : 'info'),
    customSuccessObject: (request, _response, fields: Record<string, unknown>) => ({ ...whoAndWhich(request), ...fields }),
    // a server error is logged with its stack by ProblemDetailsFilter; pino-http's `err` would only repeat the status
    customErrorObject: (request, _response, _error, { err: _err, ...fields }: Record<string, unknown>) => ({ ...whoAndWhich(request), ...fields }),
  };
}

/**
 * The pino-http middleware writing the access line (`request completed`, `request errored` from 500 on):
 * `{ correlationId, actor, req: { id, method, url }, res: { statusCode }, responseTime }`. It sets
 * `req.log`, which nestjs-pino's LoggerModule (see requestLoggerModule) makes the logger of Nest's
 * own lines inside the request.
 */
export function requestLogger(logger: Logger): HttpLogger<LoggedRequest, PlatformResponse> {
  return pinoHttp(accessLogOptions(logger));
}

/**
 * nestjs-pino over the service's logger, for the root module: Nest's own lines (startup, routes,
 * uncaught errors) go through pino, inside a request through its `req.log`. The access line's
 * middleware is `requestLogger`, registered by configureApp in its place among the others.
 */
export function requestLoggerModule(logger: Logger): DynamicModule {
  return LoggerModule.forRoot(nestLoggerParams(logger));
}

function nestLoggerParams(logger: Logger): Params {
  return { pinoHttp: { logger }, useExisting: true };
}

/**
 * The logger to hand NestFactory.create, so even the lines before the module is built are pino JSON.
 * nestjs-pino keeps the first logger it was given for lines outside a request: one per process.
 */
export function nestLogger(logger: Logger): NestLogger {
  const params = nestLoggerParams(logger);
  return new NestLogger(new PinoLogger(params), params);
}
