import pino, { DestinationStream, Logger } from 'pino';
import { CARD_LOG_REDACT_PATHS, REDACTED, redactCardText } from '../card-data';
import { currentContext } from './request-context';

/** pino redact paths for credentials in logged headers (`{ headers }`, `{ req: { headers } }`); Node lower-cases header names. */
export const SECRET_HEADER_REDACT_PATHS: readonly string[] = [
  'headers.authorization',
  '*.headers.authorization',
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
  'headers.cookie',
  '*.headers.cookie',
];

/**
 * The service's JSON logger. Every line carries `service` and, inside a request or message, its
 * `correlationId`, so one id finds everything a request caused across services:
 * `createLogger('orders', config.logLevel).info({ orderId }, 'order placed')`.
 * `destination` is for tests that capture the lines; by default lines go to stdout.
 * Card data never reaches a line: card number and cvv fields are redacted by path, and an error's
 * message and stack lose any card number they quote. Neither does a credential: the Authorization,
 * X-Api-Key and Cookie headers of a logged request or `headers` object are redacted too.
 */
export function createLogger(service: string, level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: [...CARD_LOG_REDACT_PATHS, ...SECRET_HEADER_REDACT_PATHS], censor: REDACTED },
    serializers: { err: redactedError },
    mixin() {
      const context = currentContext();
      return context ? { correlationId: context.correlationId } : {};
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

function redactedError(error: Error): Record<string, unknown> {
  const serialized = pino.stdSerializers.err(error) as unknown as Record<string, unknown>;
  for (const field of ['message', 'stack'] as const) {
    const value = serialized[field];
    if (typeof value === 'string') serialized[field] = redactCardText(value);
  }
  return serialized;
}
